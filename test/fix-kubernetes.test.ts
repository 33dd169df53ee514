import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellWord } from '../src/rules/reliability/lib/k8s-fixes.js';
import { runCli } from './helpers/run-cli.js';
import { tempProject } from './helpers/temp.js';

interface JsonFinding {
  ruleId: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fingerprint: string;
  message: string;
  fix?: { doc: number; edits: unknown[]; command?: string };
}

async function findings(dir: string): Promise<JsonFinding[]> {
  const run = await runCli(['--format', 'json', '--fail-on', 'none', '.'], { cwd: dir });
  return (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
}

const at = (f: JsonFinding): string => `${f.ruleId} ${f.line}:${f.column}-${f.endLine}:${f.endColumn}`;

function readAll(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((n) => [n, readFileSync(path.join(dir, n), 'utf8')]));
}

/**
 * `--fix` on `files`, then: the rule's findings are gone, no finding has a fingerprint that was not there before
 * (schema-invalid included), the files are exactly `expected` (the others unchanged), and a second `--fix` changes
 * nothing. Returns the findings before the fix and what `--fix` printed.
 */
async function fixes(
  files: Record<string, string>,
  ruleId: string,
  expected: Record<string, string>,
): Promise<{ before: JsonFinding[]; stderr: string; stdout: string }> {
  const dir = tempProject(files);
  const before = await findings(dir);
  expect(before.some((f) => f.ruleId === ruleId && f.fix)).toBe(true);
  const run = await runCli(['--fix', '--fail-on', 'none', '.'], { cwd: dir });
  expect(run.code).toBe(0);
  expect(readAll(dir)).toEqual({ ...files, ...expected });
  const after = await findings(dir);
  expect(after.filter((f) => f.ruleId === ruleId)).toEqual([]);
  expect(after.filter((f) => f.ruleId === 'schema-invalid')).toEqual([]);
  const old = new Set(before.map((f) => f.fingerprint));
  expect(after.filter((f) => !old.has(f.fingerprint)).map(at)).toEqual([]);
  const again = await runCli(['--fix', '--fail-on', 'none', '.'], { cwd: dir });
  expect(again.code).toBe(0);
  expect(readAll(dir)).toEqual({ ...files, ...expected });
  return { before, stderr: run.stderr, stdout: run.stdout };
}

/** The fix a rule's first finding carries in the JSON report (undefined when it has none). */
async function fixOf(files: Record<string, string>, ruleId: string): Promise<JsonFinding['fix'] | 'no finding'> {
  const f = (await findings(tempProject(files))).find((x) => x.ruleId === ruleId);
  return f ? f.fix : 'no finding';
}

const PDB_AUTH = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: auth
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: auth}
`;

/** A replicated, spread Deployment of a slow runtime: only its probes are missing something. */
const KEYCLOAK = `# keycloak, slow to start
apiVersion: apps/v1
kind: Deployment
metadata:
  name: auth
spec:
  replicas: 3   # three of them
  selector:
    matchLabels: {app: auth}
  template:
    metadata:
      labels: {app: auth}
    spec:
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: ScheduleAnyway
        labelSelector: {matchLabels: {app: auth}}
      containers:
      - name: keycloak
        image: quay.io/keycloak/keycloak:26.0.7
        resources:
          requests: {cpu: 500m, memory: 1Gi}
          limits: {memory: 1Gi}
        readinessProbe:
          httpGet: {path: /health/ready, port: 9000}
        livenessProbe:
          httpGet: {path: /health/live, port: 9000}   # management port
          initialDelaySeconds: 60
`;

describe('--fix, Kubernetes: startup-probe-missing', () => {
  it('adds a startupProbe with the liveness handler covering 300s, and drops the delay it replaces', async () => {
    const files = { 'app.yaml': KEYCLOAK, 'pdb.yaml': PDB_AUTH };
    const { before, stderr } = await fixes(files, 'startup-probe-missing', {
      'app.yaml': KEYCLOAK.replace(
        '          initialDelaySeconds: 60\n',
        [
          '        startupProbe:',
          '          httpGet:',
          '            path: /health/live',
          '            port: 9000',
          '          periodSeconds: 10',
          '          failureThreshold: 30',
          '',
        ].join('\n'),
      ),
    });
    expect(before.filter((f) => f.ruleId === 'startup-probe-missing').map(at)).toEqual([
      'startup-probe-missing 20:9-20:23',
    ]);
    expect(stderr).toContain('app.yaml: fixed startup-probe-missing (spec.template.spec.containers[0].startupProbe)');
  });

  it('for a long initialDelaySeconds alone (a note), covers the time liveness gives now, with its period and timeout', async () => {
    const text = KEYCLOAK.replace(
      'keycloak\n        image: quay.io/keycloak/keycloak:26.0.7',
      'auth\n        image: ghcr.io/acme/auth:1.4.2',
    ).replace(
      '          httpGet: {path: /health/live, port: 9000}   # management port\n          initialDelaySeconds: 60\n',
      [
        '          exec:',
        '            command: ["/bin/check", "--live"]',
        '          initialDelaySeconds: 45 # slow boot',
        '          periodSeconds: 20',
        '          timeoutSeconds: 5',
        '',
      ].join('\n'),
    );
    await fixes({ 'app.yaml': text, 'pdb.yaml': PDB_AUTH }, 'startup-probe-missing', {
      'app.yaml': text.replace(
        '          initialDelaySeconds: 45 # slow boot\n          periodSeconds: 20\n          timeoutSeconds: 5\n',
        [
          '          periodSeconds: 20',
          '          timeoutSeconds: 5',
          '        startupProbe:',
          '          exec:',
          '            command:',
          '            - /bin/check',
          '            - --live',
          '          timeoutSeconds: 5',
          '          periodSeconds: 20',
          // 45s + 3 × 20s = 105s: 6 checks of 20s
          '          failureThreshold: 6',
          '',
        ].join('\n'),
      ),
    });
  });

  it('offers no fix when the liveness handler carries a credential (it would be copied)', async () => {
    const text = KEYCLOAK.replace(
      '          httpGet: {path: /health/live, port: 9000}   # management port\n',
      '          exec: {command: [mysqladmin, ping, "-uroot", "-pS3cr3tPassw0rd"]}\n',
    );
    expect(await fixOf({ 'app.yaml': text, 'pdb.yaml': PDB_AUTH }, 'startup-probe-missing')).toBeUndefined();
  });
});

describe('--fix, Kubernetes: liveness-probe-aggressive', () => {
  it('raises a single-failure threshold to wait as long as readiness (3 × 10s), keeping the comment', async () => {
    const text = KEYCLOAK.replace(
      'keycloak\n        image: quay.io/keycloak/keycloak:26.0.7',
      'web\n        image: nginx:1.27.3',
    ).replace(
      '          initialDelaySeconds: 60\n',
      '          periodSeconds: 2\n          failureThreshold: 1 # restart at once\n',
    );
    const { before } = await fixes({ 'app.yaml': text, 'pdb.yaml': PDB_AUTH }, 'liveness-probe-aggressive', {
      // 10 failures at most: the period goes from 2s to 3s
      'app.yaml': text
        .replace('periodSeconds: 2\n', 'periodSeconds: 3\n')
        .replace('failureThreshold: 1 # restart', 'failureThreshold: 10 # restart'),
    });
    expect(before.filter((f) => f.ruleId === 'liveness-probe-aggressive').map(at)).toEqual([
      'liveness-probe-aggressive 30:11-30:30',
    ]);
  });

  it('adds a missing failureThreshold to a flow-style probe', async () => {
    const text = KEYCLOAK.replace(
      'keycloak\n        image: quay.io/keycloak/keycloak:26.0.7',
      'web\n        image: nginx:1.27.3',
    ).replace(
      '          httpGet: {path: /health/live, port: 9000}   # management port\n          initialDelaySeconds: 60\n',
      '          {tcpSocket: {port: 9000}, periodSeconds: 1}\n',
    );
    await fixes({ 'app.yaml': text, 'pdb.yaml': PDB_AUTH }, 'liveness-probe-aggressive', {
      'app.yaml': text.replace(
        '{tcpSocket: {port: 9000}, periodSeconds: 1}',
        // readiness gives up after 3 × 10s: liveness waits as long, with 10 failures of 3s
        '{tcpSocket: {port: 9000}, periodSeconds: 3, failureThreshold: 10}',
      ),
    });
  });

  it('matches a patient readiness probe with at most 10 failures, lengthening the period', async () => {
    const text = KEYCLOAK.replace(
      'keycloak\n        image: quay.io/keycloak/keycloak:26.0.7',
      'web\n        image: nginx:1.27.3',
    )
      .replace(
        '          httpGet: {path: /health/ready, port: 9000}\n',
        '          httpGet: {path: /health/ready, port: 9000}\n          failureThreshold: 30\n',
      )
      .replace('          initialDelaySeconds: 60\n', '          failureThreshold: 3\n');
    await fixes({ 'app.yaml': text, 'pdb.yaml': PDB_AUTH }, 'liveness-probe-aggressive', {
      'app.yaml': text.replace(
        '          failureThreshold: 3\n',
        '          failureThreshold: 10\n          periodSeconds: 30\n',
      ),
    });
  });
});
