import { linearRegExpEngine } from '../config/regex-safety.js';
import { existsSync, promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { bundledVersionFor, type CompactModel, type KubeBundle } from '../schema/kubernetes.js';
import type { SchemaSources } from '../schema/sources.js';
import { AJV_OPTIONS } from '../schema/validate.js';

/** schemas/ at the package root, found upward from this module (src/load, dist/load, or a bundle in dist/…). */
function schemasDir(): URL {
  let dir = new URL('./', import.meta.url);
  for (let i = 0; i < 5; i++) {
    const candidate = new URL('schemas/', dir);
    if (existsSync(new URL('kubernetes/', candidate))) return candidate;
    dir = new URL('../', dir);
  }
  throw new Error(`the bundled schemas were not found above ${fileURLToPath(import.meta.url)}: reinstall shipshape`);
}

/**
 * The bundle as the build writes it for the CLI (scripts/bundle-cli.mjs: dist/kube-models/<minor>.json), each model
 * kept as JSON text until a kind of the input needs it: reading all 670 models and gunzipping them cost ~10 ms of a
 * one-file run that needs a dozen. Undefined where there is no such file (running from src/).
 */
async function lazyBundle(minor: string): Promise<KubeBundle | undefined> {
  let text: string;
  try {
    text = await fs.readFile(new URL(`../kube-models/${minor}.json`, import.meta.url), 'utf8');
  } catch {
    return undefined;
  }
  const raw = JSON.parse(text) as Omit<KubeBundle, 'models'> & { models: Record<string, string> };
  const parsed = new Map<string, CompactModel>();
  const models = new Proxy(raw.models as unknown as Record<string, CompactModel>, {
    get(target, name) {
      if (typeof name !== 'string' || !Object.hasOwn(target, name)) return undefined;
      let m = parsed.get(name);
      if (!m) parsed.set(name, (m = JSON.parse((target as unknown as Record<string, string>)[name]!) as CompactModel));
      return m;
    },
  });
  return { ...raw, models };
}

/** The bundle as committed in schemas/kubernetes/ (zlib is loaded only then: it costs start-up time). */
async function gzBundle(file: URL): Promise<KubeBundle> {
  const { gunzipSync } = await import('node:zlib');
  return JSON.parse(gunzipSync(await fs.readFile(file)).toString('utf8')) as KubeBundle;
}

/** Read only the schemas a run needs: the Kubernetes bundle for `kubeVersion`, the Compose Specification validator. */
export async function loadSchemas(
  kubeVersion: string,
  need: { kubernetes: boolean; compose: boolean; crds: boolean },
): Promise<SchemaSources> {
  const sources: SchemaSources = { kubeVersion };
  if (!need.kubernetes && !need.compose) return sources;
  const root = schemasDir();
  if (need.crds) {
    const { default: ajv } = await import('ajv');
    const regExp = await linearRegExpEngine(true);
    sources.createAjv = () => new ajv.default({ ...AJV_OPTIONS, code: { regExp } });
  }
  if (need.kubernetes) {
    const minor = bundledVersionFor(kubeVersion);
    sources.kubernetes = (await lazyBundle(minor)) ?? (await gzBundle(new URL(`kubernetes/${minor}.json.gz`, root)));
  }
  if (need.compose) {
    // Compiled at build time: compiling the Compose Specification takes longer than a whole run.
    const mod = (await import(new URL('compose-spec.validate.js', root).href)) as { default: ValidateFunction };
    sources.compose = mod.default;
  }
  return sources;
}
