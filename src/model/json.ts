import type { JsonObject } from './types.js';

/** A plain JSON object: not null, not an array. */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The scalar entries of a mapping as strings (labels, annotations, environment maps); anything else is dropped. */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
  }
  return out;
}

/** A string or a list of strings and numbers, as a list of strings. */
export function strings(v: unknown): string[] {
  if (!Array.isArray(v)) return typeof v === 'string' ? [v] : [];
  return v.filter((x) => typeof x === 'string' || typeof x === 'number').map(String);
}
