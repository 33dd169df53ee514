/**
 * Value syntax of Compose files as `docker stack deploy` reads them: durations (Go's time.ParseDuration),
 * variable interpolation (`${VAR}`, `${VAR:-default}`, `${VAR?err}`, `$$`) and shell-like command strings.
 */

const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
const SEGMENT = /(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/y;

export type DurationResult = { ok: true; seconds: number } | { ok: false; reason: string };

/** Go's time.ParseDuration, which Compose uses: `1m30s`, `500ms`, `1.5h`, `0`. A number without unit is rejected. */
export function parseDuration(raw: unknown): DurationResult {
  if (typeof raw === 'number')
    return { ok: false, reason: `a bare number is not a duration: write it with a unit, e.g. "${raw}s"` };
  if (typeof raw !== 'string') return { ok: false, reason: 'a duration must be a string such as "30s"' };
  let s = raw.trim();
  if (s === '0') return { ok: true, seconds: 0 };
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s.startsWith('-')) sign = -1;
    s = s.slice(1);
  }
  if (s === '') return { ok: false, reason: 'empty duration' };
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    SEGMENT.lastIndex = pos;
    const m = SEGMENT.exec(s);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) {
      const unitless = /^\d+(\.\d+)?$/.test(s.slice(pos));
      // The text is not quoted: a value in the wrong field can be anything, a secret too.
      return {
        ok: false,
        reason: unitless
          ? 'a number without a unit (ns, us, ms, s, m or h)'
          : `${pos ? 'its end is' : 'it is'} not a number followed by ns, us, ms, s, m or h`,
      };
    }
    total += Number(`${m[1] || '0'}.${m[2] || '0'}`) * UNIT_SECONDS[m[3]!]!;
    pos = SEGMENT.lastIndex;
  }
  return { ok: true, seconds: sign * total };
}

/** `1m30s` style, for messages. */
export function formatSeconds(seconds: number): string {
  if (seconds < 1 && seconds > 0) return `${Math.round(seconds * 1000)}ms`;
  if (seconds < 60 || seconds % 60 !== 0) return `${+seconds.toFixed(3)}s`;
  return seconds % 3600 === 0 ? `${seconds / 3600}h` : `${seconds / 60}m`;
}

/** Where the `${…}` that starts at `start` (pointing at `$`) ends, braces nested; -1 when unclosed. */
function braceEnd(s: string, start: number): number {
  let depth = 0;
  for (let i = start + 1; i < s.length; i++) {
    const ch = s[i];
    if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i;
  }
  return -1;
}

/** True when the value contains a Compose interpolation (`${VAR}`, `$VAR`), which is resolved at deploy time. */
export function hasInterpolation(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '$') continue;
    const next = s[i + 1];
    if (next === '$') {
      i++;
      continue;
    }
    if (next === '{' || (next !== undefined && /[A-Za-z_]/.test(next))) return true;
  }
  return false;
}

/**
 * The value a Compose string has when no variable is set: `${VAR:-d}` and `${VAR-d}` give their default, `$$` gives `$`.
 * Undefined when a variable without default decides the value (`${VAR}`, `${VAR?err}`, `$VAR`).
 */
export function interpolationDefault(s: string): string | undefined {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch !== '$') {
      out += ch;
      continue;
    }
    const next = s[i + 1];
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    if (next === '{') {
      const end = braceEnd(s, i);
      if (end === -1) return undefined;
      const body = s.slice(i + 2, end);
      const m = /^[A-Za-z_][A-Za-z0-9_]*(:?-)([\s\S]*)$/.exec(body);
      if (!m) return undefined;
      const inner = interpolationDefault(m[2] ?? '');
      if (inner === undefined) return undefined;
      out += inner;
      i = end;
      continue;
    }
    if (next !== undefined && /[A-Za-z_]/.test(next)) return undefined;
    out += ch;
  }
  return out;
}

/** A number as written, or as the default of its interpolation (`${REPLICAS:-2}`); undefined when unknown. */
export function composeNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string') return undefined;
  const d = interpolationDefault(v);
  return d !== undefined && /^\s*-?\d+(\.\d+)?\s*$/.test(d) ? Number(d) : undefined;
}

/** A string as written, or the default of its interpolation; undefined when a variable decides it. */
export function composeString(v: unknown): string | undefined {
  if (typeof v === 'string') return interpolationDefault(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Split a command string the way Compose does (shlex: whitespace, single and double quotes, backslash). */
export function shellSplit(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else cur += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && (s[i + 1] === '"' || s[i + 1] === '\\')) cur += s[++i];
      else cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      has = true;
    } else if (ch === '\\' && i + 1 < s.length) {
      cur += s[++i];
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += ch;
      has = true;
    }
  }
  if (has || cur) out.push(cur);
  return out;
}
