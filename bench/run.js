#!/usr/bin/env node
// shipshape benchmark: `npm run bench` (full, a few minutes) or `npm run bench -- --smoke` (CI: small, no targets).
//
// Every figure is the median of several runs after a warm-up, with min and max. Each run is its own process, so
// that peak RSS is that run's own (read by bench/lib/probe.mjs at exit). Prints a table and writes
// bench/results/latest.json. Needs a built dist/ (npm ci runs the build). See bench/README.md for the method.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { generate } from './generate.js';
import { mb, median, ms, range, round, summary } from './lib/stats.js';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH, '..');
const WORK = path.join(BENCH, '.work');
const CLI = path.join(ROOT, 'dist/cli.js');
const PROBE = path.join(BENCH, 'lib/probe.mjs');
const WORKER = path.join(BENCH, 'lib/corpus-worker.js');
const CORPUS = path.resolve(ROOT, '../shared/corpus');
const DCLINT = path.join(ROOT, 'node_modules/dclint/bin/dclint.cjs');

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const runsArg = args.find((a) => a.startsWith('--runs='));
const RUNS = runsArg ? Number(runsArg.slice('--runs='.length)) : smoke ? 1 : 5;
const WARMUP = smoke ? 0 : 1;
const STARTUP_RUNS = smoke ? 3 : 20;
const SIZES = smoke ? [100, 1000] : [1000, 10000];

/** The start-up input: what a pre-commit hook passes for one changed manifest. */
const ONE_FILE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: registry.example.com/shop/web:1.4.2
          ports:
            - name: http
              containerPort: 8080
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 256Mi
          readinessProbe:
            httpGet:
              path: /ready
              port: http
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            failureThreshold: 6
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: http
`;

if (!existsSync(CLI)) {
  process.stderr.write('bench: dist/cli.js is missing: run npm run build first\n');
  process.exit(2);
}
mkdirSync(WORK, { recursive: true });

/** Run a process to its end: wall time, and what the probe saw (peak RSS, CPU) when `probe` is set. */
function runProcess(argv, { probe = true, cwd = ROOT, okCodes = [0, 1] } = {}) {
  const probeFile = path.join(WORK, `probe-${process.pid}.jsonl`);
  rmSync(probeFile, { force: true });
  const nodeArgs = probe ? ['--import', PROBE, ...argv] : argv;
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const child = spawn(process.execPath, nodeArgs, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', ...(probe ? { SHIPSHAPE_BENCH_PROBE: probeFile } : {}) },
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - t) / 1e6;
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (!okCodes.includes(code ?? -1)) {
        reject(
          new Error(
            `${argv.map((a) => path.relative(ROOT, a) || a).join(' ')} exited ${code}: ${stderr.slice(0, 2000)}`,
          ),
        );
        return;
      }
      let probed = {};
      if (probe && existsSync(probeFile)) probed = JSON.parse(readFileSync(probeFile, 'utf8').trim().split('\n').pop());
      resolve({ wallMs, code, stdout, stderr, ...probed });
    });
  });
}

/** Warm-up runs, then `runs` rounds; each round runs every variant once, in an order that rotates. */
async function rounds(variants, runs = RUNS, warmup = WARMUP) {
  const results = variants.map(() => []);
  for (let i = 0; i < warmup + runs; i++) {
    for (let k = 0; k < variants.length; k++) {
      const j = (i + k) % variants.length;
      const r = await variants[j]();
      if (i >= warmup) results[j].push(r);
    }
  }
  return results;
}

const log = (s) => process.stderr.write(`${s}\n`);
const results = {
  meta: {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '',
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    loadAverageBefore: os.loadavg().map((x) => round(x, 2)),
    smoke,
    runs: RUNS,
    warmup: WARMUP,
  },
};
const targets = [];
const target = (name, value, limit, ok, shown) => targets.push({ name, value, limit, ok, shown });
const want = (name) => !only || only.includes(name);

// ---------------------------------------------------------------- corpus: lint vs parse-only
if (want('corpus')) {
  // The smoke run uses the Swarm half of the corpus (195 files) to stay short.
  const dir = smoke ? path.join(CORPUS, 'swarm') : CORPUS;
  if (!existsSync(dir)) throw new Error(`${dir} is missing (../shared/corpus beside the repository)`);
  log(`corpus: ${path.relative(ROOT, dir)}, cold processes…`);
  const worker = (mode) => async () => {
    const r = await runProcess([WORKER, mode, dir], { okCodes: [0] });
    return { ...JSON.parse(r.stdout), wallMs: r.wallMs, maxRssKb: r.maxRssKb };
  };
  const [parse, fast, lint] = await rounds([worker('parse'), worker('parse-fast'), worker('lint')]);
  log('corpus: parse and lint alternating in one process…');
  const same = JSON.parse(
    (await runProcess([WORKER, 'alternate', dir, String(Math.max(RUNS, 1))], { okCodes: [0] })).stdout,
  );
  const ratios = same.lint.map((l, i) => l / same.parse[i]);
  const fastRatios = same.lint.map((l, i) => l / same.fast[i]);
  const l0 = lint[0];
  const corpus = {
    dir: path.relative(ROOT, dir),
    files: l0.files,
    parsedFiles: parse[0].files,
    documents: parse[0].docs,
    resources: l0.resources,
    findings: l0.findings,
    internalErrors: l0.internalErrors,
    parseMs: summary(parse.map((r) => r.ms)),
    lintMs: summary(lint.map((r) => r.ms)),
    parseProcessMs: summary(parse.map((r) => r.wallMs)),
    lintProcessMs: summary(lint.map((r) => r.wallMs)),
    parseRssKb: summary(parse.map((r) => r.maxRssKb)),
    lintRssKb: summary(lint.map((r) => r.maxRssKb)),
    parseCpuMs: summary(parse.map((r) => r.cpuMs)),
    lintCpuMs: summary(lint.map((r) => r.cpuMs)),
    fastMs: summary(fast.map((r) => r.ms)),
    fastCpuMs: summary(fast.map((r) => r.cpuMs)),
    fastRssKb: summary(fast.map((r) => r.maxRssKb)),
    fastColdRatio: summary(lint.map((r, i) => r.ms / fast[i].ms)),
    cpuRatio: summary(lint.map((r, i) => r.cpuMs / parse[i].cpuMs)),
    coldRatio: summary(lint.map((r, i) => r.ms / parse[i].ms)),
    sameProcess: {
      parseMs: summary(same.parse),
      lintMs: summary(same.lint),
      ratio: summary(ratios),
      parseCpuMs: summary(same.parseCpu),
      lintCpuMs: summary(same.lintCpu),
      cpuRatio: summary(same.lintCpu.map((l, i) => l / same.parseCpu[i])),
      fastMs: summary(same.fast),
      fastRatio: summary(fastRatios),
    },
  };
  corpus.filesPerSecond = round(corpus.files / (corpus.lintMs.median / 1000), 0);
  corpus.resourcesPerSecond = round(corpus.resources / (corpus.lintMs.median / 1000), 0);
  results.corpus = corpus;
  target(
    'corpus lint / parse-only, same process',
    corpus.sameProcess.ratio.median,
    1.5,
    corpus.sameProcess.ratio.median <= 1.5,
    `${corpus.sameProcess.ratio.median.toFixed(2)}× (≤ 1.5×)`,
  );
  target(
    'corpus lint / parse-only, one run per process',
    corpus.coldRatio.median,
    1.5,
    corpus.coldRatio.median <= 1.5,
    `${corpus.coldRatio.median.toFixed(2)}× (≤ 1.5×)`,
  );
}

// ---------------------------------------------------------------- scale: synthetic trees through the CLI
if (want('scale')) {
  const trees = SIZES.map((n) => {
    const out = path.join(WORK, `gen-${n}`);
    const t = performance.now();
    const s = generate({ resources: n, out, seed: 42 });
    log(
      `scale: generated ${n} resources (${s.files} files, ${(s.bytes / 1e6).toFixed(1)} MB) in ${ms(performance.now() - t)}`,
    );
    return { n, out, summary: s };
  });
  // --no-render: the generated tree has ~100 kustomizations; building them is measured on its own (render, below),
  // so these figures stay the cost of checking, comparable with earlier runs.
  const cli = (tree) => () => runProcess([CLI, tree.out, '--format', 'json', '--no-render'], { cwd: WORK });
  // The floor for each tree: the same parse-only pass as for the corpus, in a process of its own.
  const parseOnly = (tree) => async () =>
    JSON.parse((await runProcess([WORKER, 'parse', tree.out], { okCodes: [0] })).stdout);
  const fastOnly = (tree) => async () =>
    JSON.parse((await runProcess([WORKER, 'parse-fast', tree.out], { okCodes: [0] })).stdout);
  log('scale: CLI runs, and parse-only (yaml, and the fast path) for the floors…');
  const all = await rounds([...trees.map(cli), ...trees.map(parseOnly), ...trees.map(fastOnly)]);
  const runs = all.slice(0, trees.length);
  const floors = all.slice(trees.length, 2 * trees.length);
  const fastFloors = all.slice(2 * trees.length);
  results.scale = trees.map((tree, i) => {
    const first = JSON.parse(runs[i][0].stdout);
    return {
      resources: tree.n,
      files: tree.summary.files,
      bytes: tree.summary.bytes,
      kinds: tree.summary.kinds,
      antiPatterns: tree.summary.antiPatterns,
      findings: first.findings?.length,
      wallMs: summary(runs[i].map((r) => r.wallMs)),
      cpuMs: summary(runs[i].map((r) => r.cpuMs)),
      rssKb: summary(runs[i].map((r) => r.maxRssKb)),
      parseOnlyMs: summary(floors[i].map((r) => r.ms)),
      fastParseMs: summary(fastFloors[i].map((r) => r.ms)),
    };
  });
  const [small, big] = results.scale;
  const ratio = big.wallMs.median / small.wallMs.median;
  results.scaleRatio = round(ratio, 2);
  results.scaleCpuRatio = round(big.cpuMs.median / small.cpuMs.median, 2);
  if (!smoke) {
    target(
      '10,000 resources wall',
      big.wallMs.median,
      3000,
      big.wallMs.median < 3000,
      `${ms(big.wallMs.median)} (< 3 s)`,
    );
    target(
      '10,000 resources peak RSS',
      big.rssKb.median,
      400 * 1024,
      big.rssKb.median < 400 * 1024,
      `${mb(big.rssKb.median)} (< 400 MB)`,
    );
  }
  target(`${big.resources}/${small.resources} time ratio`, ratio, 11, ratio <= 11, `${ratio.toFixed(2)} (≤ 11)`);
}

// ---------------------------------------------------------------- large inputs: 50k and 100k resources, one 50k-document file
// Not in the smoke run (minutes, and over 1 GB before issue #19). 3 alternating rounds, no warm-up: a 100k run is
// long enough to warm itself up.
if (want('large') && !smoke) {
  const LARGE_RUNS = Math.min(RUNS, 3);
  const gen = (n, layout = 'tree') => {
    const out = path.join(WORK, layout === 'tree' ? `gen-${n}` : `gen-${n}-${layout}`);
    const t = performance.now();
    const s = generate({ resources: n, out, seed: 42, layout });
    log(
      `large: generated ${n} (${layout}, ${s.files} files, ${(s.bytes / 1e6).toFixed(1)} MB) in ${ms(performance.now() - t)}`,
    );
    return { n, out, layout, summary: s };
  };
  const trees = [gen(10000), gen(50000), gen(100000)];
  const oneFile = gen(50000, 'one-file');
  const spread = gen(50000, 'kubernetes');
  const cli =
    (tree, extra = []) =>
    () =>
      runProcess([...extra, CLI, tree.out, '--format', 'json', '--no-render'], { cwd: WORK });
  log(`large: 10k, 50k, 100k, the 50k-document file and the same documents over files, ${LARGE_RUNS} rounds…`);
  const all = await rounds([...trees.map((t) => cli(t)), cli(oneFile), cli(spread)], LARGE_RUNS, 0);
  const fig = (tree, runs) => ({
    resources: tree.n,
    layout: tree.layout,
    files: tree.summary.files,
    bytes: tree.summary.bytes,
    findings: JSON.parse(runs[0].stdout).findings?.length,
    wallMs: summary(runs.map((r) => r.wallMs)),
    cpuMs: summary(runs.map((r) => r.cpuMs)),
    rssKb: summary(runs.map((r) => r.maxRssKb)),
  });
  const large = {
    trees: trees.map((t, i) => fig(t, all[i])),
    oneFile: fig(oneFile, all[3]),
    spread: fig(spread, all[4]),
  };
  log('large: 100k with --max-old-space-size=1024…');
  let capped;
  try {
    const r = await runProcess(['--max-old-space-size=1024', CLI, trees[2].out, '--format', 'json', '--no-render'], {
      cwd: WORK,
    });
    capped = { ok: true, wallMs: r.wallMs, rssKb: r.maxRssKb, code: r.code };
  } catch (err) {
    capped = { ok: false, error: String(err.message).split('\n')[0].slice(0, 300) };
  }
  large.capped1024 = capped;
  const [t10, , t100] = large.trees;
  large.ratio = round(t100.wallMs.median / t10.wallMs.median, 2);
  large.cpuRatio = round(t100.cpuMs.median / t10.cpuMs.median, 2);
  large.oneFileTimeRatio = round(large.oneFile.wallMs.median / large.spread.wallMs.median, 2);
  large.oneFileCpuRatio = round(large.oneFile.cpuMs.median / large.spread.cpuMs.median, 2);
  large.oneFileRssRatio = round(large.oneFile.rssKb.median / large.spread.rssKb.median, 2);
  results.large = large;
  target('100,000/10,000 time ratio', large.ratio, 11, large.ratio <= 11, `${large.ratio.toFixed(2)} (≤ 11)`);
  target(
    '100,000 resources peak RSS',
    t100.rssKb.median,
    1024 * 1024,
    t100.rssKb.median < 1024 * 1024,
    `${mb(t100.rssKb.median)} (< 1 GB)`,
  );
  target(
    '100,000 resources with --max-old-space-size=1024',
    capped.ok ? 1 : 0,
    1,
    capped.ok,
    capped.ok ? `passes, ${ms(capped.wallMs)}, peak RSS ${mb(capped.rssKb)}` : `fails: ${capped.error}`,
  );
  target(
    '50,000-document file / same documents over files, time',
    large.oneFileTimeRatio,
    2,
    large.oneFileTimeRatio < 2,
    `${large.oneFileTimeRatio.toFixed(2)}× wall, ${large.oneFileCpuRatio.toFixed(2)}× CPU (< 2×)`,
  );
  target(
    '50,000-document file / same documents over files, memory',
    large.oneFileRssRatio,
    2,
    large.oneFileRssRatio < 2,
    `${large.oneFileRssRatio.toFixed(2)}× peak RSS (< 2×)`,
  );
}

// ---------------------------------------------------------------- start-up: one small file
if (want('startup')) {
  const one = path.join(WORK, 'one.yaml');
  writeFileSync(one, ONE_FILE);
  log(`startup: ${STARTUP_RUNS} runs each…`);
  // Wall time as a user sees it (nothing preloaded); CPU time from the same runs with the probe preloaded, which
  // costs both sides ~20 ms of wall time.
  const [bare, cli, bareProbed, cliProbed] = await rounds(
    [
      () => runProcess(['-e', '0'], { probe: false, okCodes: [0] }),
      () => runProcess([CLI, one], { probe: false }),
      () => runProcess(['-e', '0'], { okCodes: [0] }),
      () => runProcess([CLI, one]),
    ],
    STARTUP_RUNS,
    smoke ? 0 : 2,
  );
  const bareMs = summary(bare.map((r) => r.wallMs));
  const cliMs = summary(cli.map((r) => r.wallMs));
  results.startup = {
    file: 'bench/.work/one.yaml (a Deployment and a Service)',
    nodeMs: bareMs,
    cliMs,
    overheadMs: round(cliMs.median - bareMs.median, 1),
    nodeCpuMs: summary(bareProbed.map((r) => r.cpuMs)),
    cliCpuMs: summary(cliProbed.map((r) => r.cpuMs)),
    cliRssKb: summary(cliProbed.map((r) => r.maxRssKb)),
  };
  target('one small file, end to end', cliMs.median, 150, cliMs.median < 150, `${ms(cliMs.median)} (< 150 ms)`);
  target(
    'one small file, above bare node',
    cliMs.median - bareMs.median,
    60,
    cliMs.median - bareMs.median <= 60,
    `${ms(cliMs.median - bareMs.median)} (≤ 60 ms; issue #19)`,
  );
}

// ---------------------------------------------------------------- compose peer: dclint on the same files
if (want('compose')) {
  if (!existsSync(DCLINT)) {
    log('compose: dclint is not installed (npm ci installs it as a devDependency); skipped');
  } else {
    let files = composeFiles(path.join(CORPUS, 'swarm'));
    if (smoke) files = files.slice(0, 10);
    log(`compose: ${files.length} Compose files, dclint and shipshape alternately…`);
    const rel = files.map((f) => path.relative(CORPUS, f));
    const run = (argv) => () => runProcess(argv, { cwd: CORPUS });
    // Both with their default rules and default output; neither may fix or skip anything.
    const [dclint, shipshape] = await rounds([run([DCLINT, ...rel]), run([CLI, ...rel])]);
    // dclint exits before a large report written to a pipe is flushed: have it write a file.
    const report = path.join(WORK, 'dclint-report.json');
    await runProcess([DCLINT, '--formatter', 'json', '--output-file', report, ...rel], { cwd: CORPUS, probe: false });
    const shipJson = await runProcess([CLI, '--format', 'json', ...rel], { cwd: CORPUS, probe: false });
    const dclintProblems = countDclint(existsSync(report) ? readFileSync(report, 'utf8') : '');
    const shipFindings = JSON.parse(shipJson.stdout).findings ?? [];
    const d = summary(dclint.map((r) => r.wallMs));
    const s = summary(shipshape.map((r) => r.wallMs));
    results.compose = {
      files: files.length,
      dclintMs: d,
      shipshapeMs: s,
      dclintRssKb: summary(dclint.map((r) => r.maxRssKb)),
      shipshapeRssKb: summary(shipshape.map((r) => r.maxRssKb)),
      dclintCpuMs: summary(dclint.map((r) => r.cpuMs)),
      shipshapeCpuMs: summary(shipshape.map((r) => r.cpuMs)),
      ratio: round(d.median / s.median, 2),
      cpuRatio: round(median(dclint.map((r) => r.cpuMs)) / median(shipshape.map((r) => r.cpuMs)), 2),
      dclint: dclintProblems,
      shipshape: { findings: shipFindings.length, rules: new Set(shipFindings.map((f) => f.ruleId)).size },
    };
    target(
      'faster than dclint',
      d.median / s.median,
      3,
      d.median / s.median >= 3,
      `${(d.median / s.median).toFixed(1)}× (≥ 3×)`,
    );
  }
}

// ---------------------------------------------------------------- render: kustomize overlays, built in parallel
if (want('render')) {
  const kubectl = whichSync('kubectl');
  if (!kubectl) {
    log('render: kubectl is not on PATH; skipped');
  } else {
    const overlays = smoke ? 4 : 24;
    const tree = path.join(WORK, `overlays-${overlays}`);
    writeOverlayTree(tree, overlays);
    log(
      `render: ${overlays} overlays, shipshape (builds them itself) and a shell loop of kubectl kustomize, alternately…`,
    );
    // The loop is what a user would otherwise run: one build after another, output discarded, nothing checked.
    const loop = `for d in overlays/*/; do kubectl kustomize "$d" > /dev/null || exit 1; done`;
    const [ship, sh] = await rounds([
      () => runProcess([CLI, '--format', 'json', '.'], { cwd: tree }),
      () => runShell(loop, tree),
    ]);
    const s = summary(ship.map((r) => r.wallMs));
    const l = summary(sh.map((r) => r.wallMs));
    results.render = {
      overlays,
      shipshapeMs: s,
      loopMs: l,
      ratio: round(s.median / l.median, 2),
      cpus: os.cpus().length,
    };
    target(
      `render ${overlays} overlays / kubectl kustomize loop`,
      s.median / l.median,
      0.8,
      s.median / l.median <= 0.8,
      `${(s.median / l.median).toFixed(2)}× (≤ 0.8×)`,
    );
  }
}

results.meta.loadAverageAfter = os.loadavg().map((x) => round(x, 2));
results.targets = targets;
mkdirSync(path.join(BENCH, 'results'), { recursive: true });
const outFile = path.join(BENCH, 'results', smoke ? 'smoke.json' : 'latest.json');
writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(table(results));
process.stdout.write(`\nwritten to ${path.relative(process.cwd(), outFile)}\n`);

// ---------------------------------------------------------------- helpers

/** Files under `dir` that hold a Compose file: a top-level `services` mapping whose services have an image or a build. */
function composeFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (/\.ya?ml$/i.test(e.name)) {
        try {
          const docs = parseAllDocuments(readFileSync(abs, 'utf8'));
          const v =
            Array.isArray(docs) && docs.length === 1 && docs[0].errors.length === 0 ? docs[0].toJS() : undefined;
          const services =
            v && typeof v === 'object' && v.services && typeof v.services === 'object' && !Array.isArray(v.services)
              ? Object.values(v.services)
              : [];
          if (services.some((svc) => svc && typeof svc === 'object' && ('image' in svc || 'build' in svc)))
            out.push(abs);
        } catch {
          // not YAML that either tool could read
        }
      }
    }
  };
  walk(dir);
  return out;
}

function countDclint(stdout) {
  try {
    const reports = JSON.parse(stdout);
    const messages = reports.flatMap((r) => r.messages ?? []);
    return { problems: messages.length, rules: new Set(messages.map((m) => m.rule)).size };
  } catch {
    return { problems: undefined, rules: undefined };
  }
}

function table(r) {
  const rows = [];
  const row = (name, value, spread = '', note = '') => rows.push([name, value, spread, note]);
  const { meta } = r;
  const head = `shipshape bench${meta.smoke ? ' (smoke: small sizes, no targets)' : ''}: ${meta.node}, ${meta.cpus} CPUs, load ${meta.loadAverageBefore[0]} → ${meta.loadAverageAfter[0]}; median of ${meta.runs} run(s) after ${meta.warmup} warm-up (min – max)\n\n`;
  if (r.corpus) {
    const c = r.corpus;
    row(`corpus (${c.files} files, ${c.resources} resources)`, '', '', '');
    row(
      '  parse-only: read + parseAllDocuments',
      ms(c.parseMs.median),
      range(c.parseMs),
      `CPU ${ms(c.parseCpuMs.median)}, peak RSS ${mb(c.parseRssKb.median)}`,
    );
    row(
      '  lint (schema validation on)',
      ms(c.lintMs.median),
      range(c.lintMs),
      `CPU ${ms(c.lintCpuMs.median)}, peak RSS ${mb(c.lintRssKb.median)}`,
    );
    row(
      '  lint / parse-only, same process',
      `${c.sameProcess.ratio.median.toFixed(2)}×`,
      range(c.sameProcess.ratio, (x) => `${x.toFixed(2)}×`),
      `CPU ${c.sameProcess.cpuRatio.median.toFixed(2)}×; parse ${ms(c.sameProcess.parseMs.median)}, lint ${ms(c.sameProcess.lintMs.median)}`,
    );
    row(
      '  lint / parse-only, one run per process',
      `${c.coldRatio.median.toFixed(2)}×`,
      range(c.coldRatio, (x) => `${x.toFixed(2)}×`),
      `CPU ${c.cpuRatio.median.toFixed(2)}×`,
    );
    row(
      '  fast-path parse: read + js-yaml values',
      ms(c.fastMs.median),
      range(c.fastMs),
      `CPU ${ms(c.fastCpuMs.median)}, peak RSS ${mb(c.fastRssKb.median)} (yaml for the files the fast path leaves to it)`,
    );
    row(
      '  lint / fast-path parse, same process',
      `${c.sameProcess.fastRatio.median.toFixed(2)}×`,
      range(c.sameProcess.fastRatio, (x) => `${x.toFixed(2)}×`),
      `fast parse ${ms(c.sameProcess.fastMs.median)}`,
    );
    row(
      '  lint / fast-path parse, one run per process',
      `${c.fastColdRatio.median.toFixed(2)}×`,
      range(c.fastColdRatio, (x) => `${x.toFixed(2)}×`),
      '',
    );
    row('  lint throughput', `${c.filesPerSecond} files/s`, '', `${c.resourcesPerSecond} resources/s`);
    row('  lint process, start to exit', ms(c.lintProcessMs.median), range(c.lintProcessMs), `${c.findings} findings`);
  }
  if (r.scale) {
    for (const s of r.scale) {
      row(
        `scale ${s.resources} resources (${s.files} files), CLI`,
        ms(s.wallMs.median),
        range(s.wallMs),
        `CPU ${ms(s.cpuMs.median)}, peak RSS ${mb(s.rssKb.median)}, ${s.findings} findings`,
      );
      row(
        `  parse-only of the same tree`,
        ms(s.parseOnlyMs.median),
        range(s.parseOnlyMs),
        `CLI / parse-only ${(s.wallMs.median / s.parseOnlyMs.median).toFixed(2)}×`,
      );
      row(
        `  fast-path parse of the same tree`,
        ms(s.fastParseMs.median),
        range(s.fastParseMs),
        `CLI / fast-path parse ${(s.wallMs.median / s.fastParseMs.median).toFixed(2)}×`,
      );
    }
    row(
      `  ${r.scale[1].resources}/${r.scale[0].resources} time ratio`,
      r.scaleRatio.toFixed(2),
      '',
      `CPU ${r.scaleCpuRatio.toFixed(2)}`,
    );
  }
  if (r.large) {
    const x = r.large;
    for (const t of [...x.trees, x.oneFile, x.spread]) {
      const what =
        t.layout === 'one-file'
          ? `large: one file of ${t.resources} documents (${mb(t.bytes / 1024)})`
          : t.layout === 'kubernetes'
            ? `large: the same ${t.resources} documents in ${t.files} files`
            : `large: ${t.resources} resources (${t.files} files), CLI`;
      row(
        what,
        ms(t.wallMs.median),
        range(t.wallMs),
        `CPU ${ms(t.cpuMs.median)}, peak RSS ${mb(t.rssKb.median)}, ${t.findings} findings`,
      );
    }
    row('  100000/10000 time ratio', x.ratio.toFixed(2), '', `CPU ${x.cpuRatio.toFixed(2)}`);
    row(
      '  one file / over files',
      `${x.oneFileTimeRatio.toFixed(2)}×`,
      '',
      `CPU ${x.oneFileCpuRatio.toFixed(2)}×, peak RSS ${x.oneFileRssRatio.toFixed(2)}×`,
    );
    row(
      '  100000 with --max-old-space-size=1024',
      x.capped1024.ok ? ms(x.capped1024.wallMs) : 'fails',
      '',
      x.capped1024.ok ? `peak RSS ${mb(x.capped1024.rssKb)}` : x.capped1024.error,
    );
  }
  if (r.startup) {
    row(
      'start-up: node -e 0',
      ms(r.startup.nodeMs.median),
      range(r.startup.nodeMs),
      `CPU ${ms(r.startup.nodeCpuMs.median)}`,
    );
    row(
      'start-up: node dist/cli.js one.yaml',
      ms(r.startup.cliMs.median),
      range(r.startup.cliMs),
      `CPU ${ms(r.startup.cliCpuMs.median)}; +${ms(r.startup.overheadMs)} wall over bare node`,
    );
  }
  if (r.render) {
    const x = r.render;
    row(
      `render ${x.overlays} kustomize overlays: shipshape`,
      ms(x.shipshapeMs.median),
      range(x.shipshapeMs),
      `whole run: builds (parallel on ${x.cpus} cores), checks, JSON`,
    );
    row(
      '  shell loop of kubectl kustomize',
      ms(x.loopMs.median),
      range(x.loopMs),
      `shipshape / loop ${x.ratio.toFixed(2)}×`,
    );
  }
  if (r.compose) {
    const c = r.compose;
    row(
      `compose peer (${c.files} files): dclint`,
      ms(c.dclintMs.median),
      range(c.dclintMs),
      `CPU ${ms(c.dclintCpuMs.median)}, peak RSS ${mb(c.dclintRssKb.median)}, ${c.dclint.problems ?? '?'} problems from ${c.dclint.rules ?? '?'} rules`,
    );
    row(
      '  shipshape',
      ms(c.shipshapeMs.median),
      range(c.shipshapeMs),
      `CPU ${ms(c.shipshapeCpuMs.median)}, peak RSS ${mb(c.shipshapeRssKb.median)}, ${c.shipshape.findings} findings from ${c.shipshape.rules} rules`,
    );
    row('  dclint / shipshape', `${c.ratio.toFixed(1)}×`, '', `CPU ${c.cpuRatio.toFixed(1)}×`);
  }
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((x) => x[i].length)));
  let text =
    head +
    rows
      .map((x) =>
        `${x[0].padEnd(widths[0])}  ${x[1].padStart(widths[1])}  ${x[2].padEnd(widths[2])}  ${x[3]}`.trimEnd(),
      )
      .join('\n') +
    '\n';
  if (r.targets.length) {
    text += `\ntargets${r.meta.smoke ? ' (smoke run: shown, not judged)' : ''}\n`;
    for (const t of r.targets) text += `  ${r.meta.smoke ? '·' : t.ok ? '✓' : '✗'} ${t.name}: ${t.shown}\n`;
  }
  return text;
}

function whichSync(cmd) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter))
    if (dir && existsSync(path.join(dir, cmd))) return path.join(dir, cmd);
  return undefined;
}

/** A base (Deployment, Service, PDB) and `n` overlays, each with its namespace and a replicas patch. */
function writeOverlayTree(dir, n) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'base'), { recursive: true });
  writeFileSync(
    path.join(dir, 'base/kustomization.yaml'),
    'resources:\n  - deployment.yaml\n  - service.yaml\n  - pdb.yaml\n',
  );
  writeFileSync(
    path.join(dir, 'base/deployment.yaml'),
    ONE_FILE.split('\n---')[0].replace('  namespace: shop\n', '') + '\n',
  );
  writeFileSync(
    path.join(dir, 'base/service.yaml'),
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: http\n',
  );
  writeFileSync(
    path.join(dir, 'base/pdb.yaml'),
    'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: web\n',
  );
  for (let i = 0; i < n; i++) {
    const o = path.join(dir, 'overlays', `env-${String(i).padStart(2, '0')}`);
    mkdirSync(o, { recursive: true });
    writeFileSync(
      path.join(o, 'kustomization.yaml'),
      `namespace: env-${i}\nresources:\n  - ../../base\npatches:\n  - path: replicas.yaml\n`,
    );
    writeFileSync(
      path.join(o, 'replicas.yaml'),
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: ${2 + (i % 3)}\n`,
    );
  }
}

function runShell(script, cwd) {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) =>
      code === 0
        ? resolve({ wallMs: Number(process.hrtime.bigint() - started) / 1e6 })
        : reject(new Error(`shell loop failed: ${err}`)),
    );
  });
}
