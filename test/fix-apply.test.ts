import { describe, expect, it } from 'vitest';
import { applyFixes, toChanges, type FixContext } from '../src/fix/apply.js';
import { attachChanges } from '../src/fix/changes.js';
import type { Finding, FixEdit } from '../src/model/types.js';

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

  it('the only item (entry) of a block collection under a key leaves [] ({})', () => {
    expect(run('s: # list\n  - a # only\nx: 1\n', [{ op: 'delete', path: ['s', 0] }]).text).toBe(
      's: [] # list\nx: 1\n',
    );
    expect(run('s:\n  a:\n    b: 1\nx: 1\n', [{ op: 'delete', path: ['s', 'a'] }]).text).toBe('s: {}\nx: 1\n');
    // Nothing to write {} in: the document itself, an item of a sequence.
    expect(run('a: 1\n', [{ op: 'delete', path: ['a'] }]).notes).toEqual(['delete a: the mapping would be empty']);
    expect(run('- a: 1\n', [{ op: 'delete', path: [0, 'a'] }]).notes).toEqual([
      'delete 0.a: the mapping would be empty',
    ]);
    expect(run('s: [a]\n', [{ op: 'set', path: ['s', 3], value: 'b' }]).notes).toEqual(['set s.3: there is no item 3']);
  });

  it('an emptied collection takes no other edit', () => {
    const out = run('s:\n  - a\n', [
      { op: 'delete', path: ['s', 0] },
      { op: 'append', path: ['s'], value: 'b' },
    ]);
    expect(out.notes).toEqual(['append s: overlaps another edit']);
    expect(out.text).toBe('s: []\n');
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

  it('at one offset: a sequence item before a key of the mapping around it, a new document last', () => {
    const text = 'rules:\n- nonResourceURLs:\n  - /metrics\n  verbs:\n  - get\n';
    expect(
      fixed(text, [
        { op: 'document', name: 'd', value: { kind: 'X' } },
        { op: 'set', path: ['top'], value: 1 },
        { op: 'set', path: ['rules', 0, 'zz'], value: { a: 1 } },
        { op: 'append', path: ['rules', 0, 'verbs'], value: 'list' },
        { op: 'append', path: ['rules'], value: { verbs: ['watch'] } },
      ]),
    ).toBe(text + '  - list\n  zz:\n    a: 1\n- verbs:\n  - watch\ntop: 1\n---\nkind: X\n');
  });

  it('at the end of a file without a final newline: the empty value in its line, then the new key', () => {
    expect(
      fixed('volumes:\n  data:', [
        { op: 'set', path: ['volumes', 'more'], value: { driver: 'local' } },
        { op: 'set', path: ['volumes', 'data'], value: 'x' },
      ]),
    ).toBe('volumes:\n  data: x\n  more:\n    driver: local');
  });

  it('an edit inside a node another edit replaces is left out', () => {
    const text = 'ports:\n  - name: a\n    port: 1\n';
    const out = run(text, [
      { op: 'set', path: ['ports', 0, 'protocol'], value: 'TCP' },
      { op: 'set', path: ['ports', 0], value: { name: 'b', port: 2 } },
    ]);
    expect(out.notes).toEqual(['set ports.0: overlaps another edit']);
    expect(out.text).toBe(text + '    protocol: TCP\n');
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

  it('a single-quoted value stays single-quoted unless it has a line break', () => {
    expect(run("a: 'x'\n", [{ op: 'set', path: ['a'], value: "it's" }]).text).toBe("a: 'it''s'\n");
    expect(run("a: 'x'\n", [{ op: 'set', path: ['a'], value: 'l1\nl2' }]).text).toBe('a: "l1\\nl2"\n');
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

describe('attachChanges', () => {
  it('describes the new file and the kustomization of a document fix', () => {
    const files: Record<string, string> = {
      'app/deploy.yaml': 'kind: Deployment\n',
      'app/kustomization.yaml': 'resources:\n- deploy.yaml\n',
    };
    const finding = {
      ruleId: 'pdb-missing',
      file: 'app/deploy.yaml',
      resource: { kind: 'Deployment' },
      fix: { doc: 0, edits: [{ op: 'document', name: 'web-pdb', value: { kind: 'PodDisruptionBudget' } }] },
    } as unknown as Finding;
    attachChanges([finding], (f) => files[f]);
    expect(finding.fix!.changes).toEqual([
      {
        file: 'app/kustomization.yaml',
        range: { startLine: 3, startColumn: 1, endLine: 3, endColumn: 1 },
        text: '- web-pdb.yaml\n',
      },
      {
        file: 'app/web-pdb.yaml',
        range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
        text: 'kind: PodDisruptionBudget\n',
        create: true,
      },
    ]);
  });
});

describe('the fixes rules make (examples)', () => {
  const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web # the app
spec:
  template:
    spec:
      containers:
      - name: web
        image: web:1.2
        env:
        - {name: MODE, value: prod}
        - name: DB_PASSWORD
          value: hunter2
        livenessProbe:
          httpGet: {path: /healthz, port: 8080}
          periodSeconds: 5
---
kind: Service
`;

  it('startup-probe-missing: a startupProbe after the last key of the container', () => {
    const probe = { httpGet: { path: '/healthz', port: 8080 }, failureThreshold: 30, periodSeconds: 10 };
    expect(
      fixed(DEPLOY, [{ op: 'set', path: ['spec', 'template', 'spec', 'containers', 0, 'startupProbe'], value: probe }]),
    ).toBe(
      DEPLOY.replace(
        '          periodSeconds: 5\n',
        '          periodSeconds: 5\n        startupProbe:\n          httpGet:\n            path: /healthz\n            port: 8080\n          failureThreshold: 30\n          periodSeconds: 10\n',
      ),
    );
  });

  it('secret-in-env: the value swapped for a secretKeyRef, the secret gone from the text', () => {
    const env = ['spec', 'template', 'spec', 'containers', 0, 'env', 1];
    const out = run(DEPLOY, [
      { op: 'delete', path: [...env, 'value'] },
      { op: 'set', path: [...env, 'valueFrom'], value: { secretKeyRef: { name: 'web', key: 'DB_PASSWORD' } } },
    ]);
    expect(out.notes).toEqual([]);
    expect(out.text).toBe(
      DEPLOY.replace(
        '          value: hunter2\n',
        '          valueFrom:\n            secretKeyRef:\n              name: web\n              key: DB_PASSWORD\n',
      ),
    );
    expect(out.edits.map((e) => e.insert).join('')).not.toContain('hunter2');
  });

  it('pdb-missing: a PodDisruptionBudget after the workload, before the next document', () => {
    const pdb = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web' },
      spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } },
    };
    expect(fixed(DEPLOY, [{ op: 'document', name: 'web-pdb', value: pdb }])).toBe(
      DEPLOY.replace(
        '---\nkind: Service\n',
        '---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: web\n---\nkind: Service\n',
      ),
    );
  });

  it('update-rollback-missing (Swarm): deploy.update_config created under an existing deploy', () => {
    const stack =
      'version: "3.8"\nservices:\n  api:\n    image: api:1\n    deploy:\n      replicas: 2\n    secrets:\n      - db\n';
    expect(
      fixed(stack, [
        { op: 'set', path: ['services', 'api', 'deploy', 'update_config', 'failure_action'], value: 'rollback' },
        { op: 'set', path: ['services', 'api', 'deploy', 'update_config', 'monitor'], value: '30s' },
        { op: 'append', path: ['services', 'api', 'secrets'], value: 'api_key' },
        { op: 'append', path: ['secrets'], value: 'x' },
      ]),
    ).toBe(
      'version: "3.8"\nservices:\n  api:\n    image: api:1\n    deploy:\n      replicas: 2\n      update_config:\n        failure_action: rollback\n        monitor: 30s\n    secrets:\n      - db\n      - api_key\nsecrets:\n  - x\n',
    );
  });
});

describe('a file of many documents', () => {
  const doc = (i: number): string =>
    `# app ${i}\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  replicas: 1\n`;
  const many = Array.from({ length: 12 }, (_, i) => doc(i)).join('---\n');

  it('checks only the documents the edits touch, and the text around them stays byte-identical', () => {
    const out = run(many, [{ op: 'set', path: ['spec', 'replicas'], value: 2 }], 5);
    expect(out.notes).toEqual([]);
    expect(out.text).toBe(many.replace('name: app-5\nspec:\n  replicas: 1', 'name: app-5\nspec:\n  replicas: 2'));
    // A new document after the last one, and one in the middle: each lands after its own document.
    const last = run(many, [{ op: 'document', name: 'x', value: { kind: 'PodDisruptionBudget' } }], 11);
    expect(last.text).toBe(`${many}---\nkind: PodDisruptionBudget\n`);
    const middle = run(many, [{ op: 'document', name: 'x', value: { kind: 'PodDisruptionBudget' } }], 3);
    expect(middle.text).toBe(many.replace('---\n# app 4', '---\nkind: PodDisruptionBudget\n---\n# app 4'));
  });

  it('finds the changes of each finding without building the whole text', () => {
    const out = run(many, [{ op: 'delete', path: ['spec', 'replicas'] }], 7);
    // The only key of spec: `spec:` becomes `spec: {}`, from the end of `spec:` to the start of the next document.
    expect(toChanges(many, 'many.yaml', out.edits)).toEqual([
      {
        file: 'many.yaml',
        range: { startLine: 7 * 7 + 5, startColumn: 6, endLine: 7 * 7 + 7, endColumn: 1 },
        text: ' {}\n',
      },
    ]);
    expect(out.text).toBe(many.replace('name: app-7\nspec:\n  replicas: 1\n', 'name: app-7\nspec: {}\n'));
  });
});
