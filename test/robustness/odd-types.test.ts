import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatPath } from '../../src/model/path.js';
import { expectNoInternalError, lintIn, regionProblems, tempDir, writeTree } from './helpers.js';
import { oddFieldSweep, setAt } from './odd-sweep.js';
import { SEEDS } from './seeds.js';

type P = (string | number)[];

const POD = ['spec', 'template', 'spec'];
const C0 = [...POD, 'containers', 0];

/** The cases the issue names, and their kin: what a rule reads, with a type it does not expect. The schema rule reports each. */
const NAMED: [string, keyof typeof SEEDS, P, unknown][] = [
  ['replicas: "3"', 'deployment', ['spec', 'replicas'], '3'],
  ['env: {} instead of a list', 'deployment', [...C0, 'env'], {}],
  ['containers: null', 'deployment', [...POD, 'containers'], null],
  ['a probe that is a string', 'deployment', [...C0, 'livenessProbe'], 'curl -f http://localhost/healthz'],
  ['probe numbers as strings', 'deployment', [...C0, 'livenessProbe', 'failureThreshold'], 'three'],
  ['ports: "8080"', 'deployment', [...C0, 'ports'], '8080'],
  ['an env entry that is a string', 'deployment', [...C0, 'env', 0], 'JAVA_OPTS=-Xmx1g'],
  ['an env value that is a mapping', 'deployment', [...C0, 'env', 1, 'value'], { nested: true }],
  ['image: 123', 'deployment', [...C0, 'image'], 123],
  ['command: a mapping', 'deployment', [...C0, 'command'], { run: 'java' }],
  ['resources: a list', 'deployment', [...C0, 'resources'], ['cpu']],
  ['labels: a list', 'deployment', ['spec', 'template', 'metadata', 'labels'], ['app=web']],
  ['metadata: a list', 'deployment', ['metadata'], ['web']],
  ['selector: a string', 'deployment', ['spec', 'selector'], 'app=web'],
  ['template: null', 'deployment', ['spec', 'template'], null],
  ['spec: 42', 'deployment', ['spec'], 42],
  ['HPA minReplicas: "2"', 'hpa', ['spec', 'minReplicas'], '2'],
  ['HPA scaleTargetRef: a string', 'hpa', ['spec', 'scaleTargetRef'], 'Deployment/web'],
  ['HPA metrics: a mapping', 'hpa', ['spec', 'metrics'], { cpu: 70 }],
  ['PDB maxUnavailable: a list', 'pdb', ['spec', 'maxUnavailable'], [1]],
  ['PDB selector: a string', 'pdb', ['spec', 'selector'], 'app=web'],
  ['Service ports: a string', 'service', ['spec', 'ports'], '80:8080'],
  ['Secret data: a list', 'secret', ['data'], ['password']],
];

const NAMED_SWARM: [string, P, unknown][] = [
  ['deploy: a list', ['services', 'api', 'deploy'], ['replicas=2']],
  ['deploy.replicas: a list', ['services', 'api', 'deploy', 'replicas'], [3]],
  ['healthcheck: a string', ['services', 'api', 'healthcheck'], 'curl -f http://localhost/'],
  ['environment: a string', ['services', 'api', 'environment'], 'A=1'],
  ['volumes: a mapping', ['services', 'api', 'volumes'], { data: '/data' }],
  ['a service that is a string', ['services', 'worker'], 'acme/worker:1.0'],
  ['command: a mapping', ['services', 'api', 'command'], { run: 'serve' }],
];

describe('values of unexpected types where rules look: no rule throws, the schema rule reports them', () => {
  it.each(NAMED.map(([name, seed, path, value]) => [name, seed, path, value] as const))(
    '%s',
    async (_name, seed, path, value) => {
      const text = stringify(setAt(SEEDS[seed], path, value));
      const dir = writeTree(tempDir(), { 'odd.yaml': text });
      const result = await lintIn(dir, ['odd.yaml']);
      expectNoInternalError(result.findings);
      expect(regionProblems(result.findings, () => text)).toEqual([]);
      const schema = result.findings.filter((f) => f.ruleId === 'schema-invalid');
      const target = formatPath(path);
      // Reported at the odd value itself, or at the object that lacks what it should hold.
      expect(
        schema.map((f) => f.path),
        `schema-invalid at ${target}`,
      ).toContainEqual(expect.stringMatching(new RegExp(`^${target.split(/[.[]/)[0]}`)));
    },
  );

  it.each(NAMED_SWARM.map(([name, path, value]) => [name, path, value] as const))(
    'Swarm: %s',
    async (_name, path, value) => {
      const text = stringify(setAt(SEEDS.stack, path, value));
      const dir = writeTree(tempDir(), {
        'stack.yml': text,
        'api.env': 'API_KEY=seed-env-file\n',
        'db-password.txt': 'x\n',
      });
      const result = await lintIn(dir, ['stack.yml']);
      expectNoInternalError(result.findings);
      expect(
        regionProblems(
          result.findings.filter((f) => f.file === 'stack.yml'),
          () => text,
        ),
      ).toEqual([]);
      expect(
        result.findings.some((f) =>
          ['schema-invalid', 'swarm-invalid-value', 'swarm-unsupported-key'].includes(f.ruleId),
        ),
      ).toBe(true);
    },
  );

  it('names of Object.prototype members as kinds, service names and keys (found a crash: kind: constructor)', async () => {
    const docs = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'].map(
      (k) =>
        `apiVersion: v1\nkind: ${k}\nmetadata: {name: x, labels: {constructor: a, toString: b}}\nspec: {replicas: 1, ${k}: {}, template: {spec: {containers: [{name: c, ${k}: 1}]}}}\n`,
    );
    const stack =
      'services:\n  constructor:\n    image: nginx:1.27\n    toString: 1\n    deploy: {mode: constructor, constructor: 1}\nconstructor: {}\n';
    const dir = writeTree(tempDir(), { 'proto.yaml': docs.join('---\n'), 'stack.yml': stack });
    const result = await lintIn(dir, ['.']);
    expectNoInternalError(result.findings);
    expect(result.input.resources).toHaveLength(6);
    // No rule mistakes a prototype member for one of its own table entries.
    expect(result.findings.filter((f) => /native code|function /.test(f.message))).toEqual([]);
  });

  // Every field of every seed, replaced by odd values: all variants as documents of one file, one run per seed and
  // value. Here each field gets every third odd value (each value every third field); test/e2e/odd-types-all.test.ts
  // runs every field with every value.
  it.each(Object.keys(SEEDS).map((s) => [s] as const))(
    'every field of the %s seed, odd values in rotation',
    async (seed) => oddFieldSweep(seed as keyof typeof SEEDS, 3),
    120_000,
  );
});
