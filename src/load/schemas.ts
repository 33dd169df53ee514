import { linearRegExpEngine } from '../config/regex-safety.js';
import { existsSync, promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { ValidateFunction } from 'ajv';
import { bundledVersionFor, type KubeBundle } from '../schema/kubernetes.js';
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
    const raw = await fs.readFile(new URL(`kubernetes/${minor}.json.gz`, root));
    sources.kubernetes = JSON.parse(gunzipSync(raw).toString('utf8')) as KubeBundle;
  }
  if (need.compose) {
    // Compiled at build time: compiling the Compose Specification takes longer than a whole run.
    const mod = (await import(new URL('compose-spec.validate.js', root).href)) as { default: ValidateFunction };
    sources.compose = mod.default;
  }
  return sources;
}
