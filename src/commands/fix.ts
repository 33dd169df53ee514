import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { applyFixes } from '../fix/apply.js';
import { lint, type LintOptions, type LintOutput } from '../index.js';
import type { Finding, Fix } from '../model/types.js';

/** At most this many passes: a fix can make another one possible, never an endless chain. */
const MAX_PASSES = 3;

export interface FixRun {
  /** The last lint, after the fixes (before them for a dry run). */
  result: LintOutput;
  /** The lines `--fix` prints on stderr: what changed, what was left alone and why. */
  log: string[];
  /** `--fix-dry-run`: the unified diff of every file that would change. */
  diff: string;
}

/**
 * `--fix`: applies the fixes the findings carry, file by file, then lints again; a file whose edits bring a finding
 * that was not there before (a schema error too) is put back as it was and reported. Up to three passes, until
 * nothing changes. `dryRun`: one pass in memory, the diff printed, nothing written.
 */
export async function runFix(options: LintOptions, dryRun: boolean, cwd: string): Promise<FixRun> {
  const log: string[] = [];
  const originals = new Map<string, string>();
  const texts = new Map<string, string>();
  const tried = new Set<string>();
  const read = (file: string): string => texts.get(file) ?? readFileSync(resolve(cwd, file), 'utf8');
  const readMaybe = (file: string): string | undefined =>
    existsSync(resolve(cwd, file)) ? read(file) : texts.get(file);
  /** Files a fix created (a new document beside a kustomization): removed again when the fix is put back. */
  const created = new Set<string>();
  let result = await lint(options);
  for (const f of result.findings)
    if (f.fixSkipped && !f.suppressed) log.push(`${f.file}: ${f.ruleId} not fixed: ${f.fixSkipped}`);
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let changes = 0;
    const fixable = result.findings.filter(
      (f): f is Finding & { fix: Fix } => f.fix !== undefined && !f.suppressed && !tried.has(f.fingerprint),
    );
    if (!fixable.length) break;
    // One finding at a time: a fix that brings a new finding is put back alone, the others stay.
    for (const f of fixable) {
      tried.add(f.fingerprint);
      const old = read(f.file);
      const done = applyFixes(old, [f.fix], f.resource?.kind, { file: f.file, read: readMaybe });
      for (const n of done.notes) log.push(`${f.file}: ${f.ruleId}: ${n}`);
      // The file itself, and the other files the fix writes (a new file and the kustomization listing it).
      const writes = [
        ...(done.text === old ? [] : [{ file: f.file, text: done.text, create: false }]),
        ...(done.files ?? []),
      ];
      if (!done.applied || !writes.length) continue;
      const previous = writes.map((w) => ({ file: w.file, text: w.create ? undefined : readMaybe(w.file) }));
      for (const w of writes) {
        if (!originals.has(w.file)) originals.set(w.file, w.create ? '' : read(w.file));
        texts.set(w.file, w.text);
        if (w.create) created.add(w.file);
      }
      if (dryRun) {
        changes++;
        continue;
      }
      const before = new Set(result.findings.map((x) => x.fingerprint));
      for (const w of writes) writeFileSync(resolve(cwd, w.file), w.text);
      const after = await lint(options);
      const fresh = after.findings.filter((x) => !before.has(x.fingerprint) && !x.suppressed);
      if (fresh.length) {
        for (const p of previous) {
          if (p.text === undefined) {
            rmSync(resolve(cwd, p.file), { force: true });
            texts.delete(p.file);
            created.delete(p.file);
            originals.delete(p.file);
          } else {
            writeFileSync(resolve(cwd, p.file), p.text);
            texts.set(p.file, p.text);
          }
        }
        const why = fresh[0]!;
        log.push(
          `${f.file}: ${f.ruleId} (${f.path ?? ''}) not fixed: the fix would bring ${why.ruleId}: ${why.message}`,
        );
      } else {
        result = after;
        changes++;
        log.push(`${f.file}: fixed ${f.ruleId} (${f.path ?? ''})`);
      }
    }
    if (!changes || dryRun) break;
  }
  let diff = '';
  if (dryRun)
    for (const [file, old] of originals)
      if (texts.get(file) !== old)
        diff += createTwoFilesPatch(created.has(file) ? '/dev/null' : `a/${file}`, `b/${file}`, old, texts.get(file)!);
  return { result, log, diff };
}
