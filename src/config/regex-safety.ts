/**
 * Patterns that come from the input (a CRD's `pattern`) or the config (a policy's `pattern`) run on manifest values in
 * JavaScript's backtracking engine. A repeated group that itself repeats (`(a+)+`, `(\w*,)*`, `(x{1,9}){2,}`) can take
 * exponential time on a value built for it, which would hang a CI run: such patterns are refused or left out.
 */

/**
 * The offset of the first repeated group with a repetition inside (star height above 1), or undefined for a pattern
 * without one. `?`, `{0,1}` and fixed counts (`{4}`) do not repeat. Character classes and escapes are skipped; a malformed pattern gives
 * undefined (compiling it reports that).
 */
export function nestedQuantifier(pattern: string): number | undefined {
  // For each open group: where it starts and whether something inside it repeats.
  const groups: { start: number; repeats: boolean }[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    let atom: { start: number; repeats: boolean } | undefined;
    if (c === '\\') {
      i += 2;
    } else if (c === '[') {
      i++;
      if (pattern[i] === '^') i++;
      if (pattern[i] === ']') i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '(') {
      groups.push({ start: i, repeats: false });
      i++;
      continue;
    } else if (c === ')') {
      atom = groups.pop();
      i++;
    } else {
      i++;
    }
    // A quantifier may follow the atom just read.
    const q = quantifierAt(pattern, i);
    if (q) {
      if (q.repeats) {
        if (atom?.repeats) return atom.start;
        for (const g of groups) g.repeats = true;
      }
      i = q.end;
      if (pattern[i] === '?' || pattern[i] === '+') i++; // lazy or possessive marker
    } else if (atom?.repeats) {
      // `((a+)b)`: the inner repetition counts for the enclosing groups too.
      for (const g of groups) g.repeats = true;
    }
  }
  return undefined;
}

function quantifierAt(p: string, i: number): { repeats: boolean; end: number } | undefined {
  const c = p[i];
  if (c === '*' || c === '+') return { repeats: true, end: i + 1 };
  if (c === '?') return { repeats: false, end: i + 1 };
  if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i, i + 24));
    if (!m) return undefined;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    // A fixed count (`{4}`) expands to a fixed sequence: it cannot be split in more than one way.
    return { repeats: max > 1 && max !== min, end: i + m[0].length };
  }
  return undefined;
}

/** A regular-expression engine for ajv (`code.regExp`): what it needs of RegExp, `test`. */
export type RegExpEngine = ((
  pattern: string,
  flags: string,
) => { test: (s: string) => boolean; toString: () => string }) & { code: string };

/**
 * Patterns from the input (a CRD's `pattern`) and from the config (a policy's) run in RE2's linear-time engine (re2js,
 * pure JavaScript, so the bundled Action carries it too): `^(a|a)*$` or `^(.*a){12}$` on a value built for them cost a
 * few milliseconds instead of minutes, whatever the pattern. The star-height check above cannot see those.
 * `lenient`: a pattern RE2 cannot compile (lookaround, backreferences) matches everything, so it is left out as an
 * invalid CRD pattern is; otherwise compiling the schema fails with RE2's message.
 */
export async function linearRegExpEngine(lenient: boolean): Promise<RegExpEngine> {
  const { RE2JS } = await import('re2js');
  const cache = new Map<string, { test: (s: string) => boolean; toString: () => string }>();
  const compile = (pattern: string): { test: (s: string) => boolean; toString: () => string } => {
    let re = cache.get(pattern);
    if (!re) {
      try {
        const compiled = RE2JS.compile(pattern);
        // ajv keys its compiled patterns by toString(): each must have its own, or every pattern would share the first.
        re = { test: (s: string) => compiled.matcher(s).find(), toString: () => `/${pattern}/` };
      } catch (err) {
        if (!lenient)
          throw new Error(
            `the pattern cannot be used (shipshape runs patterns in a linear-time engine without lookaround or backreferences): ${(err as Error).message}`,
            { cause: err },
          );
        re = { test: () => true, toString: () => `/${pattern}/` };
      }
      cache.set(pattern, re);
    }
    return re;
  };
  // `code`: ajv's name for it in generated code; schemas from the input are never compiled to standalone code.
  return Object.assign(compile, { code: 'linearRegExp' });
}
