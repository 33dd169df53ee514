import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../src/index.js';
import { shellWord } from '../src/rules/reliability/lib/k8s-fixes.js';
import { jsonReport } from './helpers/json-report.js';
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

/** Kustomize units are checked as written (a rendered object's fix is skipped: it is for its source). */
async function findings(dir: string): Promise<JsonFinding[]> {
  return (await jsonReport<{ findings: JsonFinding[] }>(dir, { render: false })).findings;
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
  const run = await runCli(['--no-render', '--fix', '--fail-on', 'none', '.'], { cwd: dir });
  expect(run.code).toBe(0);
  expect(readAll(dir)).toEqual({ ...files, ...expected });
  const after = await findings(dir);
  expect(after.filter((f) => f.ruleId === ruleId)).toEqual([]);
  expect(after.filter((f) => f.ruleId === 'schema-invalid')).toEqual([]);
  const old = new Set(before.map((f) => f.fingerprint));
  expect(after.filter((f) => !old.has(f.fingerprint)).map(at)).toEqual([]);
  const again = await runCli(['--no-render', '--fix', '--fail-on', 'none', '.'], { cwd: dir });
  expect(again.code).toBe(0);
  expect(readAll(dir)).toEqual({ ...files, ...expected });
  return { before, stderr: run.stderr, stdout: run.stdout };
}

/** The edits of the fix a rule's first finding carries in the JSON report (undefined when it has none). */
async function fixOf(files: Record<string, string>, ruleId: string): Promise<unknown[] | undefined | 'no finding'> {
  const f = (await findings(tempProject(files))).find((x) => x.ruleId === ruleId);
  return f ? f.fix?.edits : 'no finding';
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

/** A Deployment that runs one replica and is otherwise in order (probes, resources). */
const WEB = `# storefront
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop   # prod
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        version: "1.2"
    spec:
      containers:
        - name: web
          image: nginx:1.27.3
          resources:
            requests: {cpu: 100m, memory: 64Mi}
            limits: {memory: 64Mi}
          livenessProbe: {httpGet: {path: /healthz, port: 80}}
`;

const WEB_SPREAD = `      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app: web
`;

const WEB_PDB = `---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
  namespace: shop
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: web
`;

describe('--fix, Kubernetes: single-replica, topology-spread-missing, pdb-missing', () => {
  it('replicas: 2, then the spread and the PodDisruptionBudget the second replica needs (later passes)', async () => {
    const { before, stderr } = await fixes({ 'web.yaml': WEB }, 'single-replica', {
      'web.yaml': `${WEB}${WEB_SPREAD}  replicas: 2\n${WEB_PDB}`,
    });
    expect(before.filter((f) => f.fix).map(at)).toEqual(['single-replica 7:1-7:5']);
    expect(stderr).toContain('web.yaml: fixed single-replica (spec.replicas)');
    expect(stderr).toContain('web.yaml: fixed pdb-missing');
    expect(stderr).toContain('web.yaml: fixed topology-spread-missing (spec.template.spec)');
  });

  it('single-replica: replaces replicas: 1 when the spread and the budget are there', async () => {
    const text =
      WEB.replace('spec:\n  selector:', 'spec:\n  replicas: 1 # for now\n  selector:') + WEB_SPREAD + WEB_PDB;
    await fixes({ 'web.yaml': text }, 'single-replica', {
      'web.yaml': text.replace('replicas: 1 # for now', 'replicas: 2 # for now'),
    });
  });

  it('single-replica: no fix where a second replica is not safe', async () => {
    const fixFor = async (text: string): Promise<unknown> => fixOf({ 'web.yaml': text }, 'single-replica');
    // Recreate: a singleton on purpose
    expect(await fixFor(WEB.replace('spec:\n  selector:', 'spec:\n  strategy: {type: Recreate}\n  selector:'))).toBe(
      undefined,
    );
    // a PersistentVolumeClaim (ReadWriteOnce in practice)
    const pvc = `${WEB}      volumes:\n        - name: data\n          persistentVolumeClaim: {claimName: web-data}\n`;
    expect(await fixFor(pvc)).toBeUndefined();
    // a StatefulSet with claim templates
    const sts = `${WEB.replace('kind: Deployment', 'kind: StatefulSet').replace(
      'spec:\n  selector:',
      'spec:\n  serviceName: web\n  selector:',
    )}  volumeClaimTemplates:\n    - metadata: {name: data}\n      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n`;
    expect(await fixFor(sts)).toBeUndefined();
    // a database, by its image
    expect(await fixFor(WEB.replace('nginx:1.27.3', 'postgres:16.4'))).toBeUndefined();
    // a controller that elects no leader; with --leader-elect it may run twice
    const operator = WEB.replace('nginx:1.27.3', 'ghcr.io/acme/backup-operator:0.3.1');
    expect(await fixFor(operator)).toBeUndefined();
    expect(
      await fixFor(
        operator.replace('          resources:\n', '          args: [--leader-elect]\n          resources:\n'),
      ),
    ).toEqual([{ op: 'set', path: ['spec', 'replicas'], value: 2 }]);
    // no PodDisruptionBudget could follow (a selector of matchExpressions only)
    const exprs = WEB.replace(
      '    matchLabels:\n      app: web\n',
      '    matchExpressions:\n      - {key: app, operator: In, values: [web]}\n',
    );
    expect(await fixFor(exprs)).toBeUndefined();
    // a GPU
    expect(await fixFor(WEB.replace('limits: {memory: 64Mi}', 'limits: {memory: 64Mi, nvidia.com/gpu: 1}'))).toBe(
      undefined,
    );
  });

  it('topology-spread-missing: appends to the constraints there, selecting by the workload selector', async () => {
    const text =
      WEB.replace('spec:\n  selector:', 'spec:\n  replicas: 3\n  selector:') +
      '      topologySpreadConstraints: # zones first\n' +
      '        - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: other}}}\n' +
      WEB_PDB;
    const { before } = await fixes({ 'web.yaml': text }, 'topology-spread-missing', {
      'web.yaml': text.replace(
        '{matchLabels: {app: other}}}\n',
        `{matchLabels: {app: other}}}\n${WEB_SPREAD.split('\n').slice(1).join('\n')}`,
      ),
    });
    expect(before.filter((f) => f.ruleId === 'topology-spread-missing').map(at)).toEqual([
      'topology-spread-missing 17:5-17:9',
    ]);
  });

  it('topology-spread-missing: no fix when a ScheduleAnyway constraint on the hostname is there (a second is refused)', async () => {
    const text =
      WEB.replace('spec:\n  selector:', 'spec:\n  replicas: 3\n  selector:') +
      WEB_SPREAD.replace('app: web', 'app: other') +
      WEB_PDB;
    expect(await fixOf({ 'web.yaml': text }, 'topology-spread-missing')).toBeUndefined();
  });

  it('pdb-missing: a PodDisruptionBudget after the workload, named <name>-pdb when the name is taken', async () => {
    const text = WEB.replace('spec:\n  selector:', 'spec:\n  replicas: 3\n  selector:') + WEB_SPREAD;
    const other = WEB_PDB.replace('app: web', 'app: other').replace('---\n', '');
    const { before } = await fixes({ 'web.yaml': text, 'other.yaml': other }, 'pdb-missing', {
      'web.yaml': text + WEB_PDB.replace('name: web', 'name: web-pdb'),
    });
    expect(before.filter((f) => f.ruleId === 'pdb-missing').map(at)).toEqual(['pdb-missing 3:1-3:17']);
  });

  it('pdb-missing: in a kustomize directory, the document is named for its own file (web-pdb.yaml)', async () => {
    const text = WEB.replace('spec:\n  selector:', 'spec:\n  replicas: 3\n  selector:') + WEB_SPREAD;
    const kustomization = 'kind: Kustomization\n# the shop\nresources:\n  - web.yaml\n';
    // Where it goes (a new file listed in resources) is the apply engine's: --fix passes it the kustomization.
    expect(await fixOf({ 'web.yaml': text, 'kustomization.yaml': kustomization }, 'pdb-missing')).toEqual([
      {
        op: 'document',
        name: 'web-pdb',
        value: {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name: 'web', namespace: 'shop' },
          spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } },
        },
      },
    ]);
  });

  it('pdb-missing: no fix for a selector of matchExpressions only', async () => {
    const text = WEB.replace('spec:\n  selector:', 'spec:\n  replicas: 3\n  selector:').replace(
      '    matchLabels:\n      app: web\n',
      '    matchExpressions:\n      - {key: app, operator: In, values: [web]}\n',
    );
    expect(await fixOf({ 'web.yaml': text }, 'pdb-missing')).toBeUndefined();
  });
});

const SECRET_ENV = `# api with committed credentials
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      topologySpreadConstraints:
        - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: api}}}
      containers:
        - name: api
          image: ghcr.io/acme/api:2.0.1
          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}
          livenessProbe: {httpGet: {path: /healthz, port: 80}}
          env:
            - name: LOG_LEVEL
              value: info
            - name: DB_PASSWORD
              value: "Xk9#mQ2v!pL7wR4z"   # from the vault, oops
            - {name: STRIPE_API_KEY, value: sk_live_4eC39HqLyjWDarjtT1zdp7dc}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api, namespace: shop}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: api}}
`;

const VALUES = ['Xk9#mQ2v!pL7wR4z', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'];

describe('--fix, Kubernetes: secret-in-env', () => {
  const command =
    'kubectl -n shop create secret generic api --from-file=DB_PASSWORD=./DB_PASSWORD --from-file=STRIPE_API_KEY=./STRIPE_API_KEY';

  it('secretKeyRef to a Secret named after the workload, and one command for all its keys, without the values', async () => {
    const { before, stderr, stdout } = await fixes({ 'api.yaml': SECRET_ENV }, 'secret-in-env', {
      'api.yaml': SECRET_ENV.replace(
        '              value: "Xk9#mQ2v!pL7wR4z"   # from the vault, oops\n',
        '              valueFrom:\n                secretKeyRef:\n                  name: api\n                  key: DB_PASSWORD\n',
      ).replace(
        '{name: STRIPE_API_KEY, value: sk_live_4eC39HqLyjWDarjtT1zdp7dc}',
        '{name: STRIPE_API_KEY, valueFrom: {secretKeyRef: {name: api, key: STRIPE_API_KEY}}}',
      ),
    });
    const found = before.filter((f) => f.ruleId === 'secret-in-env');
    expect(found.map(at)).toEqual(['secret-in-env 26:15-26:40', 'secret-in-env 27:38-27:77']);
    expect(found.map((f) => f.fix?.command)).toEqual([command, command]);
    expect(found[0]!.fix?.edits).toEqual([
      { op: 'delete', path: ['spec', 'template', 'spec', 'containers', 0, 'env', 1, 'value'] },
      {
        op: 'set',
        path: ['spec', 'template', 'spec', 'containers', 0, 'env', 1, 'valueFrom'],
        value: { secretKeyRef: { name: 'api', key: 'DB_PASSWORD' } },
      },
    ]);
    expect(stderr).toContain(`then run: ${command}`);
    for (const v of VALUES) {
      expect(stderr).not.toContain(v);
      expect(stdout).not.toContain(v);
      expect(JSON.stringify(found)).not.toContain(v);
    }
  });

  it('--fix-dry-run shows neither value', async () => {
    const run = await runCli(['--fix-dry-run', '--fail-on', 'none', '.'], {
      cwd: tempProject({ 'api.yaml': SECRET_ENV }),
    });
    expect(run.stdout).toContain('+                  key: DB_PASSWORD\n');
    for (const v of VALUES) expect(run.stdout + run.stderr).not.toContain(v);
  });

  it('no fix when the unit defines other Secrets in the namespace (the new name would be unknown to it)', async () => {
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata: {name: tls, namespace: shop}\ntype: Opaque\n';
    const dir = tempProject({ 'api.yaml': SECRET_ENV, 'secret.yaml': secret });
    const found = (await findings(dir)).filter((f) => f.ruleId === 'secret-in-env');
    expect(found.map((f) => f.fix)).toEqual([undefined, undefined]);
    expect(found.map(at)).toEqual(['secret-in-env 26:15-26:40', 'secret-in-env 27:38-27:77']);
  });

  it('shell words: plain names as is, anything else single-quoted', () => {
    expect(shellWord('--from-file=DB_PASSWORD=./DB_PASSWORD')).toBe('--from-file=DB_PASSWORD=./DB_PASSWORD');
    expect(shellWord("a b'$(rm -rf ~)`x`")).toBe(`'a b'\\''$(rm -rf ~)\`x\`'`);
    expect(shellWord('')).toBe("''");
  });
});

const STACK = `# shop stack
version: "3.8"
services:
  web:
    image: nginx:1.27.3
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost/"]
    deploy:
      replicas: 1 # one for now
      placement:
        max_replicas_per_node: 1
      update_config: {failure_action: rollback, monitor: 30s}
`;

describe('single-replica on Swarm', () => {
  /** The edits of the single-replica finding's fix in a stack file. */
  async function swarmFix(text: string): Promise<unknown> {
    const dir = tempProject({ 'stack.yml': text });
    const out = await lint({ paths: ['.'], cwd: dir });
    const f = out.findings.find((x) => x.ruleId === 'single-replica');
    expect(f?.path).toBe('services.web.deploy.replicas');
    return f?.fix?.edits;
  }
  const two = [{ op: 'set', path: ['services', 'web', 'deploy', 'replicas'], value: 2 }];

  it('deploy.replicas: 2 for a service spread over nodes with nothing node-local', async () => {
    expect(await swarmFix(STACK)).toEqual(two);
    // replicas absent: set under deploy; a spread preference spreads too
    expect(
      await swarmFix(
        STACK.replace('      replicas: 1 # one for now\n', '').replace(
          'max_replicas_per_node: 1',
          'preferences: [{spread: node.labels.zone}]',
        ),
      ),
    ).toEqual(two);
  });

  it('--fix: deploy.replicas: 2, then the rollback on failed updates that a second task needs (a later pass)', async () => {
    const text = STACK.replace('      update_config: {failure_action: rollback, monitor: 30s}\n', '');
    const { stderr } = await fixes({ 'stack.yml': text }, 'single-replica', {
      'stack.yml':
        text.replace('replicas: 1 # one for now', 'replicas: 2 # one for now') +
        '      update_config:\n        failure_action: rollback\n        monitor: 90s\n',
    });
    expect(stderr).toContain('stack.yml: fixed single-replica (services.web.deploy.replicas)');
    expect(stderr).toContain('stack.yml: fixed update-rollback-missing (services.web.deploy)');
  });

  it('no fix where a second task is not safe, or would bring topology-spread-missing', async () => {
    const cases = [
      STACK.replace('        max_replicas_per_node: 1\n', '        constraints: [node.role == worker]\n'),
      STACK.replace('    deploy:\n', '    volumes: [./html:/usr/share/nginx/html]\n    deploy:\n'),
      `${STACK.replace('    deploy:\n', '    volumes: [data:/data]\n    deploy:\n')}volumes:\n  data: {}\n`,
      STACK.replace('    deploy:\n', '    ports: [{target: 80, published: 8080, mode: host}]\n    deploy:\n'),
      STACK.replace(
        '        max_replicas_per_node: 1\n',
        '        max_replicas_per_node: 1\n        constraints: [node.hostname == n1]\n',
      ),
      STACK.replace('nginx:1.27.3', 'postgres:16.4'),
    ];
    for (const text of cases) expect(await swarmFix(text)).toBeUndefined();
  });
});
