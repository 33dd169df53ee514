// One benchmark process over a directory of manifests, through the programmatic API (dist/index.js).
//
//   node bench/lib/corpus-worker.js parse <dir>            read + yaml parseAllDocuments of every manifest file, once
//   node bench/lib/corpus-worker.js parse-fast <dir>       read + the loader's fast path (js-yaml; yaml for what it declines)
//   node bench/lib/corpus-worker.js lint <dir>             lint() of the directory, once
//   node bench/lib/corpus-worker.js alternate <dir> <n>    a warm-up pair, then n rounds of parse and lint in this process
//
// Prints one JSON line. Times cover the work only (not Node start-up nor module loading); the parent measures the
// process as a whole and its peak RSS.
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { lint } from '../../dist/index.js';
import { fastValues } from '../../dist/load/fast.js';

const EXTENSIONS = /\.(ya?ml|json)$/i;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);

/** The files lint() reads for a directory: the same extensions and skipped directories as src/load/discover.ts. */
async function manifestFiles(dir) {
  const out = [];
  const walk = async (d) => {
    const entries = await fs.readdir(d, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) await walk(abs);
      } else if (e.isFile() && EXTENSIONS.test(e.name)) out.push(abs);
    }
  };
  await walk(dir);
  return out;
}

/**
 * The unavoidable work as the issue defines it: read each file and parse every YAML document in it with positions
 * (`yaml`, the reference parser). Nothing else. Files are read synchronously, as lint() reads them (src/load/read.ts).
 */
function parseOnly(files) {
  const t = performance.now();
  const cpu = process.cpuUsage();
  let docs = 0;
  for (const f of files) {
    const parsed = parseAllDocuments(readFileSync(f, 'utf8'), { lineCounter: new LineCounter() });
    docs += Array.isArray(parsed) ? parsed.length : 0;
  }
  return { ms: performance.now() - t, cpuMs: cpuSince(cpu), files: files.length, docs };
}

/**
 * The floor of the loader as built: read each file and take its values the way the loader does (src/load/fast.ts:
 * js-yaml, or `yaml` for the files it declines), without positions, rules or anything else.
 */
function parseFast(files) {
  const t = performance.now();
  const cpu = process.cpuUsage();
  let docs = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const values = fastValues(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    if (values) docs += values.length;
    else {
      const parsed = parseAllDocuments(text, { lineCounter: new LineCounter() });
      docs += Array.isArray(parsed) ? parsed.length : 0;
    }
  }
  return { ms: performance.now() - t, cpuMs: cpuSince(cpu), files: files.length, docs };
}

async function lintOnce(dir) {
  const t = performance.now();
  const cpu = process.cpuUsage();
  // cwd above the directory: no .shipshape.yaml of this repository applies, defaults (schema validation on) do.
  const r = await lint({ paths: [dir], cwd: path.dirname(dir) });
  const ms = performance.now() - t;
  return {
    ms,
    cpuMs: cpuSince(cpu),
    files: r.files,
    resources: r.resources,
    findings: r.findings.length,
    internalErrors: r.findings.filter((f) => f.ruleId === 'internal-error').length,
  };
}

function cpuSince(start) {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

const [mode, dirArg, roundsArg] = process.argv.slice(2);
const dir = path.resolve(dirArg ?? '.');
let result;
if (mode === 'parse') {
  result = parseOnly(await manifestFiles(dir));
} else if (mode === 'parse-fast') {
  result = parseFast(await manifestFiles(dir));
} else if (mode === 'lint') {
  result = await lintOnce(dir);
} else if (mode === 'alternate') {
  const files = await manifestFiles(dir);
  const rounds = Number(roundsArg ?? 5);
  parseOnly(files);
  parseFast(files);
  const first = await lintOnce(dir);
  const parse = [];
  const fast = [];
  const lintRuns = [];
  for (let i = 0; i < rounds; i++) {
    // Rotate which goes first, so a drift in machine load falls on all three.
    const order = [
      () => parse.push(parseOnly(files)),
      () => fast.push(parseFast(files)),
      async () => lintRuns.push(await lintOnce(dir)),
    ];
    for (let j = 0; j < order.length; j++) await order[(i + j) % order.length]();
  }
  result = {
    parse: parse.map((r) => r.ms),
    fast: fast.map((r) => r.ms),
    lint: lintRuns.map((r) => r.ms),
    parseCpu: parse.map((r) => r.cpuMs),
    fastCpu: fast.map((r) => r.cpuMs),
    lintCpu: lintRuns.map((r) => r.cpuMs),
    files: files.length,
    resources: first.resources,
    findings: first.findings,
  };
} else {
  throw new Error(`usage: corpus-worker.js parse|parse-fast|lint|alternate <dir> [rounds]`);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
