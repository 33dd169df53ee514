/** Types for bench/generate.js (used by test/fast-path.test.ts). */
export const ANTI_PATTERNS: Record<string, string>;
export const RATE: number;
export function generate(opts: { resources: number; out: string; seed?: number }): {
  files: number;
  bytes: number;
  kinds: Record<string, number>;
  antiPatterns: Record<string, number>;
};
