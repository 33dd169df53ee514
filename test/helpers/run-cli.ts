import { execFile } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './fixtures.js';

export const CLI = path.join(ROOT, 'dist/cli.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Run the built CLI (or any executable) as a separate process with no TTY, and collect what it printed. */
export function runProcess(
  file: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      {
        cwd: opts.cwd ?? ROOT,
        env: opts.env ?? { ...process.env, NO_COLOR: '1' },
        maxBuffer: 64 << 20,
        timeout: opts.timeoutMs ?? 120_000,
      },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : 1
          : 0;
        resolve({ code, stdout, stderr, ms: Date.now() - started });
      },
    );
    child.stdin?.end(opts.input ?? '');
  });
}

export function runShipshape(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<CliRun> {
  return runProcess(process.execPath, [CLI, ...args], opts);
}
