import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import {
  ConfigError,
  extendsOf,
  presetName,
  resolveConfig,
  type ConfigLayer,
  type ShipshapeConfig,
} from '../config/config.js';
import { configErrorAt } from '../config/config-error.js';
import { PRESETS } from '../config/config-schema.js';
import { didYouMean } from '../model/suggest.js';
import { DocumentLocator } from '../model/locate.js';
import { displayPath } from './discover.js';
import { excessiveNesting, MAX_NESTING } from './guard.js';
import { presetFile } from './package-files.js';
import { decodeManifest, gitRoot, insideRoot, readRegularFile } from './read.js';

export const CONFIG_NAMES = ['.shipshape.yaml', '.shipshape.yml'];

/** The nearest config file from `cwd` upward, or undefined. */
export async function findConfig(cwd: string): Promise<string | undefined> {
  let dir = path.resolve(cwd);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(dir, name);
      try {
        if ((await fs.stat(candidate)).isFile()) return candidate;
      } catch {
        // not here
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Read, parse and validate the config named by --config, or the nearest one; defaults when there is none. */
export async function loadConfig(
  explicit: string | undefined,
  cwd: string,
  // The rule list as config/ takes it: load/ sits beside the engine and never imports it.
  rules: Parameters<typeof resolveConfig>[2],
): Promise<ShipshapeConfig> {
  const file = explicit ? path.resolve(cwd, explicit) : await findConfig(cwd);
  if (!file) return resolveConfig(undefined, undefined, rules);
  let top: ReadLayer;
  try {
    top = await readLayer(file, cwd);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code) throw new ConfigError(`${displayPath(file, cwd)}: cannot read config: ${code}`);
    throw err;
  }
  const base: ConfigLayer[] = [];
  await followExtends(top, [file], cwd, base);
  return resolveConfig(top.raw, top.source, rules, base);
}

type ReadLayer = ConfigLayer;

/** Every file `layer` extends, depth first, appended to `out` in the order they apply (deepest first). */
async function followExtends(layer: ReadLayer, chain: string[], cwd: string, out: ConfigLayer[]): Promise<void> {
  const refs = extendsOf(layer.raw);
  const e = (layer.raw as { extends?: unknown } | null)?.extends;
  if (e !== undefined && (refs.length === 0 || (Array.isArray(e) && refs.length !== e.length)))
    throw configErrorAt(
      layer.source,
      ['extends'],
      `extends: must be a preset (${PRESETS.join(', ')}) or a path to a config file, or a list of them`,
    );
  for (const [i, ref] of refs.entries()) {
    const at = Array.isArray(e) ? ['extends', i] : ['extends'];
    const preset = presetName(ref);
    if (!preset && !/^[./]|\.ya?ml$/i.test(ref))
      throw configErrorAt(
        layer.source,
        at,
        `extends: unknown preset "${ref}"${didYouMean(ref, PRESETS)} (a file path starts with ./ or ../)`,
      );
    const target = preset ? presetFile(preset) : path.resolve(path.dirname(chain[chain.length - 1]!), ref);
    // A config value never makes shipshape read outside the repository of the config (its Git work tree, else its directory).
    const root = (await gitRoot(path.dirname(chain[0]!))) ?? path.dirname(chain[0]!);
    if (!preset && !(await insideRoot(root, target)))
      throw configErrorAt(
        layer.source,
        at,
        `extends: "${ref}" is outside the repository (${path.relative(cwd, root).split(path.sep).join('/') || '.'}): not read`,
      );
    if (chain.includes(target)) {
      const cycle = [...chain.slice(chain.indexOf(target)), target].map((f) => displayPath(f, cwd)).join(' → ');
      throw configErrorAt(layer.source, at, `extends: cycle: ${cycle}`);
    }
    let next: ReadLayer;
    try {
      next = await readLayer(target, cwd, preset !== undefined);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (!code) throw err;
      throw configErrorAt(
        layer.source,
        at,
        `extends: cannot read "${ref}" (${code === 'ENOENT' ? 'no such file' : code})`,
      );
    }
    await followExtends(next, [...chain, target], cwd, out);
    out.push({ raw: next.raw, source: next.source, ...(next.preset ? { preset: true } : {}) });
  }
}

/** Read and parse one config file (a read error is thrown as is, for the caller to say which reference failed). */
async function readLayer(file: string, cwd: string, preset = false): Promise<ReadLayer> {
  const shown = preset ? `rules-config/${path.basename(file)}` : displayPath(file, cwd);
  const read = readRegularFile(file, 1 << 20);
  if (!read.ok)
    throw Object.assign(new Error(read.reason), {
      code: read.code === 'NOTREG' ? 'not a regular file' : read.code === 'TOOBIG' ? 'larger than 1 MiB' : read.code,
    });
  const decoded = decodeManifest(read.bytes);
  if (!decoded.ok)
    throw new ConfigError(`${shown}:${decoded.line}:${decoded.column}: config is not valid YAML: ${decoded.message}`);
  const text = decoded.text;
  const deep = excessiveNesting(text);
  if (deep !== -1)
    throw new ConfigError(`${shown}: config is not valid YAML: nested more than ${MAX_NESTING} levels deep`);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, logLevel: 'error' });
  const first = doc.errors[0];
  if (first) {
    const pos = lines.linePos(first.pos[0]);
    throw new ConfigError(`${shown}:${pos.line}:${pos.col}: config is not valid YAML: ${first.message.split('\n')[0]}`);
  }
  const locator = new DocumentLocator(doc, lines, [], 'rules');
  locator.srcText = text;
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    const bomb = /alias count/i.test((err as Error).message);
    throw new ConfigError(
      `${shown}: config cannot be read: ${bomb ? 'its aliases expand more than 100 times (an alias bomb?)' : (err as Error).message.split('\n')[0]}`,
    );
  }
  return { raw, source: { file: shown, locate: (p) => locator.locate(p).range }, ...(preset ? { preset } : {}) };
}
