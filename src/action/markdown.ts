import { docsUrl } from '../engine/rule.js';
import type { Finding, Severity } from '../model/types.js';
import { plural, type Counts } from '../report/types.js';

/** What the summary and the comment say about one run: pure data, built once by main.ts. */
export interface ReportView {
  /** Findings shown: not suppressed, and in a changed file when `scope` is `changed`. Engine order. */
  reported: readonly Finding[];
  /** Counts over the whole run (what SARIF holds). */
  all: Counts;
  files: number;
  resources: number;
  scope: 'changed' | 'all';
  /** Where the SARIF log was written, as given. */
  sarifFile: string;
  links: Links;
}

export interface Links {
  /** `https://github.com/owner/repo/blob/<sha>`: findings link to their lines when known. */
  blobBase?: string;
  /** The workflow run, whose page shows the job summary. */
  run?: string;
}

const ICON: Record<Severity, string> = { error: '🔴', warning: '🟡', note: '🔵' };

export function countReported(findings: readonly Finding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

/** `2 errors, 3 warnings and 1 note`, leaving out zeros. */
export function describeCounts(c: Record<Severity, number>): string {
  const parts = [c.error ? plural(c.error, 'error') : '', c.warning ? plural(c.warning, 'warning') : '', c.note ? plural(c.note, 'note') : ''].filter(Boolean);
  if (parts.length <= 1) return parts[0] ?? 'no problems';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

export function scopePhrase(view: ReportView): string {
  return view.scope === 'changed' ? 'in the files this pull request changes' : 'in the checked files';
}

/** Findings outside the reported set that are still in SARIF (unchanged files); suppressed ones are not counted. */
export function elsewhere(view: ReportView): number {
  return view.all.error + view.all.warning + view.all.note - view.reported.length;
}

/** One row per rule that has findings: links to the rule's documentation. */
export function ruleTable(findings: readonly Finding[]): string[] {
  const byRule = new Map<string, Record<Severity, number>>();
  for (const f of findings) {
    const c = byRule.get(f.ruleId) ?? { error: 0, warning: 0, note: 0 };
    c[f.severity]++;
    byRule.set(f.ruleId, c);
  }
  const rows = [...byRule].sort(([a, x], [b, y]) => y.error - x.error || y.warning - x.warning || y.note - x.note || (a < b ? -1 : 1));
  return [
    '| Rule | Errors | Warnings | Notes |',
    '|---|---:|---:|---:|',
    ...rows.map(([id, c]) => `| [${id}](${docsUrl(id)}) | ${c.error} | ${c.warning} | ${c.note} |`),
  ];
}

export function severityLabel(s: Severity): string {
  return `${ICON[s]} ${s}`;
}

export function ruleLink(id: string): string {
  return `[\`${id}\`](${docsUrl(id)})`;
}

/** `[text](blob#L3-L4)`, or the plain text when the commit is unknown. */
export function lineLink(f: Finding, text: string, links: Links): string {
  const label = text.replace(/([[\]\\])/g, '\\$1');
  if (!links.blobBase) return label;
  const { startLine, endLine } = f.range;
  const anchor = endLine > startLine ? `#L${startLine}-L${endLine}` : `#L${startLine}`;
  return `[${label}](${links.blobBase}/${f.file.split('/').map(encodeURIComponent).join('/')}${anchor})`;
}

/**
 * A message as inline markdown on one line: user-controlled names must not become HTML, break a table, or mention
 * someone (`@team` in a label value would notify the team from a PR comment).
 */
export function inline(s: string, max = 1000): string {
  const clipped = s.length > max ? `${s.slice(0, max - 1)}…` : s;
  return clipped
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/@/g, '@<!-- -->')
    .replace(/\r\n|\r|\n/g, ' ');
}
