import { execFile } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './fixtures.js';

export const CLI = path.join(ROOT, 'dist/cli.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  /** True when the process had to be killed (a hang past timeoutMs). */
  killed: boolean;
}

export interface RunOptions {
  cwd?: string;
  /** The whole environment of the process (runProcess) or what is set over this process's (runCli). */
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
  timeoutMs?: number;
  /** Run as another user (only possible as root): how "unreadable" is made real when tests run as root. */
  uid?: number;
  gid?: number;
}

/**
 * Run an executable as a separate process with no TTY and a hard time limit (a hang fails the test instead of
 * blocking it), and collect what it printed. `code` is the exit code, -1 when a signal ended the process.
 */
export function runProcess(file: string, args: string[], opts: RunOptions = {}): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      {
        cwd: opts.cwd ?? ROOT,
        env: opts.env ?? { ...process.env, NO_COLOR: '1' },
        maxBuffer: 512 << 20,
        timeout: opts.timeoutMs ?? 120_000,
        killSignal: 'SIGKILL',
        ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
        ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
      },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: number | string; killed?: boolean; signal?: string }) | null;
        resolve({
          code: e ? (typeof e.code === 'number' ? e.code : -1) : 0,
          stdout,
          stderr,
          ms: Date.now() - started,
          killed: !!e?.killed || e?.signal === 'SIGKILL',
        });
      },
    );
    child.stdin?.on('error', () => {}); // a process that exits before reading its input
    child.stdin?.end(opts.input ?? '');
  });
}

/** Run the built CLI (dist/cli.js) as a user would: `opts.env` is set over this process's environment. */
export function runCli(args: string[], opts: RunOptions = {}): Promise<CliRun> {
  return runProcess(process.execPath, [CLI, ...args], { ...opts, env: { ...process.env, NO_COLOR: '1', ...opts.env } });
}
