import type { Resource } from './types.js';

/** Object.freeze, all the way down (parsed values are trees of plain JSON). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Freeze what a rule reads of a resource, so that a rule writing to its input throws instead of changing it. */
export function freezeResource(r: Resource): void {
  deepFreeze(r.value);
  deepFreeze(r.labels);
  deepFreeze(r.annotations);
}
