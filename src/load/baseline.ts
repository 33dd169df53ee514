import { promises as fs } from 'node:fs';
import path from 'node:path';
import { formatBaseline, parseBaseline } from '../config/baseline.js';
import { ConfigError } from '../config/config-error.js';
import type { Finding } from '../model/types.js';
import { displayPath } from './discover.js';

/** The fingerprints recorded in a baseline file (`--baseline FILE`). */
export async function readBaseline(file: string, cwd: string): Promise<Set<string>> {
  const abs = path.resolve(cwd, file);
  let text: string;
  try {
    text = await fs.readFile(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file: write one with --write-baseline' : (code ?? (err as Error).message);
    throw new ConfigError(`${displayPath(abs, cwd)}: cannot read baseline (${why})`);
  }
  return parseBaseline(text, displayPath(abs, cwd));
}

/** Record today's findings (`--write-baseline FILE`); returns how many were written. */
export async function writeBaseline(file: string, cwd: string, findings: readonly Finding[]): Promise<number> {
  const text = formatBaseline(findings);
  // Like --output: a missing directory is created.
  await fs.mkdir(path.dirname(path.resolve(cwd, file)), { recursive: true });
  await fs.writeFile(path.resolve(cwd, file), text);
  return (JSON.parse(text) as { findings: unknown[] }).findings.length;
}
