import { escapeControl } from '../model/redact.js';
import { countFindings, isActive, plural, type LintResult } from './types.js';
import type { Severity } from '../model/types.js';

export interface TextOptions {
  color: boolean;
}

const COLORS: Record<Severity | 'dim' | 'bold' | 'ok', [string, string]> = {
  error: ['\x1b[31m', '\x1b[39m'],
  warning: ['\x1b[33m', '\x1b[39m'],
  note: ['\x1b[36m', '\x1b[39m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  bold: ['\x1b[1m', '\x1b[22m'],
  ok: ['\x1b[32m', '\x1b[39m'],
};

/** Findings grouped by file: `line:col  severity  message  rule-id`, then a summary line. */
export function formatText(result: LintResult, opts: TextOptions = { color: false }): string {
  const paint = (k: keyof typeof COLORS, s: string): string => (opts.color ? `${COLORS[k][0]}${s}${COLORS[k][1]}` : s);
  const visible = result.findings.filter(isActive);
  const out: string[] = [];
  let file: string | undefined;
  // Objects read from a cluster have no lines: the object itself (`kind/namespace/name`) is the location.
  const posOf = (f: (typeof visible)[number]): string => (f.cluster !== undefined ? '' : `${f.range.startLine}:${f.range.startColumn}`);
  const posWidth = visible.reduce((m, f) => Math.max(m, posOf(f).length), 0);
  for (const f of visible) {
    if (f.file !== file) {
      if (file !== undefined) out.push('');
      file = f.file;
      out.push(paint('bold', escapeControl(f.file)));
    }
    const pos = posOf(f).padEnd(posWidth);
    out.push(`  ${pos ? `${paint('dim', pos)}  ` : ''}${paint(f.severity, f.severity.padEnd(7))}  ${oneLine(f.message)}  ${paint('dim', f.ruleId)}`);
  }
  for (const w of result.warnings) out.push(`${out.length ? '\n' : ''}${paint('warning', 'warning')}: ${oneLine(w)}`);
  const c = countFindings(result.findings);
  const total = c.error + c.warning + c.note;
  const suppressed = `${c.suppressed ? `, ${c.suppressed} suppressed` : ''}${c.baselined ? `, ${c.baselined} in the baseline` : ''}`;
  if (total === 0) {
    if (result.cluster !== undefined) out.push(paint('ok', `✔ No problems in ${plural(result.resources, 'object')} (${result.cluster})${suppressed}.`));
    else out.push(paint('ok', `✔ No problems in ${plural(result.files, 'file')} (${plural(result.resources, 'resource')})${suppressed}.`));
  } else {
    if (out.length) out.push('');
    const mark = c.error ? paint('error', '✖') : paint('warning', '⚠');
    out.push(`${mark} ${plural(total, 'problem')} (${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.note, 'note')}) in ${result.cluster !== undefined ? `${plural(result.resources, 'object')} (${result.cluster})` : plural(result.files, 'file')}${suppressed}.`);
  }
  return out.join('\n') + '\n';
}

function oneLine(s: string): string {
  return escapeControl(s.replace(/[\r\n]+/g, ' '));
}
