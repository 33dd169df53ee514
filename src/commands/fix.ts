import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyFixes } from '../fix/apply.js';
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
}

const label = (f: Finding): string => `${f.file}: ${f.ruleId}${f.path ? ` (${f.path})` : ''}`;

/**
 * `--fix`: applies the fixes the findings carry, in passes: each pass applies all fixes of a file at once, writes the
 * files, and lints once. A fix that the next lint shows made another one possible (a chain: replicas → pdb-missing) is
 * made by the next pass; at most MAX_PASSES. Then blame: if findings are there that the first lint did not have, the
 * edited files that can have caused them are put back, and their fixes are tried again one at a time, so an innocent
 * fix in the same file is kept; a fix that still brings a finding is put back and reported. `dryRun`: one pass in
 * memory, nothing written, no re-check; the diff and the commands are returned.
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

  const noteSkipped = (r: LintOutput): void => {
    for (const f of r.findings)
      if (f.fixSkipped && !f.suppressed) notFixed.set(f.fingerprint, { finding: f, why: f.fixSkipped });
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
      let done: ReturnType<typeof applyFixes> | undefined;
      for (const f of list) {
        const alone = applyFixes(text, [f.fix], f.resource?.kind);
        if (!alone.applied || alone.notes.length || alone.text === text) {
          tried.add(f.fingerprint);
          const why = alone.notes.join('; ') || 'the fix changes nothing';
          notFixed.set(f.fingerprint, { finding: f, why });
          continue;
        }
        const together = applyFixes(
          text,
          [...taken, f].map((x) => x.fix),
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
      ws.write(file, done.text);
      const files = [file];
      for (const f of taken) {
        notFixed.delete(f.fingerprint);
        out.push({ finding: f, files, kept: true });
      }
    }
    made.push(...out);
    return out;
  };

  const fixablesOf = (r: LintOutput): Fixable[] =>
    r.findings.filter((f): f is Fixable => f.fix !== undefined && !f.suppressed && !tried.has(f.fingerprint));
  const freshOf = (r: LintOutput, also: ReadonlySet<string> = new Set()): Finding[] =>
    r.findings.filter((f) => !f.suppressed && !known.has(f.fingerprint) && !also.has(f.fingerprint));

  noteSkipped(first);
  let result = first;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const fixables = fixablesOf(result);
    if (!fixables.length) break;
    const now = applyBatch(fixables);
    if (dryRun || !now.length) break;
    result = await lint(options);
    noteSkipped(result);
  }

  if (dryRun) return { result: first, log: notFixedLog(notFixed, first), diff: diff() };

  // Blame: the edited files that can have caused each new finding are put back, then their fixes retried one by one.
  for (let round = 0; round < 2; round++) {
    const fresh = freshOf(result);
    if (!fresh.length) break;
    const suspects = round === 0 ? suspectFiles(fresh, ws.changed(), result, cwd) : ws.changed();
    const blamed = closure(suspects, made);
    if (!blamed.length) break;
    const files = new Set(blamed.flatMap((m) => m.files));
    ws.restore(new Map([...files].map((f) => [f, ws.originals.get(f) ?? null])));
    for (const m of blamed) {
      m.kept = false;
      tried.delete(m.finding.fingerprint);
    }
    result = await lint(options);
    for (const m of blamed) result = await retry(m.finding.fingerprint, result);
  }

  /**
   * One blamed fix again, alone, against the files as they are now: kept when the lint after it (and after the fixes
   * of any fixable finding it brings) has nothing new; else put back and reported.
   */
  async function retry(fingerprint: string, current: LintOutput): Promise<LintOutput> {
    const finding = fixablesOf(current).find((f) => f.fingerprint === fingerprint);
    if (!finding) return current;
    const before = new Set(freshOf(current).map((f) => f.fingerprint));
    const snapshot = new Map<string, string | null>();
    ws.recorder = snapshot;
    const ours: Made[] = [];
    let batch: Fixable[] = [finding];
    let after = current;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const now = applyBatch(batch);
      if (!now.length) break;
      ours.push(...now);
      after = await lint(options);
      const fresh = freshOf(after, before);
      if (!fresh.length) {
        ws.recorder = undefined;
        noteSkipped(after);
        return after;
      }
      batch = fresh.filter((f): f is Fixable => f.fix !== undefined && !tried.has(f.fingerprint));
      if (batch.length < fresh.length) {
        const why = fresh.find((f) => !batch.includes(f as Fixable)) ?? fresh[0]!;
        return putBack(why);
      }
    }
    if (ours.length) return putBack(freshOf(after, before)[0]);
    ws.recorder = undefined;
    return current;

    function putBack(why: Finding | undefined): LintOutput {
      ws.recorder = undefined;
      ws.restore(snapshot);
      for (const m of ours) m.kept = false;
      const reason = why ? `the fix would bring ${why.ruleId}: ${why.message}` : 'the fix changes nothing';
      notFixed.set(finding!.fingerprint, { finding: finding!, why: reason });
      return current;
    }
  }

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
 * The edited files that can have caused new findings: the finding's own file when it was edited, else the edited
 * files that share a deployment unit (or a directory) with it.
 */
function suspectFiles(fresh: readonly Finding[], edited: readonly string[], result: LintOutput, cwd: string): string[] {
  const abs = (f: string): string => path.resolve(cwd, f);
  const unitsOf = new Map<string, string[]>();
  for (const u of result.input.units)
    for (const f of u.unit.files) unitsOf.set(f, [...(unitsOf.get(f) ?? []), u.unit.id]);
  const out = new Set<string>();
  for (const f of fresh) {
    if (edited.includes(f.file)) {
      out.add(f.file);
      continue;
    }
    const units = new Set([...(f.units ?? []), ...(unitsOf.get(abs(f.file)) ?? [])]);
    for (const e of edited)
      if (path.dirname(abs(e)) === path.dirname(abs(f.file)) || (unitsOf.get(abs(e)) ?? []).some((u) => units.has(u)))
        out.add(e);
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
