import { createTwoFilesPatch } from 'diff';
import { redact } from '../model/redact.js';

/** A file `--fix-dry-run` would change: its text before (null: a new file) and after. */
export interface FileDiff {
  file: string;
  before: string | null;
  after: string;
  /** The file holds a value a secret rule reported: removed and context lines show its structure only. */
  secret?: boolean;
}

/**
 * The unified diff `--fix-dry-run` prints, commands first (as `#` lines, which `git apply` and `patch` skip), never a
 * secret value: in a file a secret rule reported on (`secret`), removed and context lines keep their keys and lose
 * their values; `values` (the reported secret values) are masked wherever they appear; and the whole text goes
 * through redact(), which removes anything shaped like a credential. A masked diff is for reading, not for applying.
 */
export function dryRunDiff(files: readonly FileDiff[], commands: readonly string[], values: readonly string[]): string {
  let out = commands.map((c) => `# then run: ${c}\n`).join('');
  for (const f of files) {
    const patch = createTwoFilesPatch(
      f.before === null ? '/dev/null' : `a/${f.file}`,
      `b/${f.file}`,
      f.before ?? '',
      f.after,
      undefined,
      undefined,
      { context: 3 },
    );
    out += f.secret ? maskHunks(patch) : patch;
  }
  return redact(maskValues(out, values), Number.MAX_SAFE_INTEGER);
}

export const MASK = '***';

/** Removed and context lines of a patch's hunks with their values masked (headers and added lines as they are). */
function maskHunks(patch: string): string {
  let inHunk = false;
  return patch
    .split('\n')
    .map((line) => {
      if (line.startsWith('@@')) inHunk = true;
      else if (inHunk && (line.startsWith('-') || line.startsWith(' '))) return line[0]! + maskLine(line.slice(1));
      return line;
    })
    .join('\n');
}

/**
 * A YAML (or env file) line with only its structure left: indentation, `- ` markers, a key and its colon, a document
 * marker. Any value, flow collection, block scalar line or comment becomes `***`.
 */
export function maskLine(line: string): string {
  const cr = line.endsWith('\r') ? '\r' : '';
  const body = cr ? line.slice(0, -1) : line;
  if (/^(---|\.\.\.)\s*$/.test(body) || body.trim() === '') return line;
  const m = /^(\s*(?:-(?:\s+|$))*)(.*)$/.exec(body)!;
  const lead = m[1]!;
  const rest = m[2]!;
  if (!rest) return line;
  const env = /^(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*=/.exec(rest);
  if (env) return `${lead}${env[0]}${rest.length > env[0].length ? MASK : ''}${cr}`;
  const key = /^(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[\]},&*!|>%@`-][^#]*?|-[^\s#][^#]*?)\s*:(?=\s|$)/.exec(
    rest,
  );
  if (key) {
    const value = rest.slice(key[0].length);
    return `${lead}${key[0]}${value.trim() ? ` ${MASK}` : value}${cr}`;
  }
  return `${lead}${MASK}${cr}`;
}

/** Every occurrence of a reported value (3 characters or more, quotes and block scalar lines apart) masked. */
function maskValues(text: string, values: readonly string[]): string {
  const parts = new Set<string>();
  for (const v of values)
    for (const raw of v.split(/\r?\n/)) {
      const s = raw.trim();
      for (const p of [s, s.replace(/^["']|["']$/g, '')]) if (p.length >= 3 && !/^[|>][-+0-9]*$/.test(p)) parts.add(p);
    }
  // Longest first, so a value that contains another is masked whole.
  for (const p of [...parts].sort((a, b) => b.length - a.length)) text = text.split(p).join(MASK);
  return text;
}
