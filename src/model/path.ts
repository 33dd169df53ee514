import { isObject } from './json.js';
import type { Path } from './types.js';

/**
 * The one path module: paths into plain JSON (a Resource's value, a config file), as rules report them and as
 * findings print them. A path built by walking a value has numbers for list items and strings for keys.
 */

/** One step into plain JSON: an array by index, an object by key; anything else is undefined. */
export function step(v: unknown, seg: string | number): unknown {
  if (Array.isArray(v) && typeof seg === 'number') return v[seg] as unknown;
  if (isObject(v) && typeof seg === 'string') return v[seg];
  return undefined;
}

/** The value at a path of plain JSON, or undefined. */
export function valueAt(v: unknown, p: Path): unknown {
  let node = v;
  for (const seg of p) {
    node = step(node, seg);
    if (node === undefined) return undefined;
  }
  return node;
}

/** A path as findings print it: `spec.containers[0].env["A.B"]`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** The inverse of formatPath: `a.b[0]["x.y"]` → ['a', 'b', 0, 'x.y']. */
export function parsePath(text: string): Path {
  const out: (string | number)[] = [];
  for (const m of text.matchAll(/\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|([^.[\]]+)/g)) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(JSON.parse(m[2]) as string);
    else if (m[3] !== undefined) out.push(m[3]);
  }
  return out;
}

/**
 * An ajv `instancePath` (a JSON pointer) as a path that can be located: pointer escapes decoded, and numbers where
 * the value at that point is a list.
 */
export function pathFromPointer(data: unknown, instancePath: string): (string | number)[] {
  const out: (string | number)[] = [];
  let node = data;
  for (const raw of instancePath === '' ? [] : instancePath.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(seg)) {
      out.push(Number(seg));
      node = node[Number(seg)];
    } else {
      out.push(seg);
      node = isObject(node) ? node[seg] : undefined;
    }
  }
  return out;
}
