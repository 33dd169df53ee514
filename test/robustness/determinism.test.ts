import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, writeTree } from './helpers.js';

/** Objects that refer to each other across files, so that the order files are read in could show in the output. */
function repo(): string {
  const deployment = (name: string, file: string): string =>
    `# ${file}\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers:\n        - name: app\n          image: registry.example/${name}:latest\n          env: [{name: DB_PASSWORD, value: same-literal}]\n          livenessProbe: {httpGet: {path: /, port: http}, failureThreshold: 1}\n`;
  const hpa = (name: string, target: string, min: number): string =>
    `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${target}}\n  minReplicas: ${min}\n  maxReplicas: 9\n`;
  const dir = writeTree(tempDir(), {
    'a/web.yaml': deployment('web', 'a/web.yaml'),
    'b/hpa-one.yaml': hpa('web-one', 'web', 1),
    'c/hpa-two.yaml': hpa('web-two', 'web', 2),
    'd/copy.yaml': deployment('web', 'd/copy.yaml'), // the same object twice: identical findings, distinct fingerprints
    'e/pdb.yaml':
      'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web, namespace: shop}\nspec:\n  minAvailable: 3\n  selector: {matchLabels: {app: web}}\n',
    'f/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n',
    'g/stack.yml':
      'version: "3.8"\nservices:\n  api:\n    image: registry.example/api:latest\n    environment: {DB_PASSWORD: same-literal}\n',
  });
  symlinkSync('a/web.yaml', path.join(dir, 'web-link.yaml'));
  symlinkSync('nowhere.yaml', path.join(dir, 'dangling.yaml'));
  return dir;
}

const ORDERINGS = [
  ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'web-link.yaml', 'dangling.yaml'],
  ['dangling.yaml', 'web-link.yaml', 'g', 'f', 'e', 'd', 'c', 'b', 'a'],
  ['d', 'web-link.yaml', 'b', 'f', 'a', 'dangling.yaml', 'c', 'g', 'e'],
];

describe('deterministic output: the same input gives byte-identical output, whatever the order of the paths', () => {
  it.each([['text'], ['json'], ['sarif'], ['compact'], ['junit'], ['gitlab'], ['checkstyle']])(
    '%s',
    async (format) => {
      const dir = repo();
      const outputs: string[] = [];
      for (const order of [...ORDERINGS, ORDERINGS[0]!]) {
        const r = await runCli([...order, '--format', format], { cwd: dir });
        // Text and JSON carry the warning about the dangling link; the other formats leave it to stderr.
        expect(r.stderr).toBe(
          format === 'text' || format === 'json'
            ? ''
            : 'shipshape: warning: dangling.yaml: dangling symlink, skipped\n',
        );
        expect(r.code).toBe(1);
        outputs.push(r.stdout);
      }
      expect(outputs[0]!.length).toBeGreaterThan(500);
      for (const o of outputs.slice(1)) expect(o).toBe(outputs[0]);
      if (format === 'json') {
        const out = JSON.parse(outputs[0]!) as {
          findings: { file: string; line: number; column: number; ruleId: string; fingerprint: string }[];
          warnings: string[];
        };
        // Sorted by file, line, column, rule; fingerprints unique; the file reached twice is shown once, under one name.
        const keys = out.findings.map((f) => [f.file, f.line, f.column, f.ruleId] as const);
        const sorted = [...keys].sort((x, y) =>
          x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] - y[1] || x[2] - y[2] || (x[3] < y[3] ? -1 : x[3] > y[3] ? 1 : 0),
        );
        expect(keys).toEqual(sorted);
        expect(new Set(out.findings.map((f) => f.fingerprint)).size).toBe(out.findings.length);
        expect(out.findings.some((f) => f.file === 'web-link.yaml')).toBe(false);
        expect(out.warnings).toEqual(['dangling.yaml: dangling symlink, skipped']);
      }
    },
    120_000,
  );

  it('fingerprints do not move when unrelated lines do', async () => {
    const dir = repo();
    const before = JSON.parse((await runCli(['.', '--format', 'json'], { cwd: dir })).stdout) as {
      findings: { file: string; line: number; fingerprint: string; ruleId: string }[];
    };
    writeTree(dir, {
      'a/web.yaml': `# a new comment\n# and another\n${(await import('node:fs')).readFileSync(path.join(dir, 'a/web.yaml'), 'utf8')}`,
    });
    const after = JSON.parse((await runCli(['.', '--format', 'json'], { cwd: dir })).stdout) as typeof before;
    const web = (o: typeof before): { line: number; fingerprint: string; ruleId: string }[] =>
      o.findings.filter((f) => f.file === 'a/web.yaml');
    expect(web(after).map((f) => f.fingerprint)).toEqual(web(before).map((f) => f.fingerprint));
    expect(web(after).map((f) => f.line)).toEqual(web(before).map((f) => f.line + 2));
  });
});
