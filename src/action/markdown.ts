import type { Finding, Severity } from '../model/types.js';
import { code } from '../report/markdown.js';
import { plural, type Counts } from '../report/types.js';

export { code, text } from '../report/markdown.js';

/** What the summary and the comment say about one run: pure data, built once by main.ts. */
export interface ReportView {
  /** Findings shown: not suppressed, and new against the pull request's base commit when `scope` is `changed`. Engine order. */
  reported: readonly Finding[];
  /** Counts over the whole run (what SARIF holds). */
  all: Counts;
  files: number;
  resources: number;
  scope: 'changed' | 'all';
  /** With `scope: changed`: the findings of the base commit that the pull request fixes. */
  fixed?: readonly Finding[];
  /** Where the SARIF log was written, as given. */
  sarifFile: string;
  links: Links;
  /** Documentation link per rule id; a rule without one (a custom policy without `url`) is shown unlinked. */
  ruleDocs: ReadonlyMap<string, string>;
}

export interface Links {
  /** `https://github.com/owner/repo/blob/<sha>`: findings link to their lines when known. */
  blobBase?: string;
  /** The workflow run, whose page shows the job summary. */
  run?: string;
}

const ICON: Record<Severity, string> = { error: '🔴', warning: '🟡', note: '🔵' };
const RANK: Record<Severity, number> = { error: 0, warning: 1, note: 2 };

/** Most severe first, then by file and position: what a reader (and a cut) should see first. */
export function bySeverityThenPlace(a: Finding, b: Finding): number {
  return (
    RANK[a.severity] - RANK[b.severity] ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.range.startLine - b.range.startLine ||
    a.range.startColumn - b.range.startColumn
  );
}

export function countReported(findings: readonly Finding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

/** `2 errors, 3 warnings and 1 note`, leaving out zeros. */
export function describeCounts(c: Record<Severity, number>): string {
  const parts = [
    c.error ? plural(c.error, 'error') : '',
    c.warning ? plural(c.warning, 'warning') : '',
    c.note ? plural(c.note, 'note') : '',
  ].filter(Boolean);
  if (parts.length <= 1) return parts[0] ?? 'no problems';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

export function scopePhrase(view: ReportView): string {
  return view.scope === 'changed' ? 'that this pull request introduces' : 'in the checked files';
}

/** The findings left out of the report: already there before the pull request (scope changed). */
export function elsewherePhrase(view: ReportView, n: number): string {
  return view.scope === 'changed'
    ? `${n === 1 ? 'finding was' : 'findings were'} there before this pull request: ${n === 1 ? 'it is' : 'they are'}`
    : `${n === 1 ? 'finding is' : 'findings are'}`;
}

/** Findings outside the reported set that are still in SARIF (unchanged files); suppressed ones are not counted. */
export function elsewhere(view: ReportView): number {
  return view.all.error + view.all.warning + view.all.note - view.reported.length;
}

/** One row per rule that has findings: links to the rule's documentation. */
export function ruleTable(findings: readonly Finding[], docs: ReadonlyMap<string, string>): string[] {
  const byRule = new Map<string, Record<Severity, number>>();
  for (const f of findings) {
    const c = byRule.get(f.ruleId) ?? { error: 0, warning: 0, note: 0 };
    c[f.severity]++;
    byRule.set(f.ruleId, c);
  }
  const rows = [...byRule].sort(
    ([a, x], [b, y]) => y.error - x.error || y.warning - x.warning || y.note - x.note || (a < b ? -1 : 1),
  );
  return [
    '| Rule | Errors | Warnings | Notes |',
    '|---|---:|---:|---:|',
    ...rows.map(([id, c]) => `| ${ruleLink(id, docs)} | ${c.error} | ${c.warning} | ${c.note} |`),
  ];
}

export function severityLabel(s: Severity): string {
  return `${ICON[s]} ${s}`;
}

/** The rule id as code, linked to its documentation when it has any (custom policies may have none). */
export function ruleLink(id: string, docs: ReadonlyMap<string, string>): string {
  const url = docs.get(id);
  return url ? `[${code(id)}](${safeUrl(url)})` : code(id);
}

/** `[label](blob#L3-L4)`, or the label alone when the commit is unknown. `label` is markdown already. */
export function lineLink(f: Finding, label: string, links: Links): string {
  if (!links.blobBase) return label;
  const { startLine, endLine } = f.range;
  const anchor = endLine > startLine ? `#L${startLine}-L${endLine}` : `#L${startLine}`;
  return `[${label}](${links.blobBase}/${f.file.split('/').map(encodeSegment).join('/')}${anchor})`;
}

/** A path segment for a link destination: `(`, `)` and the rest that could end or bend the destination are encoded. */
function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A URL we put in a link destination ourselves: no space, `<`, `>`, `(` or `)` may end it early. */
function safeUrl(url: string): string {
  return url.replace(/[\s<>()"`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
