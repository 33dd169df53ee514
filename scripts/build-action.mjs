// Bundles the GitHub Action into dist/action/index.js, which is committed: CI rebuilds it and fails on any difference,
// so the output must depend on the sources only (no timestamps, no absolute paths, no source maps).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist/action');
rmSync(outdir, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: ['src/action/main.ts'],
  outfile: 'dist/action/index.js',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // yaml and ajv are CommonJS and call require(); @actions/core and @actions/github are ESM-only.
  banner: {
    js: "import { createRequire as __shipshapeCreateRequire } from 'node:module';\nconst require = __shipshapeCreateRequire(import.meta.url);",
  },
  legalComments: 'eof',
  charset: 'utf8',
  sourcemap: false,
  minify: false,
  logLevel: 'warning',
});
