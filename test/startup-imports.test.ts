import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/fixtures.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp.js';

/**
 * A plain file check must not pay for modules only other commands need: @kubernetes/client-node costs ~400 ms to
 * import, the action's GitHub client about as much. The CLI is run with a preload that logs every module loaded.
 */
const HEAVY = [/node_modules\/@kubernetes\//, /node_modules\/@actions\//, /node_modules\/@octokit\//];

async function modulesLoaded(args: string[]): Promise<{ code: number; modules: string[] }> {
  const log = path.join(tempDir('shipshape-imports-'), 'modules.log');
  const preload = path.join(ROOT, 'test/helpers/import-log.mjs');
  const r = await runCli(args, {
    env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: `--import=${preload}`, SHIPSHAPE_IMPORT_LOG: log },
  });
  return { code: r.code, modules: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

describe('start-up: what a plain check loads', () => {
  it.each([
    ['a Kubernetes file', ['examples/k8s/shop/frontend.yaml']],
    ['a directory', ['examples']],
    ['JSON output', ['examples/k8s/shop/frontend.yaml', '--format', 'json']],
  ])('%s loads no cluster client and no GitHub client', async (_name, args) => {
    const { code, modules } = await modulesLoaded(args);
    expect(code).toBeLessThan(2);
    // The log works: the CLI entry point is in it (yaml and commander are inside the bundle it loads).
    expect(modules.some((m) => m.endsWith('/dist/cli.js'))).toBe(true);
    expect(modules.filter((m) => HEAVY.some((re) => re.test(m)))).toEqual([]);
  });
});
