import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyFixes } from '../src/fix/apply.js';
import { jsonReport } from './helpers/json-report.js';
import { runCli } from './helpers/run-cli.js';
import { validateSarif } from './helpers/sarif.js';
import { tempProject } from './helpers/temp.js';

interface JsonFinding {
  ruleId: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fix?: { doc: number; edits: unknown[] };
}

const HPA = `# autoscaler for web
apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata:
  name: web # owned by team a
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1   # too low
  maxReplicas: 10
`;

const DEPLOYMENT = `# the web app
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # keep me
spec:
  replicas: 3 # pinned
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      topologySpreadConstraints:
        - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: web}}}
      containers:
        - name: web
          image: "nginx:1.27.0"
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
`;

const PDB = `apiVersion: policy/v1beta1   # old
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: web}
`;

/** The budget pdb-missing's fix adds after the Deployment of DEPLOYMENT (3 pods), up to the next document. */
const WEB_PDB = `---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: web
---
`;

async function findings(dir: string): Promise<JsonFinding[]> {
  return (await jsonReport<{ findings: JsonFinding[] }>(dir)).findings;
}

const at = (f: JsonFinding): string => `${f.ruleId} ${f.line}:${f.column}-${f.endLine}:${f.endColumn}`;

/** --fix, then: the rule's findings gone, no finding that was not there, the expected text, and a second --fix a no-op. */
async function fixes(files: Record<string, string>, file: string, ruleId: string, expected: string): Promise<string> {
  const dir = tempProject(files);
  const before = await findings(dir);
  const run = await runCli(['--fix', '--fail-on', 'none', '.'], { cwd: dir });
  expect(run.code).toBe(0);
  const text = readFileSync(path.join(dir, file), 'utf8');
  expect(text).toBe(expected);
  const after = await findings(dir);
  expect(after.filter((f) => f.ruleId === ruleId)).toEqual([]);
  const old = new Set(before.map((f) => `${f.ruleId} ${f.column}`));
  expect(after.filter((f) => !old.has(`${f.ruleId} ${f.column}`))).toEqual([]);
  await runCli(['--fix', '--fail-on', 'none', '.'], { cwd: dir });
  expect(readFileSync(path.join(dir, file), 'utf8')).toBe(expected);
  return run.stderr;
}

describe('--fix', () => {
  it('hpa-min-replicas: sets minReplicas, keeping the comment', async () => {
    const files = { 'hpa.yaml': HPA.replace('autoscaling/v2beta2', 'autoscaling/v2') };
    const before = await findings(tempProject(files));
    const f = before.find((x) => x.ruleId === 'hpa-min-replicas')!;
    expect(at(f)).toBe('hpa-min-replicas 8:3-8:17');
    expect(f.fix).toEqual({
      doc: 0,
      edits: [{ op: 'set', path: ['spec', 'minReplicas'], value: 2 }],
      changes: [{ file: 'hpa.yaml', range: { startLine: 8, startColumn: 16, endLine: 8, endColumn: 17 }, text: '2' }],
    });
    const stderr = await fixes(
      files,
      'hpa.yaml',
      'hpa-min-replicas',
      files['hpa.yaml'].replace('minReplicas: 1   # too low', 'minReplicas: 2   # too low'),
    );
    expect(stderr).toContain('hpa.yaml: fixed hpa-min-replicas (spec.minReplicas)');
  });

  it('hpa-min-replicas: adds a missing minReplicas under spec', async () => {
    const text = HPA.replace('autoscaling/v2beta2', 'autoscaling/v2').replace('  minReplicas: 1   # too low\n', '');
    await fixes({ 'hpa.yaml': text }, 'hpa.yaml', 'hpa-min-replicas', text + '  minReplicas: 2\n');
  });

  it('replicas-with-hpa: deletes spec.replicas and only that line', async () => {
    const before = await findings(tempProject({ 'app.yaml': DEPLOYMENT }));
    expect(before.filter((x) => x.ruleId === 'replicas-with-hpa').map(at)).toEqual(['replicas-with-hpa 7:3-7:14']);
    await fixes(
      { 'app.yaml': DEPLOYMENT },
      'app.yaml',
      'replicas-with-hpa',
      // pdb-missing (3 pods, no budget) is fixed in the same run
      DEPLOYMENT.replace('  replicas: 3 # pinned\n', '').replace('---\n', WEB_PDB),
    );
  });

  it('deprecated-api-version: policy/v1beta1 PodDisruptionBudget → policy/v1', async () => {
    const before = await findings(tempProject({ 'pdb.yaml': PDB }));
    expect(before.filter((x) => x.ruleId === 'deprecated-api-version').map(at)).toEqual([
      'deprecated-api-version 1:1-1:27',
    ]);
    await fixes({ 'pdb.yaml': PDB }, 'pdb.yaml', 'deprecated-api-version', PDB.replace('policy/v1beta1', 'policy/v1'));
  });

  it('deprecated-api-version: autoscaling/v2beta2 → autoscaling/v2, with minReplicas in the same run', async () => {
    await fixes(
      { 'hpa.yaml': HPA },
      'hpa.yaml',
      'deprecated-api-version',
      HPA.replace('autoscaling/v2beta2', 'autoscaling/v2').replace('minReplicas: 1', 'minReplicas: 2'),
    );
  });

  it('deprecated-api-version: no fix for a PodDisruptionBudget without a selector (v1 would select every pod)', async () => {
    const text = PDB.replace('  selector:\n    matchLabels: {app: web}\n', '');
    const f = (await findings(tempProject({ 'pdb.yaml': text }))).find((x) => x.ruleId === 'deprecated-api-version')!;
    expect(f.fix).toBeUndefined();
  });

  it('puts back a fix that brings a new finding, and says why', async () => {
    // A spread constraint that selects other pods: with 2 replicas, topology-spread-missing, which has no fix for it.
    const text = DEPLOYMENT.replace(
      'labelSelector: {matchLabels: {app: web}}',
      'labelSelector: {matchLabels: {app: db}}',
    ).replace('minReplicas: 2', 'minReplicas: 1');
    const dir = tempProject({ 'app.yaml': text });
    const run = await runCli(['--fix', '--fail-on', 'none', '.'], { cwd: dir });
    // Both fixes were made in one pass; the blame put both back, then kept the one that brings nothing new.
    expect(run.stderr).toBe(
      'shipshape: app.yaml: hpa-min-replicas (spec.minReplicas) not fixed: the fix would bring topology-spread-missing:' +
        " Deployment web runs 2 replicas, but its topologySpreadConstr…ch the pod's own labels, so it spreads nothing\n" +
        'shipshape: app.yaml: fixed pdb-missing\n' +
        'shipshape: app.yaml: fixed replicas-with-hpa (spec.replicas)\n',
    );
    expect(readFileSync(path.join(dir, 'app.yaml'), 'utf8')).toBe(
      text.replace('  replicas: 3 # pinned\n', '').replace('---\n', WEB_PDB),
    );
  });

  it('--no-render fixes a kustomize base as written: the PodDisruptionBudget becomes a file listed in resources', async () => {
    const deployment = DEPLOYMENT.split('---\n')[0]!;
    const dir = tempProject({ 'kustomization.yaml': 'resources:\n  - app.yaml # the app\n', 'app.yaml': deployment });
    // --no-render: the files as written, whether kubectl is on PATH or not (rendered objects get no fix).
    const run = await runCli(['--fix', '--no-render', '--fail-on', 'none', '.'], { cwd: dir });
    expect(run.stderr).toContain('shipshape: app.yaml: fixed pdb-missing\n');
    expect(readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')).toBe(
      'resources:\n  - app.yaml # the app\n  - web-pdb.yaml\n',
    );
    expect(readFileSync(path.join(dir, 'web-pdb.yaml'), 'utf8')).toBe(WEB_PDB.slice('---\n'.length, -'---\n'.length));
    expect(readFileSync(path.join(dir, 'app.yaml'), 'utf8')).toBe(deployment);
    const after = await findings(dir);
    expect(after.filter((f) => f.ruleId === 'pdb-missing')).toEqual([]);
  });

  it('--fix-dry-run prints a unified diff and writes nothing', async () => {
    const dir = tempProject({ 'pdb.yaml': PDB });
    const run = await runCli(['--fix-dry-run', '.'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--- a/pdb.yaml\n+++ b/pdb.yaml\n');
    expect(run.stdout).toContain('\n-apiVersion: policy/v1beta1   # old\n+apiVersion: policy/v1   # old\n');
    expect(readFileSync(path.join(dir, 'pdb.yaml'), 'utf8')).toBe(PDB);
  });

  it('leaves a file with an anchor alone, with a note', async () => {
    const text = PDB.replace(
      '  selector:\n    matchLabels: {app: web}\n',
      '  selector:\n    matchLabels: &l {app: web}\n',
    );
    const dir = tempProject({ 'pdb.yaml': text });
    const run = await runCli(['--fix', '--fail-on', 'none', '.'], { cwd: dir });
    expect(run.stderr).toBe(
      'shipshape: pdb.yaml: deprecated-api-version (apiVersion) not fixed: left alone: the file has anchors or aliases\n',
    );
    expect(readFileSync(path.join(dir, 'pdb.yaml'), 'utf8')).toBe(text);
    // The JSON report says why the finding has no fix.
    const json = await runCli(['--format', 'json', '--fail-on', 'none', '.'], { cwd: dir });
    const f = (JSON.parse(json.stdout) as { findings: (JsonFinding & { fixSkipped?: string })[] }).findings.find(
      (x) => x.ruleId === 'deprecated-api-version',
    )!;
    expect([f.fix, f.fixSkipped]).toEqual([undefined, 'left alone: the file has anchors or aliases']);
  });
});

describe('fixes in the reports', () => {
  const hpa = HPA.replace('autoscaling/v2beta2', 'autoscaling/v2');

  it('SARIF: a result carries its fix as artifactChanges that validate against the SARIF 2.1.0 schema', async () => {
    const dir = tempProject({ 'hpa.yaml': hpa, 'app.yaml': DEPLOYMENT });
    const run = await runCli(['--format', 'sarif', '--fail-on', 'none', '.'], { cwd: dir });
    const log = JSON.parse(run.stdout);
    expect(validateSarif(log)).toEqual([]);
    const results = log.runs[0].results as { ruleId: string; fixes?: unknown[] }[];
    expect(results.find((r) => r.ruleId === 'hpa-min-replicas')!.fixes).toEqual([
      {
        description: { text: 'shipshape --fix: set spec.minReplicas' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'hpa.yaml', uriBaseId: '%SRCROOT%' },
            replacements: [
              {
                deletedRegion: { startLine: 8, startColumn: 16, endLine: 8, endColumn: 17 },
                insertedContent: { text: '2' },
              },
            ],
          },
        ],
      },
    ]);
    // A deletion of a whole line: from its start to the start of the next, nothing inserted.
    expect(results.find((r) => r.ruleId === 'replicas-with-hpa')!.fixes).toEqual([
      {
        description: { text: 'shipshape --fix: delete spec.replicas' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'app.yaml', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { startLine: 7, startColumn: 1, endLine: 8, endColumn: 1 } }],
          },
        ],
      },
    ]);
    // An insertion point: start and end equal.
    const added = await runCli(['--format', 'sarif', '--fail-on', 'none', '.'], {
      cwd: tempProject({ 'hpa.yaml': hpa.replace('  minReplicas: 1   # too low\n', '') }),
    });
    const fix = JSON.parse(added.stdout).runs[0].results.find(
      (r: { ruleId: string }) => r.ruleId === 'hpa-min-replicas',
    ).fixes[0];
    expect(fix.artifactChanges[0].replacements).toEqual([
      {
        deletedRegion: { startLine: 9, startColumn: 1, endLine: 9, endColumn: 1 },
        insertedContent: { text: '  minReplicas: 2\n' },
      },
    ]);
    // And the PodDisruptionBudget pdb-missing adds after the Deployment (a new document: an insertion point).
    expect(results.filter((r) => r.fixes).map((r) => r.ruleId)).toEqual(
      expect.arrayContaining(['hpa-min-replicas', 'replicas-with-hpa', 'pdb-missing']),
    );
    expect(results.filter((r) => r.fixes).length).toBe(3);
  });

  it('JSON: a fix that does not apply to the file is not offered', async () => {
    const text = PDB.replace(
      '  selector:\n    matchLabels: {app: web}\n',
      '  selector:\n    matchLabels: &l {app: web}\n',
    );
    const f = (await findings(tempProject({ 'pdb.yaml': text }))).find((x) => x.ruleId === 'deprecated-api-version')!;
    expect(at(f)).toBe('deprecated-api-version 1:1-1:27');
    expect(f.fix).toBeUndefined();
  });

  it('text: (fixable) after the message, and how many --fix can fix under the summary; compact as it was', async () => {
    const run = await runCli(['--fail-on', 'none', 'hpa.yaml'], { cwd: tempProject({ 'hpa.yaml': hpa }) });
    expect(run.stdout).toBe(
      [
        'hpa.yaml',
        '  8:3  warning  HorizontalPodAutoscaler web has minReplicas: 1, under 2 (fixable)  hpa-min-replicas',
        '',
        '⚠ 1 problem (0 errors, 1 warning, 0 notes) in 1 of 1 file.',
        '  1 of them fixable with --fix',
        '',
      ].join('\n'),
    );
    // compact stays `path:line:col: severity: message [rule-id]`, the message as in every other format.
    const compact = await runCli(['-f', 'compact', '--fail-on', 'none', 'hpa.yaml'], {
      cwd: tempProject({ 'hpa.yaml': hpa }),
    });
    expect(compact.stdout).toBe(
      'hpa.yaml:8:3: warning: HorizontalPodAutoscaler web has minReplicas: 1, under 2 [hpa-min-replicas]\n',
    );
  });
});

describe('applyFixes', () => {
  const set = { doc: 0, edits: [{ op: 'set' as const, path: ['spec', 'minReplicas'], value: 2 }] };

  it('leaves a document of another kind alone', () => {
    const out = applyFixes(PDB, [set], 'HorizontalPodAutoscaler');
    expect(out).toEqual({
      text: PDB,
      applied: 0,
      notes: ['document 0 is not the HorizontalPodAutoscaler the finding is about'],
      edits: [],
    });
  });

  it('adds a key to a flow mapping in flow style, and leaves template syntax alone', () => {
    const flow = 'kind: HorizontalPodAutoscaler\nspec: {maxReplicas: 3}\n';
    expect(applyFixes(flow, [set])).toMatchObject({
      text: 'kind: HorizontalPodAutoscaler\nspec: {maxReplicas: 3, minReplicas: 2}\n',
      notes: [],
    });
    const templated = 'kind: HorizontalPodAutoscaler\nspec:\n  maxReplicas: {{ .Values.max }}\n';
    expect(applyFixes(templated, [set])).toEqual({
      text: templated,
      applied: 0,
      notes: ['left alone: template syntax'],
      edits: [],
    });
  });

  it('keeps CRLF line endings', () => {
    const text = 'kind: HorizontalPodAutoscaler\r\nspec:\r\n  maxReplicas: 3\r\n';
    expect(applyFixes(text, [set]).text).toBe(text + '  minReplicas: 2\r\n');
  });
});
