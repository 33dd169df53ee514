import { escapeControl } from '../model/redact.js';
import type { AnyRule } from '../engine/rule.js';
import type { RuleSetting } from '../engine/run.js';
import type { Finding, Severity } from '../model/types.js';

/** Everything a reporter needs: pure data, no I/O. */
export interface LintResult {
  findings: Finding[];
  /** Number of files read and of resources (objects, stacks) found in them. */
  files: number;
  resources: number;
  rules: readonly AnyRule[];
  settings: ReadonlyMap<string, RuleSetting>;
  /** Non-fatal problems with the input itself (unreadable files, dangling links). */
  warnings: string[];
  /** Set when the objects were read from a live cluster: which context and namespaces (`shipshape cluster`). */
  cluster?: string;
  /** Absolute paths: SARIF URIs are relative to the repository root, whatever the working directory. */
  repositoryRoot?: string;
  cwd?: string;
  /** Set with `--new-since REF`: findings are marked new/unchanged, and those of REF that are gone are `fixed`. */
  change?: { ref: string; commit: string; fixed: Finding[] };
  /**
   * Set by `--fix`: the fixes it made, in order, each with its finding as it was when the fix was made. The fixes of
   * one `batch` were made together against the same text of their file; `files` are the files that batch wrote (the
   * finding's, or a new file beside a kustomization and the kustomization).
   */
  applied?: { batch: number; files: string[]; finding: Finding }[];
}

export interface Counts {
  error: number;
  warning: number;
  note: number;
  suppressed: number;
  /** In the baseline (`--baseline`): known, not counted (always set by countFindings). */
  baselined?: number;
}

/** A finding that counts: not suppressed, and not already in the baseline. */
export function isActive(f: Finding): boolean {
  return !f.suppressed && f.baselineState !== 'unchanged';
}

export function countFindings(findings: readonly Finding[]): Counts {
  const c: Counts = { error: 0, warning: 0, note: 0, suppressed: 0, baselined: 0 };
  for (const f of findings) {
    if (f.suppressed) c.suppressed++;
    else if (f.baselineState === 'unchanged') c.baselined = (c.baselined ?? 0) + 1;
    else c[f.severity]++;
  }
  return c;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export type { Finding, Severity };

/** A message on one line: the line-based formats (text, compact) would otherwise break a finding in two. */
export function oneLine(s: string): string {
  // Control characters (terminal escapes in a file name or value) are shown escaped, never sent raw.
  return escapeControl(s.replace(/[\r\n]+/g, ' '));
}
