import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import {
  expectHealthyChecked,
  expectNoInternalError,
  HEALTHY,
  HEALTHY_NAME,
  lintIn,
  tempDir,
  writeTree,
} from './helpers.js';

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n';

interface Case {
  name: string;
  text: string;
  /** Expected load findings of the broken file: `rule line:col`, and a part of the message of the first. */
  expect: string[];
  message?: string | RegExp;
  /** Resources still read from the file. */
  resources?: number;
}

const CASES: Case[] = [
  {
    name: 'bad indentation',
    text: `${CM}  name: x\n   labels: {}\n`,
    expect: ['invalid-yaml 4:9'],
    message: 'not valid YAML: Nested mappings are not allowed in compact mappings',
  },
  {
    name: 'tab indentation',
    text: `${CM}\tname: x\n`,
    expect: ['invalid-yaml 4:1'],
    message: 'not valid YAML: Tabs are not allowed as indentation',
  },
  {
    name: 'unclosed double quote',
    text: `${CM}  name: "x\ndata: {}\n`,
    expect: ['invalid-yaml 6:1'],
    message: 'Missing closing "quote',
  },
  {
    name: 'unclosed single quote',
    text: `${CM}  name: 'x\n`,
    expect: ['invalid-yaml 5:1'],
    message: "Missing closing 'quote",
  },
  {
    name: 'unclosed flow sequence',
    text: `${CM}  name: x\n  labels: [a, b\n`,
    expect: ['invalid-yaml 6:1'],
    message: 'not valid YAML',
  },
  {
    name: 'unclosed flow mapping',
    text: `${CM}  name: x\n  labels: {a: b\n`,
    expect: ['invalid-yaml 6:1'],
    message: 'not valid YAML',
  },
  {
    name: 'a stray ... that cuts an object',
    text: `${CM}  name: x\n...\ndata:\n  a: b\n`,
    expect: ['invalid-yaml 6:1'],
    message: 'this document is a mapping without apiVersion and kind, not a Kubernetes object',
    resources: 1,
  },
  {
    name: 'a stray --- that cuts an object',
    text: `${CM}  name: x\n---\ndata:\n  a: b\n`,
    expect: ['invalid-yaml 6:1'],
    message: 'not a Kubernetes object: kubectl apply rejects the whole file',
    resources: 1,
  },
  {
    name: 'stray --- that cut nothing (empty documents)',
    text: `---\n---\n${CM}  name: x\n---\n...\n`,
    expect: [],
    resources: 1,
  },
  {
    name: 'a document that is a plain value among objects',
    text: `${CM}  name: x\n---\njust text\n`,
    expect: ['invalid-yaml 6:1'],
    message: 'this document is a plain value',
    resources: 1,
  },
  { name: 'empty file', text: '', expect: [], resources: 0 },
  { name: 'only comments', text: '# nothing here yet\n# still nothing\n', expect: [], resources: 0 },
  { name: 'only a document marker', text: '---\n', expect: [], resources: 0 },
  {
    name: 'duplicate key',
    text: `${CM}  name: x\n  name: y\n`,
    expect: ['duplicate-key 5:3'],
    message: 'duplicate key "name": kubectl apply keeps only the last value',
    resources: 1,
  },
  {
    name: 'duplicate key in JSON keeps the value out of the message',
    text: '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"stringData":{"password":"first-value","password":"second-value"}}',
    expect: ['duplicate-key 1:99'],
    message: 'duplicate key "\\"password\\""',
    resources: 1,
  },
  {
    name: 'Helm template that does not parse',
    text: `${CM}  name: x\n{{- if .Values.enabled }}\ndata:\n  a: b\n{{- end }}\n`,
    expect: ['template-syntax 5:1'],
    message: 'this looks like a template ({{ … }} is template syntax, not YAML): render it first',
  },
  {
    name: 'Helm template that parses as YAML ({{ }} read as a mapping)',
    text: `${CM}  name: {{ .Values.name }}\n`,
    expect: ['template-syntax 4:9'],
    message: 'render it first',
  },
  {
    name: 'Helm template quoted everywhere',
    text: `${CM}  name: "{{ .Release.Name }}-config"\n`,
    expect: ['template-syntax 4:10'],
    message: 'render it first',
  },
  {
    name: 'Jinja template',
    text: `${CM}  name: x\n{% if prod %}\ndata: {}\n{% endif %}\n`,
    expect: ['template-syntax 5:1'],
    message: 'render it first',
  },
  {
    name: 'Go templates that are text: quoted, block scalar, comment, plain scalar',
    text: `${CM}  name: alerts # {{ not a template }}\ndata:\n  summary: "Instance {{ $labels.instance }} down"\n  tmpl: |\n    {{ range .Alerts }}{{ .Labels.alertname }}{{ end }}\n  wf: prefix-{{workflow.name}}\n`,
    expect: [],
    resources: 1,
  },
  {
    name: 'broken file with Go templates only in strings: the parser error, not template-syntax',
    text: `${CM}  name: x\ndata:\n  a: "{{ $labels.instance }}"\n  b: [unclosed\n`,
    expect: ['invalid-yaml 8:1'],
    message: 'not valid YAML',
  },
];

describe('broken YAML of every kind: a clear finding at its place, every other file still checked', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = writeTree(tempDir(), { 'broken.yaml': c.text, [HEALTHY_NAME]: HEALTHY });
    const result = await lintIn(dir, ['.']);
    const load = result.findings.filter(
      (f) => f.file === 'broken.yaml' && ['invalid-yaml', 'duplicate-key', 'template-syntax'].includes(f.ruleId),
    );
    expect(load.map((f) => `${f.ruleId} ${f.range.startLine}:${f.range.startColumn}`)).toEqual(c.expect);
    if (c.message)
      expect(load[0]!.message).toEqual(
        typeof c.message === 'string' ? expect.stringContaining(c.message) : expect.stringMatching(c.message),
      );
    for (const f of load) expect(f.severity).toBe('error');
    if (c.resources !== undefined)
      expect(result.input.resources.filter((r) => r.file.path === 'broken.yaml')).toHaveLength(c.resources);
    // The file is counted, never silently dropped.
    expect(result.input.files.map((f) => f.file.path)).toContain('broken.yaml');
    expectHealthyChecked(result.findings);
    expectNoInternalError(result.findings);
  });

  it('the CLI prints each as one line with file, line and column, and exits 1', async () => {
    const dir = writeTree(tempDir(), {
      'a-tabs.yaml': `${CM}\tname: x\n`,
      'b-helm.yaml': `${CM}  name: {{ .Values.name }}\n`,
      'c-dup.yaml': `${CM}  name: x\n  name: y\n`,
      [HEALTHY_NAME]: HEALTHY,
    });
    const r = await runCli(['.', '--no-color'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    const after = (file: string): string => lines[lines.indexOf(file) + 1] ?? '';
    expect(after('a-tabs.yaml')).toMatch(
      /^ {2}4:1 +error +not valid YAML: Tabs are not allowed as indentation {2}invalid-yaml$/,
    );
    expect(after('b-helm.yaml')).toMatch(/^ {2}4:9 +error +this looks like a template .* {2}template-syntax$/);
    expect(after('c-dup.yaml')).toMatch(/^ {2}5:3 +error +duplicate key "name": .* {2}duplicate-key$/);
    expect(after(HEALTHY_NAME)).toMatch(/^ {2}5:3 +warning .*single-replica$/);
  });

  it('a file named on the command line is read whatever its extension', async () => {
    const dir = writeTree(tempDir(), { 'manifest.txt': `${CM}\tname: x\n` });
    const result = await lintIn(dir, [path.join(dir, 'manifest.txt')]);
    expect(result.findings.map((f) => `${f.ruleId} ${f.range.startLine}:${f.range.startColumn}`)).toEqual([
      'invalid-yaml 4:1',
    ]);
  });
});
