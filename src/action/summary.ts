import { plural } from '../report/types.js';
import type { Finding, Severity } from '../model/types.js';
import { ANNOTATIONS_PER_LEVEL } from './annotations.js';
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

/** GitHub drops the whole step summary when it is over 1 MiB (bytes, not characters). */
export const SUMMARY_MAX_BYTES = 1024 * 1024;
/** Beyond this many rows a table is no longer read; the SARIF report has them all. */
export const SUMMARY_MAX_FINDINGS = 1000;

export interface Summary {
  markdown: string;
  /** Findings listed in the table; the rest are counted in a closing note. */
  shown: number;
}

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
/** Room for the note about dropped annotations (about 200 bytes with the largest counts). */
const ANNOTATION_NOTE_BYTES = 400;

/** The job summary (markdown): headline, counts per rule, a note about dropped annotations, the findings most severe first. */
export function formatSummary(
  view: ReportView,
  omittedAnnotations: Record<Severity, number>,
  maxBytes = SUMMARY_MAX_BYTES,
): Summary {
  const counts = countReported(view.reported);
  const out: string[] = ['## shipshape', ''];
  const checked = `${plural(view.files, 'file')}, ${plural(view.resources, 'resource')} checked`;
  if (view.reported.length === 0) out.push(`✔ No problems ${scopePhrase(view)} (${checked}).`);
  else out.push(`${counts.error ? '✖' : '⚠'} **${describeCounts(counts)}** ${scopePhrase(view)} (${checked}).`);

  const notes: string[] = [];
  const outside = elsewhere(view);
  if (outside > 0)
    notes.push(`${outside} more ${elsewherePhrase(view, outside)} only in the SARIF report (${code(view.sarifFile)}).`);
  const fixed = view.fixed ?? [];
  if (fixed.length) {
    const shown = fixed.slice(0, 20).map((f) => `${code(f.ruleId)} in ${code(f.file)}`);
    const more = fixed.length > shown.length ? `, and ${fixed.length - shown.length} more` : '';
    notes.push(`This pull request fixes ${plural(fixed.length, 'finding')}: ${shown.join(', ')}${more}.`);
  }
  if (view.all.suppressed)
    notes.push(
      `${plural(view.all.suppressed, 'suppressed finding')} ${view.all.suppressed === 1 ? 'is' : 'are'} kept in SARIF only.`,
    );
  const dropped = omittedAnnotations.error + omittedAnnotations.warning + omittedAnnotations.note;
  // The note about dropped annotations is the one part that depends on them: room is kept for it either way, so the
  // rows listed (which the comment, written before the annotations, refers to) do not.
  const headerWithoutAnnotations = bytes([...out, ...notes].join('\n'));
  if (dropped) {
    notes.push(
      `GitHub shows only the first ${ANNOTATIONS_PER_LEVEL} annotations of each level in a step: ${plural(dropped, 'more finding')}` +
        ` (${describeCounts(omittedAnnotations)})` +
        ` ${dropped === 1 ? 'has' : 'have'} no annotation and ${dropped === 1 ? 'is' : 'are'} listed below.`,
    );
  }
  if (notes.length) out.push('', ...notes.map((n) => `> ${n}`).flatMap((n, i) => (i ? ['>', n] : [n])));
  if (view.reported.length === 0) return { markdown: out.join('\n') + '\n', shown: 0 };

  out.push(
    '',
    ...ruleTable(view.reported, view.ruleDocs),
    '',
    '### Findings',
    '',
    '| Severity | Location | Rule | Message |',
    '|---|---|---|---|',
  );
  const sorted = [...view.reported].sort(bySeverityThenPlace);
  // Room for the closing note, whatever its counts.
  const reserve = bytes(cutNote(sorted, view)) + ANNOTATION_NOTE_BYTES + 64;
  let size =
    headerWithoutAnnotations +
    bytes(
      [
        '',
        ...ruleTable(view.reported, view.ruleDocs),
        '',
        '### Findings',
        '',
        '| Severity | Location | Rule | Message |',
        '|---|---|---|---|',
      ].join('\n'),
    ) +
    reserve;
  let shown = 0;
  for (const f of sorted) {
    const row = `| ${severityLabel(f.severity)} | ${location(f, view)} | ${ruleLink(f.ruleId, view.ruleDocs)} | ${text(f.message)} |`;
    const cost = bytes(row) + 1;
    if (shown >= SUMMARY_MAX_FINDINGS || size + cost > maxBytes) break;
    out.push(row);
    size += cost;
    shown++;
  }
  if (shown < sorted.length) out.push('', cutNote(sorted.slice(shown), view));
  return { markdown: out.join('\n') + '\n', shown };
}

function location(f: Finding, view: ReportView): string {
  return lineLink(f, code(`${f.file}:${f.range.startLine}:${f.range.startColumn}`, { cell: true }), view.links);
}

/** What was left out, by severity, and where it is: the table holds the most severe, so the cut ones are the least. */
function cutNote(cut: readonly Finding[], view: ReportView): string {
  return (
    `> **${plural(cut.length, 'more finding')} not listed** (${describeCounts(countReported(cut))}): ` +
    `this summary lists at most ${SUMMARY_MAX_FINDINGS} findings and stays under GitHub's 1 MiB limit.` +
    ` The SARIF report (${code(view.sarifFile)}) has every finding.`
  );
}
