// Preloaded with `node --import` by test/startup-imports.test.ts: records every module the process loads, ESM
// (through a resolve hook, which runs on the loader thread) and CommonJS (require.cache at exit, which also holds
// what createRequire loaded), one URL or path a line, into the file named by SHIPSHAPE_IMPORT_LOG.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const log = process.env.SHIPSHAPE_IMPORT_LOG;
if (log) {
  register('./import-log-hooks.mjs', import.meta.url, { data: { log } });
  const require = createRequire(import.meta.url);
  process.on('exit', () => {
    const cjs = Object.keys(require.cache);
    if (cjs.length) appendFileSync(log, `${cjs.join('\n')}\n`);
  });
}
