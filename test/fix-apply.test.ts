import { describe, expect, it } from 'vitest';
import { applyFixes, toChanges, type FixContext } from '../src/fix/apply.js';
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

describe('sequence items (a numeric last path element)', () => {
  const LIST = 'args: # flags\n  - --a\n  - "--b" # quoted\n  - --c\nx: 1\n';

  it('set replaces a scalar item in place, keeping its quoting and comment', () => {
    expect(fixed(LIST, [{ op: 'set', path: ['args', 1], value: '--d' }])).toBe(
      'args: # flags\n  - --a\n  - "--d" # quoted\n  - --c\nx: 1\n',
    );
  });

  it('set replaces a mapping item by its lines', () => {
    const text = 'env:\n  - name: A\n    value: x\n  - name: B\n    value: y\n';
    expect(
      fixed(text, [
        { op: 'set', path: ['env', 0], value: { name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'a' } } } },
      ]),
    ).toBe(
      'env:\n  - name: A\n    valueFrom:\n      secretKeyRef:\n        name: s\n        key: a\n  - name: B\n    value: y\n',
    );
  });

  it('set replaces a flow item in flow style', () => {
    const text = 'env:\n  - {name: A, value: x}\n  - {name: B, value: y}\n';
    expect(fixed(text, [{ op: 'set', path: ['env', 1], value: { name: 'B', value: 'z' } }])).toBe(
      'env:\n  - {name: A, value: x}\n  - {name: B, value: z}\n',
    );
  });

  it('delete removes a block item by its lines', () => {
    expect(run(LIST, [{ op: 'delete', path: ['args', 1] }]).text).toBe('args: # flags\n  - --a\n  - --c\nx: 1\n');
    expect(run(LIST, [{ op: 'delete', path: ['args', 2] }]).text).toBe(
      'args: # flags\n  - --a\n  - "--b" # quoted\nx: 1\n',
    );
    const text = 'env:\n- name: A\n  value: x\n- name: B\n  value: y\n';
    expect(run(text, [{ op: 'delete', path: ['env', 0] }]).text).toBe('env:\n- name: B\n  value: y\n');
  });

  it('delete removes a flow item and its comma', () => {
    const text = 's: [a, b, c]\n';
    expect(run(text, [{ op: 'delete', path: ['s', 0] }]).text).toBe('s: [b, c]\n');
    expect(run(text, [{ op: 'delete', path: ['s', 1] }]).text).toBe('s: [a, c]\n');
    expect(run(text, [{ op: 'delete', path: ['s', 2] }]).text).toBe('s: [a, b]\n');
    expect(run('s: [a]\n', [{ op: 'delete', path: ['s', 0] }]).text).toBe('s: []\n');
  });

  it('two deletes in one sequence remove the items they name', () => {
    expect(
      run(LIST, [
        { op: 'delete', path: ['args', 0] },
        { op: 'delete', path: ['args', 2] },
      ]).text,
    ).toBe('args: # flags\n  - "--b" # quoted\nx: 1\n');
  });

  it('does not empty a block sequence or mapping', () => {
    expect(run('s:\n  - a\nx: 1\n', [{ op: 'delete', path: ['s', 0] }]).notes).toEqual([
      'delete s.0: the sequence would be empty',
    ]);
    expect(run('s:\n  a: 1\nx: 1\n', [{ op: 'delete', path: ['s', 'a'] }]).notes).toEqual([
      'delete s.a: the mapping would be empty',
    ]);
    expect(run('s: [a]\n', [{ op: 'set', path: ['s', 3], value: 'b' }]).notes).toEqual(['set s.3: there is no item 3']);
  });
});

describe('flow mappings', () => {
  const ENV = 'env:\n  - {name: A, value: "1"} # first\n  - {name: B, value: x}\n';

  it('set adds `, key: value` before the closing brace, or replaces the value', () => {
    expect(fixed(ENV, [{ op: 'set', path: ['env', 0, 'value'], value: '2' }])).toBe(
      'env:\n  - {name: A, value: "2"} # first\n  - {name: B, value: x}\n',
    );
    expect(
      fixed(ENV, [{ op: 'set', path: ['env', 1, 'valueFrom'], value: { secretKeyRef: { name: 's', key: 'b' } } }]),
    ).toBe(
      'env:\n  - {name: A, value: "1"} # first\n  - {name: B, value: x, valueFrom: {secretKeyRef: {name: s, key: b}}}\n',
    );
    expect(fixed('a: {}\n', [{ op: 'set', path: ['a', 'b'], value: 'on' }])).toBe('a: {b: "on"}\n');
    expect(
      fixed('a: {}\n', [
        { op: 'set', path: ['a', 'b'], value: 1 },
        { op: 'set', path: ['a', 'c'], value: 2 },
      ]),
    ).toBe('a: {b: 1, c: 2}\n');
  });

  it('delete removes the entry and its comma', () => {
    expect(run(ENV, [{ op: 'delete', path: ['env', 0, 'value'] }]).text).toBe(
      'env:\n  - {name: A} # first\n  - {name: B, value: x}\n',
    );
    expect(run(ENV, [{ op: 'delete', path: ['env', 1, 'name'] }]).text).toBe(
      'env:\n  - {name: A, value: "1"} # first\n  - {value: x}\n',
    );
  });

  it('set then delete in one flow item: the value swapped for valueFrom', () => {
    expect(
      run(ENV, [
        { op: 'delete', path: ['env', 1, 'value'] },
        { op: 'set', path: ['env', 1, 'valueFrom'], value: { secretKeyRef: { name: 's', key: 'b' } } },
      ]).text,
    ).toBe('env:\n  - {name: A, value: "1"} # first\n  - {name: B, valueFrom: {secretKeyRef: {name: s, key: b}}}\n');
  });
});

describe('document', () => {
  const PDB = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web' },
    spec: { maxUnavailable: 1 },
  };
  const PDB_TEXT =
    '---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  maxUnavailable: 1\n';

  it('goes after its document, before the next one', () => {
    const text = '# web\nkind: Deployment # d\n---\nkind: Service\n';
    expect(fixed(text, [{ op: 'document', name: 'web-pdb', value: PDB }])).toBe(
      '# web\nkind: Deployment # d\n' + PDB_TEXT + '---\nkind: Service\n',
    );
  });

  it('goes at the end of the file: CRLF, no final newline', () => {
    expect(fixed('kind: Service\n---\nkind: Deployment\n', [{ op: 'document', name: 'p', value: PDB }], 1)).toBe(
      'kind: Service\n---\nkind: Deployment\n' + PDB_TEXT,
    );
    expect(fixed('kind: Deployment\r\n', [{ op: 'document', name: 'p', value: { a: [1] } }])).toBe(
      'kind: Deployment\r\n---\r\na:\r\n  - 1\r\n',
    );
    expect(fixed('kind: Deployment', [{ op: 'document', name: 'p', value: { a: 1 } }])).toBe(
      'kind: Deployment\n---\na: 1',
    );
  });

  describe('in a kustomize directory', () => {
    const files = (map: Record<string, string>): FixContext => ({ file: 'app/deploy.yaml', read: (p) => map[p] });
    const DEPLOY = 'kind: Deployment\n';

    it('goes into a new file listed in resources:', () => {
      const k = '# unit\nresources:\n  - deploy.yaml # the app\nimages: []\n';
      const out = run(
        DEPLOY,
        [{ op: 'document', name: 'web-pdb', value: PDB }],
        0,
        files({ 'app/kustomization.yaml': k }),
      );
      const pdb = PDB_TEXT.slice(4);
      expect(out).toEqual({
        text: DEPLOY,
        applied: 1,
        notes: [],
        edits: [],
        files: [
          {
            file: 'app/kustomization.yaml',
            text: '# unit\nresources:\n  - deploy.yaml # the app\n  - web-pdb.yaml\nimages: []\n',
            create: false,
            edits: [{ start: 44, end: 44, insert: '  - web-pdb.yaml\n' }],
          },
          { file: 'app/web-pdb.yaml', text: pdb, create: true, edits: [{ start: 0, end: 0, insert: pdb }] },
        ],
      });
    });

    it('takes a free name, and reads ./ paths and Kustomization', () => {
      const k = 'resources: [./deploy.yaml]\n';
      const out = run(
        DEPLOY,
        [{ op: 'document', name: 'web/pdb', value: { a: 1 } }],
        0,
        files({ 'app/Kustomization': k, 'app/web-pdb.yaml': 'taken', 'app/web-pdb-2.yaml': 'taken' }),
      );
      expect(out.files).toEqual([
        {
          file: 'app/Kustomization',
          text: 'resources: [./deploy.yaml, web-pdb-3.yaml]\n',
          create: false,
          edits: [{ start: 25, end: 25, insert: ', web-pdb-3.yaml' }],
        },
        { file: 'app/web-pdb-3.yaml', text: 'a: 1\n', create: true, edits: [{ start: 0, end: 0, insert: 'a: 1\n' }] },
      ]);
    });

    it('stays in the file when the kustomization does not list it', () => {
      const k = 'resources:\n  - other.yaml\n';
      const out = run(
        DEPLOY,
        [{ op: 'document', name: 'p', value: { a: 1 } }],
        0,
        files({ 'app/kustomization.yml': k }),
      );
      expect(out.text).toBe(DEPLOY + '---\na: 1\n');
      expect(out.files).toBeUndefined();
    });
  });
});

describe('a kustomization without resources:', () => {
  it('gets the key, with the item', () => {
    const k = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization # unit\n';
    expect(fixed(k, [{ op: 'append', path: ['resources'], value: 'pdb.yaml' }])).toBe(k + 'resources:\n  - pdb.yaml\n');
  });
});

describe('several edits in one file', () => {
  it('merges two sets under one missing key, and notes a conflicting one', () => {
    const out = run(SWARM, [
      { op: 'set', path: ['services', 'api', 'deploy', 'update_config', 'monitor'], value: '30s' },
      { op: 'set', path: ['services', 'api', 'deploy', 'update_config'], value: { parallelism: 1 } },
      { op: 'set', path: ['services', 'api', 'deploy', 'update_config', 'monitor'], value: '60s' },
    ]);
    expect(out.notes).toEqual([
      'set services.api.deploy.update_config: overlaps another edit',
      'set services.api.deploy.update_config.monitor: overlaps another edit',
    ]);
    expect(out.text).toBe(SWARM + '      update_config:\n        monitor: 30s\n');
    expect(out.applied).toBe(1);
  });

  it('leaves out an edit that overlaps an earlier one', () => {
    const out = run(SWARM, [
      { op: 'set', path: ['services', 'api', 'deploy', 'replicas'], value: 3 },
      { op: 'delete', path: ['services', 'api', 'deploy'] },
    ]);
    expect(out.notes).toEqual(['delete services.api.deploy: overlaps another edit']);
    expect(out.text).toBe(SWARM.replace('replicas: 2', 'replicas: 3'));
    expect(out.edits).toEqual([{ start: 71, end: 72, insert: '3' }]);
  });

  it('inserts in the order given at one place', () => {
    expect(
      fixed('a:\n  b: 1\nc: 2\n', [
        { op: 'set', path: ['a', 'z'], value: 1 },
        { op: 'set', path: ['a', 'x'], value: 2 },
      ]),
    ).toBe('a:\n  b: 1\n  z: 1\n  x: 2\nc: 2\n');
  });
});

describe('left alone', () => {
  const edit: FixEdit = { op: 'set', path: ['a', 'b'], value: { c: 1 } };
  const alone = (text: string, why: string) =>
    expect(run(text, [edit])).toEqual({ text, applied: 0, notes: [why], edits: [] });

  it('template syntax, anchors, aliases, parse errors', () => {
    alone('a:\n  x: {{ .Values.x }}\n', 'left alone: template syntax');
    alone('a: &x\n  x: 1\n', 'left alone: the file has anchors or aliases');
    alone('d: &d {x: 1}\na:\n  <<: *d\n', 'left alone: the file has anchors or aliases');
    alone('a: [\n', 'left alone: the file does not parse');
  });

  it('an edit whose text would not read as the fixed objects', () => {
    // The tag stays: the new 2 would read as the string "2".
    const text = 'a: !!str 1\n';
    expect(run(text, [{ op: 'set', path: ['a'], value: 2 }])).toEqual({
      text,
      applied: 0,
      notes: ['left alone: the edited text would not read as the fixed objects'],
      edits: [],
    });
  });

  it('a document of another kind, a path through a scalar', () => {
    expect(applyFixes('kind: Service\n', [{ doc: 0, edits: [edit] }], 'Deployment').notes).toEqual([
      'document 0 is not the Deployment the finding is about',
    ]);
    expect(run('a: 1\n', [edit]).notes).toEqual(['set a.b: a is not a mapping or sequence']);
  });
});

describe('edge cases', () => {
  it('a number key is found by its string, a set of the same value is a no-op', () => {
    expect(run('a:\n  1: x\n', [{ op: 'set', path: ['a', '1'], value: 'y' }]).text).toBe('a:\n  1: "y"\n');
    expect(run('a: 1\n', [{ op: 'set', path: ['a'], value: 1 }])).toEqual({
      text: 'a: 1\n',
      applied: 0,
      notes: ['set a: the value is already there'],
      edits: [],
    });
  });

  it('a block scalar replaced by a plain one keeps its line end', () => {
    expect(run('a:\n  s: |+\n    x\n\n  t: 1\n', [{ op: 'set', path: ['a', 's'], value: 'y' }]).text).toBe(
      'a:\n  s: "y"\n  t: 1\n',
    );
  });

  it('an insertion where a deleted entry starts', () => {
    const text = 'a:\n  b: 1\nc: 2\nd: 3\n';
    expect(
      run(text, [
        { op: 'delete', path: ['c'] },
        { op: 'set', path: ['a', 'x'], value: 1 },
      ]).text,
    ).toBe('a:\n  b: 1\n  x: 1\nd: 3\n');
  });
});

describe('comments after a block', () => {
  const TEXT = `spec:
  template:
    spec:
      containers:
      - name: nginx
        image: x
        # resources:
        #   cpu: 4
  volumeClaimTemplates:
  - a
`;

  it('a new key goes after the last value, before the comments that follow it', () => {
    expect(fixed(TEXT, [{ op: 'set', path: ['spec', 'template', 'zz'], value: { a: 1 } }])).toBe(
      TEXT.replace('        image: x\n', '        image: x\n    zz:\n      a: 1\n'),
    );
    expect(
      fixed(TEXT, [{ op: 'append', path: ['spec', 'template', 'spec', 'containers'], value: { name: 'b' } }]),
    ).toBe(TEXT.replace('        image: x\n', '        image: x\n      - name: b\n'));
  });

  it('a replaced or deleted block keeps the comments after it', () => {
    expect(fixed(TEXT, [{ op: 'set', path: ['spec', 'template', 'spec'], value: { a: 1 } }])).toBe(
      TEXT.replace(/ {6}containers:\n.*image: x\n/s, '      a: 1\n'),
    );
    expect(run(TEXT, [{ op: 'delete', path: ['spec', 'template'] }]).text).toBe(
      'spec:\n        # resources:\n        #   cpu: 4\n  volumeClaimTemplates:\n  - a\n',
    );
  });
});

describe('toChanges', () => {
  it('gives lines and columns, and create for a new file', () => {
    const text = 'a:\n  b: 1\n';
    const out = run(text, [{ op: 'set', path: ['a', 'c'], value: 2 }]);
    expect(toChanges(text, 'x.yaml', out.edits)).toEqual([
      { file: 'x.yaml', range: { startLine: 3, startColumn: 1, endLine: 3, endColumn: 1 }, text: '  c: 2\n' },
    ]);
    expect(toChanges('', 'new.yaml', [{ start: 0, end: 0, insert: 'a: 1\n' }], true)).toEqual([
      {
        file: 'new.yaml',
        range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
        text: 'a: 1\n',
        create: true,
      },
    ]);
  });
});
