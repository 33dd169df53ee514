import { isObject } from './json.js';

/** A Kubernetes label selector (matchLabels + matchExpressions), or a bare map as Services use. */
export interface Selector {
  matchLabels: Record<string, string>;
  matchExpressions: { key: string; operator: string; values: string[] }[];
}

export function readSelector(raw: unknown, bare = false): Selector | undefined {
  if (!isObject(raw)) return undefined;
  if (bare) return { matchLabels: labelMap(raw), matchExpressions: [] };
  const exprs = Array.isArray(raw.matchExpressions)
    ? raw.matchExpressions.filter(isObject).map((e) => ({
        key: String(e.key ?? ''),
        operator: String(e.operator ?? ''),
        values: Array.isArray(e.values) ? e.values.map(String) : [],
      }))
    : [];
  return { matchLabels: labelMap(raw.matchLabels), matchExpressions: exprs };
}

function labelMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(v))
    for (const [k, val] of Object.entries(v)) if (val !== null && typeof val !== 'object') out[k] = String(val);
  return out;
}

export function isEmptySelector(s: Selector): boolean {
  return Object.keys(s.matchLabels).length === 0 && s.matchExpressions.length === 0;
}

/** Kubernetes semantics: every requirement must hold; an empty selector matches everything. */
export function selectorMatches(s: Selector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(s.matchLabels)) if (labels[k] !== v) return false;
  for (const e of s.matchExpressions) {
    const has = Object.hasOwn(labels, e.key);
    switch (e.operator) {
      case 'In':
        if (!has || !e.values.includes(labels[e.key]!)) return false;
        break;
      case 'NotIn':
        if (has && e.values.includes(labels[e.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false; // an unknown operator is rejected by the API server; it matches nothing
    }
  }
  return true;
}
