import { CST, Parser, type LineCounter } from 'yaml';
import type { Range, SuppressionComment } from '../model/types.js';

const DIRECTIVE_RE = /^#\s*shipshape-ignore(-file)?(?=\s|$)(.*)$/;
const QUICK_RE = /^#\s*shipshape-ignore/;
/** Lines that are not content: blank, comment-only. */
const NOT_CONTENT_RE = /^\s*(#.*)?$/;
/** Lines that may come before the content of a file: blank, comments, document markers, YAML directives. */
const PREAMBLE_RE = /^\s*(#.*)?$|^---(\s.*)?$|^%/;

/**
 * The YAML parser, keeping the comments that look like suppressions as it meets them, so that a file is lexed once.
 * A comment token is never a scalar's content: scalars (block ones too) come as one token after the `SCALAR` marker.
 */
export class DirectiveParser extends Parser {
  readonly comments: { offset: number; text: string }[] = [];
  private afterScalarMarker = false;

  override *next(source: string): Generator<CST.Token, void> {
    if (!this.afterScalarMarker && source.charCodeAt(0) === 0x23 && QUICK_RE.test(source))
      this.comments.push({ offset: this.offset, text: source });
    this.afterScalarMarker = source === CST.SCALAR;
    yield* super.next(source);
  }
}

/** The suppressions among the comments a `DirectiveParser` collected from one file. */
export function directivesIn(
  file: string,
  text: string,
  lines: LineCounter,
  comments: readonly { offset: number; text: string }[],
): SuppressionComment[] {
  const out: SuppressionComment[] = [];
  let contentStart: number | undefined;
  for (const c of comments) {
    const comment = c.text.trimEnd();
    const m = DIRECTIVE_RE.exec(comment);
    if (!m) continue;
    const rest = m[2] ?? '';
    const restOffset = c.offset + comment.length - rest.length;
    const sep = /(^|\s)--(\s|$)/.exec(rest);
    const idsText = sep ? rest.slice(0, sep.index) : rest;
    const reason = sep ? rest.slice(sep.index + sep[0].length).trim() : '';
    const ids: SuppressionComment['ids'] = [];
    for (const idm of idsText.matchAll(/[^\s,]+/g)) {
      const start = restOffset + idm.index;
      ids.push({ id: idm[0], range: rangeOf(lines, start, start + idm[0].length) });
    }
    const range = rangeOf(lines, c.offset, c.offset + comment.length);
    const scope = m[1] ? 'file' : 'line';
    const directive: SuppressionComment = {
      file,
      scope,
      line: range.startLine,
      ids,
      range,
      ...(reason ? { reason } : {}),
    };
    if (scope === 'line') {
      directive.line = ownLine(text, c.offset) ? nextContentLine(text, c.offset, range.startLine) : range.startLine;
    } else {
      contentStart ??= firstContentOffset(text);
      if (c.offset > contentStart) directive.misplaced = true;
    }
    out.push(directive);
  }
  return out;
}

function rangeOf(lines: LineCounter, start: number, end: number): Range {
  const s = lines.linePos(start);
  const e = lines.linePos(end);
  return { startLine: s.line, startColumn: s.col, endLine: e.line, endColumn: e.col };
}

function ownLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return text.slice(lineStart, offset).trim() === '';
}

/** The first line after the comment's that holds content (blank lines and other comments are skipped). */
function nextContentLine(text: string, offset: number, line: number): number {
  let pos = text.indexOf('\n', offset);
  let n = line;
  while (pos !== -1) {
    n++;
    const end = text.indexOf('\n', pos + 1);
    const content = text.slice(pos + 1, end === -1 ? text.length : end);
    if (!NOT_CONTENT_RE.test(content)) return n;
    pos = end;
  }
  return line + 1;
}

function firstContentOffset(text: string): number {
  let pos = 0;
  while (pos < text.length) {
    const end = text.indexOf('\n', pos);
    const line = text.slice(pos, end === -1 ? text.length : end);
    if (!PREAMBLE_RE.test(line.replace(/\r$/, ''))) return pos;
    if (end === -1) break;
    pos = end + 1;
  }
  return text.length;
}
