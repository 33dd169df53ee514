/** The candidate closest to `input` by edit distance, when it is close enough to be a typo. */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(input.length / 3));
  const a = input.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    // Distances above the limit or not below the best so far change nothing: stop computing them early (this runs
    // over every workload name for each unmatched reference).
    const d = distance(a, c.toLowerCase(), Math.min(limit, bestD - 1));
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  if (best !== undefined && bestD <= limit) return best;
  // A truncated word (`warn`, `minRestartWindow`) is closer than its edit distance says.
  const lower = input.toLowerCase();
  if (lower.length < 3) return undefined;
  for (const c of candidates) if (c.toLowerCase().startsWith(lower)) return c;
  return undefined;
}

/** Levenshtein distance when it is at most `cutoff`, otherwise some number above `cutoff`. */
function distance(a: string, b: string, cutoff = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > cutoff) return cutoff + 1;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (prev[j]! < rowMin) rowMin = prev[j]!;
      diag = tmp;
    }
    // The minimum of a row never decreases further down: the distance is already above the cutoff.
    if (rowMin > cutoff) return cutoff + 1;
  }
  return prev[b.length]!;
}

export function didYouMean(input: string, candidates: Iterable<string>): string {
  const c = closest(input, candidates);
  return c ? ` — did you mean "${c}"?` : '';
}
