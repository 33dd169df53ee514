import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { lint, rules, type LintOptions, type LintOutput } from '../../src/index.js';
import type { Finding } from '../../src/model/types.js';
import { tempDir as sharedTempDir } from '../helpers/temp.js';

/** A fresh directory for one test's files (world-readable, so that a run as another user can enter it). */
export function tempDir(prefix = 'shipshape-robust-'): string {
  const dir = sharedTempDir(prefix);
  chmodSync(dir, 0o755);
  return dir;
}

/** Write `files` (relative path → content) under `dir`, creating folders. */
export function writeTree(dir: string, files: Record<string, string | Buffer>): string {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return dir;
}

/** Lint in-process from `cwd` with the built-in rules and the default config (a config file found upward is not read). */
export async function lintIn(cwd: string, paths: string[], extra: Partial<LintOptions> = {}): Promise<LintOutput> {
  return lint({ paths, cwd, config: defaultConfig(rules), ...extra });
}

/**
 * A valid manifest with one known finding (single-replica on line 5, column 3), put beside every broken input to show
 * that the other files of the run are still checked.
 */
export const HEALTHY_NAME = 'zz-healthy.yaml';
export const HEALTHY = `apiVersion: apps/v1
kind: Deployment
metadata: {name: healthy}
spec:
  replicas: 1
  selector: {matchLabels: {app: healthy}}
  template:
    metadata: {labels: {app: healthy}}
    spec:
      containers:
        - name: app
          image: registry.example/healthy:1.0.0
`;

/** The healthy file was checked: its known finding is there, at its exact place. */
export function expectHealthyChecked(findings: readonly Finding[]): void {
  const f = findings.find((x) => x.file.endsWith(HEALTHY_NAME) && x.ruleId === 'single-replica');
  expect(f, 'the other file of the run was not checked').toBeDefined();
  expect([f!.range.startLine, f!.range.startColumn]).toEqual([5, 3]);
}

/** No rule failed on anything. */
export function expectNoInternalError(findings: readonly Finding[]): void {
  expect(
    findings.filter((f) => f.ruleId === 'internal-error').map((f) => `${f.file}:${f.range.startLine} ${f.message}`),
  ).toEqual([]);
}

/** The findings of one rule in one file, as `line:col` strings. */
export function at(findings: readonly Finding[], ruleId: string, fileSuffix: string): string[] {
  return findings
    .filter((f) => f.ruleId === ruleId && f.file.endsWith(fileSuffix))
    .map((f) => `${f.range.startLine}:${f.range.startColumn}`);
}

/**
 * Every region lies inside its file: lines between 1 and the number of lines, columns between 1 and the line's length
 * + 1 (UTF-16 code units, the line's terminator excluded), and the end not before the start.
 */
export function regionProblems(findings: readonly Finding[], textOf: (file: string) => string | undefined): string[] {
  const problems: string[] = [];
  const cache = new Map<string, string[]>();
  for (const f of findings) {
    const text = textOf(f.file);
    if (text === undefined) continue;
    let lines = cache.get(f.file);
    if (!lines) {
      lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
      cache.set(f.file, lines);
    }
    const { startLine, startColumn, endLine, endColumn } = f.range;
    const where = `${f.file}:${startLine}:${startColumn}-${endLine}:${endColumn} ${f.ruleId}`;
    const inside = (line: number, col: number): boolean =>
      line >= 1 && line <= lines!.length && col >= 1 && col <= lines![line - 1]!.length + 1;
    if (!inside(startLine, startColumn)) problems.push(`${where}: start outside the file`);
    if (!inside(endLine, endColumn)) problems.push(`${where}: end outside the file`);
    if (endLine < startLine || (endLine === startLine && endColumn < startColumn))
      problems.push(`${where}: end before start`);
  }
  return problems;
}

/** The 8-character pieces of a secret that appear in a text. */
export function leakedPieces(text: string, secret: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 8 <= secret.length; i++)
    if (text.includes(secret.slice(i, i + 8))) out.push(secret.slice(i, i + 8));
  return out;
}
