import { readFileSync } from 'node:fs';
import path from 'node:path';
import { attachChanges } from '../../src/fix/changes.js';
import { lint } from '../../src/index.js';
import { formatJson } from '../../src/report/json.js';

/**
 * The JSON report of `shipshape --format json .` in `dir`, made in this process (lint, the fixes' text edits, the
 * JSON reporter: what the CLI does, without starting it). The `--fix` runs themselves use the built CLI (runCli).
 */
export async function jsonReport<T = unknown>(dir: string, options: { render?: boolean } = {}): Promise<T> {
  const result = await lint({
    paths: ['.'],
    cwd: dir,
    renderDefault: 'auto',
    ...(options.render !== undefined ? { render: options.render } : {}),
  });
  attachChanges(result.findings, (file) => {
    try {
      return readFileSync(path.resolve(dir, file), 'utf8');
    } catch {
      return undefined;
    }
  });
  return JSON.parse(formatJson(result)) as T;
}
