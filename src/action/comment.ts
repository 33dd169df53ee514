import { plural } from '../report/types.js';
import { countReported, describeCounts, elsewhere, inline, lineLink, ruleLink, ruleTable, scopePhrase, severityLabel, type ReportView } from './markdown.js';

/** Hidden in the rendered comment; how the action finds its own comment to update it. */
export const COMMENT_MARKER = '<!-- shipshape:pull-request-comment -->';
/** GitHub rejects a comment body longer than this. */
export const COMMENT_MAX_CHARS = 65_536;

/** The sticky pull request comment, at most `max` characters: findings grouped by file, cut with a link when too long. */
export function formatComment(view: ReportView, max = COMMENT_MAX_CHARS): string {
  const counts = countReported(view.reported);
  const head: string[] = [COMMENT_MARKER];
  if (view.reported.length === 0) head.push(`### ✔ shipshape: no problems ${scopePhrase(view)}`);
  else head.push(`### ${counts.error ? '✖' : '⚠'} shipshape: ${describeCounts(counts)} ${scopePhrase(view)}`, '', ...ruleTable(view.reported));

  const footer: string[] = [''];
  const outside = elsewhere(view);
  const facts = [`${plural(view.files, 'file')}, ${plural(view.resources, 'resource')} checked`];
  if (outside > 0) facts.push(`${plural(outside, 'more finding')} in unchanged files ${outside === 1 ? 'is' : 'are'} in the SARIF report`);
  if (view.links.run) facts.push(`[job summary](${view.links.run})`);
  footer.push(`<sub>${facts.join(' · ')}</sub>`);

  const body: string[] = [];
  let file: string | undefined;
  for (const f of view.reported) {
    const lines: string[] = [];
    if (f.file !== file) {
      file = f.file;
      lines.push('', `**${inline(f.file)}**`, '');
    }
    lines.push(`- ${severityLabel(f.severity)} ${lineLink(f, `line ${f.range.startLine}`, view.links)} ${ruleLink(f.ruleId)}: ${inline(f.message)}`);
    body.push(lines.join('\n'));
  }
  return fit(head, body, footer, view, max);
}

/** Keep as many findings as fit, then say how many were cut and where to read them all. */
function fit(head: string[], body: string[], footer: string[], view: ReportView, max: number): string {
  const join = (parts: string[]): string => parts.join('\n') + '\n';
  const full = join([...head, ...body, ...footer]);
  if (full.length <= max) return full;
  const where = view.links.run ? `the [job summary](${view.links.run})` : 'the job summary of this run';
  const note = (n: number): string => `\n…and ${plural(n, 'more finding')} not shown here: see ${where}.`;
  const kept: string[] = [];
  let size = join([...head, ...footer]).length + note(body.length).length + 1;
  for (const part of body) {
    if (size + part.length + 1 > max) break;
    kept.push(part);
    size += part.length + 1;
  }
  const text = join([...head, ...kept, note(body.length - kept.length), ...footer]);
  // Only a pathological header (a huge rule table) can still be too long; never send what GitHub would refuse.
  return text.length <= max ? text : `${text.slice(0, max - 2)}…\n`;
}
