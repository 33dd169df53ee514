import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyFixes, type FileFix } from '../fix/apply.js';
import { dryRunDiff, type FileDiff } from '../fix/diff.js';
import { lint, type LintOptions, type LintOutput } from '../index.js';
import { redact } from '../model/redact.js';
import type { Finding, Fix, Range } from '../model/types.js';

/** At most this many passes: a fix can make another one possible (replicas → pdb-missing), never an endless chain. */
export const MAX_PASSES = 5;

/** The rules whose findings are about a secret value (meta tag `secrets`): their values never reach a diff. */
const SECRET_TAG = 'secrets';

export interface FixRun {
  /** The last lint, after the fixes (before them for a dry run). */
  result: LintOutput;
  /** The lines `--fix` prints on stderr: what changed, what was left alone and why, and the commands to run. */
  log: string[];
  /** `--fix-dry-run`: the commands to run, then the unified diff of every file that would change. */
  diff: string;
}

type Fixable = Finding & { fix: Fix };

/** The files `--fix` changes: their texts as read first (null: a file it creates), now, and written unless dry. */
class Workspace {
  readonly originals = new Map<string, string | null>();
  private readonly texts = new Map<string, string | null>();
  /** While set, the text each file had before its first write (a retry puts them back). */
  recorder: Map<string, string | null> | undefined;

  constructor(
    private readonly cwd: string,
    private readonly dry: boolean,
  ) {}

  read(file: string): string | undefined {
    if (this.texts.has(file)) return this.texts.get(file) ?? undefined;
    try {
      return readFileSync(path.resolve(this.cwd, file), 'utf8');
    } catch {
      return undefined;
    }
  }

  write(file: string, text: string | null): void {
    if (!this.originals.has(file)) this.originals.set(file, this.read(file) ?? null);
    if (this.recorder && !this.recorder.has(file)) this.recorder.set(file, this.read(file) ?? null);
    this.texts.set(file, text);
    if (this.dry) return;
    const abs = path.resolve(this.cwd, file);
    if (text === null) rmSync(abs, { force: true });
    else {
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, text);
    }
  }

  restore(snapshot: ReadonlyMap<string, string | null>): void {
    for (const [file, text] of snapshot) if ((this.read(file) ?? null) !== text) this.write(file, text);
  }

  /** Files whose text is not what it was. */
  changed(): string[] {
    return [...this.originals].filter(([f, old]) => (this.read(f) ?? null) !== old).map(([f]) => f);
  }
}

/** A fix made: its finding (as found when it was made) and every file its file's batch wrote. */
interface Made {
  finding: Fixable;
  files: string[];
  kept: boolean;
  /** The fixes of one batch were made together, against the same text (their `doc` indexes are of that text). */
  batch: number;
}

const label = (f: Finding): string => `${f.file}: ${f.ruleId}${f.path ? ` (${f.path})` : ''}`;

/**
 * `--fix`: applies the fixes the findings carry, in passes. A pass applies all fixes of a file at once and writes the
 * files; then only the deployment units (and directories) of the files it edited are linted again, before and after,
 * so a pass costs a small lint rather than a whole one. A finding the pass brought that has a fix (a chain: replicas →
 * pdb-missing) is fixed by the next pass, at most MAX_PASSES. One that has none is blamed on the pass's edited files
 * that can have caused it: they are put back, and their fixes are tried again one at a time, so an innocent fix in the
 * same file is kept; a fix that still brings a finding is put back and reported. A last whole lint checks that nothing
 * new is anywhere (blaming again if something is). `dryRun`: one pass in memory, nothing written, no check; the
 * diff and the commands are returned.
 */
export async function runFix(options: LintOptions, dryRun: boolean, cwd: string): Promise<FixRun> {
  const ws = new Workspace(cwd, dryRun);
  const first = await lint(options);
  const known = new Set(first.findings.map((f) => f.fingerprint));
  const made: Made[] = [];
  const notFixed = new Map<string, { finding: Finding; why: string }>();
  const tried = new Set<string>();
  const secretRules = new Set(first.rules.filter((r) => r.meta.tags?.includes(SECRET_TAG)).map((r) => r.id));
  const secretValues: string[] = [];
  let batches = 0;
  // What the user asked to check: a lint of a unit's directory may see files beside it, which are not ours to judge.
  const checked = new Set([
    ...first.input.files.map((f) => f.file.path),
    ...first.input.resources.map((r) => r.file.path),
  ]);
  const unitRoots = unitRootsOf(first, cwd);
  const ours = (f: Finding): boolean => checked.has(f.file) || ws.originals.get(f.file) === null;

  const noteSkipped = (r: LintOutput): void => {
    for (const f of r.findings)
      if (f.fixSkipped && !f.suppressed && ours(f)) notFixed.set(f.fingerprint, { finding: f, why: f.fixSkipped });
  };
  /** A lint of the units and directories of `files` only, or of everything asked when that is what they are. */
  const lintAround = (files: readonly string[]): Promise<LintOutput> => {
    const paths = scopeOf(files, unitRoots, cwd);
    return paths.includes('.') ? lint(options) : lint({ ...options, paths });
  };
  const newIn = (after: LintOutput, before: LintOutput): Finding[] => {
    const had = new Set(before.findings.map((f) => f.fingerprint));
    return after.findings.filter((f) => !f.suppressed && !had.has(f.fingerprint) && ours(f));
  };

  /**
   * Applies `fixables`: per file, each fix alone first (checked against its document's kind; a fix that does not apply
   * whole is not made), then together with the file's others (a fix that overlaps one already taken waits for the next
   * pass). Writes the files; returns the fixes made.
   */
  const applyBatch = (fixables: readonly Fixable[]): Made[] => {
    const byFile = new Map<string, Fixable[]>();
    for (const f of fixables) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    const out: Made[] = [];
    for (const [file, list] of byFile) {
      const text = ws.read(file);
      if (text === undefined) {
        for (const f of list) {
          tried.add(f.fingerprint);
          notFixed.set(f.fingerprint, { finding: f, why: 'the file cannot be read' });
        }
        continue;
      }
      const taken: Fixable[] = [];
      let done: FileFix | undefined;
      // Other files (a kustomization, a file beside it) are read as the fixes so far left them.
      const context = { file, read: (p: string) => ws.read(p) };
      for (const f of list) {
        const alone = applyFixes(text, [f.fix], f.resource?.kind, context);
        if (!alone.applied || alone.notes.length || (alone.text === text && !alone.files?.length)) {
          tried.add(f.fingerprint);
          const why = alone.notes.join('; ') || 'the fix changes nothing';
          notFixed.set(f.fingerprint, { finding: f, why });
          continue;
        }
        const together = applyFixes(
          text,
          [...taken, f].map((x) => x.fix),
          undefined,
          context,
        );
        if (together.notes.length || together.applied !== (done?.applied ?? 0) + alone.applied) {
          // Tried again on the next pass, against the file with the others made.
          notFixed.set(f.fingerprint, { finding: f, why: `it overlaps another fix: ${together.notes.join('; ')}` });
          continue;
        }
        tried.add(f.fingerprint);
        taken.push(f);
        done = together;
      }
      if (!done) continue;
      for (const f of taken) if (secretRules.has(f.ruleId)) secretValues.push(textAt(text, f.range));
      if (done.text !== text) ws.write(file, done.text);
      for (const o of done.files ?? []) ws.write(o.file, o.text);
      const files = [file, ...(done.files ?? []).map((o) => o.file)];
      batches++;
      for (const f of taken) {
        notFixed.delete(f.fingerprint);
        out.push({ finding: f, files, kept: true, batch: batches });
      }
    }
    made.push(...out);
    return out;
  };

  const fixablesOf = (r: LintOutput): Fixable[] =>
    r.findings.filter(
      (f): f is Fixable => f.fix !== undefined && !f.suppressed && !tried.has(f.fingerprint) && ours(f),
    );

  /**
   * Fixes that a lint showed bring `fresh` findings without a fix: the edited files that can have caused them are put
   * back to `to` (their texts before those fixes), then each of their fixes is tried again alone.
   */
  const blame = async (
    fresh: readonly Finding[],
    among: readonly Made[],
    to: ReadonlyMap<string, string | null>,
    again: boolean,
  ): Promise<boolean> => {
    const blamed = closure(suspectFiles(fresh, [...new Set(among.flatMap((m) => m.files))], unitRoots, cwd), among);
    if (!blamed.length) return false;
    ws.restore(pick(to, blamed));
    for (const m of blamed) {
      m.kept = false;
      tried.delete(m.finding.fingerprint);
      if (!again) notFixed.set(m.finding.fingerprint, { finding: m.finding, why: bring(fresh[0]!) });
    }
    if (again) for (const m of blamed) await retry(m.finding);
    return true;
  };

  /**
   * One blamed fix again, alone, against the files as they are now: kept when the lint of its unit after it (and
   * after the fixes of any fixable finding it brings) has nothing new; else put back and reported.
   */
  const retry = async (was: Fixable): Promise<void> => {
    const base = await lintAround([was.file]);
    const finding = fixablesOf(base).find((f) => f.fingerprint === was.fingerprint);
    if (!finding) return;
    const snapshot = new Map<string, string | null>();
    ws.recorder = snapshot;
    const mine: Made[] = [];
    let batch: Fixable[] = [finding];
    let why: Finding | undefined;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const now = applyBatch(batch);
      if (!now.length) break;
      mine.push(...now);
      const after = await lintAround(mine.flatMap((m) => m.files));
      const fresh = newIn(after, base);
      if (!fresh.length) {
        ws.recorder = undefined;
        noteSkipped(after);
        return;
      }
      batch = fresh.filter((f): f is Fixable => f.fix !== undefined && !tried.has(f.fingerprint));
      why = fresh.find((f) => !batch.includes(f as Fixable)) ?? fresh[0];
      if (batch.length < fresh.length) break;
    }
    ws.recorder = undefined;
    if (!mine.length) return;
    ws.restore(snapshot);
    for (const m of mine) m.kept = false;
    const reason = why ? bring(why) : 'the fix changes nothing';
    notFixed.set(finding.fingerprint, { finding, why: reason });
  };

  noteSkipped(first);
  let fixables = fixablesOf(first);
  for (let pass = 0; pass < MAX_PASSES && fixables.length; pass++) {
    const files = [...new Set(fixables.map((f) => f.file))];
    const before = pass === 0 && dryRun ? first : await lintAround(files);
    const snapshot = new Map<string, string | null>();
    ws.recorder = snapshot;
    const now = applyBatch(fixables);
    ws.recorder = undefined;
    if (dryRun || !now.length) break;
    const edited = [...new Set(now.flatMap((m) => m.files))];
    let after = await lintAround(edited);
    noteSkipped(after);
    const fresh = newIn(after, before).filter((f) => !f.fix || tried.has(f.fingerprint));
    if (fresh.length && (await blame(fresh, now, snapshot, true))) after = await lintAround(edited);
    fixables = fixablesOf(after);
  }

  if (dryRun) return { result: first, log: notFixedLog(notFixed, first), diff: diff() };

  // The whole lint: anything new that the lints of units did not see (a unit only the whole run forms) is blamed on
  // the fixes that can have caused it, put back without a retry; if that does not clear it, every fix is put back.
  let result = await lint(options);
  for (let round = 0; round < 2; round++) {
    const fresh = result.findings.filter((f) => !f.suppressed && !known.has(f.fingerprint));
    if (!fresh.length) break;
    const kept = made.filter((m) => m.kept);
    if (round === 0 && (await blame(fresh, kept, ws.originals, false))) {
      result = await lint(options);
      continue;
    }
    ws.restore(pick(ws.originals, kept));
    for (const m of kept) {
      m.kept = false;
      notFixed.set(m.finding.fingerprint, {
        finding: m.finding,
        why: `the fixes together would bring ${fresh[0]!.ruleId}: ${fresh[0]!.message}`,
      });
    }
    result = await lint(options);
    break;
  }
  noteSkipped(result);

  const log = notFixedLog(notFixed, result);
  const still = new Set(result.findings.map((f) => f.fingerprint));
  const kept = made.filter((m) => m.kept);
  for (const m of kept)
    log.push(
      still.has(m.finding.fingerprint)
        ? `${label(m.finding)}: fixed, but still reported`
        : `${m.finding.file}: fixed ${m.finding.ruleId}${m.finding.path ? ` (${m.finding.path})` : ''}`,
    );
  for (const c of commands(kept)) log.push(`then run: ${c}`);
  // What is left to report: a fix that could not be made is no longer offered.
  for (const f of result.findings) {
    const no = f.fix ? notFixed.get(f.fingerprint) : undefined;
    if (no) {
      delete f.fix;
      f.fixSkipped = no.why;
    }
  }
  result.applied = kept.map((m) => ({ batch: m.batch, files: m.files, finding: m.finding }));
  return { result, log, diff: '' };

  function diff(): string {
    const secretFiles = new Set(first.findings.filter((f) => secretRules.has(f.ruleId)).map((f) => f.file));
    // Every value a secret rule reported in a file that is shown, fixed or not: masked wherever it appears.
    for (const f of first.findings)
      if (secretRules.has(f.ruleId) && ws.originals.has(f.file)) {
        const text = ws.originals.get(f.file);
        if (text) secretValues.push(textAt(text, f.range));
      }
    const files: FileDiff[] = ws.changed().map((file) => ({
      file,
      before: ws.originals.get(file) ?? null,
      after: ws.read(file) ?? '',
      ...(secretFiles.has(file) || made.some((m) => m.files.includes(file) && secretRules.has(m.finding.ruleId))
        ? { secret: true }
        : {}),
    }));
    return dryRunDiff(files, commands(made), secretValues);
  }
}

/** Absolute file → the absolute roots of the deployment units it belongs to. */
function unitRootsOf(result: LintOutput, cwd: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const u of result.input.units)
    if (u.unit.absRoot)
      for (const f of u.unit.files) out.set(f, [...(out.get(f) ?? []), path.resolve(cwd, u.unit.absRoot)]);
  return out;
}

/** The paths to lint for `files`: their directories and the roots of their units, none inside another. */
function scopeOf(files: readonly string[], unitRoots: ReadonlyMap<string, string[]>, cwd: string): string[] {
  const dirs = new Set<string>();
  for (const f of files) {
    const abs = path.resolve(cwd, f);
    dirs.add(path.dirname(abs));
    for (const r of unitRoots.get(abs) ?? []) dirs.add(r);
  }
  const sorted = [...dirs].sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const d of sorted) if (!kept.some((k) => d === k || d.startsWith(k + path.sep))) kept.push(d);
  return kept
    .map((d) => path.relative(cwd, d).split(path.sep).join('/') || '.')
    .map((d) => (d.startsWith('..') ? '.' : d));
}

/** The texts in `from` of the files the fixes wrote (a file a fix names but did not write is not touched). */
function pick(from: ReadonlyMap<string, string | null>, made: readonly Made[]): Map<string, string | null> {
  const files = new Set(made.flatMap((m) => m.files));
  return new Map([...from].filter(([f]) => files.has(f)));
}

const bring = (f: Finding): string => `the fix would bring ${f.ruleId}: ${f.message}`;

/** The commands of the fixes made, once each, never with a value (redacted all the same). */
function commands(made: readonly Made[]): string[] {
  return [...new Set(made.flatMap((m) => (m.finding.fix.command ? [redact(m.finding.fix.command)] : [])))];
}

/** The "not fixed" lines of the findings still there. */
function notFixedLog(notFixed: ReadonlyMap<string, { finding: Finding; why: string }>, result: LintOutput): string[] {
  const still = new Set(result.findings.map((f) => f.fingerprint));
  return [...notFixed.values()]
    .filter(({ finding }) => still.has(finding.fingerprint))
    .map(({ finding, why }) => `${label(finding)} not fixed: ${why}`);
}

/**
 * The edited files that can have caused new findings: the finding's own file when it was edited, and the edited files
 * that share a deployment unit (or a directory) with it.
 */
function suspectFiles(
  fresh: readonly Finding[],
  edited: readonly string[],
  unitRoots: ReadonlyMap<string, string[]>,
  cwd: string,
): string[] {
  const abs = (f: string): string => path.resolve(cwd, f);
  const near = (f: string): Set<string> => new Set([path.dirname(abs(f)), ...(unitRoots.get(abs(f)) ?? [])]);
  const out = new Set<string>();
  for (const f of fresh) {
    // Its own file, and its neighbours: a raised HPA minimum is reported on the Deployment it scales.
    if (edited.includes(f.file)) out.add(f.file);
    const around = near(f.file);
    for (const e of edited) if ([...near(e)].some((d) => around.has(d))) out.add(e);
  }
  return [...out];
}

/** The fixes that wrote any of `files`, and the fixes that wrote their files, and so on. */
function closure(files: readonly string[], made: readonly Made[]): Made[] {
  const seen = new Set(files);
  const out = new Set<Made>();
  for (let grew = true; grew;) {
    grew = false;
    for (const m of made)
      if (m.kept && !out.has(m) && m.files.some((f) => seen.has(f))) {
        out.add(m);
        for (const f of m.files) seen.add(f);
        grew = true;
      }
  }
  return made.filter((m) => out.has(m));
}

/** The text of a range (1-based lines and columns, the end exclusive). */
function textAt(text: string, r: Range): string {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const at = (line: number, column: number): number => (starts[line - 1] ?? text.length) + column - 1;
  return text.slice(at(r.startLine, r.startColumn), at(r.endLine, r.endColumn));
}
