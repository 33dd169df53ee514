import type { Severity } from '../model/types.js';
import { isActive, type LintResult } from './types.js';
import { xmlAttr } from './xml.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'info'> = { error: 'error', warning: 'warning', note: 'info' };

/**
 * Checkstyle XML (Jenkins warnings-ng, reviewdog `-f=checkstyle`, Sonar): one `<file>` per file with findings, one
 * `<error>` per finding, `source` = `shipshape.<rule-id>`. Suppressed and baselined findings are left out.
 */
export function formatCheckstyle(result: LintResult): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<checkstyle version="4.3">'];
  let file: string | undefined;
  for (const f of result.findings.filter(isActive)) {
    if (f.file !== file) {
      if (file !== undefined) out.push('  </file>');
      file = f.file;
      out.push(`  <file name="${xmlAttr(f.file)}">`);
    }
    // An object read from a cluster has no lines: line 0 is Checkstyle's "the file as a whole".
    const pos = f.cluster !== undefined ? 'line="0"' : `line="${f.range.startLine}" column="${f.range.startColumn}"`;
    out.push(
      `    <error ${pos} severity="${LEVEL[f.severity]}" message="${xmlAttr(f.message)}" source="shipshape.${xmlAttr(f.ruleId)}"/>`,
    );
  }
  if (file !== undefined) out.push('  </file>');
  out.push('</checkstyle>');
  return out.join('\n') + '\n';
}
