#!/usr/bin/env node
// A/B of two or more builds of the CLI on the same input, runs alternating (how every change in bench/README.md was
// measured). Build the variant to compare somewhere under the repository (so that node_modules resolves), then:
//
//   node bench/compare.js --runs 5 bench/.work/gen-10000 dist/cli.js /path/to/other/dist/cli.js
//
// Prints median and min of wall time, CPU time and peak RSS for each.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib/stats.js';

const probe = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lib/probe.mjs');
const args = process.argv.slice(2);
let runs = 5;
if (args[0] === '--runs') {
  runs = Number(args[1]);
  args.splice(0, 2);
}
const [target, ...clis] = args;
if (!target || clis.length < 1) {
  process.stderr.write('usage: node bench/compare.js [--runs N] <input path> <cli.js> [<cli.js>…]\n');
  process.exit(2);
}
const out = path.join(os.tmpdir(), `shipshape-compare-${process.pid}.jsonl`);
const results = clis.map(() => ({ wall: [], cpu: [], rss: [] }));
for (let i = 0; i < runs + 1; i++) {
  const order = clis.map((_, k) => (i + k) % clis.length);
  for (const j of order) {
    rmSync(out, { force: true });
    const t = performance.now();
    const r = spawnSync(process.execPath, ['--import', probe, clis[j], target], {
      stdio: 'ignore',
      env: { ...process.env, SHIPSHAPE_BENCH_PROBE: out },
    });
    const wall = performance.now() - t;
    if (r.status !== 0 && r.status !== 1) throw new Error(`${clis[j]} exited ${r.status}`);
    if (i === 0 || !existsSync(out)) continue; // warm-up
    const p = JSON.parse(readFileSync(out, 'utf8').trim());
    results[j].wall.push(wall);
    results[j].cpu.push(p.cpuMs);
    results[j].rss.push(p.maxRssKb / 1024);
  }
}
rmSync(out, { force: true });
const f = (xs) => `${median(xs).toFixed(0).padStart(7)} (min ${Math.min(...xs).toFixed(0)})`;
process.stdout.write(`${runs} runs each after a warm-up, alternating; load ${os.loadavg()[0].toFixed(2)}\n`);
for (const [j, cli] of clis.entries()) {
  const r = results[j];
  process.stdout.write(`${cli}\n  wall ms ${f(r.wall)}   cpu ms ${f(r.cpu)}   peak RSS MB ${f(r.rss)}\n`);
}
