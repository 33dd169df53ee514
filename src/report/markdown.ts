/**
 * Markdown from untrusted text: a pull request's file and resource names, values and custom policy texts reach the job
 * summary, the pull request comment and SARIF help, all rendered by GitHub. Pure string functions.
 */

// Hides nothing from a reader; splits the text so that GitHub's autolinker, mentions and references see no whole token.
const BREAK = '<!-- -->';
// Every ASCII punctuation character may be backslash-escaped in CommonMark; these are the ones that start markup
// (links, images, emphasis, strikethrough, code, HTML, entities, tables, headings, math).
const MARKUP = new Set(['\\', '`', '*', '_', '[', ']', '(', ')', '<', '>', '!', '|', '~', '&', '#', '$', '{', '}']);

/** One line, no control characters, at most `max` characters. */
export function oneLine(s: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const flat = s.replace(/\r\n|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * Untrusted text (a message with names and values from the repository) as inline markdown on one line, inert in a
 * paragraph, a list item or a table cell: no link, image, autolink, HTML, emphasis, code span, mention (`@team` would
 * notify the team), issue reference (`owner/repo#1`), and no `|` that ends a cell.
 */
export function text(s: string, max = 1000): string {
  const t = oneLine(s, max);
  let out = '';
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (c === '.' && /www$/i.test(t.slice(Math.max(0, i - 3), i))) out += BREAK;
    out += MARKUP.has(c) ? `\\${c}` : c;
    if (c === '@') out += BREAK;
    else if (c === '#' && /\d/.test(t[i + 1] ?? '')) out += BREAK;
    else if (c === '/' && t[i + 1] === '/') out += BREAK;
    else if (c === '-' && /\d/.test(t[i + 1] ?? '') && /gh$/i.test(t.slice(Math.max(0, i - 2), i))) out += BREAK;
  }
  return out;
}

/**
 * An identifier (a file name, a resource name) as a code span: shown exactly, never markup. `cell: true` when it sits
 * in a table, where GFM splits cells at `|` before it sees code spans, so the pipe is escaped.
 */
export function code(s: string, opts: { cell?: boolean; max?: number } = {}): string {
  let t = oneLine(s, opts.max ?? 300);
  if (opts.cell) t = t.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  // One space each side is stripped by the renderer, and lets the content start or end with a backtick.
  return `${fence} ${t} ${fence}`;
}

/**
 * Prose with optional `code spans` (rule rationale and remediation, a custom policy's texts) as markdown: the code
 * spans are kept, everything else is `text()`, so `/run/secrets/<name>` or `*_FILE` reach a reader as written.
 */
export function prose(s: string, max = 4000): string {
  let out = '';
  let last = 0;
  const t = oneLine(s, max);
  for (const m of t.matchAll(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g)) {
    out += text(t.slice(last, m.index), max) + code(m[2]!.trim(), { max });
    last = m.index + m[0].length;
  }
  return out + text(t.slice(last), max);
}
