import { describe, expect, it } from 'vitest';
import { applyFixes, type FixContext } from '../src/fix/apply.js';
import type { FixEdit } from '../src/model/types.js';

const run = (text: string, edits: FixEdit[], doc = 0, context?: FixContext) =>
  applyFixes(text, [{ doc, edits }], undefined, context);

/** The fixed text; a second run of the same edits on it changes nothing. */
function fixed(text: string, edits: FixEdit[], doc = 0): string {
  const out = run(text, edits, doc);
  expect(out.notes).toEqual([]);
  expect(out.applied).toBeGreaterThan(0);
  const again = run(out.text, edits, doc);
  expect(again.text).toBe(out.text);
  return out.text;
}

const SWARM = `services:
  api:
    image: api:1 # pinned
    deploy:
      replicas: 2
`;

describe('set with a mapping or sequence value', () => {
  it('adds a key with a block mapping, indented like its siblings', () => {
    expect(
      fixed(SWARM, [
        { op: 'set', path: ['services', 'api', 'healthcheck'], value: { test: ['CMD', 'true'], retries: 3 } },
      ]),
    ).toBe(SWARM + '    healthcheck:\n      test:\n        - CMD\n        - "true"\n      retries: 3\n');
  });

  it('creates missing parents as one block under the deepest existing mapping', () => {
    expect(
      fixed(SWARM, [
        { op: 'set', path: ['services', 'api', 'deploy', 'update_config', 'monitor'], value: '30s' },
        { op: 'set', path: ['services', 'api', 'deploy', 'update_config', 'failure_action'], value: 'rollback' },
      ]),
    ).toBe(SWARM + '      update_config:\n        monitor: 30s\n        failure_action: rollback\n');
  });

  it('quotes strings YAML 1.1 parsers would read as other types', () => {
    const out = fixed('a:\n  b: 1\n', [{ op: 'set', path: ['a', 'c'], value: { x: 'on', y: '1', z: 'yes', w: 'ok' } }]);
    expect(out).toBe('a:\n  b: 1\n  c:\n    x: "on"\n    "y": "1"\n    z: "yes"\n    w: ok\n');
  });

  it('writes sequences at the key column when the file does', () => {
    const text = 'spec:\n  containers:\n  - name: a\n    image: a\n';
    expect(fixed(text, [{ op: 'set', path: ['spec', 'volumes'], value: [{ name: 'v', emptyDir: {} }] }])).toBe(
      text + '  volumes:\n  - name: v\n    emptyDir: {}\n',
    );
  });

  it('follows the file indentation step (4)', () => {
    const text = 'spec:\n    template:\n        a: 1\n';
    expect(fixed(text, [{ op: 'set', path: ['spec', 'b'], value: { c: { d: 1 } } }])).toBe(
      text + '    b:\n        c:\n            d: 1\n',
    );
  });

  it('replaces a block value by a block value, keeping the comment on the key line', () => {
    const text = 'a:\n  sel: # the selector\n    x: 1\n    y: 2\n  z: 3\n';
    expect(fixed(text, [{ op: 'set', path: ['a', 'sel'], value: { app: 'web' } }])).toBe(
      'a:\n  sel: # the selector\n    app: web\n  z: 3\n',
    );
  });

  it('replaces a scalar by a block value, and a null value by its nested keys', () => {
    expect(fixed('a: 1 # one\nb: 2\n', [{ op: 'set', path: ['a'], value: { c: 1 } }])).toBe('a: # one\n  c: 1\nb: 2\n');
    expect(
      fixed('deploy:\nimage: x\n', [{ op: 'set', path: ['deploy', 'restart_policy', 'condition'], value: 'any' }]),
    ).toBe('deploy:\n  restart_policy:\n    condition: any\nimage: x\n');
  });

  it('keeps a flow value in flow style', () => {
    const text = 'selector:\n  matchLabels: {app: web}\n';
    expect(fixed(text, [{ op: 'set', path: ['selector', 'matchLabels'], value: { app: 'api', tier: 'a,b' } }])).toBe(
      'selector:\n  matchLabels: {app: api, tier: "a,b"}\n',
    );
  });

  it('keeps CRLF and a missing final newline', () => {
    expect(fixed('a:\r\n  b: 1\r\n', [{ op: 'set', path: ['a', 'c'], value: { d: [1] } }])).toBe(
      'a:\r\n  b: 1\r\n  c:\r\n    d:\r\n      - 1\r\n',
    );
    expect(fixed('a:\n  b: 1', [{ op: 'set', path: ['a', 'c'], value: { d: 2 } }])).toBe('a:\n  b: 1\n  c:\n    d: 2');
  });
});

describe('append', () => {
  const ENV = `containers:
  - name: app
    env: # settings
      - name: A
        value: "1"
    # trailing comment
`;

  it('adds a block mapping item after the last one', () => {
    const item = { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'app', key: 'token' } } };
    expect(fixed(ENV, [{ op: 'append', path: ['containers', 0, 'env'], value: item }])).toBe(`containers:
  - name: app
    env: # settings
      - name: A
        value: "1"
      - name: TOKEN
        valueFrom:
          secretKeyRef:
            name: app
            key: token
    # trailing comment
`);
  });

  it('adds a scalar item to a non-indented sequence, and to a flow one', () => {
    expect(fixed('secrets:\n- a\nx: 1\n', [{ op: 'append', path: ['secrets'], value: 'b' }])).toBe(
      'secrets:\n- a\n- b\nx: 1\n',
    );
    expect(fixed('s: [a, b] # c\n', [{ op: 'append', path: ['s'], value: 'c' }])).toBe('s: [a, b, c] # c\n');
    expect(fixed('s: []\n', [{ op: 'append', path: ['s'], value: { a: 1 } }])).toBe('s: [{a: 1}]\n');
  });

  it('creates a missing sequence (and its parents), two appends in one block', () => {
    expect(
      fixed(SWARM, [
        { op: 'append', path: ['services', 'api', 'secrets'], value: 'db' },
        { op: 'append', path: ['services', 'api', 'secrets'], value: 'api' },
      ]),
    ).toBe(SWARM + '    secrets:\n      - db\n      - api\n');
  });

  it('is a no-op when an equal item is there', () => {
    const out = run('s:\n  - {a: 1, b: 2}\n', [{ op: 'append', path: ['s'], value: { b: 2, a: 1 } }]);
    expect(out).toEqual({
      text: 's:\n  - {a: 1, b: 2}\n',
      applied: 0,
      notes: ['append s: an equal item is already there'],
      edits: [],
    });
  });
});
