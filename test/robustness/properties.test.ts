import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { formatSarif } from '../../src/report/sarif.js';
import { ROOT } from '../helpers/fixtures.js';
import { validateSarif } from '../helpers/sarif.js';
import { lintIn, regionProblems, tempDir } from './helpers.js';
import { SEEDS } from './seeds.js';

/**
 * Property-based tests: whatever the input, no rule throws (no internal-error finding), every finding's region lies
 * inside its file, and the SARIF log validates against the SARIF 2.1.0 schema. Seeded, so a failure reproduces; the
 * counterexample fast-check prints is the smallest input it found.
 */

const SEED = 20_240_917;

/** Run one generated input set and check the three invariants; `files` maps a file name to its content. */
async function check(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const result = await lintIn(dir, Object.keys(files));
  const internal = result.findings
    .filter((f) => f.ruleId === 'internal-error')
    .map((f) => `${f.file}:${f.range.startLine} ${f.message}`);
  expect(internal).toEqual([]);
  expect(regionProblems(result.findings, (f) => files[f])).toEqual([]);
  expect(validateSarif(JSON.parse(formatSarif(result)))).toEqual([]);
}

// --- random documents: shapes drawn from the fields rules read, with values of every type ---

const KEYS = [
  'apiVersion',
  'kind',
  'metadata',
  'name',
  'namespace',
  'labels',
  'annotations',
  'spec',
  'template',
  'jobTemplate',
  'replicas',
  'selector',
  'matchLabels',
  'matchExpressions',
  'key',
  'operator',
  'values',
  'containers',
  'initContainers',
  'image',
  'command',
  'args',
  'env',
  'value',
  'valueFrom',
  'envFrom',
  'ports',
  'containerPort',
  'port',
  'targetPort',
  'resources',
  'requests',
  'limits',
  'cpu',
  'memory',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'httpGet',
  'tcpSocket',
  'exec',
  'grpc',
  'path',
  'failureThreshold',
  'periodSeconds',
  'initialDelaySeconds',
  'timeoutSeconds',
  'scaleTargetRef',
  'minReplicas',
  'maxReplicas',
  'metrics',
  'minAvailable',
  'maxUnavailable',
  'hostNetwork',
  'securityContext',
  'privileged',
  'volumes',
  'hostPath',
  'topologySpreadConstraints',
  'topologyKey',
  'whenUnsatisfiable',
  'labelSelector',
  'affinity',
  'data',
  'stringData',
  'items',
  'services',
  'deploy',
  'mode',
  'healthcheck',
  'test',
  'interval',
  'retries',
  'start_period',
  'environment',
  'env_file',
  'secrets',
  'file',
  'placement',
  'update_config',
  'network_mode',
  '<<',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '',
];
const KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
  'Rollout',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'Service',
  'Secret',
  'LimitRange',
  'List',
  'DeploymentList',
  'CustomResourceDefinition',
  'Widget',
  'constructor',
  'toString',
  '__proto__',
];
const API_VERSIONS = [
  'apps/v1',
  'v1',
  'batch/v1',
  'autoscaling/v2',
  'autoscaling/v1',
  'policy/v1',
  'argoproj.io/v1alpha1',
  'extensions/v1beta1',
  'apiextensions.k8s.io/v1',
  'example.com/v1',
];

const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '3',
    '-1',
    '0',
    'true',
    'null',
    '10%',
    '100%',
    '{{ .Values.x }}',
    '${VAR}',
    '$(VAR)',
    'http',
    '8080',
    'latest',
    'nginx:latest',
    'AKIAPROPERTY7F3A9C12',
    'Always',
    'DoNotSchedule',
    'CMD-SHELL',
    '1m30s',
    'x'.repeat(300),
  ),
  fc.integer({ min: -5, max: 100_000 }),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 4 }),
  map: fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 6 }),
}));
const resource = fc.record(
  {
    apiVersion: fc.oneof(fc.constantFrom(...API_VERSIONS), value),
    kind: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KINDS) }, { weight: 1, arbitrary: value }),
    metadata: fc.oneof(
      fc.record(
        {
          name: fc.oneof(fc.constantFrom('web', 'db', 'api'), value),
          namespace: fc.oneof(fc.constant('shop'), value),
          labels: value,
        },
        { requiredKeys: [] },
      ),
      value,
    ),
    spec: value,
    items: fc.array(value, { maxLength: 3 }),
    services: value,
  },
  { requiredKeys: [] },
);
const documentText = fc.oneof(
  { weight: 3, arbitrary: resource.map((r) => stringify(r)) },
  {
    weight: 1,
    arbitrary: resource.map((r) =>
      JSON.stringify(r, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2),
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(...Object.values(SEEDS)).chain((seed) => fc.constant(stringify(seed))) },
);

// --- raw text: YAML punctuation, indentation, templates and control characters, in any order ---

const yamlishText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '\n',
        '  ',
        '\t',
        '- ',
        ': ',
        '? ',
        '---\n',
        '...\n',
        '#',
        '"',
        "'",
        '[',
        ']',
        '{',
        '}',
        ',',
        '&a ',
        '*a',
        '<<: ',
        '!!str ',
        '|',
        '>-',
        '{{ .Values.x }}',
        '%YAML 1.1\n',
        '\r\n',
        '\u00e9',
        '\ufeff',
        '\u0000',
        'apiVersion: v1\nkind: Pod\n',
        'spec:\n  containers:\n',
      ),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

// --- a seeded, bounded sample of the repository's manifests (fixtures and examples) ---

function manifestSample(n: number): { name: string; text: string }[] {
  const all: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = path.join(d, e);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/i.test(e) && st.size < 64 * 1024) all.push(p);
    }
  };
  // Real manifests of the repository (fixtures and examples): the corpus in ../shared is for the e2e tier.
  walk(path.join(ROOT, 'test/fixtures'));
  walk(path.join(ROOT, 'examples'));
  // mulberry32: the same sample on every machine.
  let s = SEED;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const picked: string[] = [];
  while (picked.length < n && all.length) picked.push(all.splice(Math.floor(rand() * all.length), 1)[0]!);
  return picked.map((p) => ({
    name: path.relative(ROOT, p).replace(/[/\\]/g, '__'),
    text: readFileSync(p).toString('utf8'),
  }));
}

type Mutation = (text: string) => string;
const lineOp = (f: (lines: string[], i: number, j: number) => void) =>
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]): Mutation => (text) => {
    const lines = text.split('\n');
    f(lines, a % lines.length, b % lines.length);
    return lines.join('\n');
  });
const textMutation: fc.Arbitrary<Mutation> = fc.oneof(
  lineOp((l, i) => l.splice(i, 1)),
  lineOp((l, i) => l.splice(i, 0, l[i] ?? '')),
  lineOp((l, i, j) => ([l[i], l[j]] = [l[j] ?? '', l[i] ?? ''])),
  lineOp((l, i) => (l[i] = ` ${l[i] ?? ''}`)),
  lineOp((l, i) => (l[i] = (l[i] ?? '').replace(/^ {2}/, '\t'))),
  lineOp((l, i) => l.splice(i, 0, '---')),
  lineOp((l, i) => (l[i] = `${l[i] ?? ''} {{ .Values.x }}`)),
  fc.tuple(fc.nat(), fc.constantFrom('', ':', '-', '[', '"', '\u0000', '&x ', '*x', '\r')).map(
    ([at, ins]): Mutation =>
      (t) =>
        t.slice(0, at % (t.length + 1)) + ins + t.slice(at % (t.length + 1)),
  ),
  fc.nat().map(
    (at): Mutation =>
      (t) =>
        t.slice(0, at % (t.length + 1)),
  ),
);
/** Replace the value at a random path of a random document with a random value (re-serialized). */
const structuralMutation = fc.tuple(fc.nat(), fc.nat(), value).map(([d, p, v]): Mutation => (text) => {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.length === 0) return text;
  const values = docs.map((doc) => {
    try {
      return doc.errors.length ? undefined : doc.toJS({ maxAliasCount: 100 });
    } catch {
      return undefined;
    }
  });
  const target = values[d % values.length];
  const paths: (string | number)[][] = [];
  const walk = (x: unknown, base: (string | number)[]): void => {
    if (Array.isArray(x))
      x.forEach((y, i) => {
        paths.push([...base, i]);
        walk(y, [...base, i]);
      });
    else if (x && typeof x === 'object')
      for (const [k, y] of Object.entries(x)) {
        paths.push([...base, k]);
        walk(y, [...base, k]);
      }
  };
  walk(target, []);
  if (!paths.length) return text;
  const at = paths[p % paths.length]!;
  let cur = target as Record<string | number, unknown>;
  for (const seg of at.slice(0, -1)) cur = cur[seg] as Record<string | number, unknown>;
  cur[at[at.length - 1]!] = v;
  return values.map((x) => stringify(x ?? null)).join('---\n');
});

describe('property: no input makes a rule throw, regions stay inside files, SARIF validates', () => {
  it('random documents built from the fields rules read', async () => {
    const dir = tempDir();
    await fc.assert(
      fc.asyncProperty(
        fc.array(documentText, { minLength: 1, maxLength: 4 }),
        fc.array(documentText, { maxLength: 2 }),
        async (a, b) => {
          await check(dir, { 'a.yaml': a.join('---\n'), 'b.yaml': b.join('---\n') });
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  }, 120_000);

  it('random YAML-like text', async () => {
    const dir = tempDir();
    await fc.assert(
      fc.asyncProperty(yamlishText, async (text) => {
        await check(dir, { 'noise.yaml': text });
      }),
      { seed: SEED, numRuns: 200 },
    );
  }, 120_000);

  it("random mutations of the repository's manifests (a seeded sample)", async () => {
    const sample = manifestSample(40);
    expect(sample.length).toBe(40);
    const dir = tempDir();
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: sample.length - 1 }),
        fc.array(fc.oneof(textMutation, structuralMutation), { minLength: 1, maxLength: 3 }),
        async (i, mutations) => {
          const { name, text } = sample[i]!;
          const ext = /\.json$/i.test(name) ? '.json' : '.yaml';
          await check(dir, { [`m${ext}`]: mutations.reduce((t, m) => m(t), text), [`orig-${i}${ext}`]: text });
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  }, 120_000);
});
