import { existsSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordingKubectl } from '../helpers/temp.js';
import { runCli } from '../helpers/run-cli.js';
import {
  expectHealthyChecked,
  expectNoInternalError,
  HEALTHY,
  HEALTHY_NAME,
  leakedPieces,
  lintIn,
  tempDir,
  writeTree,
} from './helpers.js';

/** Issue 17: each way an attacker's input printed a secret, stopped a run or changed its output, as a fixture. */

const dirs: string[] = [];
const fresh = (): string => {
  const d = tempDir('shipshape-hostile-');
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const S = {
  alias: 'Sup3rS3cretAliasPass',
  tag: 'Xk9Passw0rd!2024',
  arg: 'Hunter2Hunter2x',
  url: 'S3cretPassw0rdXYZ',
  mode: 'Sw4rmM0deSecret99',
  condition: 'C0nditionS3cret77',
  duration: 'D8rationS3cret55',
  crdEnum: 'CrdEnumS3cret4242',
  crdField: 'CrdFieldS3cret4343',
  suppression: 'Supp1dS3cretValue',
};

const deployment = (name: string, container: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
        - name: app
          image: registry.example/app:1.0.0
${container}`;

const FILES: Record<string, string> = {
  'alias.yaml': deployment(
    'alias',
    `          env:\n            - name: DB_PASSWORD\n              value: *${S.alias}\n`,
  ),
  'tag.yaml': deployment('tag', `          env:\n            - name: API_TOKEN\n              value: !${S.tag}\n`),
  'args.yaml': deployment('args', `          args: "--password=${S.arg}"\n`),
  'dind.yml': `services:\n  docker:\n    image: docker:27-dind\n    command: dockerd --host tcp://admin:${S.url}@0.0.0.0:2375\n`,
  'swarm.yml': `services:\n  web:\n    image: nginx:1.27\n    healthcheck: {test: [CMD, "true"], interval: ${S.duration}}\n    deploy:\n      mode: ${S.mode}\n      restart_policy: {condition: ${S.condition}}\n`,
  'crd.yaml': `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                level: {type: string, enum: [low, high]}
                size: {type: integer}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec:
  level: ${S.crdEnum}
  size: ${S.crdField}
`,
  'suppressed.yaml': `# shipshape-ignore-file ${S.suppression} -- planted\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n`,
};

describe('planted secrets: no output quotes a value', () => {
  const dir = writeTree(fresh(), FILES);

  it.each(['text', 'json', 'sarif'])('%s', async (format) => {
    const r = await runCli(['.', '--format', format], { cwd: dir });
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    for (const [where, secret] of Object.entries(S))
      expect(leakedPieces(out, secret), `${where} in ${format}`).toEqual([]);
  });

  it('each planted value is still reported, where it is', async () => {
    const r = await runCli(['.', '--format', 'json'], { cwd: dir });
    const found = (
      JSON.parse(r.stdout) as {
        findings: {
          ruleId: string;
          file: string;
          line: number;
          column: number;
          endLine: number;
          endColumn: number;
          message: string;
        }[];
      }
    ).findings;
    const at = (file: string, ruleId: string): string[] =>
      found
        .filter((f) => f.file === file && f.ruleId === ruleId)
        .map((f) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn}`);
    expect(at('alias.yaml', 'invalid-yaml')).toEqual(['15:22-15:43']);
    expect(at('tag.yaml', 'invalid-yaml')).toEqual(['15:22-15:39']);
    expect(at('args.yaml', 'schema-invalid')).toEqual(['13:11-13:45']);
    expect(at('dind.yml', 'insecure-admin-flag')).toEqual(['4:5-4:71']);
    expect(at('swarm.yml', 'swarm-invalid-value').sort()).toEqual(['4:40-4:66', '6:7-6:30', '7:24-7:52'].sort());
    expect(at('crd.yaml', 'schema-invalid').sort()).toEqual(['26:3-26:27', '27:3-27:27'].sort());
    expect(at('suppressed.yaml', 'unused-suppression')).toEqual(['1:25-1:42']);
    const insecure = found.find((f) => f.ruleId === 'insecure-admin-flag')!;
    expect(insecure.message).toContain('runs with --host,');
  });

  it('a baseline that is not JSON is named, not quoted', async () => {
    const b = writeTree(fresh(), { 'baseline.json': `${S.arg} is not json`, [HEALTHY_NAME]: HEALTHY });
    const r = await runCli(['.', '--baseline', 'baseline.json'], { cwd: b });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('shipshape: baseline.json: not a shipshape baseline (not valid JSON)\n');
  });
});

describe('runs that died, hung or changed', () => {
  it('!!merge as a value is one invalid-yaml finding, !!binary is read as its base64 text; nothing throws', async () => {
    const dir = writeTree(fresh(), {
      'merge.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata: {a: !!merge }\n',
      'spec.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\nspec: !!merge\n',
      'binary.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: b}\ndata: {key: !!binary aGVsbG8=}\n',
      [HEALTHY_NAME]: HEALTHY,
    });
    const result = await lintIn(dir, ['.']);
    expectNoInternalError(result.findings);
    expectHealthyChecked(result.findings);
    const yaml = result.findings
      .filter((f) => f.ruleId === 'invalid-yaml')
      .map((f) => `${f.file} ${f.range.startLine}:${f.range.startColumn}-${f.range.endLine}:${f.range.endColumn}`);
    expect(yaml.sort()).toEqual(['merge.yaml 4:8-4:19', 'spec.yaml 4:1-4:14']);
    expect(result.input.resources.find((r) => r.name === 'b')?.value.data).toEqual({ key: 'aGVsbG8=' });
  });

  it('130,000 ids in one # shipshape-ignore-file line: reported, no stack overflow', async () => {
    const ids = Array.from({ length: 130_000 }, (_, i) => `x${i}`).join(',');
    const dir = writeTree(fresh(), {
      'ids.yaml': `# shipshape-ignore-file ${ids} -- r\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n`,
      [HEALTHY_NAME]: HEALTHY,
    });
    const r = await runCli(['.', '--format', 'json'], { cwd: dir, timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0); // single-replica is a warning, unused-suppression a note
    const found = (JSON.parse(r.stdout) as { findings: { ruleId: string; file: string }[] }).findings;
    expect(found.filter((f) => f.file === 'ids.yaml' && f.ruleId === 'unused-suppression')).toHaveLength(130_000);
    expect(found.some((f) => f.file === HEALTHY_NAME && f.ruleId === 'single-replica')).toBe(true);
  }, 130_000);

  it('deep input gives the same findings alone and beside other files', async () => {
    const deep = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  k: ${'['.repeat(850)}${']'.repeat(850)}\n`;
    const dir = writeTree(fresh(), { 'deep.yaml': deep, [HEALTHY_NAME]: HEALTHY });
    const alone = await runCli(['deep.yaml', '--format', 'json'], { cwd: dir });
    const both = await runCli([HEALTHY_NAME, 'deep.yaml', '--format', 'json'], { cwd: dir });
    const mine = (out: string): unknown =>
      (JSON.parse(out) as { findings: { file: string }[] }).findings.filter((f) => f.file === 'deep.yaml');
    expect(mine(alone.stdout)).toEqual(mine(both.stdout));
    expect(mine(alone.stdout)).toMatchObject([
      { ruleId: 'invalid-yaml', line: 5, column: 260, endLine: 5, endColumn: 261 },
    ]);
  });

  it('ReDoS patterns in a CRD and in a policy run in linear time', async () => {
    const crd = (pattern: string, i: number): string => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: r${i}s.example.com}
spec:
  group: example.com
  names: {kind: R${i}, plural: r${i}s}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, properties: {v: {type: string, pattern: ${JSON.stringify(pattern)}}}}
---
apiVersion: example.com/v1
kind: R${i}
metadata: {name: x}
spec: {v: "${pattern.startsWith('\\d') ? '1'.repeat(33) : 'a'.repeat(33)}!"}
`;
    const patterns = ['^(a|a)*$', '^(.*a){12}$', '\\d*\\d*\\d*\\d*\\d*\\d*\\d*\\d*x'];
    const files: Record<string, string> = Object.fromEntries(patterns.map((p, i) => [`crd-${i}.yaml`, crd(p, i)]));
    files['.shipshape.yaml'] =
      'policies:\n  - id: acme-name\n    description: Names are a run of a.\n    target: resource\n    schema:\n      properties:\n        metadata:\n          properties:\n            name: {pattern: "^(a|a)*$"}\n';
    files['named.yaml'] = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${'a'.repeat(33)}-}\n`;
    const dir = writeTree(fresh(), files);
    const t0 = performance.now();
    const r = await runCli(['.', '--format', 'json'], { cwd: dir, timeoutMs: 60_000 });
    expect(r.killed).toBe(false);
    expect((performance.now() - t0) / 1000).toBeLessThan(20);
    const found = (
      JSON.parse(r.stdout) as { findings: { ruleId: string; file: string; line: number; column: number }[] }
    ).findings;
    for (let i = 0; i < patterns.length; i++)
      expect(
        found
          .filter((f) => f.file === `crd-${i}.yaml` && f.ruleId === 'schema-invalid')
          .map((f) => `${f.line}:${f.column}`),
      ).toEqual(['21:8']);
    expect(
      found
        .filter((f) => f.ruleId === 'acme-name' && f.file === 'named.yaml')
        .map((f) => `${f.file} ${f.line}:${f.column}`),
    ).toEqual(['named.yaml 3:12']);
  });

  it('a 160,000-token Swarm command and a 270 KB sh -c are checked in bounded time', async () => {
    const tokens = Array.from({ length: 160_000 }, (_, i) => `--opt${i}`).join(' ');
    const sh = `echo ${Array.from({ length: 40_000 }, (_, i) => `w${i}`).join(' ')}; traefik --api.insecure`;
    const dir = writeTree(fresh(), {
      'long.yml': `services:\n  app:\n    image: traefik:3\n    command: ${tokens} --api.insecure=true\n`,
      'long.yaml': `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: traefik:3\n    command: ["sh", "-c", ${JSON.stringify(sh)}]\n`,
    });
    const t0 = performance.now();
    const result = await lintIn(dir, ['.']);
    expect((performance.now() - t0) / 1000).toBeLessThan(30);
    const flags = result.findings
      .filter((f) => f.ruleId === 'insecure-admin-flag')
      .map((f) => `${f.file} ${f.range.startLine}:${f.range.startColumn}`);
    expect(flags.sort()).toEqual(['long.yaml 8:27', 'long.yml 4:5']);
  }, 60_000);

  it('control characters in a file name are escaped in text output', async () => {
    const dir = fresh();
    writeFileSync(path.join(dir, 'evil\x1b]0;owned\x07\x1b[2J.yaml'), HEALTHY);
    const r = await runCli(['.'], { cwd: dir });
    expect(r.code).toBe(0);
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(r.stdout).toContain('evil\\x1b]0;owned\\x07\\x1b[2J.yaml');
  });
});

describe('nothing outside the repository is read', () => {
  it('without .git: a walked symlink out and env_file /proc/self/environ are refused with a warning', async () => {
    const base = fresh();
    const dir = writeTree(base, {
      'repo/stack.yml':
        'services:\n  app:\n    image: nginx:1.27\n    env_file: [/proc/self/environ, ../outside.env]\n',
      'outside.env': 'OUTSIDE_PASSWORD=Outs1deS3cret99\n',
      'outside/o.yaml': HEALTHY,
    });
    symlinkSync(path.join(dir, 'outside'), path.join(dir, 'repo/linked'));
    symlinkSync('/proc/self/environ', path.join(dir, 'repo/environ.yaml'));
    const r = await runCli(['repo', '--format', 'json'], {
      cwd: dir,
      env: { PLANTED_TOKEN: 'ghp_Env1ronS3cretEnv1ronS3cretEnv1ronS3c' },
    });
    const out = JSON.parse(r.stdout) as { findings: { file: string; ruleId: string }[]; warnings: string[] };
    expect([...new Set(out.findings.map((f) => f.file))]).toEqual(['repo/stack.yml']);
    expect([...out.warnings].sort()).toEqual(
      [
        '../../../proc/self/environ: env_file /proc/self/environ is outside the repository (' +
          path.join(dir, 'repo') +
          '), not read',
        'outside.env: env_file ../outside.env is outside the repository (' + path.join(dir, 'repo') + '), not read',
        'repo/environ.yaml: a symlink to outside the repository, not followed',
        'repo/linked: a symlink to outside the repository, not followed',
      ]
        .map((l) => l.replace('../../../proc', path.relative(dir, '/proc')))
        .sort(),
    );
    expect(r.stdout + r.stderr).not.toContain('Env1ronS3cret');
    expect(r.stdout + r.stderr).not.toContain('Outs1deS3cret');
  });

  it('--render: a remote base and a base outside the repository are render-skipped, kustomize never runs on them', async () => {
    const dir = writeTree(fresh(), {
      'repo/.git/HEAD': 'ref: refs/heads/main\n',
      'repo/remote/kustomization.yaml': 'resources:\n  - https://github.com/example/never-fetched//base?ref=v1\n',
      'repo/escape/kustomization.yaml': 'resources:\n  - ../../outside/base\n',
      'outside/base/kustomization.yaml': 'resources: [d.yaml]\n',
      'outside/base/d.yaml': HEALTHY,
    });
    const kubectl = recordingKubectl();
    const r = await runCli(['--render', 'remote', 'escape', '--format', 'json'], {
      cwd: path.join(dir, 'repo'),
      env: { PATH: `${kubectl.bin}${path.delimiter}${process.env.PATH ?? ''}` },
      timeoutMs: 60_000,
    });
    expect(existsSync(kubectl.calls), 'kubectl ran').toBe(false);
    const out = JSON.parse(r.stdout) as {
      findings: { file: string; ruleId: string; line: number; column: number; message: string }[];
    };
    expect(out.findings.map((f) => `${f.ruleId} ${f.file} ${f.line}:${f.column}`).sort()).toEqual([
      'render-skipped escape/kustomization.yaml 1:1',
      'render-skipped remote/kustomization.yaml 1:1',
    ]);
    expect(out.findings.find((f) => f.file === 'remote/kustomization.yaml')!.message).toContain('remote base');
    expect(out.findings.find((f) => f.file === 'escape/kustomization.yaml')!.message).toContain(
      'outside the repository',
    );
  });
});

describe('found by the fuzz test', () => {
  it('CRLF line ends: a parser error at the end of a line stays inside the line (not on its CR)', async () => {
    // podinfo's frontend kustomization with two lines swapped, CRLF line ends: the case fast-check found.
    const text =
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nconfigMapGenerator:\n    files:\n  - name: warm-cache-script\n      - scripts/warm-cache.sh\n'.replace(
        /\n/g,
        '\r\n',
      );
    const dir = writeTree(fresh(), { 'k.yaml': text });
    const result = await lintIn(dir, ['k.yaml']);
    const lines = text.split('\r\n');
    const problems = result.findings.filter((f) => f.ruleId === 'invalid-yaml');
    expect(
      problems.map((f) => `${f.range.startLine}:${f.range.startColumn}-${f.range.endLine}:${f.range.endColumn}`),
    ).toEqual(['4:11-4:11']);
    for (const f of problems)
      expect(f.range.endColumn, `${f.range.endLine}:${f.range.endColumn} ${f.message}`).toBeLessThanOrEqual(
        lines[f.range.endLine - 1]!.length + 1,
      );
  });

  it('CRLF line ends: a duplicate key found at the end of a line stays inside the line', async () => {
    // example-voting-app's stack with a line moved into \`environment:\`, CRLF line ends: the case fast-check found.
    const text =
      'services:\n  db:\n    image: postgres:15-alpine\n    environment:\n    image: redis:alpine\n      POSTGRES_USER: "postgres"\n'.replace(
        /\n/g,
        '\r\n',
      );
    const dir = writeTree(fresh(), { 'stack.yml': text });
    const result = await lintIn(dir, ['stack.yml']);
    const dups = result.findings.filter((f) => f.ruleId === 'duplicate-key');
    expect(
      dups.map((f) => `${f.range.startLine}:${f.range.startColumn}-${f.range.endLine}:${f.range.endColumn}`),
    ).toEqual(['4:17-4:17']);
  });
});
