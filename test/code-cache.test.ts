import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp.js';

/**
 * The CLI caches its compiled code between runs (scripts/cli-entry.mjs): Node's compile cache where Node has one
 * (>= 22.1), else V8's code cache for the CommonJS bundle. Whatever happens to the cache, the output is the same and
 * nothing is printed about it.
 */
const nodeCache = 'enableCompileCache' in (await import('node:module')).default;
const tmp = tempDir('shipshape-code-cache-');

const ARGS = ['examples/k8s/shop', '--format', 'json', '--no-render'];
const run = (cacheDir: string, extra: NodeJS.ProcessEnv = {}) =>
  runCli(ARGS, { env: { SHIPSHAPE_CACHE_DIR: cacheDir, ...extra } });
const cacheFiles = (dir: string): string[] => readdirSync(dir).filter((f) => /^cli-.*\.v8$/.test(f));

describe('code cache', () => {
  it('is written by the first run and used by the next, with the same output', async () => {
    const dir = path.join(tmp, 'cache');
    const uncached = await run(dir, { SHIPSHAPE_CODE_CACHE: '0' });
    const first = await run(dir);
    const second = await run(dir);
    expect(first.code).toBe(uncached.code);
    expect(first.stdout).toBe(uncached.stdout);
    expect(second.stdout).toBe(uncached.stdout);
    expect(first.stderr + second.stderr).toBe('');
    if (nodeCache) expect(readdirSync(dir)).toContain('node');
    else expect(cacheFiles(dir)).toHaveLength(1);
  });

  it.skipIf(nodeCache)(
    'a corrupt cache file is rejected by V8, the run compiles, and the file is rewritten',
    async () => {
      const dir = path.join(tmp, 'corrupt');
      const good = await run(dir);
      const [file] = cacheFiles(dir);
      const junk = Buffer.alloc(4096, 7);
      writeFileSync(path.join(dir, file!), junk);
      const r = await run(dir);
      expect(r.stdout).toBe(good.stdout);
      expect(r.stderr).toBe('');
      expect(readFileSync(path.join(dir, file!)).equals(junk)).toBe(false);
    },
  );

  it('a cache directory that cannot be created is no error', async () => {
    const blocker = path.join(tmp, 'a-file');
    writeFileSync(blocker, 'not a directory');
    const reference = await run(path.join(tmp, 'reference'));
    const r = await run(path.join(blocker, 'cache'));
    expect(r.code).toBe(reference.code);
    expect(r.stdout).toBe(reference.stdout);
    expect(r.stderr).toBe('');
  });

  it('a relative cache directory is not used', async () => {
    const reference = await run(path.join(tmp, 'reference'));
    const r = await run('relative-cache-dir');
    expect(r.stdout).toBe(reference.stdout);
    expect(r.stderr).toBe('');
    expect(readdirSync(process.cwd())).not.toContain('relative-cache-dir');
  });
});
