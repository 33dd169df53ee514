import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Reading another revision of the repository through `git`, never by writing into the user's work tree: the tree of
 * a commit is extracted (`git archive | tar -x`) into a temporary directory, removed afterwards.
 */
export class GitError extends Error {
  override name = 'GitError';
}

/** A git command in `cwd`: its exit code (127 when it could not run) and output; never throws. */
export function git(
  args: string[],
  cwd: string,
  maxBuffer = 16 << 20,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return run('git', args, cwd, maxBuffer);
}

function run(
  cmd: string,
  args: string[],
  cwd?: string,
  maxBuffer = 16 << 20,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, encoding: 'utf8', maxBuffer }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 127) : 0, stdout, stderr });
    });
  });
}

/** The Git top level of `cwd`, or undefined outside a Git work tree (or without git). */
export async function gitTopLevel(cwd: string): Promise<string | undefined> {
  const r = await git(['rev-parse', '--show-toplevel'], cwd);
  return r.code === 0 ? path.resolve(r.stdout.trim()) : undefined;
}

/** The commit a ref names, or a GitError that says what to do (a shallow clone lacks the base commit). */
export async function resolveCommit(ref: string, cwd: string): Promise<string> {
  if (ref === '' || ref.startsWith('-') || /[\0\n]/.test(ref))
    throw new GitError(`--new-since ${JSON.stringify(ref)}: not a Git revision`);
  const top = await gitTopLevel(cwd);
  if (!top) throw new GitError('--new-since needs a Git repository: the working directory is not in one');
  const r = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd);
  if (r.code !== 0) {
    const shallow = (await git(['rev-parse', '--is-shallow-repository'], cwd)).stdout.trim() === 'true';
    const hint = shallow
      ? ` (this is a shallow clone: fetch the base commit, e.g. \`git fetch --depth=1 origin ${ref}\`, or check out with fetch-depth: 0)`
      : '';
    throw new GitError(`--new-since ${ref}: no such commit in this repository${hint}`);
  }
  return r.stdout.trim();
}

/** The tree of `commit` in a new temporary directory; `cleanup` removes it. */
export async function extractTree(commit: string, cwd: string): Promise<{ dir: string; cleanup: () => void }> {
  // From a subdirectory, git archive would write only that subdirectory's tree.
  const top = (await gitTopLevel(cwd)) ?? cwd;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shipshape-base-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    // Two steps through a file, not a pipe: each exit status is then certain.
    const tar = path.join(dir, '.shipshape-base.tar');
    const archived = await git(['archive', '--format=tar', '-o', tar, commit], top);
    if (archived.code !== 0)
      throw new GitError(
        `cannot read commit ${commit.slice(0, 12)}: ${archived.stderr.trim().split('\n')[0] || 'git archive failed'}`,
      );
    const extracted = await run('tar', ['-x', '-f', tar, '-C', dir]);
    if (extracted.code !== 0)
      throw new GitError(
        `cannot extract commit ${commit.slice(0, 12)}: ${extracted.stderr.trim().split('\n')[0] || 'tar failed'}`,
      );
    rmSync(tar, { force: true });
  } catch (e) {
    cleanup();
    throw e;
  }
  return { dir, cleanup };
}

/** The staged tree (the index) in a new temporary directory, as a commit would record it; `cleanup` removes it. */
export async function extractIndex(cwd: string): Promise<{ dir: string; cleanup: () => void }> {
  const top = await gitTopLevel(cwd);
  if (!top) throw new GitError('--staged needs a Git repository: the working directory is not in one');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shipshape-staged-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  const r = await git(['checkout-index', '--all', `--prefix=${dir}${path.sep}`], top);
  if (r.code !== 0) {
    cleanup();
    throw new GitError(
      `cannot read the staged files: ${r.stderr.trim().split('\n')[0] || 'git checkout-index failed'}`,
    );
  }
  return { dir, cleanup };
}

/** True when the repository has no commit yet (HEAD names nothing): everything staged is new. */
export async function hasNoCommit(cwd: string): Promise<boolean> {
  return (
    (await git(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], cwd)).code !== 0 &&
    (await gitTopLevel(cwd)) !== undefined
  );
}
