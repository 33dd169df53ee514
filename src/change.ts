import path from 'node:path';
import { lint, type LintOptions, type LintOutput } from './index.js';
import { extractTree, gitTopLevel, resolveCommit } from './load/git.js';
import type { Finding } from './model/types.js';

/**
 * The change-aware gate (`--new-since REF`): the working tree and the tree at REF are checked with the same config,
 * and findings are matched by what they are about (rule, units, resource identity, path; for findings without an
 * object, rule, file and message), never by line. Findings of the working tree are marked `new` or `unchanged`;
 * those of REF that are gone are the ones the change `fixed`. Only new findings count, wherever they are located:
 * a deleted PodDisruptionBudget shows as a new `pdb-missing` on the Deployment in a file the change did not touch.
 */
export async function lintChange(options: LintOptions, ref: string): Promise<LintOutput> {
  const cwd = options.cwd ?? process.cwd();
  const commit = await resolveCommit(ref, cwd);
  const top = (await gitTopLevel(cwd))!;
  const head = await lint(options);
  const base = await extractTree(commit, cwd);
  try {
    const remap = (p: string): string => path.join(base.dir, path.relative(top, path.resolve(cwd, p)));
    const config = head.config.units ? { ...head.config, units: { ...head.config.units, base: remap(head.config.units.base) } } : head.config;
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
  }
}

/** What a finding is about, without its line: two runs of different trees give the same key for the same problem. */
export function changeKey(f: Finding): string {
  if (!f.resource) return [f.ruleId, f.file, f.message].join('\u0000');
  const r = f.resource;
  return [f.ruleId, (f.units ?? []).join(','), r.kind, r.namespace ?? '', r.name ?? '', f.container ?? '', f.path ?? ''].join('\u0000');
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
