import { chmodSync, cpSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parseDocument, type Document } from 'yaml';
import type { Fix } from '../../src/model/types.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp.js';
import { requireShared } from './require.js';

/**
 * `--fix` over the whole corpus, in a temporary copy: every finding that had a fix is gone or reported as not fixed
 * (with why), nothing new is found, every changed file still parses, to the objects it had with the fixes' edits made
 * (applied here in memory with yaml's Document API), and every other file is byte-identical. It works for whatever
 * rules carry fixes: the fixes come from the reports, not from a list.
 */

interface JsonFinding {
  ruleId: string;
  file: string;
  path?: string;
  fingerprint: string;
  suppressed?: boolean;
  fix?: Fix;
}
interface Report {
  findings: JsonFinding[];
  applied?: (JsonFinding & { batch: number; files: string[]; fix: Fix })[];
}

/** The files under `dir` (relative, with /), and with `dirs` the directories too (absolute). */
function walk(dir: string, base = dir, dirs?: string[]): string[] {
  dirs?.push(dir);
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p, base, dirs) : [path.relative(base, p).split(path.sep).join('/')];
  });
}

const KUSTOMIZATION = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;

/** The objects of a text, as yaml reads them (throws on a parse error). */
function objects(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => {
    if (d.errors.length) throw new Error(d.errors[0]!.message);
    return d.toJS();
  });
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * `docs` with the fixes of one batch made: edits in place, then new documents (the last first, so indexes hold). As
 * --fix does, an item equal to one already in the sequence is not appended again, nor a document equal to one there.
 */
function applyBatch(docs: Document[], fixes: readonly Fix[], elsewhere: boolean): Document[] {
  const added: { after: number; value: unknown }[] = [];
  for (const fix of fixes)
    for (const e of fix.edits) {
      const doc = docs[fix.doc]!;
      if (e.op === 'set') doc.setIn(e.path, e.value);
      else if (e.op === 'delete') doc.deleteIn(e.path);
      else if (e.op === 'append') {
        const seq = doc.getIn(e.path) as { toJSON?: () => unknown } | undefined;
        const items = seq?.toJSON ? (seq.toJSON() as unknown[]) : [];
        // A missing (or empty) sequence is created with the item.
        if (!seq || seq.toJSON === undefined) doc.setIn(e.path, [e.value]);
        else if (!Array.isArray(items) || !items.some((i) => same(i, e.value))) doc.addIn(e.path, e.value);
      } else if (
        // A new document of a file listed in a kustomization goes into a new file beside it.
        !elsewhere &&
        !docs.some((d) => same(d.toJS(), e.value)) &&
        !added.some((a) => same(a.value, e.value))
      )
        added.push({ after: fix.doc, value: e.value });
    }
  const out = [...docs];
  for (const a of added.sort((x, y) => y.after - x.after))
    out.splice(a.after + 1, 0, parseDocument(JSON.stringify(a.value)));
  return out;
}

describe('--fix over the whole corpus', () => {
  it('fixes every fixable finding or says why, brings nothing new, and leaves every other byte alone', async () => {
    const shared = requireShared();
    const dir = tempDir('shipshape-fix-corpus-');
    cpSync(path.join(shared, 'corpus'), dir, { recursive: true });
    // The corpus is read-only: the copy is made writable, as a checkout is.
    const dirs: string[] = [];
    const files = walk(dir, dir, dirs);
    for (const f of files) chmodSync(path.join(dir, f), 0o644);
    for (const d of dirs) chmodSync(d, 0o755);
    const old = new Map(files.map((f) => [f, readFileSync(path.join(dir, f))]));

    let t = Date.now();
    const lintRun = await runCli(['--format', 'json', '--fail-on', 'none', '.'], { cwd: dir, timeoutMs: 600_000 });
    const lintMs = Date.now() - t;
    expect(lintRun.code).toBe(0);
    const before = JSON.parse(lintRun.stdout) as Report;
    const fixable = before.findings.filter((f) => f.fix?.changes?.length && !f.suppressed);

    t = Date.now();
    // The report of a --fix run is the lint after the fixes (a whole lint of the files as they are then).
    const fixRun = await runCli(['--fix', '--format', 'json', '--fail-on', 'none', '.'], {
      cwd: dir,
      timeoutMs: 900_000,
    });
    const fixMs = Date.now() - t;
    expect(fixRun.code).toBe(0);
    const after = JSON.parse(fixRun.stdout) as Report;
    const applied = after.applied ?? [];

    // Every fixable finding: gone, or reported on stderr as not fixed, with a reason.
    const notFixed = new Map<string, string[]>();
    for (const line of fixRun.stderr.split('\n')) {
      const m = /^shipshape: (.+?): (\S+)(?: \((.*)\))? not fixed: (.+)$/.exec(line);
      if (m)
        notFixed.set(`${m[1]} ${m[2]} ${m[3] ?? ''}`, [
          ...(notFixed.get(`${m[1]} ${m[2]} ${m[3] ?? ''}`) ?? []),
          m[4]!,
        ]);
    }
    const still = new Set(after.findings.map((f) => f.fingerprint));
    const gone = fixable.filter((f) => !still.has(f.fingerprint));
    const left = fixable.filter((f) => still.has(f.fingerprint));
    const unexplained = left.filter((f) => !notFixed.get(`${f.file} ${f.ruleId} ${f.path ?? ''}`)?.length);
    expect(unexplained.map((f) => `${f.file} ${f.ruleId} ${f.path ?? ''}`)).toEqual([]);

    // Nothing new.
    const known = new Set(before.findings.map((f) => f.fingerprint));
    expect(after.findings.filter((f) => !known.has(f.fingerprint)).map((f) => `${f.file} ${f.ruleId}`)).toEqual([]);

    // The files changed are those of the fixes made; a new file holds a new document of a fix (a kustomize unit's),
    // and the kustomization beside it only lists it in resources.
    const now = walk(dir);
    const created = now.filter((f) => !old.has(f));
    const changed = now.filter((f) => old.has(f) && !old.get(f)!.equals(readFileSync(path.join(dir, f))));
    const fixedFiles = new Set(applied.map((a) => a.file));
    const newDocs = applied.flatMap((a) => a.fix.edits.flatMap((e) => (e.op === 'document' ? [e.value] : [])));
    for (const file of created) {
      const objs = objects(readFileSync(path.join(dir, file), 'utf8'));
      expect([file, objs.every((o) => newDocs.some((d) => same(d, o)))]).toEqual([file, true]);
    }
    for (const file of changed.filter((f) => !fixedFiles.has(f))) {
      expect([file, KUSTOMIZATION.test(file)]).toEqual([file, true]);
      const [was] = objects(old.get(file)!.toString('utf8')) as Record<string, unknown>[];
      const is = objects(readFileSync(path.join(dir, file), 'utf8'))[0] as Record<string, unknown>;
      const listed = (is.resources as string[]).filter((r) => !((was!.resources as string[]) ?? []).includes(r));
      expect({ ...is, resources: (was!.resources as string[]) ?? [] }).toEqual({
        ...was,
        resources: was!.resources ?? [],
      });
      for (const r of listed) expect(created).toContain(path.posix.join(path.posix.dirname(file), r));
    }
    // Only files the fixes wrote changed (a finding's file is unchanged when its new document went to a new file).
    const written = new Set(applied.flatMap((a) => a.files));
    expect([...changed, ...created].filter((f) => !written.has(f))).toEqual([]);

    // Each fixed file: the objects it had, with the edits made in memory, batch by batch, are the objects it has.
    for (const file of fixedFiles) {
      let docs = parseAllDocuments(old.get(file)!.toString('utf8')) as Document[];
      const batches = new Map<number, { fixes: Fix[]; elsewhere: boolean }>();
      for (const a of applied.filter((x) => x.file === file))
        batches.set(a.batch, {
          fixes: [...(batches.get(a.batch)?.fixes ?? []), a.fix],
          elsewhere: a.files.some((f) => f !== file),
        });
      for (const [, b] of [...batches].sort(([a], [b]) => a - b)) docs = applyBatch(docs, b.fixes, b.elsewhere);
      expect([file, objects(readFileSync(path.join(dir, file), 'utf8'))]).toEqual([file, docs.map((d) => d.toJS())]);
    }

    const reasons = new Map<string, number>();
    for (const f of left) {
      const why = notFixed.get(`${f.file} ${f.ruleId} ${f.path ?? ''}`)![0]!.replace(/: .*/, '');
      reasons.set(`${f.ruleId}: ${why}`, (reasons.get(`${f.ruleId}: ${why}`) ?? 0) + 1);
    }
    console.log(
      [
        `fix-corpus: ${fixable.length} fixable findings: ${gone.length} fixed, ${left.length} not fixed;` +
          ` ${applied.length} fixes made (chains included) in ${fixedFiles.size} files, ${created.length} files created`,
        ...[...reasons].map(([r, n]) => `  not fixed: ${n} × ${r}`),
        `  lint ${(lintMs / 1000).toFixed(1)} s, --fix ${(fixMs / 1000).toFixed(1)} s`,
      ].join('\n'),
    );
    expect(gone.length + left.length).toBe(fixable.length);
  }, 1_200_000);
});
