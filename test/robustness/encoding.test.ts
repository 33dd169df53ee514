import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/types.js';
import { runCli } from '../helpers/run-cli.js';
import {
  expectHealthyChecked,
  expectNoInternalError,
  HEALTHY,
  HEALTHY_NAME,
  lintIn,
  regionProblems,
  tempDir,
  writeTree,
} from './helpers.js';

/** A Deployment with findings on several lines, one of them on line 1 (a flow mapping), to compare positions across encodings. */
const SAMPLE = [
  '{apiVersion: apps/v1, kind: Deployment, metadata: {name: enc}, spec: {replicas: 1, selector: {matchLabels: {app: enc}},',
  '  template: {metadata: {labels: {app: enc}}, spec: {containers: [',
  '    {name: app, image: "registry.example/enc:1.0.0", env: [{name: DB_PASSWORD, value: "planted-enc-pw"}],',
  '     livenessProbe: {httpGet: {path: /healthz, port: 8080}, failureThreshold: 1}}]}}}}',
  '',
].join('\n');

const summary = (findings: readonly Finding[]): string[] =>
  findings
    .map((f) => `${f.ruleId} ${f.range.startLine}:${f.range.startColumn}-${f.range.endLine}:${f.range.endColumn}`)
    .sort();

function utf16be(s: string): Buffer {
  const b = Buffer.from(s, 'utf16le');
  b.swap16();
  return b;
}

function utf32le(s: string): Buffer {
  const cps = [...s].map((c) => c.codePointAt(0)!);
  const b = Buffer.alloc(cps.length * 4);
  cps.forEach((cp, i) => b.writeUInt32LE(cp, i * 4));
  return b;
}

async function findingsOf(content: string | Buffer): Promise<{ findings: Finding[]; all: Finding[] }> {
  const dir = writeTree(tempDir(), { 'm.yaml': content, [HEALTHY_NAME]: HEALTHY });
  const result = await lintIn(dir, ['.']);
  expectHealthyChecked(result.findings);
  expectNoInternalError(result.findings);
  return { findings: result.findings.filter((f) => f.file === 'm.yaml'), all: result.findings };
}

describe('encodings and line endings: same findings at the same lines and columns', () => {
  it('the UTF-8 reference has findings on line 1 and further on', async () => {
    const { findings } = await findingsOf(SAMPLE);
    const lines = new Set(findings.map((f) => f.range.startLine));
    expect(lines.has(1)).toBe(true);
    expect(lines.has(3)).toBe(true);
    expect(regionProblems(findings, () => SAMPLE)).toEqual([]);
  });

  it.each([
    ['UTF-8 with a BOM', (s: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s)])],
    ['CRLF line endings', (s: string) => s.replace(/\n/g, '\r\n')],
    ['UTF-8 BOM and CRLF', (s: string) => `\ufeff${s.replace(/\n/g, '\r\n')}`],
    ['UTF-16 LE with a BOM', (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')])],
    ['UTF-16 BE with a BOM', (s: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(s)])],
    ['UTF-16 LE without a BOM', (s: string) => Buffer.from(s, 'utf16le')],
    [
      'UTF-16 LE with a BOM and CRLF',
      (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s.replace(/\n/g, '\r\n'), 'utf16le')]),
    ],
    ['UTF-32 LE with a BOM', (s: string) => utf32le(`\ufeff${s}`)],
  ])('%s', async (_name, encode) => {
    const reference = summary((await findingsOf(SAMPLE)).findings);
    const { findings } = await findingsOf(encode(SAMPLE));
    expect(summary(findings)).toEqual(reference);
    // CRLF: no range ends after the line's last character (the \r is not part of the line).
    expect(regionProblems(findings, () => SAMPLE.replace(/\n/g, '\r\n'))).toEqual([]);
  });

  it('CRLF: columns of a parse error and of a duplicate key are those of the LF file', async () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\ndata:\n  a: [1, 2\n';
    const lf = summary((await findingsOf(text)).findings);
    const crlf = summary((await findingsOf(text.replace(/\n/g, '\r\n'))).findings);
    expect(lf).toEqual(['duplicate-key 5:3-5:7', 'invalid-yaml 8:1-8:1']);
    expect(regionProblems((await findingsOf(text)).findings, () => text)).toEqual([]);
    expect(crlf).toEqual(lf);
  });

  it('UTF-16 on stdin is decoded too', async () => {
    const r = await runCli(['-', '--format', 'json'], {
      input: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SAMPLE, 'utf16le')]),
    });
    const out = JSON.parse(r.stdout) as { findings: { ruleId: string; line: number }[] };
    expect(out.findings.some((f) => f.ruleId === 'single-replica' && f.line === 1)).toBe(true);
  });
});

describe('bytes that are not YAML text: one invalid-yaml finding at the first offending byte', () => {
  it.each([
    [
      'Latin-1',
      Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xe9\n', 'latin1'),
      'invalid-yaml 4:12-4:13',
      'not valid UTF-8 (byte 0xE9): the file is probably Latin-1 or Windows-1252',
    ],
    [
      'Windows-1252 (curly quotes)',
      Buffer.from([
        ...Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  quote: '),
        0x93,
        ...Buffer.from('hi'),
        0x94,
        0x0a,
      ]),
      'invalid-yaml 5:10-5:11',
      'not valid UTF-8 (byte 0x93)',
    ],
    [
      'binary (a PNG renamed .yaml)',
      Buffer.from([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x01, 0x00,
      ]),
      'invalid-yaml 1:1-1:2',
      'this is a binary file, not YAML text (byte 0x89 is not UTF-8): nothing in it can be checked',
    ],
    [
      'binary that is valid UTF-8 (NUL bytes)',
      Buffer.from('apiVersion: v1\nkind: ConfigMap\n\0\0\0\0garbage\0\n'),
      'invalid-yaml 3:1-3:2',
      'this is a binary file, not YAML text (it holds U+0000)',
    ],
    [
      'a stray control character',
      Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\x07y\n'),
      'invalid-yaml 4:10-4:11',
      'control character U+0007: YAML does not allow it, and kubectl and docker stack deploy reject the file',
    ],
  ])('%s', async (_name, bytes, where, message) => {
    const { findings } = await findingsOf(bytes);
    expect(summary(findings)).toEqual([where]);
    expect(findings[0]!.message).toContain(message);
    expect(findings[0]!.severity).toBe('error');
  });
});

describe('size: long lines and a 50 MB multi-document file', () => {
  it('a 4 MB line: columns past it are exact', async () => {
    const long = 'x'.repeat(4 << 20);
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: long, labels: {a: "${long}", a: b}}\ndata: {k: v}\n`;
    const { findings } = await findingsOf(text);
    const dup = findings.find((f) => f.ruleId === 'duplicate-key')!;
    expect([dup.range.startLine, dup.range.startColumn]).toEqual([3, text.split('\n')[2]!.lastIndexOf(', a: b') + 3]);
    expect(regionProblems(findings, () => text)).toEqual([]);
  });

  it('a 50 MB file of 6,000+ documents is checked to its last line, with the other files', async () => {
    const dir = tempDir();
    const value = 'v'.repeat(8000);
    const doc = (i: number): string =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: big\ndata:\n  payload: ${value}\n---\n`;
    const parts: string[] = [];
    let size = 0;
    let lines = 0;
    for (let i = 0; size < 50 * 1024 * 1024; i++) {
      const d = doc(i);
      parts.push(d);
      size += d.length;
      lines += 8;
    }
    // A Deployment at the very end, with a finding at a known line, and a broken last document.
    parts.push(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: last, namespace: big}\nspec:\n  replicas: 1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: broken\n`,
    );
    writeFileSync(path.join(dir, 'big.yaml'), parts.join(''));
    writeFileSync(path.join(dir, HEALTHY_NAME), HEALTHY);
    // The size limit follows the heap: with 4 GB, 64 MiB (a machine with less memory would skip the file, with a warning).
    const r = await runCli(['.', '--format', 'json', '--fail-on', 'none'], {
      cwd: dir,
      timeoutMs: 570_000,
      env: { NODE_OPTIONS: '--max-old-space-size=4096' },
    });
    expect(r.killed).toBe(false);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      summary: { files: number; resources: number };
      findings: { file: string; ruleId: string; line: number; column: number }[];
    };
    expect(out.summary.files).toBe(2);
    expect(out.summary.resources).toBe(parts.length - 1 + 1 + 1); // every ConfigMap, the last Deployment, the healthy one
    const big = out.findings.filter((f) => f.file === 'big.yaml');
    expect(big.find((f) => f.ruleId === 'single-replica')).toMatchObject({ line: lines + 5, column: 3 });
    expect(big.find((f) => f.ruleId === 'invalid-yaml')).toMatchObject({ line: lines + 10, column: 1 });
    expect(out.findings.some((f) => f.file === HEALTHY_NAME && f.ruleId === 'single-replica')).toBe(true);
  }, 600_000);

  it('a file over the size limit is reported and skipped, not read', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'huge.yaml'), Buffer.alloc(65 * 1024 * 1024, 0x20));
    writeFileSync(path.join(dir, HEALTHY_NAME), HEALTHY);
    const r = await runCli(['.'], { cwd: dir, env: { NODE_OPTIONS: '--max-old-space-size=4096' } });
    expect(r.stdout).toContain(
      'warning: huge.yaml: 65 MiB, larger than the 64 MiB limit: not checked (split it into smaller files)',
    );
    const small = await runCli(['.'], { cwd: dir, env: { NODE_OPTIONS: '--max-old-space-size=1024' } });
    expect(small.stdout).toContain(
      'warning: huge.yaml: 65 MiB, larger than the 22 MiB limit: not checked (split it into smaller files, or give Node.js a larger heap: NODE_OPTIONS=--max-old-space-size=4096)',
    );
    expect(r.stdout).toContain(HEALTHY_NAME);
  });
});
