import { isActive, oneLine, type LintResult } from './types.js';

/**
 * One finding per line, `path:line:col: severity: message [rule-id]`: the gcc / ESLint-compact shape that editors and
 * terminals make clickable and `reviewdog -efm="%f:%l:%c: %t%*[^:]: %m"` reads. Objects read from a cluster have no
 * lines: their `kind/namespace/name` stands alone. Suppressed and baselined findings are left out. A finding `--fix`
 * can fix says `(fixable)` after its message.
 */
export function formatCompact(result: LintResult): string {
  const lines = result.findings.filter(isActive).map((f) => {
    const where = f.cluster !== undefined ? f.file : `${f.file}:${f.range.startLine}:${f.range.startColumn}`;
    return `${where}: ${f.severity}: ${oneLine(f.message)}${f.fix ? ' (fixable)' : ''} [${f.ruleId}]`;
  });
  return lines.length ? lines.join('\n') + '\n' : '';
}
