import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFix } from '../src/commands/fix.js';
import { defineResourceRule, type AnyRule } from '../src/engine/rule.js';
import { dryRunDiff, maskLine } from '../src/fix/diff.js';
import { lint, type LintOptions } from '../src/index.js';
import { isObject } from '../src/model/json.js';
import type { Resource } from '../src/model/types.js';
import { tempProject } from './helpers/temp.js';

/**
 * runFix (the `--fix` loop) with rules made for the test, on ConfigMaps: each rule's fix is one `set` under `data`, so
 * chains, conflicts and blame can be set up exactly. `need-a` fixes by setting data.a; once data.a is there, `need-b`
 * fires (a chain); `bad-is-no` fires, with no fix, when data.bad is "no", which the fix of `bad-yes` sets; `watch`
 * fires in another file of the directory when some ConfigMap has bad: "no".
 */
const data = (r: Resource): Record<string, unknown> => (isObject(r.value.data) ? r.value.data : {});
const meta = (id: string, tags?: string[]) => ({
  severity: 'warning' as const,
  family: 'custom' as const,
  description: `test rule ${id}`,
  rationale: 'r',
  remediation: 'm',
  ...(tags ? { tags } : {}),
  messages: { m: '{{subject}}: ' + id },
});
const onConfigMaps = { platforms: ['kubernetes' as const], kinds: ['ConfigMap'] };
const RULES: AnyRule[] = [
  defineResourceRule({
    id: 'need-a',
    meta: meta('need-a'),
    applies: onConfigMaps,
    check(r, ctx) {
      if (!('a' in data(r)) && !('skip' in data(r)))
        ctx.report({ path: ['data'], messageId: 'm', fix: [{ op: 'set', path: ['data', 'a'], value: '1' }] });
    },
  }),
  defineResourceRule({
    id: 'need-b',
    meta: meta('need-b'),
    applies: onConfigMaps,
    check(r, ctx) {
      if ('a' in data(r) && !('b' in data(r)))
        ctx.report({
          path: ['data', 'a'],
          messageId: 'm',
          fix: [{ op: 'set', path: ['data', 'b'], value: '2' }],
          fixCommand: `kubectl annotate configmap ${r.name ?? ''} fixed=true`,
        });
    },
  }),
  defineResourceRule({
    id: 'bad-yes',
    meta: meta('bad-yes'),
    applies: onConfigMaps,
    check(r, ctx) {
      if (data(r).bad === 'yes')
        ctx.report({ path: ['data', 'bad'], messageId: 'm', fix: [{ op: 'set', path: ['data', 'bad'], value: 'no' }] });
    },
  }),
  defineResourceRule({
    id: 'bad-is-no',
    meta: meta('bad-is-no'),
    applies: onConfigMaps,
    check(r, ctx) {
      if (data(r).bad === 'no') ctx.report({ path: ['data', 'bad'], messageId: 'm' });
    },
  }),
  defineResourceRule({
    id: 'watch',
    meta: meta('watch'),
    applies: onConfigMaps,
    check(r, ctx) {
      if (
        r.name === 'watcher' &&
        ctx.index.resources.some((o) => o !== r && o.kind === 'ConfigMap' && data(o).far === 'no')
      )
        ctx.report({ path: ['metadata', 'name'], messageId: 'm' });
    },
  }),
  defineResourceRule({
    id: 'far-yes',
    meta: meta('far-yes'),
    applies: onConfigMaps,
    check(r, ctx) {
      if (data(r).far === 'yes')
        ctx.report({ path: ['data', 'far'], messageId: 'm', fix: [{ op: 'set', path: ['data', 'far'], value: 'no' }] });
    },
  }),
  defineResourceRule({
    id: 'leaked',
    meta: meta('leaked', ['secrets']),
    applies: onConfigMaps,
    check(r, ctx) {
      if (typeof data(r).password === 'string')
        ctx.report({
          path: ['data', 'password'],
          messageId: 'm',
          fix: [
            { op: 'delete', path: ['data', 'password'] },
            { op: 'set', path: ['data', 'passwordFile'], value: '/run/secrets/password' },
          ],
          fixCommand: 'printf %s "$VALUE" | docker secret create password -',
        });
    },
  }),
];

const cm = (name: string, lines: string[]): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name} # the ${name} map\ndata:\n${lines.map((l) => `  ${l}\n`).join('')}`;

const options = (dir: string): LintOptions => ({ paths: ['.'], cwd: dir, rules: RULES });
const read = (dir: string, file: string): string => readFileSync(path.join(dir, file), 'utf8');
const ids = async (dir: string): Promise<string[]> =>
  (await lint(options(dir))).findings.map((f) => `${f.file} ${f.ruleId} ${f.range.startLine}:${f.range.startColumn}`);

describe('runFix', () => {
  it('fixes every file in one pass, and a finding a fix made possible in the next (a chain)', async () => {
    const dir = tempProject({
      'one.yaml': cm('one', ['x: "0"']),
      'two.yaml': cm('two', ['x: "0" # keep']) + '---\n' + cm('three', ['y: "0"']),
    });
    expect(await ids(dir)).toEqual(['one.yaml need-a 5:1', 'two.yaml need-a 5:1', 'two.yaml need-a 12:1']);
    const run = await runFix(options(dir), false, dir);
    expect(read(dir, 'one.yaml')).toBe(cm('one', ['x: "0"', 'a: "1"', 'b: "2"']));
    expect(read(dir, 'two.yaml')).toBe(
      cm('two', ['x: "0" # keep', 'a: "1"', 'b: "2"']) + '---\n' + cm('three', ['y: "0"', 'a: "1"', 'b: "2"']),
    );
    expect(run.result.findings).toEqual([]);
    expect(run.log).toEqual([
      'one.yaml: fixed need-a (data)',
      'two.yaml: fixed need-a (data)',
      'two.yaml: fixed need-a (data)',
      'one.yaml: fixed need-b (data.a)',
      'two.yaml: fixed need-b (data.a)',
      'two.yaml: fixed need-b (data.a)',
      'then run: kubectl annotate configmap one fixed=true',
      'then run: kubectl annotate configmap two fixed=true',
      'then run: kubectl annotate configmap three fixed=true',
    ]);
    // A second run finds nothing to do.
    const again = await runFix(options(dir), false, dir);
    expect(again.log).toEqual([]);
    expect(read(dir, 'one.yaml')).toBe(cm('one', ['x: "0"', 'a: "1"', 'b: "2"']));
  });

  it('puts back the fix that brings a new finding, and keeps the innocent fix of the same file', async () => {
    const dir = tempProject({ 'm.yaml': cm('m', ['bad: "yes"']) });
    expect(await ids(dir)).toEqual(['m.yaml need-a 5:1', 'm.yaml bad-yes 6:3']);
    const run = await runFix(options(dir), false, dir);
    // need-a and its chain (need-b) are kept; bad-yes would bring bad-is-no, which has no fix.
    expect(read(dir, 'm.yaml')).toBe(cm('m', ['bad: "yes"', 'a: "1"', 'b: "2"']));
    expect(run.log).toEqual([
      'm.yaml: bad-yes (data.bad) not fixed: the fix would bring bad-is-no: ConfigMap m: bad-is-no',
      'm.yaml: fixed need-a (data)',
      'm.yaml: fixed need-b (data.a)',
      'then run: kubectl annotate configmap m fixed=true',
    ]);
    // The finding whose fix was put back is still reported, without its fix, saying why.
    const left = run.result.findings.map((f) => [f.ruleId, f.fix, f.fixSkipped]);
    expect(left).toEqual([['bad-yes', undefined, 'the fix would bring bad-is-no: ConfigMap m: bad-is-no']]);
  });

  it('blames an edited file of the same directory for a new finding in a file it did not edit', async () => {
    const dir = tempProject({
      'far.yaml': cm('far', ['far: "yes"', 'a: "1"', 'b: "2"']),
      'near.yaml': cm('near', ['x: "0"']),
      'watcher.yaml': cm('watcher', ['a: "1"', 'b: "2"']),
    });
    expect(await ids(dir)).toEqual(['far.yaml far-yes 6:3', 'near.yaml need-a 5:1']);
    const run = await runFix(options(dir), false, dir);
    expect(read(dir, 'far.yaml')).toBe(cm('far', ['far: "yes"', 'a: "1"', 'b: "2"']));
    expect(read(dir, 'near.yaml')).toBe(cm('near', ['x: "0"', 'a: "1"', 'b: "2"']));
    expect(read(dir, 'watcher.yaml')).toBe(cm('watcher', ['a: "1"', 'b: "2"']));
    expect(run.log[0]).toBe(
      'far.yaml: far-yes (data.far) not fixed: the fix would bring watch: ConfigMap watcher: watch',
    );
    expect(run.result.findings.map((f) => f.ruleId)).toEqual(['far-yes']);
  });

  it('leaves a file it cannot change alone and says why; a fix that applies only in part is not made', async () => {
    const flow = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: flow}\ndata: {x: "0"}\n';
    const dir = tempProject({ 'flow.yaml': flow, 'anchor.yaml': cm('anchor', ['x: &v "0"', 'y: *v']) });
    const run = await runFix(options(dir), false, dir);
    expect(read(dir, 'flow.yaml')).toBe(flow);
    expect(run.log).toEqual([
      'anchor.yaml: need-a (data) not fixed: left alone: the file has anchors or aliases',
      'flow.yaml: need-a (data) not fixed: set data.a: the mapping is written in flow style',
    ]);
  });

  it('--fix-dry-run: one pass in memory, the commands first, nothing written', async () => {
    const text = cm('one', ['x: "0"']);
    const dir = tempProject({ 'one.yaml': text });
    const run = await runFix(options(dir), true, dir);
    expect(read(dir, 'one.yaml')).toBe(text);
    expect(run.diff).toBe(
      [
        '===================================================================',
        '--- a/one.yaml',
        '+++ b/one.yaml',
        '@@ -4,3 +4,4 @@',
        '   name: one # the one map',
        ' data:',
        '   x: "0"',
        '+  a: "1"',
        '',
      ].join('\n'),
    );
  });

  it('--fix-dry-run never shows the value of a secret: masked in removed and context lines, redacted everywhere', async () => {
    const token = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    const text = cm('creds', ['password: "hunter2-very-secret" # rotate me', 'other: ' + token, 'a: "1"', 'b: "2"']);
    const dir = tempProject({ 'creds.yaml': text });
    const run = await runFix(options(dir), true, dir);
    expect(run.diff).not.toContain('hunter2');
    expect(run.diff).not.toContain(token);
    expect(run.diff).toBe(
      [
        '# then run: printf %s "$VALUE" | docker secret create password -',
        '===================================================================',
        '--- a/creds.yaml',
        '+++ b/creds.yaml',
        '@@ -3,7 +3,7 @@',
        ' metadata:',
        '   name: ***',
        ' data:',
        '-  password: ***',
        '   other: ***',
        '   a: ***',
        '   b: ***',
        '+  passwordFile: "/run/secrets/password"',
        '',
      ].join('\n'),
    );
  });
});

describe('dryRunDiff', () => {
  it('shows a new file as created from /dev/null', () => {
    expect(dryRunDiff([{ file: 'k8s/pdb.yaml', before: null, after: 'kind: PodDisruptionBudget\n' }], [], [])).toBe(
      [
        '===================================================================',
        '--- /dev/null',
        '+++ b/k8s/pdb.yaml',
        '@@ -0,0 +1,1 @@',
        '+kind: PodDisruptionBudget',
        '',
      ].join('\n'),
    );
  });

  it('masks a reported value wherever it is, even in an added line, and redacts credential shapes', () => {
    const out = dryRunDiff(
      [
        {
          file: 'a.yaml',
          before: 'k: 1\n',
          after: 'k: 1\nnote: the value was s3cr3t-v4lue\nkey: AKIAABCDEFGHIJKLMNOP\n',
        },
      ],
      [],
      ['"s3cr3t-v4lue"'],
    );
    expect(out).toContain('+note: the value was ***\n');
    expect(out).toContain('+key: [redacted]\n');
  });

  it.each([
    ['  password: hunter2', '  password: ***'],
    ['  - name: DB_PASSWORD', '  - name: ***'],
    ['    value: "x" # c', '    value: ***'],
    ['  env:', '  env:'],
    ['  - --password=x', '  - ***'],
    ['    line of a block scalar', '    ***'],
    ['"quoted key": v', '"quoted key": ***'],
    ['DB_PASSWORD=hunter2', 'DB_PASSWORD=***'],
    ['---', '---'],
    ['  # a comment', '  ***'],
    ['  key: v\r', '  key: ***\r'],
  ])('maskLine(%j) is %j', (line, masked) => {
    expect(maskLine(line)).toBe(masked);
  });
});
