import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, parseAllDocuments, type Document } from 'yaml';
import { applyFixes } from '../../src/fix/apply.js';
import type { FixEdit, Path } from '../../src/model/types.js';
import { requireShared } from './require.js';

const SHARED = requireShared();

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Edits of every kind at the last places of a document: the last mapping, sequence and scalar met depth first. */
function editsFor(doc: Document): FixEdit[] {
  let map: Path | undefined;
  let seq: { path: Path; n: number } | undefined;
  let scalar: Path | undefined;
  const walk = (node: unknown, at: Path): void => {
    if (isMap(node)) {
      map = at;
      for (const p of node.items) if (isScalar(p.key)) walk(p.value, [...at, String(p.key.value)]);
    } else if (isSeq(node)) {
      seq = { path: at, n: node.items.length };
      node.items.forEach((x, i) => walk(x, [...at, i]));
    } else if (isScalar(node) && at.length) scalar = at;
  };
  walk(doc.contents, []);
  const edits: FixEdit[] = [];
  if (map) {
    edits.push({ op: 'set', path: [...map, 'zz-new'], value: { on: 'on', list: [1, { name: 'x', value: 'y' }] } });
    edits.push({ op: 'set', path: [...map, 'zz-a', 'zz-b'], value: '1' });
  }
  if (seq) {
    edits.push({ op: 'append', path: seq.path, value: { name: 'zz', value: 'yes' } });
    if (seq.n > 1) edits.push({ op: 'delete', path: [...seq.path, 0] });
    if (seq.n) edits.push({ op: 'set', path: [...seq.path, seq.n - 1], value: { k: 'v' } });
  }
  if (scalar) edits.push({ op: 'set', path: scalar, value: 'zz: quoted' });
  edits.push({ op: 'document', name: 'zz', value: { kind: 'Zz', items: ['a'] } });
  return edits;
}

describe('applyFixes on the corpus (../shared/corpus)', () => {
  it('places every kind of edit so that the text reads back as the fixed objects, and a second run changes nothing', () => {
    const wrong: string[] = [];
    let applied = 0;
    for (const file of yamlFiles(path.join(SHARED, 'corpus'))) {
      const text = readFileSync(file, 'utf8');
      const docs = parseAllDocuments(text);
      if (!Array.isArray(docs) || docs.length > 20) continue;
      const name = path.relative(SHARED, file);
      docs.forEach((doc, i) => {
        if (doc.errors.length || !doc.contents) return;
        const edits = editsFor(doc);
        // One at a time, and all at once (overlaps are left out with a note, the rest applied together). Without the
        // delete (of the first item: a second one deletes the next) and the item replaced (a second run, where the
        // edits inside it are already there, replaces it), a second run changes nothing.
        const lasting = edits.filter(
          (x) => x.op !== 'delete' && !(x.op === 'set' && typeof x.path.at(-1) === 'number'),
        );
        for (const e of [...edits.map((x) => [x]), edits, lasting]) {
          const out = applyFixes(text, [{ doc: i, edits: e }]);
          const bad = out.notes.filter((n) => n.includes('would not read') || n.includes('not placed'));
          if (bad.length) wrong.push(`${name} #${i} ${JSON.stringify(e)}: ${bad.join('; ')}`);
          applied += out.applied;
          if (e !== lasting || !out.applied) continue;
          const again = applyFixes(out.text, [{ doc: i, edits: e }]);
          if (again.text !== out.text) wrong.push(`${name} #${i}: a second run changes the text`);
        }
      });
    }
    expect(wrong).toEqual([]);
    expect(applied).toBeGreaterThan(5000);
  }, 600_000);
});
