// The CLI's entry point (copied to dist/cli.js by scripts/bundle-cli.mjs). Compiling the bundle is a third of what a
// one-file run costs above bare `node`, so the compiled code is cached between runs:
// - Node >= 22.1: Node's own compile cache (module.enableCompileCache), for the ES module bundle in dist/bundle/;
// - older Node: the CommonJS bundle (dist/bundle-cjs/cli.cjs) through vm.Script, with V8's code cache from the
//   previous run in a file per Node version and bundle build.
// The cache lives in a directory of the user's own ($SHIPSHAPE_CACHE_DIR, else $XDG_CACHE_HOME/shipshape, else
// ~/.cache/shipshape), never in a shared temporary directory: code read from it runs. Anything that fails (no home,
// a read-only directory, a cache V8 rejects) falls back silently to compiling, as without a cache.
// SHIPSHAPE_CODE_CACHE=0 turns it off.
import module from 'node:module';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const here = path.dirname(fileURLToPath(import.meta.url));
const enabled = process.env.SHIPSHAPE_CODE_CACHE !== '0';
const dir = enabled ? cacheDir() : undefined;

if (typeof module.enableCompileCache === 'function') {
  if (dir) {
    try {
      module.enableCompileCache(path.join(dir, 'node'));
    } catch {
      // no cache: compiled as usual
    }
  }
  await import('./bundle/cli.js');
} else {
  runCommonJs(path.join(here, 'bundle-cjs/cli.cjs'));
}

/** The cache directory when it can be used: created if missing, and owned by this user. */
function cacheDir() {
  try {
    const home = os.homedir();
    const base =
      process.env.SHIPSHAPE_CACHE_DIR ||
      (process.env.XDG_CACHE_HOME ? path.join(process.env.XDG_CACHE_HOME, 'shipshape') : undefined) ||
      (home ? path.join(home, '.cache', 'shipshape') : undefined);
    if (!base || !path.isAbsolute(base)) return undefined;
    mkdirSync(base, { recursive: true, mode: 0o700 });
    const st = statSync(base);
    if (!st.isDirectory() || (typeof process.getuid === 'function' && st.uid !== process.getuid())) return undefined;
    return base;
  } catch {
    return undefined;
  }
}

/** Runs a CommonJS file as Node's loader would, with V8's code cache when there is one for exactly this file. */
function runCommonJs(file) {
  const source = readFileSync(file, 'utf8');
  let cacheFile;
  let cachedData;
  if (dir) {
    try {
      // The bundle's path, size and time name its cache: V8 itself only checks the source's length.
      const st = statSync(file);
      const id = createHash('sha256')
        .update(`${file}\0${st.size}\0${st.mtimeMs}\0${process.version}\0${process.arch}`)
        .digest('hex')
        .slice(0, 20);
      cacheFile = path.join(dir, `cli-${process.version}-${id}.v8`);
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  // import() from inside vm.Script needs --experimental-vm-modules on Node 20: the bundle's dynamic imports (ajv, the
  // Compose validator, cluster mode) call this module's instead (scripts/bundle-cli.mjs).
  const wrapper = `(function (exports, require, module, __filename, __dirname, __shipshapeImport) { ${source}\n})`;
  const script = new vm.Script(wrapper, { filename: file, ...(cachedData ? { cachedData } : {}) });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    // Written at exit, so that the functions this run compiled are in it.
    process.once('exit', () => writeCache(script, cacheFile));
  }
  const mod = { exports: {}, filename: file, id: file, loaded: false };
  const load = script.runInThisContext();
  load.call(mod.exports, mod.exports, module.createRequire(file), mod, file, path.dirname(file), (s) => import(s));
}

function writeCache(script, cacheFile) {
  try {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
    renameSync(tmp, cacheFile);
    // Caches of other builds and Node versions: removed once a week old.
    const cacheDirectory = path.dirname(cacheFile);
    const old = Date.now() - 7 * 24 * 3600 * 1000;
    for (const name of readdirSync(cacheDirectory)) {
      const f = path.join(cacheDirectory, name);
      if (name.startsWith('cli-') && f !== cacheFile && statSync(f).mtimeMs < old) unlinkSync(f);
    }
  } catch {
    // a read-only or full disk: the next run compiles again
  }
}
