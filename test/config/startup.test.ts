import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { project } from './helpers.js';
import { tempDir } from '../helpers/temp.js';

/** Modules the CLI loaded, logged by a preload (see test/helpers/import-log.mjs). */
async function modulesLoaded(args: string[], cwd: string): Promise<string[]> {
  const log = path.join(tempDir('shipshape-imports-'), 'modules.log');
  const preload = path.join(ROOT, 'test/helpers/import-log.mjs');
  const r = await runCli(args, {
    cwd,
    env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: `--import=${preload}`, SHIPSHAPE_IMPORT_LOG: log },
  });
  expect(r.code).toBeLessThan(2);
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

const MANIFEST = { 'k8s/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' };

describe('start-up: ajv is imported only to read a config', () => {
  it('a run without a config does not load ajv; one with a config does', async () => {
    const without = await modulesLoaded(['k8s', '--rule', 'schema-invalid=off'], project(MANIFEST));
    expect(without.filter((m) => m.includes('/node_modules/ajv/'))).toEqual([]);
    const withConfig = await modulesLoaded(
      ['k8s', '--rule', 'schema-invalid=off'],
      project({ ...MANIFEST, '.shipshape.yaml': 'rules: {single-replica: note}\n' }),
    );
    expect(withConfig.some((m) => m.includes('/node_modules/ajv/'))).toBe(true);
  });
});
