import { redact } from '../model/redact.js';
import { TOOL_NAME, VERSION } from '../version.js';
import { countFindings, type LintResult } from './types.js';

/**
 * The JSON report, shape version 1 (documented in docs/formats.md; additions only, never a rename):
 * { version, tool: {name, version},
 *   summary: {files, resources, errors, warnings, notes, suppressed, baselined? (with --baseline)},
 *   findings: [{ruleId, severity, messageId?, message, file, line, column, endLine, endColumn, exact, resource?, container?, units?,
 *               path?, fingerprint, suppressed?, suppression?, baselineState?,
 *               fix? (what --fix changes: {doc, edits: [{op: set|delete|append, path, value?} | {op: document, name, value}],
 *                     changes?: [{file, range: {startLine, startColumn, endLine, endColumn}, text, create?}],
 *                     command?}), fixSkipped? (why a fix the rule has is not offered here)}],
 *   change?: {ref, commit}, fixed?: [finding] (with --new-since),
 *   applied?: [{batch, files, ...finding}] (with --fix: the fixes made, in order, each finding as it was then),
 *   warnings: [string] }
 */
export function formatJson(result: LintResult): string {
  const c = countFindings(result.findings);
  // Only with --baseline: every finding then says whether it is in the baseline.
  const baselineUsed = result.findings.some((f) => f.baselineState !== undefined);
  const doc = {
    version: 1,
    tool: { name: TOOL_NAME, version: VERSION },
    summary: {
      files: result.files,
      resources: result.resources,
      errors: c.error,
      warnings: c.warning,
      notes: c.note,
      suppressed: c.suppressed,
      ...(baselineUsed ? { baselined: c.baselined ?? 0 } : {}),
    },
    findings: result.findings.map(brief),
    ...(result.change
      ? { change: { ref: result.change.ref, commit: result.change.commit }, fixed: result.change.fixed.map(brief) }
      : {}),
    ...(result.applied
      ? { applied: result.applied.map((a) => ({ batch: a.batch, files: a.files, ...brief(a.finding) })) }
      : {}),
    warnings: result.warnings,
    ...(result.cluster !== undefined ? { cluster: result.cluster } : {}),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

function brief(f: LintResult['findings'][number]) {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    ...(f.messageId !== undefined ? { messageId: f.messageId } : {}),
    message: f.message,
    file: f.file,
    // An object read from a cluster has no lines: `file` is its `kind/namespace/name` and `cluster` its context.
    ...(f.cluster !== undefined
      ? { cluster: f.cluster }
      : {
          line: f.range.startLine,
          column: f.range.startColumn,
          endLine: f.range.endLine,
          endColumn: f.range.endColumn,
        }),
    exact: f.exact,
    ...(f.resource ? { resource: f.resource } : {}),
    ...(f.container !== undefined ? { container: f.container } : {}),
    ...(f.units ? { units: f.units } : {}),
    ...(f.path !== undefined ? { path: f.path } : {}),
    fingerprint: f.fingerprint,
    ...(f.suppressed ? { suppressed: true, suppression: f.suppressed } : {}),
    ...(f.baselineState ? { baselineState: f.baselineState } : {}),
    ...(f.fix
      ? {
          fix: {
            doc: f.fix.doc,
            edits: f.fix.edits,
            ...(f.fix.changes ? { changes: f.fix.changes } : {}),
            ...(f.fix.command !== undefined ? { command: f.fix.command } : {}),
          },
        }
      : {}),
    ...(f.fixSkipped !== undefined ? { fixSkipped: redact(f.fixSkipped) } : {}),
  };
}
