import { createPatch, diffLines } from 'diff';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fenceFor,
  parsePatch,
  planSuggestions,
  reconcile,
  suggestionBlock,
  suggestionBody,
  suggestionFingerprint,
  type ExistingComment,
  type FileDiff,
  type PlanInput,
  type Suggestion,
} from '../../src/action/suggestions.js';
import { applyFixes, toChanges } from '../../src/fix/apply.js';
import type { Finding, FixChange, FixEdit } from '../../src/model/types.js';
import { active } from '../helpers/markdown.js';

/** Pull-request suggestions from fixes: the diff parser, the block builder, the bodies and the reconciliation. */

const HPA = [
  'apiVersion: autoscaling/v2', // 1
  'kind: HorizontalPodAutoscaler', // 2
  'metadata:', // 3
  '  name: web', // 4
  'spec:', // 5
  '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}', // 6
  '  minReplicas: 1 # nights are quiet', // 7
  '  maxReplicas: 6', // 8
  '',
].join('\n');

/** The FixChanges `--fix` would make for `edits` in `text` (the real fix engine). */
function changesOf(text: string, edits: FixEdit[], file = 'k8s/hpa.yaml'): FixChange[] {
  const done = applyFixes(text, [{ doc: 0, edits }]);
  expect(done.applied).toBe(edits.length);
  return toChanges(text, file, done.edits);
}

/** Every line of a new file is added: one hunk over all of it. */
function allAdded(text: string): FileDiff {
  const n = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  return { hunks: [{ start: 1, end: n }], added: new Set(Array.from({ length: n }, (_, i) => i + 1)) };
}

function finding(over: Partial<Finding> & { changes?: FixChange[] } = {}): Finding {
  const { changes, ...rest } = over;
  return {
    ruleId: 'hpa-min-replicas',
    severity: 'warning',
    message: 'HorizontalPodAutoscaler web has minReplicas: 1, under 2',
    file: 'k8s/hpa.yaml',
    range: { startLine: 7, startColumn: 16, endLine: 7, endColumn: 17 },
    exact: true,
    fingerprint: 'a'.repeat(32),
    ...(changes ? { fix: { doc: 0, edits: [], changes } } : {}),
    ...rest,
  };
}

describe('parsePatch', () => {
  it('reads the RIGHT-side hunk ranges and the added lines, past deletions and "no newline" lines', () => {
    const patch = [
      '@@ -1,4 +1,5 @@',
      ' apiVersion: apps/v1', // 1
      '-kind: Deploymnet',
      '+kind: Deployment', // 2
      ' metadata:', // 3
      '+  labels: {app: web}', // 4
      '   name: web', // 5
      '@@ -20,3 +21,2 @@ spec:',
      '     replicas: 3', // 21
      '-    paused: true',
      '     strategy: {}', // 22
      '\\ No newline at end of file',
    ].join('\n');
    const d = parsePatch(patch);
    expect(d.hunks).toEqual([
      { start: 1, end: 5 },
      { start: 21, end: 22 },
    ]);
    expect([...d.added].sort((a, b) => a - b)).toEqual([2, 4]);
  });

  it('a new file is one hunk of added lines; a hunk that only deletes has no RIGHT-side lines', () => {
    expect(parsePatch('@@ -0,0 +1,3 @@\n+a: 1\n+b: 2\n+c: 3')).toEqual({
      hunks: [{ start: 1, end: 3 }],
      added: new Set([1, 2, 3]),
    });
    expect(parsePatch('@@ -7,2 +6,0 @@\n-a: 1\n-b: 2')).toEqual({ hunks: [], added: new Set() });
    // A count of 1 may be left out; CRLF patches read the same.
    expect(parsePatch('@@ -3 +3 @@\r\n-x: 1\r\n+x: 2\r\n')).toEqual({
      hunks: [{ start: 3, end: 3 }],
      added: new Set([3]),
    });
  });
});

describe('parsePatch on generated diffs', () => {
  it('the added lines are the lines a line diff adds, each inside a hunk', () => {
    const lines = fc.array(fc.constantFrom('a: 1', 'b: 2', 'c: 3', '  d: 4', '', '# note'), { maxLength: 30 });
    fc.assert(
      fc.property(lines, lines, fc.integer({ min: 0, max: 4 }), (before, after, context) => {
        const oldText = before.map((l) => `${l}\n`).join('');
        const newText = after.map((l) => `${l}\n`).join('');
        const patch = createPatch('f.yaml', oldText, newText, '', '', { context });
        const at = patch.search(/^@@ /m);
        const d = parsePatch(at === -1 ? '' : patch.slice(at));
        const expected = new Set<number>();
        let line = 1;
        for (const part of diffLines(oldText, newText)) {
          if (part.removed) continue;
          for (let i = 0; i < part.count!; i++, line++) if (part.added) expected.add(line);
        }
        expect(d.added).toEqual(expected);
        for (const l of d.added) expect(d.hunks.some((h) => h.start <= l && l <= h.end)).toBe(true);
        for (const h of d.hunks) expect(h.end).toBeLessThanOrEqual(after.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('suggestionBlock', () => {
  it('a changed scalar: its whole line, with the new value and the comment kept', () => {
    const changes = changesOf(HPA, [{ op: 'set', path: ['spec', 'minReplicas'], value: 2 }]);
    expect(changes).toEqual([
      { file: 'k8s/hpa.yaml', range: { startLine: 7, startColumn: 16, endLine: 7, endColumn: 17 }, text: '2' },
    ]);
    expect(suggestionBlock(HPA, changes, allAdded(HPA))).toEqual({
      start: 7,
      end: 7,
      content: '  minReplicas: 2 # nights are quiet',
    });
  });

  it('a new key line is anchored on the line before it', () => {
    const text = HPA.replace('  minReplicas: 1 # nights are quiet\n', '');
    const changes = changesOf(text, [{ op: 'set', path: ['spec', 'minReplicas'], value: 2 }]);
    expect(changes[0]!.range).toEqual({ startLine: 8, startColumn: 1, endLine: 8, endColumn: 1 });
    expect(suggestionBlock(text, changes, allAdded(text))).toEqual({
      start: 7,
      end: 7,
      content: '  maxReplicas: 6\n  minReplicas: 2',
    });
    // The anchor must be in a hunk: here the hunk starts after it.
    expect(suggestionBlock(text, changes, { hunks: [{ start: 8, end: 9 }], added: new Set([8]) })).toBe(
      'lines 7–7 are not in one hunk',
    );
  });

  it('a deleted line: an empty suggestion on it', () => {
    const text = HPA.replace('  maxReplicas: 6\n', '  maxReplicas: 6\n  behavior: {}\n');
    const changes = changesOf(text, [{ op: 'delete', path: ['spec', 'behavior'] }]);
    expect(changes[0]!.range).toEqual({ startLine: 9, startColumn: 1, endLine: 10, endColumn: 1 });
    expect(suggestionBlock(text, changes, allAdded(text))).toEqual({ start: 9, end: 9, content: '' });
  });

  it('only lines the pull request added or changed, in one hunk', () => {
    const changes = changesOf(HPA, [{ op: 'set', path: ['spec', 'minReplicas'], value: 2 }]);
    const diff = { hunks: [{ start: 4, end: 10 }], added: new Set([5, 6, 8]) };
    expect(suggestionBlock(HPA, changes, diff)).toBe('line 7 is not a line the pull request changed');
    expect(suggestionBlock(HPA, changes, { hunks: [{ start: 8, end: 9 }], added: new Set([7]) })).toBe(
      'lines 7–7 are not in one hunk',
    );
  });

  it('several changes: one block from the first to the last line, all applied', () => {
    const changes = changesOf(HPA, [
      { op: 'set', path: ['spec', 'minReplicas'], value: 2 },
      { op: 'set', path: ['spec', 'maxReplicas'], value: 8 },
    ]);
    expect(suggestionBlock(HPA, changes, allAdded(HPA))).toEqual({
      start: 7,
      end: 8,
      content: '  minReplicas: 2 # nights are quiet\n  maxReplicas: 8',
    });
  });

  it('leaves alone CRLF files and fixes that create a file', () => {
    const crlf = HPA.replace(/\n/g, '\r\n');
    const changes = changesOf(crlf, [{ op: 'set', path: ['spec', 'minReplicas'], value: 2 }]);
    expect(suggestionBlock(crlf, changes, allAdded(crlf))).toBe('the file has CR line endings');
    const create: FixChange = {
      file: 'k8s/pdb.yaml',
      range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
      text: 'kind: PodDisruptionBudget\n',
      create: true,
    };
    expect(suggestionBlock(HPA, [create], allAdded(HPA))).toBe('the fix creates a file');
  });

  it('the last line of a file without a final line break', () => {
    const text = HPA.replace('  maxReplicas: 6\n', '  maxReplicas: 6');
    const changes = changesOf(text, [{ op: 'set', path: ['spec', 'maxReplicas'], value: 8 }]);
    expect(suggestionBlock(text, changes, allAdded(text))).toEqual({ start: 8, end: 8, content: '  maxReplicas: 8' });
  });
});

describe('suggestionBody', () => {
  it('one line of inert text, the content verbatim in a long enough fence, and the marker last', () => {
    const f = finding({
      message: 'Deployment [Click](https://evil.example/p) @acme/admins owner/repo#1 <img src=x> sets `replicas`',
      ruleId: 'replicas-with-hpa',
    });
    const content = '  image: "x```y"\n  # ````';
    const body = suggestionBody(f, content, new Map([['replicas-with-hpa', 'https://docs.example/r.md']]));
    expect(fenceFor(content)).toBe('`````');
    expect(body).toBe(
      [
        '[` replicas-with-hpa `](https://docs.example/r.md) Deployment \\[Click\\]\\(https:/<!-- -->/evil.example/p\\) @<!-- -->acme/admins owner/repo\\#<!-- -->1 \\<img src=x\\> sets \\`replicas\\`',
        '',
        '`````suggestion',
        '  image: "x```y"',
        '  # ````',
        '`````',
        `<!-- shipshape:suggestion ${'a'.repeat(32)} -->`,
      ].join('\n'),
    );
    const r = active(body.split('\n')[0]!);
    expect(r.links).toEqual(['https://docs.example/r.md']);
    expect(r.html).toEqual(['<!-- -->', '<!-- -->', '<!-- -->']);
    expect(r.images).toEqual([]);
    expect(r.references).toEqual([]);
    expect(suggestionFingerprint(body)).toBe('a'.repeat(32));
  });

  it('an empty suggestion deletes the lines', () => {
    expect(suggestionBody(finding(), '', new Map())).toBe(
      [
        '` hpa-min-replicas ` HorizontalPodAutoscaler web has minReplicas: 1, under 2',
        '',
        '```suggestion',
        '```',
        `<!-- shipshape:suggestion ${'a'.repeat(32)} -->`,
      ].join('\n'),
    );
  });

  it('the marker counts only as the last line', () => {
    expect(suggestionFingerprint('quoting <!-- shipshape:suggestion abc -->\nthanks')).toBeUndefined();
    expect(suggestionFingerprint('x\n<!-- shipshape:suggestion 0123abcd -->')).toBe('0123abcd');
    expect(suggestionFingerprint(null)).toBeUndefined();
  });
});

describe('planSuggestions', () => {
  const base = (over: Partial<PlanInput>): PlanInput => ({
    findings: [],
    all: [],
    read: () => HPA,
    repoPath: (f) => `repo/${f}`,
    diffs: new Map([['repo/k8s/hpa.yaml', allAdded(HPA)]]),
    docs: new Map(),
    max: 50,
    ...over,
  });

  it('one suggestion per fix on changed lines, at the block of the head file, path from the repository root', () => {
    const f = finding({ changes: changesOf(HPA, [{ op: 'set', path: ['spec', 'minReplicas'], value: 2 }]) });
    const plan = planSuggestions(base({ findings: [f], all: [f] }));
    expect(plan.skipped).toEqual([]);
    expect(plan.suggestions).toEqual([
      {
        fingerprint: f.fingerprint,
        path: 'repo/k8s/hpa.yaml',
        line: 7,
        body: suggestionBody(f, '  minReplicas: 2 # nights are quiet', new Map()),
      },
    ]);
  });

  it('a block of several lines has a start line', () => {
    const f = finding({
      changes: changesOf(HPA, [
        { op: 'set', path: ['spec', 'minReplicas'], value: 2 },
        { op: 'set', path: ['spec', 'maxReplicas'], value: 8 },
      ]),
    });
    expect(planSuggestions(base({ findings: [f] })).suggestions).toMatchObject([{ startLine: 7, line: 8 }]);
  });

  it('no suggestion for a change in another file, a file without a patch, or lines the pull request did not change', () => {
    const change = changesOf(HPA, [{ op: 'set', path: ['spec', 'minReplicas'], value: 2 }]);
    const other = finding({ fingerprint: 'b'.repeat(32), changes: [{ ...change[0]!, file: 'k8s/other.yaml' }] });
    const noPatch = finding({
      fingerprint: 'c'.repeat(32),
      file: 'k8s/big.yaml',
      changes: changesOf(HPA, [{ op: 'set', path: ['spec', 'minReplicas'], value: 2 }], 'k8s/big.yaml'),
    });
    const old = finding({ fingerprint: 'd'.repeat(32), changes: change });
    const plan = planSuggestions(
      base({
        findings: [other, noPatch, old],
        diffs: new Map([['repo/k8s/hpa.yaml', { hunks: [{ start: 5, end: 9 }], added: new Set([8]) }]]),
      }),
    );
    expect(plan.suggestions).toEqual([]);
    expect(plan.skipped.map((s) => [s.finding.fingerprint[0], s.why])).toEqual([
      ['b', 'the fix changes another file'],
      ['c', 'the pull request diff does not show the file'],
      ['d', 'line 7 is not a line the pull request changed'],
    ]);
  });

  it('overlapping blocks: the first finding keeps its suggestion; over the maximum: counted, not posted', () => {
    const a = finding({ changes: changesOf(HPA, [{ op: 'set', path: ['spec', 'minReplicas'], value: 2 }]) });
    const b = finding({
      fingerprint: 'b'.repeat(32),
      changes: changesOf(HPA, [
        { op: 'set', path: ['spec', 'minReplicas'], value: 3 },
        { op: 'set', path: ['spec', 'maxReplicas'], value: 8 },
      ]),
    });
    const c = finding({
      fingerprint: 'c'.repeat(32),
      changes: changesOf(HPA, [{ op: 'set', path: ['metadata', 'name'], value: 'web2' }]),
    });
    const plan = planSuggestions(base({ findings: [a, b, c], max: 1 }));
    expect(plan.suggestions.map((s) => s.fingerprint)).toEqual([a.fingerprint]);
    expect(plan.skipped.map((s) => [s.finding.fingerprint, s.why])).toEqual([
      [b.fingerprint, 'another suggestion covers these lines'],
    ]);
    expect(plan.over).toEqual([c.fingerprint]);
  });

  it('never puts a literal secret value in a body: the fix removes it, and a block that would keep one is left out', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: api}',
      'spec:',
      '  containers:',
      '    - name: api',
      '      image: ghcr.io/acme/api:1',
      '      env:',
      '        - name: DB_PASSWORD',
      '          value: planted-Sugg3st-pw',
      '        - name: API_KEY',
      '          value: planted-0ther-key',
      '',
    ].join('\n');
    const secret = (line: number, fp: string): Finding =>
      finding({
        ruleId: 'secret-in-env',
        file: 'k8s/api.yaml',
        fingerprint: fp,
        range: { startLine: line, startColumn: 18, endLine: line, endColumn: line === 10 ? 36 : 35 },
      });
    const first = secret(10, '1'.repeat(32));
    const second = secret(12, '2'.repeat(32));
    // What secret-in-env's fix does to the first (a valueFrom instead of the value), as a text change.
    first.fix = {
      doc: 0,
      edits: [],
      changes: [
        {
          file: 'k8s/api.yaml',
          range: { startLine: 10, startColumn: 11, endLine: 11, endColumn: 1 },
          text: 'valueFrom:\n            secretKeyRef: {name: api, key: DB_PASSWORD}\n',
        },
      ],
    };
    // A fix whose block would show the second value as it is.
    const careless = finding({
      ruleId: 'hpa-min-replicas',
      file: 'k8s/api.yaml',
      fingerprint: '3'.repeat(32),
      changes: [
        {
          file: 'k8s/api.yaml',
          range: { startLine: 11, startColumn: 17, endLine: 12, endColumn: 11 },
          text: 'API_TOKEN\n          ',
        },
      ],
    });
    const plan = planSuggestions(
      base({
        findings: [first, careless],
        all: [first, second, careless],
        read: () => text,
        diffs: new Map([['repo/k8s/api.yaml', allAdded(text)]]),
      }),
    );
    expect(plan.suggestions).toHaveLength(1);
    expect(plan.suggestions[0]!.line).toBe(10);
    expect(plan.suggestions[0]!.body).toContain(
      '          valueFrom:\n            secretKeyRef: {name: api, key: DB_PASSWORD}\n```',
    );
    expect(plan.suggestions[0]!.body).not.toContain('planted-Sugg3st-pw');
    expect(plan.skipped.map((s) => s.why)).toEqual(['the lines hold a secret value']);
  });

  it('a secret value over several lines (a block scalar) is caught too', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: api}',
      'spec:',
      '  containers:',
      '    - name: api',
      '      image: ghcr.io/acme/api:1',
      '      env:',
      '        - name: TLS_KEY',
      '          value: |',
      '            planted-Bl0ck-line-1',
      '            planted-Bl0ck-line-2',
      '',
    ].join('\n');
    const secret = finding({
      ruleId: 'secret-in-env',
      file: 'k8s/api.yaml',
      fingerprint: '1'.repeat(32),
      range: { startLine: 10, startColumn: 18, endLine: 13, endColumn: 1 },
    });
    const careless = finding({
      file: 'k8s/api.yaml',
      fingerprint: '2'.repeat(32),
      changes: [
        {
          file: 'k8s/api.yaml',
          range: { startLine: 9, startColumn: 17, endLine: 12, endColumn: 13 },
          text: 'TLS_PEM\n          value: |\n            planted-Bl0ck-line-1\n            ',
        },
      ],
    });
    const plan = planSuggestions(
      base({
        findings: [careless],
        all: [secret, careless],
        read: () => text,
        diffs: new Map([['repo/k8s/api.yaml', allAdded(text)]]),
      }),
    );
    expect(plan.suggestions).toEqual([]);
    expect(plan.skipped.map((s) => s.why)).toEqual(['the lines hold a secret value']);
  });
});

describe('reconcile', () => {
  const s = (fp: string, line: number, body = `b ${fp}`, startLine?: number): Suggestion => ({
    fingerprint: fp,
    path: 'k8s/hpa.yaml',
    line,
    ...(startLine !== undefined ? { startLine } : {}),
    body: `${body}\n<!-- shipshape:suggestion ${fp} -->`,
  });
  const c = (id: number, from: Suggestion, own = true, line = from.line): ExistingComment => ({
    id,
    body: from.body,
    path: from.path,
    line,
    startLine: from.startLine ?? null,
    own,
  });

  it('keeps what is the same, updates a new body, re-creates a moved one, deletes the gone and the duplicates', () => {
    const same = s('aa', 3);
    const changed = s('bb', 5);
    const moved = s('cc', 9, 'b cc', 8);
    const gone = s('dd', 12);
    const fresh = s('ee', 14);
    const existing = [
      c(1, same),
      c(2, { ...changed, body: `old\n<!-- shipshape:suggestion bb -->` }),
      c(3, moved, true, 7),
      c(4, gone),
      c(5, same), // a duplicate of 1
      c(6, s('ff', 20), false), // someone else's comment with the marker: never touched
      { id: 7, body: 'LGTM', path: 'k8s/hpa.yaml', line: 3, startLine: null, own: true },
    ];
    expect(reconcile(existing, [same, changed, moved, fresh])).toEqual({
      create: [moved, fresh],
      update: [{ id: 2, body: changed.body }],
      remove: [5, 4, 3],
      kept: 1,
    });
  });

  it('a comment whose finding is over the per-run maximum stays', () => {
    const over = s('aa', 3);
    expect(reconcile([c(1, over)], [], new Set(['aa']))).toEqual({ create: [], update: [], remove: [], kept: 0 });
    expect(reconcile([c(1, over)], [])).toEqual({ create: [], update: [], remove: [1], kept: 0 });
  });
});
