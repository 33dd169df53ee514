import type { Severity } from '../model/types.js';
import { isActive, type LintResult } from './types.js';

/** GitLab's scale is info, minor, major, critical, blocker: an error blocks the run, as `major` does a merge. */
const LEVEL: Record<Severity, 'major' | 'minor' | 'info'> = { error: 'major', warning: 'minor', note: 'info' };

/**
 * GitLab Code Quality JSON (`artifacts: reports: codequality`), the subset of the Code Climate issue format GitLab
 * reads: description, check_name, fingerprint (unique per finding, stable across line moves), severity, location with
 * path and lines. Suppressed and baselined findings are left out.
 */
export function formatGitlab(result: LintResult): string {
  const family = new Map(result.rules.map((r) => [r.id, r.meta.family]));
  const issues = result.findings.filter(isActive).map((f) => ({
    type: 'issue',
    check_name: f.ruleId,
    description: f.message,
    categories: [family.get(f.ruleId) === 'security' ? 'Security' : 'Bug Risk'],
    fingerprint: f.fingerprint,
    severity: LEVEL[f.severity],
    location:
      f.cluster !== undefined
        ? { path: f.file, lines: { begin: 1 } }
        : {
            path: f.file,
            lines: { begin: f.range.startLine, end: f.range.endLine },
            positions: {
              begin: { line: f.range.startLine, column: f.range.startColumn },
              end: { line: f.range.endLine, column: f.range.endColumn },
            },
          },
  }));
  return JSON.stringify(issues, null, 2) + '\n';
}
