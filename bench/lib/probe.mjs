// Preloaded with `node --import` into every process the benchmark times: at exit, writes what only the process
// itself knows (peak RSS, CPU time) as one JSON line to the file named by SHIPSHAPE_BENCH_PROBE.
import { appendFileSync } from 'node:fs';

const out = process.env.SHIPSHAPE_BENCH_PROBE;
if (out) {
  process.on('exit', (code) => {
    const u = process.resourceUsage();
    const line = {
      maxRssKb: u.maxRSS,
      cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000,
      uptimeMs: process.uptime() * 1000,
      code,
    };
    appendFileSync(out, `${JSON.stringify(line)}\n`);
  });
}
