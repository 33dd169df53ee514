import { escapeControl } from '../model/redact.js';
import { countFindings, isActive, oneLine, plural, type Finding, type LintResult } from './types.js';
import type { AnyRule } from '../engine/rule.js';
import type { Severity } from '../model/types.js';

export interface TextOptions {
  color: boolean;
  /** Wrap messages to this many columns (a terminal's width); no wrapping when absent (piped output). */
  width?: number;
  /** Add each finding's why and fix (the rule's rationale and remediation) under it. */
  verbose?: boolean;
}

const COLORS: Record<Severity | 'dim' | 'bold' | 'ok', [string, string]> = {
  error: ['\x1b[31m', '\x1b[39m'],
  warning: ['\x1b[33m', '\x1b[39m'],
  note: ['\x1b[36m', '\x1b[39m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  bold: ['\x1b[1m', '\x1b[22m'],
  ok: ['\x1b[32m', '\x1b[39m'],
};

/** Said after the message of a finding that carries a fix (`--fix` makes it). */
export const FIXABLE = '(fixable)';

/** Below this many columns for the message, wrapping helps no one: the message goes on lines of its own. */
const MIN_MESSAGE_WIDTH = 30;

/**
 * Findings grouped by file, in aligned columns `line:col  severity  message  rule-id`, then a summary line.
 * With a width, a message wraps at word boundaries under its own column; the rule id follows its last line.
 */
export function formatText(result: LintResult, opts: TextOptions = { color: false }): string {
  const paint = (k: keyof typeof COLORS, s: string): string => (opts.color ? `${COLORS[k][0]}${s}${COLORS[k][1]}` : s);
  const visible = result.findings.filter(isActive);
  const rules = new Map<string, AnyRule>(result.rules.map((r) => [r.id, r]));
  const out: string[] = [];
  // Objects read from a cluster have no lines: the object itself (`kind/namespace/name`) is the location.
  const posOf = (f: Finding): string => (f.cluster !== undefined ? '' : `${f.range.startLine}:${f.range.startColumn}`);
  const posWidth = Math.max(0, ...visible.map((f) => posOf(f).length));
  const sevWidth = Math.max(0, ...visible.map((f) => f.severity.length));
  const indent = 2 + (posWidth ? posWidth + 2 : 0) + sevWidth + 2;
  const avail = opts.width !== undefined ? opts.width - indent : undefined;
  const hanging = avail !== undefined && avail < MIN_MESSAGE_WIDTH ? 4 : indent;
  const wrapWidth = opts.width !== undefined ? opts.width - hanging : undefined;
  let file: string | undefined;
  for (const f of visible) {
    const first = f.file !== file;
    if (first) {
      if (file !== undefined) out.push('');
      file = f.file;
      out.push(paint('bold', escapeControl(f.file)));
    }
    const pos = posWidth ? `${paint('dim', posOf(f).padEnd(posWidth))}  ` : '';
    const head = `  ${pos}${paint(f.severity, f.severity.padEnd(sevWidth))}  `;
    const lines = wrap(`${oneLine(f.message)}${f.fix ? ` ${FIXABLE}` : ''}  ${f.ruleId}`, wrapWidth);
    const body = lines.map((l, i) => (i === lines.length - 1 ? paintRuleId(l, f.ruleId, paint) : l));
    const block =
      hanging !== indent
        ? [head.trimEnd(), ...body.map((l) => ' '.repeat(hanging) + l)]
        : [head + body[0]!, ...body.slice(1).map((l) => ' '.repeat(hanging) + l)];
    if (opts.verbose) {
      // Findings of several lines each read better apart.
      if (!first) block.unshift('');
      const rule = rules.get(f.ruleId);
      for (const [label, text] of [
        ['why', rule?.meta.rationale],
        ['fix', rule?.meta.remediation],
      ] as const) {
        if (text)
          block.push(
            ...wrap(`${label}: ${oneLine(text)}`, wrapWidth).map((l) => ' '.repeat(hanging) + paint('dim', l)),
          );
      }
      // What to run once `--fix` made the change (a rule's command never holds a value).
      if (f.fix?.command)
        block.push(
          ...wrap(`then run: ${oneLine(f.fix.command)}`, wrapWidth).map((l) => ' '.repeat(hanging) + paint('dim', l)),
        );
    }
    out.push(...block);
  }
  for (const w of result.warnings) out.push(`${out.length ? '\n' : ''}${paint('warning', 'warning')}: ${oneLine(w)}`);
  const c = countFindings(result.findings);
  const total = c.error + c.warning + c.note;
  const known = result.change ? `already there at ${result.change.ref}` : 'in the baseline';
  const suppressed = `${c.suppressed ? `, ${c.suppressed} suppressed` : ''}${c.baselined ? `, ${c.baselined} ${known}` : ''}`;
  const fixed = result.change?.fixed ?? [];
  if (fixed.length) {
    if (out.length) out.push('');
    out.push(paint('ok', `Fixed since ${result.change!.ref}: ${plural(fixed.length, 'finding')}`));
    for (const f of fixed) out.push(`  ${escapeControl(f.file)}  ${oneLine(f.message)}  ${paint('dim', f.ruleId)}`);
  }
  if (total === 0) {
    if (result.cluster !== undefined)
      out.push(paint('ok', `✔ No problems in ${plural(result.resources, 'object')} (${result.cluster})${suppressed}.`));
    else
      out.push(
        paint(
          'ok',
          `✔ No problems in ${plural(result.files, 'file')} (${plural(result.resources, 'resource')})${suppressed}.`,
        ),
      );
  } else {
    if (out.length) out.push('');
    const mark = c.error ? paint('error', '✖') : paint('warning', '⚠');
    const affected = new Set(visible.map((f) => f.file)).size;
    const where =
      result.cluster !== undefined
        ? `${affected} of ${plural(result.resources, 'object')} (${result.cluster})`
        : `${affected} of ${plural(result.files, 'file')}`;
    out.push(
      `${mark} ${plural(total, result.change ? 'new problem' : 'problem')}` +
        ` (${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.note, 'note')}) in ${where}${suppressed}.`,
    );
    const fixable = visible.filter((f) => f.fix).length;
    if (fixable) out.push(`  ${fixable} of them fixable with --fix`);
  }
  return out.join('\n') + '\n';
}

function paintRuleId(line: string, ruleId: string, paint: (k: 'dim', s: string) => string): string {
  return line.endsWith(ruleId) ? line.slice(0, line.length - ruleId.length) + paint('dim', ruleId) : line;
}

/** Words joined into lines of at most `width` characters; a word longer than that stands alone, unbroken. */
export function wrap(text: string, width: number | undefined): string[] {
  if (width === undefined || text.length <= width) return [text];
  const lines: string[] = [];
  let line = '';
  // Split on single spaces but keep runs (the two spaces before the rule id) as part of what follows.
  for (const word of text.split(/ (?=\S)/)) {
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line.trimEnd());
      line = word.trimStart();
    }
  }
  if (line) lines.push(line);
  return lines;
}
