/** Types for scripts/layers.js (used by test/architecture.test.ts). */
export const TOP_LEVEL_FILES: Record<string, string>;
export const ALLOWED: Record<string, string[]>;
export function layerOf(rel: string): string | undefined;
