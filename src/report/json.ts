import { TOOL_NAME, VERSION } from '../version.js';
import { countFindings, type LintResult } from './types.js';

/**
 * The JSON report, shape version 1 (documented in the README; additions only, never a rename):
 * { version, tool: {name, version}, summary: {files, resources, errors, warnings, notes, suppressed},
 *   findings: [{ruleId, severity, message, file, line, column, endLine, endColumn, exact, resource?, container?, path?, fingerprint, suppressed?}],
 *   warnings: [string] }
 */
export function formatJson(result: LintResult): string {
  const c = countFindings(result.findings);
  const doc = {
    version: 1,
    tool: { name: TOOL_NAME, version: VERSION },
    summary: { files: result.files, resources: result.resources, errors: c.error, warnings: c.warning, notes: c.note, suppressed: c.suppressed },
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      file: f.file,
      line: f.range.startLine,
      column: f.range.startColumn,
      endLine: f.range.endLine,
      endColumn: f.range.endColumn,
      exact: f.exact,
      ...(f.resource ? { resource: f.resource } : {}),
      ...(f.container !== undefined ? { container: f.container } : {}),
      ...(f.path !== undefined ? { path: f.path } : {}),
      fingerprint: f.fingerprint,
      ...(f.suppressed ? { suppressed: true, suppression: f.suppressed } : {}),
    })),
    warnings: result.warnings,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
