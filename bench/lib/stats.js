// Small statistics and formatting helpers for the benchmark.

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** { median, min, max, runs } of a list of samples. */
export function summary(xs) {
  return {
    median: median(xs),
    min: Math.min(...xs),
    max: Math.max(...xs),
    runs: xs.length,
    samples: xs.map((x) => round(x, 2)),
  };
}

export function round(x, digits = 1) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function ms(x) {
  if (!Number.isFinite(x)) return '–';
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`;
}

export function mb(kb) {
  return Number.isFinite(kb) ? `${(kb / 1024).toFixed(0)} MB` : '–';
}

export function range(s, fmt = ms) {
  return `${fmt(s.min)} – ${fmt(s.max)}`;
}
