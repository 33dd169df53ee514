import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError, resolveConfig, type ShipshapeConfig } from '../engine/config.js';
import type { AnyRule } from '../engine/rule.js';
import { DocumentLocator } from '../model/locate.js';
import { displayPath } from './discover.js';

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
export async function loadConfig(explicit: string | undefined, cwd: string, rules: readonly AnyRule[]): Promise<ShipshapeConfig> {
  const file = explicit ? path.resolve(cwd, explicit) : await findConfig(cwd);
  if (!file) return resolveConfig(undefined, undefined, rules);
  const shown = displayPath(file, cwd);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${shown}: cannot read config: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const pos = lines.linePos(first.pos[0]);
    throw new ConfigError(`${shown}:${pos.line}:${pos.col}: config is not valid YAML: ${first.message.split('\n')[0]}`);
  }
  const locator = new DocumentLocator(doc, lines, [], 'rules');
  locator.srcText = text;
  return resolveConfig(doc.toJS({ maxAliasCount: 100 }), { file: shown, locate: (p) => locator.locate(p).range }, rules);
}
