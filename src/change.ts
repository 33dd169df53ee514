import path from 'node:path';
import { lint, type LintOptions, type LintOutput } from './index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { extractIndex, extractTree, gitTopLevel, hasNoCommit, resolveCommit } from './load/git.js';
import type { Finding } from './model/types.js';

/**
 * The change-aware gate (`--new-since REF`): the working tree and the tree at REF are checked with the same config,
 * and findings are matched by what they are about (rule, units, resource identity, path; for findings without an
 * object, rule, file and message), never by line. Findings of the working tree are marked `new` or `unchanged`;
 * those of REF that are gone are the ones the change `fixed`. Only new findings count, wherever they are located:
 * a deleted PodDisruptionBudget shows as a new `pdb-missing` on the Deployment in a file the change did not touch.
 */
export async function lintChange(
  options: LintOptions,
  ref: string,
  opts: { staged?: boolean } = {},
): Promise<LintOutput> {
  const cwd = options.cwd ?? process.cwd();
  // Before the first commit (pre-commit's --staged on a new repository) everything is new: the base is empty.
  const empty = opts.staged && ref === 'HEAD' && (await hasNoCommit(cwd));
  const commit = empty ? '' : await resolveCommit(ref, cwd);
  const top = (await gitTopLevel(cwd))!;
  const into =
    (dir: string) =>
    (p: string): string =>
      path.join(dir, path.relative(top, path.resolve(cwd, p)));
  // --staged: what the commit records (the index), not the working tree with its unstaged edits and untracked files.
  const staged = opts.staged ? await extractIndex(cwd) : undefined;
  let head: LintOutput;
  try {
    head = staged ? await lintTree(options, into(staged.dir), cwd) : await lint(options);
  } finally {
    staged?.cleanup();
  }
  const base = empty
    ? { dir: mkdtempSync(path.join(os.tmpdir(), 'shipshape-base-')), cleanup: () => undefined }
    : await extractTree(commit, cwd);
  try {
    const remap = into(base.dir);
    const config = head.config.units
      ? { ...head.config, units: { ...head.config.units, base: remap(head.config.units.base) } }
      : head.config;
    const { baseline: _b, configFile: _c, ruleFlags: _r, ...rest } = options;
    const before = await lint({
      ...rest,
      cwd: remap(cwd),
      paths: options.paths.map((p) => (p === '-' || !path.isAbsolute(p) ? p : remap(p))),
      config,
      // A path the change added does not exist before it: that is not an error of the base.
    });
    markChange(head.findings, before.findings);
    head.change = { ref, commit, fixed: before.findings.filter((f) => f.baselineState === 'absent' && !f.suppressed) };
    return head;
  } finally {
    base.cleanup();
    if (empty) rmSync(base.dir, { recursive: true, force: true });
  }
}

/** The same check in a copy of the tree (the staged files): paths shown as in the working tree. */
async function lintTree(options: LintOptions, remap: (p: string) => string, cwd: string): Promise<LintOutput> {
  const { configFile, ...rest } = options;
  return lint({
    ...rest,
    cwd: remap(cwd),
    paths: options.paths.map((p) => (p === '-' || !path.isAbsolute(p) ? p : remap(p))),
    // The config of the working tree, as in the check of the base.
    ...(configFile ? { configFile: path.resolve(cwd, configFile) } : {}),
  });
}

/** What a finding is about, without its line: two runs of different trees give the same key for the same problem. */
export function changeKey(f: Finding): string {
  if (!f.resource) return [f.ruleId, f.file, f.message].join('\u0000');
  const r = f.resource;
  return [
    f.ruleId,
    (f.units ?? []).join(','),
    r.kind,
    r.namespace ?? '',
    r.name ?? '',
    f.container ?? '',
    f.path ?? '',
  ].join('\u0000');
}

/** Marks `now` new/unchanged and `before` unchanged/absent, matching equal keys one to one. */
export function markChange(now: Finding[], before: Finding[]): void {
  const pool = new Map<string, Finding[]>();
  for (const f of before) {
    const k = changeKey(f);
    const list = pool.get(k);
    if (list) list.push(f);
    else pool.set(k, [f]);
    f.baselineState = 'absent';
  }
  for (const f of now) {
    const match = pool.get(changeKey(f))?.shift();
    f.baselineState = match ? 'unchanged' : 'new';
    if (match) match.baselineState = 'unchanged';
  }
}
