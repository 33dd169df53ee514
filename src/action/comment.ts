import { plural } from '../report/types.js';
import type { Finding } from '../model/types.js';
import {
  bySeverityThenPlace,
  code,
  countReported,
  describeCounts,
  elsewhere,
  elsewherePhrase,
  lineLink,
  ruleLink,
  ruleTable,
  scopePhrase,
  severityLabel,
  text,
  type ReportView,
} from './markdown.js';

/** Hidden in the rendered comment; with the token's own identity, how the action finds its own comment to update it. */
export const COMMENT_MARKER = '<!-- shipshape:pull-request-comment -->';
/** GitHub rejects a comment body longer than this (characters; a UTF-16 length is never below that count). */
export const COMMENT_MAX_CHARS = 65_536;

/** How many findings the job summary of this run lists: the comment sends readers there only for what it has. */
export interface SummaryReach {
  /** Findings the job summary lists (0 when no summary is written). */
  listed: number;
}

/**
 * The sticky pull request comment, at most `max` characters: the most severe findings first, grouped by file, and
 * when cut, how many were left out (by severity) and where each of them can be read.
 */
export function formatComment(view: ReportView, summary: SummaryReach, max = COMMENT_MAX_CHARS): string {
  const counts = countReported(view.reported);
  const head: string[] = [COMMENT_MARKER];
  if (view.reported.length === 0) head.push(`### ✔ shipshape: no problems ${scopePhrase(view)}`);
  else
    head.push(
      `### ${counts.error ? '✖' : '⚠'} shipshape: ${describeCounts(counts)} ${scopePhrase(view)}`,
      '',
      ...ruleTable(view.reported, view.ruleDocs),
    );

  const footer: string[] = [''];
  const outside = elsewhere(view);
  const facts = [`${plural(view.files, 'file')}, ${plural(view.resources, 'resource')} checked`];
  if (outside > 0) facts.push(`${outside} more ${elsewherePhrase(view, outside)} in the SARIF report`);
  if (view.links.run) facts.push(`[job summary](${view.links.run})`);
  footer.push(`<sub>${facts.join(' · ')}</sub>`);

  const sorted = [...view.reported].sort(bySeverityThenPlace);
  const body: string[] = [];
  let group: string | undefined;
  for (const f of sorted) {
    const lines: string[] = [];
    // A file heads each run of its findings within one severity, so errors are never pushed below warnings.
    if (`${f.severity}\u0000${f.file}` !== group) {
      group = `${f.severity}\u0000${f.file}`;
      lines.push('', `**${code(f.file)}**`, '');
    }
    lines.push(
      `- ${severityLabel(f.severity)} ${lineLink(f, `line ${f.range.startLine}`, view.links)} ${ruleLink(f.ruleId, view.ruleDocs)}: ${text(f.message)}`,
    );
    body.push(lines.join('\n'));
  }
  return fit(head, body, footer, sorted, view, summary, max);
}

/** Keep as many findings as fit, then say how many were cut, of which severity, and where to read them. */
function fit(
  head: string[],
  body: string[],
  footer: string[],
  sorted: Finding[],
  view: ReportView,
  summary: SummaryReach,
  max: number,
): string {
  const join = (parts: string[]): string => parts.join('\n') + '\n';
  const full = join([...head, ...body, ...footer]);
  if (full.length <= max) return full;
  const note = (kept: number): string => cutNote(sorted.slice(kept), kept, view, summary);
  const kept: string[] = [];
  let size = join([...head, ...footer]).length + note(0).length + 1;
  for (const part of body) {
    if (size + part.length + 1 > max) break;
    kept.push(part);
    size += part.length + 1;
  }
  const out = join([...head, ...kept, note(kept.length), ...footer]);
  // Only a pathological header (a huge rule table) can still be too long; never send what GitHub would refuse.
  return out.length <= max ? out : `${out.slice(0, max - 2)}…\n`;
}

function cutNote(cut: readonly Finding[], kept: number, view: ReportView, summary: SummaryReach): string {
  const summaryLink = view.links.run ? `the [job summary](${view.links.run})` : 'the job summary of this run';
  const total = view.reported.length;
  const where =
    summary.listed >= total
      ? `${summaryLink} lists them all`
      : summary.listed > kept
        ? `${summaryLink} lists the first ${summary.listed} of ${total}; the SARIF report (${code(view.sarifFile)}) has every one`
        : `the SARIF report (${code(view.sarifFile)}) has every one`;
  return `\n…and **${plural(cut.length, 'more finding')}** not shown here (${describeCounts(countReported(cut))}): ${where}.`;
}
