import { describe, expect, it } from 'vitest';
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

const deployment = (name: string): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'registry.example/app:1.0.0',
            env: [{ name: 'API_TOKEN', value: 'json-planted-token' }],
          },
        ],
      },
    },
  },
});

/** `rule line:col` of the findings of one file, for the rules that look at these objects. */
const where = (
  findings: { ruleId: string; file: string; range: { startLine: number; startColumn: number } }[],
  file: string,
): string[] =>
  findings
    .filter(
      (f) => f.file === file && ['single-replica', 'secret-in-env', 'invalid-yaml', 'duplicate-key'].includes(f.ruleId),
    )
    .map((f) => `${f.ruleId} ${f.range.startLine}:${f.range.startColumn}`);

// Expected positions were computed independently: the line and column of `"replicas"` and of the env entry's `"value"`.
describe('JSON manifests: positions are those of the JSON text', () => {
  it.each([
    ['pretty, two spaces', (v: unknown) => JSON.stringify(v, null, 2), ['single-replica 8:5', 'secret-in-env 28:17']],
    [
      'pretty, tabs (kubectl -o json style with tabs)',
      (v: unknown) => JSON.stringify(v, null, '\t'),
      ['single-replica 8:3', 'secret-in-env 28:9'],
    ],
    ['minified, one line', (v: unknown) => JSON.stringify(v), ['single-replica 1:84', 'secret-in-env 1:296']],
  ])('%s', async (_name, format, expected) => {
    const text = format(deployment('json-app'));
    const dir = writeTree(tempDir(), { 'app.json': text, [HEALTHY_NAME]: HEALTHY });
    const result = await lintIn(dir, ['.']);
    expect(where(result.findings, 'app.json')).toEqual(expected);
    expect(regionProblems(result.findings, (f) => (f === 'app.json' ? text : undefined))).toEqual([]);
    expectHealthyChecked(result.findings);
    expectNoInternalError(result.findings);
  });

  it('JSON met while walking: checked when it holds an object, or looks like one that does not parse; other JSON is not a manifest', async () => {
    const dir = writeTree(tempDir(), {
      'package.json': '{"name": "tooling", "private": true}',
      'broken-manifest.json': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x",}',
      'broken-other.json': '{"compilerOptions": {',
      [HEALTHY_NAME]: HEALTHY,
    });
    const result = await lintIn(dir, ['.']);
    expect(result.input.files.map((f) => f.file.path)).toEqual(['broken-manifest.json', HEALTHY_NAME]);
    expect(where(result.findings, 'broken-manifest.json')).toEqual(['invalid-yaml 1:69']);
    expectHealthyChecked(result.findings);
  });
});

describe('kind: List and *List wrappers: each item is checked on its own, at its own lines', () => {
  it('a YAML List', async () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: apps/v1',
      '    kind: Deployment',
      '    metadata: {name: first}',
      '    spec:',
      '      replicas: 1',
      '  - apiVersion: apps/v1',
      '    kind: Deployment',
      '    metadata: {name: second}',
      '    spec:',
      '      replicas: 1',
      '',
    ].join('\n');
    const dir = writeTree(tempDir(), { 'list.yaml': text, [HEALTHY_NAME]: HEALTHY });
    const result = await lintIn(dir, ['.']);
    expect(result.input.resources.filter((r) => r.file.path === 'list.yaml').map((r) => `${r.kind}/${r.name}`)).toEqual(
      ['Deployment/first', 'Deployment/second'],
    );
    const single = result.findings.filter((f) => f.file === 'list.yaml' && f.ruleId === 'single-replica');
    expect(single.map((f) => `${f.resource?.name} ${f.range.startLine}:${f.range.startColumn}`)).toEqual([
      'first 8:7',
      'second 13:7',
    ]);
    expectHealthyChecked(result.findings);
  });

  it('a JSON DeploymentList', async () => {
    const text = JSON.stringify(
      { apiVersion: 'apps/v1', kind: 'DeploymentList', items: [deployment('a'), deployment('b')] },
      null,
      2,
    );
    const dir = writeTree(tempDir(), { 'list.json': text });
    const result = await lintIn(dir, ['.']);
    expect(where(result.findings, 'list.json')).toEqual([
      'single-replica 12:9',
      'secret-in-env 32:21',
      'single-replica 48:9',
      'secret-in-env 68:21',
    ]);
    expect(regionProblems(result.findings, () => text)).toEqual([]);
  });

  it('items that are not objects: a finding at the item, the other items still checked', async () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - just a string',
      '  - metadata: {name: no-kind}',
      '  - apiVersion: apps/v1',
      '    kind: Deployment',
      '    metadata: {name: fine}',
      '    spec: {replicas: 1}',
      '',
    ].join('\n');
    const dir = writeTree(tempDir(), { 'list.yaml': text });
    const result = await lintIn(dir, ['.']);
    const invalid = result.findings.filter((f) => f.ruleId === 'invalid-yaml');
    expect(invalid.map((f) => `${f.range.startLine}:${f.range.startColumn} ${f.message}`)).toEqual([
      '4:5 item 0 of this List is not an object: kubectl apply rejects the whole list',
      '5:5 item 1 of this List is an object without apiVersion and kind: kubectl apply rejects the whole list',
    ]);
    expect(result.findings.filter((f) => f.ruleId === 'single-replica').map((f) => f.resource?.name)).toEqual(['fine']);
  });

  it('a List whose items is not a list', async () => {
    const dir = writeTree(tempDir(), { 'list.yaml': 'apiVersion: v1\nkind: List\nitems:\n  a: {kind: Deployment}\n' });
    const result = await lintIn(dir, ['.']);
    expect(
      result.findings
        .filter((f) => f.ruleId === 'invalid-yaml')
        .map((f) => `${f.range.startLine}:${f.range.startColumn}`),
    ).toEqual(['3:1']);
    expectNoInternalError(result.findings);
  });
});
