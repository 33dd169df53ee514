import { CREDENTIAL_PATTERNS } from '../model/redact.js';
import type { Finding, FixChange } from '../model/types.js';
import { ruleLink, text as mdText } from './markdown.js';

/**
 * Pull-request review suggestions (```suggestion blocks) from the findings' fixes: pure functions. The diff parser,
 * the block a finding's text changes cover, the comment bodies, and what to do with the earlier suggestion comments.
 */

/** The lines of a file's head version that a pull request's diff shows (GitHub accepts review comments only there). */
export interface FileDiff {
  /** Each hunk's lines on the RIGHT side (context and added lines), 1-based and inclusive. */
  hunks: { start: number; end: number }[];
  /** The lines the pull request added or changed (`+` lines). */
  added: Set<number>;
}

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

/**
 * A file's `patch` as `GET /pulls/{n}/files` gives it (unified diff hunks, no file header): the RIGHT-side line ranges
 * of the hunks and the added lines. Lines that are not part of a hunk (`\ No newline at end of file`) are skipped.
 */
export function parsePatch(patch: string): FileDiff {
  const hunks: FileDiff['hunks'] = [];
  const added = new Set<number>();
  let line = 0;
  let left = 0; // right-side lines (context and added) still expected in the current hunk
  for (const raw of patch.split('\n')) {
    const l = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const m = HUNK.exec(l);
    if (m) {
      line = Number(m[1]);
      left = m[2] === undefined ? 1 : Number(m[2]);
      if (left > 0) hunks.push({ start: line, end: line + left - 1 });
      continue;
    }
    // `-` lines and `\ No newline…` take no line on the RIGHT side; nothing outside a hunk does.
    if (left <= 0) continue;
    if (l.startsWith('+')) added.add(line);
    // A context line (some tools write an empty context line as an empty line).
    else if (!l.startsWith(' ') && l !== '') continue;
    line++;
    left--;
  }
  return { hunks, added };
}

/** A suggestion's place and text: lines `start..end` (1-based, inclusive) of the head file become `content`. */
export interface Block {
  start: number;
  end: number;
  /** The new text of those lines, without a final line break; '' deletes them. */
  content: string;
}

/**
 * The smallest block of whole lines of `text` that covers `changes` (all of them in this file), with the changes
 * applied; or why there is none. A pure insertion at the start of line L is anchored on line L-1 (line 1 for L = 1):
 * the block is then that line followed by the inserted lines. `diff`: the block must lie in one hunk, and every line
 * a change replaces or deletes must be a line the pull request added.
 */
export function suggestionBlock(text: string, changes: readonly FixChange[], diff: FileDiff): Block | string {
  if (!changes.length) return 'no text change';
  if (text.includes('\r')) return 'the file has CR line endings';
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const lines = text.endsWith('\n') ? starts.length - 1 : starts.length;
  if (lines === 0) return 'the file is empty';
  const offset = (line: number, column: number): number | undefined => {
    const s = starts[line - 1];
    if (s === undefined) return undefined;
    const o = s + column - 1;
    return column >= 1 && o <= (starts[line] ?? text.length) ? o : undefined;
  };
  let start = Infinity;
  let end = -Infinity;
  const edits: { from: number; to: number; insert: string }[] = [];
  for (const c of changes) {
    if (c.create) return 'the fix creates a file';
    const from = offset(c.range.startLine, c.range.startColumn);
    const to = offset(c.range.endLine, c.range.endColumn);
    if (from === undefined || to === undefined || to < from) return 'a change is outside the file';
    edits.push({ from, to, insert: c.text });
    let first: number;
    let last: number;
    if (from === to && c.range.startColumn === 1) {
      // A pure insertion before line L: anchored on the line before it.
      const anchor = c.range.startLine > 1 ? c.range.startLine - 1 : 1;
      first = last = Math.min(anchor, lines);
    } else {
      first = c.range.startLine;
      last = c.range.endColumn === 1 && c.range.endLine > c.range.startLine ? c.range.endLine - 1 : c.range.endLine;
      last = Math.min(last, lines);
      for (let l = first; l <= last; l++)
        if (!diff.added.has(l)) return `line ${l} is not a line the pull request changed`;
    }
    start = Math.min(start, first);
    end = Math.max(end, last);
  }
  if (!diff.hunks.some((h) => h.start <= start && end <= h.end)) return `lines ${start}–${end} are not in one hunk`;
  const from = starts[start - 1]!;
  const to = end < starts.length ? starts[end]! : text.length;
  let block = text.slice(from, to);
  for (const e of [...edits].sort((a, b) => b.from - a.from)) {
    if (e.from < from || e.to > to) return 'a change is outside the block';
    block = block.slice(0, e.from - from) + e.insert + block.slice(e.to - from);
  }
  const endsLine = to > from && text[to - 1] === '\n';
  if (block === '') return { start, end, content: '' };
  if (endsLine) {
    if (!block.endsWith('\n')) return 'the fix joins the block with the line after it';
    block = block.slice(0, -1);
  } else if (block.endsWith('\n')) {
    // The block is the file's last line, without a line break: the fix would add one, which is not shown well.
    return 'the fix adds a line break at the end of the file';
  }
  return { start, end, content: block };
}

/** A backtick fence longer than any backtick run in `content` (at least three). */
export function fenceFor(content: string): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((r) => r.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

export const SUGGESTION_MARKER = 'shipshape:suggestion';
const MARKER_LINE = /\n<!-- shipshape:suggestion ([0-9a-f]{1,64}) -->$/;

/** The fingerprint in a suggestion comment's body (its last line), or undefined. */
export function suggestionFingerprint(body: string | undefined | null): string | undefined {
  return body ? MARKER_LINE.exec(body)?.[1] : undefined;
}

/**
 * A suggestion comment: one line naming the rule and what it found (inert markdown: names come from the pull
 * request), the suggestion block (the file's own text, verbatim inside a fence), and the hidden marker.
 */
export function suggestionBody(f: Finding, content: string, docs: ReadonlyMap<string, string>): string {
  const fence = fenceFor(content);
  return [
    `${ruleLink(f.ruleId, docs)} ${mdText(f.message, 300)}`,
    '',
    `${fence}suggestion`,
    ...(content === '' ? [] : [content]),
    fence,
    `<!-- ${SUGGESTION_MARKER} ${f.fingerprint} -->`,
  ].join('\n');
}

/** A review comment to post: GitHub's fields (`start_line` only for a block of several lines). */
export interface Suggestion {
  fingerprint: string;
  path: string;
  line: number;
  startLine?: number;
  body: string;
}

export interface PlanInput {
  /** The findings to suggest fixes for (the reported ones), in engine order. */
  findings: readonly Finding[];
  /** Every finding of the run: the values of literal secrets are never put in a suggestion. */
  all: readonly Finding[];
  /** The head file's text by the finding's `file`, undefined when it cannot be read. */
  read: (file: string) => string | undefined;
  /** The path relative to the repository root (what the pull request's files list names) of a finding's `file`. */
  repoPath: (file: string) => string;
  /** The diff per repository path; a file that is not in it, or has no patch (big or binary), gets no suggestion. */
  diffs: ReadonlyMap<string, FileDiff>;
  docs: ReadonlyMap<string, string>;
  /** At most this many suggestions (the rest are counted in `over`). */
  max: number;
}

export interface Plan {
  suggestions: Suggestion[];
  /** Fingerprints of suggestions left out by `max`: their earlier comments are kept as they are. */
  over: string[];
  /** Findings with a fix that got no suggestion, and why (for the log). */
  skipped: { finding: Finding; why: string }[];
}

/** Rules whose finding's range is a literal secret value. */
const SECRET_RULES = new Set(['secret-in-env']);

/**
 * One suggestion per finding whose fix changes only its own file, on lines the pull request changed. Where blocks
 * of the same file overlap, the first finding (engine order: file, line) keeps its suggestion and the others get none
 * this time (once it is applied, the next run suggests theirs). A block that would show a literal secret value (a
 * `secret-in-env` finding's value in the same file, or a known credential shape) is left out.
 */
export function planSuggestions(input: PlanInput): Plan {
  const plan: Plan = { suggestions: [], over: [], skipped: [] };
  const taken = new Map<string, { start: number; end: number }[]>();
  const secretsOf = new Map<string, string[]>();
  const secrets = (file: string, text: string): string[] => {
    let s = secretsOf.get(file);
    if (!s) {
      s = input.all
        .filter((f) => f.file === file && SECRET_RULES.has(f.ruleId))
        .flatMap((f) => secretParts(rangeText(text, f.range)));
      secretsOf.set(file, s);
    }
    return s;
  };
  for (const f of input.findings) {
    const changes = f.fix?.changes;
    if (!changes?.length) continue;
    const skip = (why: string): void => void plan.skipped.push({ finding: f, why });
    if (changes.some((c) => c.file !== f.file || c.create)) {
      skip('the fix changes another file');
      continue;
    }
    const repoPath = input.repoPath(f.file);
    const diff = input.diffs.get(repoPath);
    if (!diff) {
      skip('the pull request diff does not show the file');
      continue;
    }
    const text = input.read(f.file);
    if (text === undefined) {
      skip('the file cannot be read');
      continue;
    }
    const block = suggestionBlock(text, changes, diff);
    if (typeof block === 'string') {
      skip(block);
      continue;
    }
    if (
      secrets(f.file, text).some((s) => block.content.includes(s)) ||
      CREDENTIAL_PATTERNS.some((p) => p.re.test(block.content))
    ) {
      skip('the lines hold a secret value');
      continue;
    }
    const blocks = taken.get(repoPath) ?? [];
    if (blocks.some((b) => b.start <= block.end && block.start <= b.end)) {
      skip('another suggestion covers these lines');
      continue;
    }
    if (plan.suggestions.length >= input.max) {
      plan.over.push(f.fingerprint);
      continue;
    }
    blocks.push(block);
    taken.set(repoPath, blocks);
    plan.suggestions.push({
      fingerprint: f.fingerprint,
      path: repoPath,
      line: block.end,
      ...(block.start < block.end ? { startLine: block.start } : {}),
      body: suggestionBody(f, block.content, input.docs),
    });
  }
  return plan;
}

/**
 * What of a secret's text must not be shown: the value itself, and each line of a value over several lines (a block
 * scalar: its indicator `|` or `>` alone is no secret).
 */
function secretParts(value: string | undefined): string[] {
  if (value === undefined || !value.trim()) return [];
  if (!value.includes('\n')) return [value];
  return value
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length >= 4 && !/^[|>][-+0-9]*$/.test(l));
}

/** The text of a finding's range (1-based, end column exclusive), undefined when it is not in `text`. */
function rangeText(text: string, r: Finding['range']): string | undefined {
  const lines = text.split('\n');
  if (r.endLine < r.startLine || lines[r.endLine - 1] === undefined) return undefined;
  const at = (line: number, column: number): number =>
    lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  return text.slice(at(r.startLine, r.startColumn), at(r.endLine, r.endColumn));
}

/** A review comment already on the pull request, as `GET /pulls/{n}/comments` lists it. */
export interface ExistingComment {
  id: number;
  body: string;
  path: string;
  line: number | null;
  startLine: number | null;
  /** Written by this token's account (anyone can post a comment with the marker). */
  own: boolean;
}

export interface Reconciled {
  /** New suggestions: posted in one review. */
  create: Suggestion[];
  /** Earlier comments whose text changed on the same lines. */
  update: { id: number; body: string }[];
  /** Earlier comments whose finding is gone, or moved (re-created), or duplicated. */
  remove: number[];
  /** Earlier comments left as they are. */
  kept: number;
}

/**
 * What to do with the action's earlier suggestion comments: the same fingerprint, lines and body are left alone; a
 * different body on the same lines is updated; moved lines are deleted and created again (a comment's line cannot
 * be edited); the comments of findings that no longer have a suggestion are deleted (but those left out by the
 * per-run maximum, `keep`).
 */
export function reconcile(
  existing: readonly ExistingComment[],
  planned: readonly Suggestion[],
  keep: ReadonlySet<string> = new Set(),
): Reconciled {
  const out: Reconciled = { create: [], update: [], remove: [], kept: 0 };
  const byFingerprint = new Map<string, ExistingComment>();
  for (const c of existing) {
    const fp = c.own ? suggestionFingerprint(c.body) : undefined;
    if (fp === undefined) continue;
    if (byFingerprint.has(fp)) out.remove.push(c.id);
    else byFingerprint.set(fp, c);
  }
  const planned$ = new Set(planned.map((s) => s.fingerprint));
  for (const [fp, c] of byFingerprint) if (!planned$.has(fp) && !keep.has(fp)) out.remove.push(c.id);
  for (const s of planned) {
    const c = byFingerprint.get(s.fingerprint);
    if (!c) out.create.push(s);
    else if (c.path !== s.path || c.line !== s.line || (c.startLine ?? undefined) !== s.startLine) {
      out.remove.push(c.id);
      out.create.push(s);
    } else if (c.body !== s.body) out.update.push({ id: c.id, body: s.body });
    else out.kept++;
  }
  return out;
}
