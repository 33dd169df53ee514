import { plural } from '../report/types.js';
import type { Severity } from '../model/types.js';
import { ANNOTATIONS_PER_LEVEL, bySeverity } from './annotations.js';
import { countReported, describeCounts, elsewhere, inline, lineLink, ruleLink, ruleTable, scopePhrase, severityLabel, type ReportView } from './markdown.js';

/** A step summary is capped at 1 MiB; the findings list stops well before that. */
export const SUMMARY_MAX_FINDINGS = 1000;
const SUMMARY_MAX_CHARS = 800_000;

/** The job summary (markdown): headline, counts per rule, a note about dropped annotations, every finding. */
export function formatSummary(view: ReportView, omittedAnnotations: Record<Severity, number>): string {
  const counts = countReported(view.reported);
  const out: string[] = ['## shipshape', ''];
  const checked = `${plural(view.files, 'file')}, ${plural(view.resources, 'resource')} checked`;
  if (view.reported.length === 0) out.push(`✔ No problems ${scopePhrase(view)} (${checked}).`);
  else out.push(`${counts.error ? '✖' : '⚠'} **${describeCounts(counts)}** ${scopePhrase(view)} (${checked}).`);

  const notes: string[] = [];
  const outside = elsewhere(view);
  if (outside > 0) notes.push(`${plural(outside, 'more finding')} in files this pull request does not change ${outside === 1 ? 'is' : 'are'} only in the SARIF report (\`${inline(view.sarifFile)}\`).`);
  if (view.all.suppressed) notes.push(`${plural(view.all.suppressed, 'suppressed finding')} ${view.all.suppressed === 1 ? 'is' : 'are'} kept in SARIF only.`);
  const dropped = omittedAnnotations.error + omittedAnnotations.warning + omittedAnnotations.note;
  if (dropped) {
    notes.push(
      `GitHub shows only the first ${ANNOTATIONS_PER_LEVEL} annotations of each level in a step: ${plural(dropped, 'more finding')} (${describeCounts(omittedAnnotations)}) ${dropped === 1 ? 'has' : 'have'} no annotation and ${dropped === 1 ? 'is' : 'are'} listed below.`,
    );
  }
  if (notes.length) out.push('', ...notes.map((n) => `> ${n}`).flatMap((n, i) => (i ? ['>', n] : [n])));
  if (view.reported.length === 0) return out.join('\n') + '\n';

  out.push('', ...ruleTable(view.reported), '', '### Findings', '', '| Severity | Location | Rule | Message |', '|---|---|---|---|');
  let size = out.join('\n').length;
  let shown = 0;
  for (const f of [...view.reported].sort(bySeverity)) {
    const row = `| ${severityLabel(f.severity)} | ${lineLink(f, `${f.file}:${f.range.startLine}:${f.range.startColumn}`, view.links)} | ${ruleLink(f.ruleId)} | ${inline(f.message)} |`;
    if (shown >= SUMMARY_MAX_FINDINGS || size + row.length > SUMMARY_MAX_CHARS) break;
    out.push(row);
    size += row.length + 1;
    shown++;
  }
  if (shown < view.reported.length) out.push('', `…and ${plural(view.reported.length - shown, 'more finding')}: the SARIF report (\`${inline(view.sarifFile)}\`) has all of them.`);
  return out.join('\n') + '\n';
}
