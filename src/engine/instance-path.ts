import { isObject } from '../load/parse.js';

/**
 * An ajv `instancePath` (a JSON pointer) as a path that can be located: pointer escapes decoded, and numbers where
 * the value at that point is a list.
 */
export function pathFromPointer(data: unknown, instancePath: string): (string | number)[] {
  const out: (string | number)[] = [];
  let node = data;
  for (const raw of instancePath === '' ? [] : instancePath.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      out.push(Number(seg));
      node = node[Number(seg)];
    } else {
      out.push(seg);
      node = isObject(node) ? node[seg] : undefined;
    }
  }
  return out;
}
