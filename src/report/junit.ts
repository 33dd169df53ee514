import { isActive, plural, type Finding, type LintResult } from './types.js';
import { xmlAttr, xmlText } from './xml.js';

/**
 * JUnit XML (GitLab test reports, Jenkins `junit`, Azure DevOps PublishTestResults): one `<testsuite>` per file with
 * findings, one `<testcase>` per finding (classname = file, name = `rule-id line:col`). An error is a `<failure>`;
 * a warning or note is a passing test case whose `<system-out>` carries the message, so it is seen without failing
 * the report. A run without findings is one passing test case, so the consumer does not read "no tests".
 */
export function formatJunit(result: LintResult): string {
  const active = result.findings.filter(isActive);
  const byFile = new Map<string, Finding[]>();
  for (const f of active) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  const failures = active.filter((f) => f.severity === 'error').length;
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="shipshape" tests="${Math.max(active.length, 1)}" failures="${failures}" errors="0" time="0">`,
  );
  if (!active.length) {
    out.push(`  <testsuite name="shipshape" tests="1" failures="0" errors="0" skipped="0" time="0">`);
    out.push(
      `    <testcase classname="shipshape" name="${xmlAttr(`no problems in ${plural(result.files, 'file')}`)}" time="0"/>`,
    );
    out.push('  </testsuite>');
  }
  for (const [file, findings] of byFile) {
    const failed = findings.filter((f) => f.severity === 'error').length;
    out.push(
      `  <testsuite name="${xmlAttr(file)}" tests="${findings.length}" failures="${failed}" errors="0" skipped="0" time="0">`,
    );
    for (const f of findings) {
      const where = f.cluster !== undefined ? f.file : `${f.file}:${f.range.startLine}:${f.range.startColumn}`;
      const name = f.cluster !== undefined ? f.ruleId : `${f.ruleId} ${f.range.startLine}:${f.range.startColumn}`;
      const detail = `${where}: ${f.severity}: ${f.message} [${f.ruleId}]`;
      out.push(`    <testcase classname="${xmlAttr(file)}" name="${xmlAttr(name)}" file="${xmlAttr(file)}" time="0">`);
      if (f.severity === 'error')
        out.push(
          `      <failure message="${xmlAttr(f.message)}" type="${xmlAttr(f.ruleId)}">${xmlText(detail)}</failure>`,
        );
      else out.push(`      <system-out>${xmlText(detail)}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
