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
}

export interface Counts {
  error: number;
  warning: number;
  note: number;
  suppressed: number;
}

export function countFindings(findings: readonly Finding[]): Counts {
  const c: Counts = { error: 0, warning: 0, note: 0, suppressed: 0 };
  for (const f of findings) {
    if (f.suppressed) c.suppressed++;
    else c[f.severity]++;
  }
  return c;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export type { Finding, Severity };
