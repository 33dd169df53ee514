// One benchmark process over a directory of manifests, through the programmatic API (dist/index.js).
//
//   node bench/lib/corpus-worker.js parse <dir>            read + yaml parseAllDocuments of every manifest file, once
//   node bench/lib/corpus-worker.js lint <dir>             lint() of the directory, once
//   node bench/lib/corpus-worker.js alternate <dir> <n>    a warm-up pair, then n rounds of parse and lint in this process
//
// Prints one JSON line. Times cover the work only (not Node start-up nor module loading); the parent measures the
// process as a whole and its peak RSS.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { lint } from '../../dist/index.js';

const EXTENSIONS = /\.(ya?ml|json)$/i;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);
const READ_AHEAD = 4;

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
 * The unavoidable work: read each file and parse every YAML document in it with positions. Nothing else. Reads run
 * 4 files ahead of parsing, as lint()'s do (src/load/index.ts), so the ratio compares the work, not the I/O overlap.
 */
async function parseOnly(files) {
  const t = performance.now();
  const cpu = process.cpuUsage();
  let docs = 0;
  const reads = files.slice(0, READ_AHEAD).map((f) => fs.readFile(f, 'utf8'));
  for (let i = 0; i < files.length; i++) {
    if (files[i + READ_AHEAD]) reads.push(fs.readFile(files[i + READ_AHEAD], 'utf8'));
    const text = await reads[i];
    reads[i] = undefined;
    const parsed = parseAllDocuments(text, { lineCounter: new LineCounter() });
    docs += Array.isArray(parsed) ? parsed.length : 0;
  }
  return { ms: performance.now() - t, cpuMs: cpuSince(cpu), files: files.length, docs };
}

async function lintOnce(dir) {
  const t = performance.now();
  const cpu = process.cpuUsage();
  // cwd above the directory: no .shipshape.yaml of this repository applies, defaults (schema validation on) do.
  const r = await lint({ paths: [dir], cwd: path.dirname(dir) });
  const ms = performance.now() - t;
  return { ms, cpuMs: cpuSince(cpu), files: r.files, resources: r.resources, findings: r.findings.length, internalErrors: r.findings.filter((f) => f.ruleId === 'internal-error').length };
}

function cpuSince(start) {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

const [mode, dirArg, roundsArg] = process.argv.slice(2);
const dir = path.resolve(dirArg ?? '.');
let result;
if (mode === 'parse') {
  result = await parseOnly(await manifestFiles(dir));
} else if (mode === 'lint') {
  result = await lintOnce(dir);
} else if (mode === 'alternate') {
  const files = await manifestFiles(dir);
  const rounds = Number(roundsArg ?? 5);
  await parseOnly(files);
  const first = await lintOnce(dir);
  const parse = [];
  const lintRuns = [];
  for (let i = 0; i < rounds; i++) {
    // Alternate which goes first, so a drift in machine load falls on both.
    if (i % 2 === 0) {
      parse.push(await parseOnly(files));
      lintRuns.push(await lintOnce(dir));
    } else {
      lintRuns.push(await lintOnce(dir));
      parse.push(await parseOnly(files));
    }
  }
  result = {
    parse: parse.map((r) => r.ms),
    lint: lintRuns.map((r) => r.ms),
    parseCpu: parse.map((r) => r.cpuMs),
    lintCpu: lintRuns.map((r) => r.cpuMs),
    files: files.length,
    resources: first.resources,
    findings: first.findings,
  };
} else {
  throw new Error(`usage: corpus-worker.js parse|lint|alternate <dir> [rounds]`);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
