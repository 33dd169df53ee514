// Bundles the CLI into dist/bundle/ and makes dist/cli.js load it (run by `npm run build`, after tsc).
//
// Why: a plain `shipshape one.yaml` used to spend more time resolving and loading ~170 modules (our ~90 files, yaml's
// 73, commander's, picomatch's) than checking the file. One bundle, split at the dynamic imports so that the commands
// a plain check never runs (cluster, render, init, explain…) stay in chunks of their own, cuts ~100 ms of CPU at
// start-up (bench/README.md has the figures). Heavy dependencies stay external and are loaded only by the code that
// needs them: ajv (config and schema validation), @kubernetes/client-node (cluster mode).
//
// The programmatic API (dist/index.js) is not bundled: it is tsc's output, as before.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist/bundle');
rmSync(outdir, { recursive: true, force: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['ajv', '@kubernetes/client-node', '@actions/*', '@octokit/*'],
  // yaml and commander are CommonJS and call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __shipshapeCreateRequire } from 'node:module';\nconst require = __shipshapeCreateRequire(import.meta.url);",
  },
  chunkNames: 'chunk-[hash]',
  legalComments: 'eof',
  charset: 'utf8',
  sourcemap: false,
  minify: false,
  metafile: true,
  logLevel: 'warning',
});

// Files found through import.meta.url (schemas/, rules-config/, docs/) are resolved from src/<dir>/<file>.ts, two
// levels below the package root, and dist/bundle/ is two levels down too. A module at another depth would resolve
// them elsewhere once bundled: refuse to build rather than ship a CLI that cannot find its files.
const wrongDepth = Object.keys(result.metafile.inputs).filter(
  (f) =>
    f.startsWith('src/') &&
    f.split('/').length !== 3 &&
    /import\.meta\.(url|dirname|filename)/.test(readFileSync(path.join(root, f), 'utf8')),
);
if (wrongDepth.length) {
  console.error(
    `bundle-cli: ${wrongDepth.join(', ')} use import.meta at a depth other than src/<dir>/<file>.ts; resolve package files through src/load/package-files.ts instead`,
  );
  process.exit(1);
}

// The same CLI as one CommonJS file, for Node versions without module.enableCompileCache() (before 22.1): run through
// vm.Script, it can be given V8's code cache from the previous run (scripts/cli-entry.mjs). Same code, same externals;
// dynamic import() of the externals stays import(). It sits at the same depth as dist/bundle/ (see above).
const cjsDir = path.join(root, 'dist/bundle-cjs');
rmSync(cjsDir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist/bundle-cjs',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['ajv', '@kubernetes/client-node', '@actions/*', '@octokit/*'],
  define: {
    'import.meta.url': '__shipshapeModuleUrl',
    'import.meta.dirname': '__dirname',
    'import.meta.filename': '__filename',
  },
  banner: { js: "var __shipshapeModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'eof',
  charset: 'utf8',
  sourcemap: false,
  minify: false,
  logLevel: 'warning',
});
// Code run through vm.Script cannot import() on Node 20 (it needs --experimental-vm-modules): the entry passes its
// own import() in as __shipshapeImport. Every dynamic import of the source is `await import(`; any other left means
// one was missed, and the build stops.
const cjsFile = path.join(cjsDir, 'cli.cjs');
const cjs = readFileSync(cjsFile, 'utf8').replace(/\bawait import\(/g, 'await __shipshapeImport(');
const missed = cjs.split('\n').filter((line) => /(?:^|[^\w$.])import\(/.test(line) && !/^\s*(?:\*|\/\/)/.test(line));
if (missed.length) {
  console.error(`bundle-cli: a dynamic import() the CommonJS bundle cannot run:\n${missed.join('\n')}`);
  process.exit(1);
}
writeFileSync(cjsFile, cjs);

// The Kubernetes models for the CLI, each kept as JSON text that src/load/schemas.ts parses when a kind needs it (no
// gunzip and no parse of ~670 models in every run).
const modelsDir = path.join(root, 'dist/kube-models');
rmSync(modelsDir, { recursive: true, force: true });
mkdirSync(modelsDir, { recursive: true });
for (const name of readdirSync(path.join(root, 'schemas/kubernetes'))) {
  if (!name.endsWith('.json.gz')) continue;
  const bundle = JSON.parse(gunzipSync(readFileSync(path.join(root, 'schemas/kubernetes', name))).toString('utf8'));
  const models = Object.fromEntries(Object.entries(bundle.models).map(([k, v]) => [k, JSON.stringify(v)]));
  writeFileSync(path.join(modelsDir, name.replace(/\.gz$/, '')), JSON.stringify({ ...bundle, models }));
}

// dist/cli.js (tsc's output) becomes the entry point, so `node dist/cli.js` and bin/shipshape.js run the bundle: with
// Node's compile cache where there is one, else the CommonJS bundle with a V8 code cache.
writeFileSync(
  path.join(root, 'dist/cli.js'),
  `// Generated by scripts/bundle-cli.mjs (npm run build) from scripts/cli-entry.mjs.\n${readFileSync(path.join(root, 'scripts/cli-entry.mjs'), 'utf8')}`,
);
