import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeKube, writeKubeconfig, type FakeKube, type FakeKubeOptions } from './fake-kube.js';
import { ROOT } from '../helpers/fixtures.js';
import { runProcess, runCli, CLI } from '../helpers/run-cli.js';
import { validateSarif } from '../helpers/sarif.js';
import { tempDir } from '../helpers/temp.js';

const FIXTURES = path.join(ROOT, 'test/integration/cluster');
let servers: FakeKube[] = [];

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function cluster(
  opts: FakeKubeOptions = {},
  kube: { namespace?: string } = { namespace: 'shop' },
): Promise<{ kube: FakeKube; kubeconfig: string; dir: string }> {
  const kubeServer = await startFakeKube(FIXTURES, opts);
  servers.push(kubeServer);
  const dir = tempDir('shipshape-cluster-');
  return { kube: kubeServer, kubeconfig: writeKubeconfig(path.join(dir, 'kubeconfig'), kubeServer.url, kube), dir };
}

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  line?: number;
  cluster?: string;
  resource?: { kind: string; namespace?: string; name?: string };
}

describe('shipshape cluster', () => {
  it('reads every list page by page and reports findings by kind/namespace/name', async () => {
    const { kube, kubeconfig, dir } = await cluster({ pageSize: 1 });
    const run = await runCli(['cluster', '--kubeconfig', kubeconfig, '--format', 'json'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1); // the literal password of the debug pod is an error
    const report = JSON.parse(run.stdout) as {
      findings: JsonFinding[];
      summary: { resources: number };
      cluster: string;
    };
    expect(report.cluster).toBe('context "fake", namespace "shop"');
    // 3 Deployments, 1 ownerless Pod, 1 HPA, 2 PDBs; the ReplicaSet and Pod owned by a Deployment are left out.
    expect(report.summary.resources).toBe(7);
    const got = report.findings.map((f) => `${f.ruleId} ${f.file}`).sort();
    expect(got).toEqual(
      expect.arrayContaining([
        'hpa-min-replicas HorizontalPodAutoscaler/shop/search',
        'liveness-probe-aggressive Deployment/shop/checkout',
        'pdb-missing Deployment/shop/checkout',
        'secret-in-env Pod/shop/debug-shell',
      ]),
    );
    // cart has 3 replicas and a PDB in the cluster; nothing in namespace monitoring was read.
    expect(got.filter((g) => g.startsWith('pdb-missing'))).toEqual(['pdb-missing Deployment/shop/checkout']);
    expect(got.some((g) => g.includes('monitoring') || g.includes('ReplicaSet') || g.includes('x2k8p'))).toBe(false);
    for (const f of report.findings) {
      expect(f.cluster).toBe('fake');
      expect(f.line).toBeUndefined();
      expect(f.file).toBe([f.resource!.kind, f.resource!.namespace, f.resource!.name].join('/'));
    }
    expect(run.stdout).not.toContain('s3cr3t');
    // A live object is not in Git, and the API server always returns spec.replicas of an HPA's target.
    const secret = report.findings.find((f) => f.ruleId === 'secret-in-env')!;
    expect(secret.message).not.toMatch(/Git/);
    expect(secret.message).toBe(
      'Pod shop/debug-shell, container debug: env DB_PASSWORD holds a literal secret (name says a password)',
    );
    expect(got.filter((g) => g.startsWith('replicas-with-hpa'))).toEqual([]);
    // pagination: the three Deployments of shop came one per page, following `continue`.
    const pages = kube.requests.filter((r) => r.startsWith('/apis/apps/v1/namespaces/shop/deployments'));
    expect(pages).toHaveLength(3);
    expect(pages[0]).toBe('/apis/apps/v1/namespaces/shop/deployments?limit=500');
    expect(pages[1]).toMatch(/&continue=/);
  });

  it('prints objects as locations in text, with no line numbers', async () => {
    const { kubeconfig, dir } = await cluster();
    const run = await runCli(['cluster', '--kubeconfig', kubeconfig, '-n', 'shop'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Deployment\/shop\/checkout\n {2}warning {2}/m);
    expect(run.stdout).toMatch(
      /^Pod\/shop\/debug-shell\n(?: {2}.*\n)*? {2}error {4}Pod shop\/debug-shell, container debug: env DB_PASSWORD/m,
    );
    expect(run.stdout).not.toMatch(/^\s+1:1\s/m);
    expect(run.stdout).toMatch(/in \d+ of 7 objects \(context "fake", namespace "shop"\)\.\n$/);
  });

  it('places SARIF results in the files that define the objects (--manifests), valid against the SARIF 2.1.0 schema', async () => {
    const { kubeconfig } = await cluster();
    const run = await runCli(
      ['cluster', '--kubeconfig', kubeconfig, '--format', 'sarif', '--manifests', 'k8s', '--manifests', 'debug'],
      { cwd: path.join(FIXTURES, 'repo') },
    );
    expect(run.stderr).toBe('');
    const log = JSON.parse(run.stdout) as {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a SARIF log, read field by field by the assertions
      runs: { results: { ruleId: string; locations: Record<string, any>[] }[] }[];
    };
    expect(validateSarif(log)).toEqual([]);
    const results = log.runs[0]!.results;
    expect(results.length).toBeGreaterThan(3);
    for (const r of results) {
      expect(r.locations[0]!.physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(r.locations[0]!.logicalLocations).toEqual([
        expect.objectContaining({
          kind: 'resource',
          fullyQualifiedName: expect.stringMatching(/^[A-Za-z]+\/shop\/[a-z0-9-]+$/),
        }),
      ]);
    }
    // The Deployment in the file has no namespace (ArgoCD's tracking id says shop): still matched. Its HPA is exact.
    const hpa = results.find((r) => r.ruleId === 'hpa-min-replicas')!;
    // URIs are relative to the repository root (here: this repository's, since the fixture is inside it).
    expect(hpa.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'test/integration/cluster/repo/k8s/search.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 25, startColumn: 3, endLine: 25, endColumn: 17 },
    });
    const secret = results.find((r) => r.ruleId === 'secret-in-env');
    // The file already reads the password from a Secret: the live object's literal is still reported, at the closest field.
    expect(secret?.locations[0]!.physicalLocation.artifactLocation.uri).toBe(
      'test/integration/cluster/repo/debug/debug-shell.yaml',
    );
  });

  it('refuses SARIF, exit 2, for objects that no file defines', async () => {
    const { kubeconfig, dir } = await cluster();
    const none = await runCli(['cluster', '--kubeconfig', kubeconfig, '--format', 'sarif'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe(
      'shipshape: --format sarif places every result in a file, and 5 objects with findings are defined in no file (no --manifests given): Deployment/shop/cart, Deployment/shop/checkout, HorizontalPodAutoscaler/shop/search, Pod/shop/debug-shell, PodDisruptionBudget/shop/orders. Pass the files or directories that define them with --manifests <path>, or use --format json or text for objects that exist only in the cluster.\n',
    );
    const some = await runCli(['cluster', '--kubeconfig', kubeconfig, '--format', 'sarif', '--manifests', 'k8s'], {
      cwd: path.join(FIXTURES, 'repo'),
    });
    expect(some.code).toBe(2);
    expect(some.stderr).toContain('1 object with findings is defined in no file of --manifests: Pod/shop/debug-shell.');
  });

  it('reads every namespace with --all-namespaces', async () => {
    const { kube, kubeconfig, dir } = await cluster();
    const run = await runCli(['cluster', '--kubeconfig', kubeconfig, '--all-namespaces', '--format', 'json'], {
      cwd: dir,
    });
    const report = JSON.parse(run.stdout) as { findings: JsonFinding[] };
    expect(report.findings.map((f) => f.file)).toContain('Deployment/monitoring/grafana');
    expect(kube.requests).toContain('/apis/apps/v1/deployments?limit=500');
  });

  it('warns and goes on with partial results when one kind is forbidden (403)', async () => {
    const { kubeconfig, dir } = await cluster({ forbidden: ['poddisruptionbudgets'] });
    const run = await runCli(['cluster', '--kubeconfig', kubeconfig, '--format', 'json'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^shipshape: warning: poddisruptionbudgets in namespace "shop" could not be listed \(403 Forbidden: .*cannot list resource "poddisruptionbudgets".*\): they are left out/,
      ),
    ]);
    const report = JSON.parse(run.stdout) as { findings: JsonFinding[]; warnings: string[] };
    expect(report.warnings).toHaveLength(1);
    expect(report.findings.some((f) => f.file === 'Deployment/shop/cart' && f.ruleId === 'pdb-missing')).toBe(true);
  });

  it.each([
    [
      '401 Unauthorized',
      { unauthorized: true },
      /^shipshape: the Kubernetes API at http:\/\/127\.0\.0\.1:\d+ refused the credentials of context "fake" \(401 Unauthorized\)/,
    ],
    [
      '403 on every kind',
      {
        forbidden: [
          'deployments',
          'statefulsets',
          'daemonsets',
          'replicasets',
          'cronjobs',
          'jobs',
          'pods',
          'horizontalpodautoscalers',
          'poddisruptionbudgets',
          'namespaces',
        ],
      },
      /^shipshape: context "fake" may not list anything shipshape reads in namespace "shop" \(403 Forbidden\)/,
    ],
  ] as const)('%s: one line, exit 2', async (_name, opts, line) => {
    const { kubeconfig, dir } = await cluster(opts);
    const run = await runCli(['cluster', '--kubeconfig', kubeconfig], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(run.stderr).toMatch(line);
  });

  it('connection refused: one line, exit 2', async () => {
    const port = await freePort();
    const dir = tempDir('shipshape-cluster-');
    const kubeconfig = writeKubeconfig(path.join(dir, 'kubeconfig'), `http://127.0.0.1:${port}`, { namespace: 'shop' });
    const run = await runCli(['cluster', '--kubeconfig', kubeconfig], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `shipshape: cannot reach the Kubernetes API at http://127.0.0.1:${port} (context "fake"): connection refused\n`,
    );
  });

  it('timeout: one line, exit 2, and the process does not linger', async () => {
    const { kubeconfig, dir } = await cluster({ hang: true });
    const run = await runCli(['cluster', '--kubeconfig', kubeconfig, '--timeout', '0.5'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^shipshape: the Kubernetes API at http:\/\/127\.0\.0\.1:\d+ did not answer within 0\.5s \(context "fake"\)\n$/,
    );
    expect(run.ms).toBeLessThan(10_000);
  });

  it.each([
    [
      'an unknown context',
      ['--context', 'prod'],
      /^shipshape: context "prod" is not in the kubeconfig \(it has: fake\)\n$/,
    ],
    [
      'a missing kubeconfig',
      ['--kubeconfig', '/nonexistent/kubeconfig'],
      /^shipshape: cannot read kubeconfig \/nonexistent\/kubeconfig: no such file\n$/,
    ],
    [
      '--namespace with --all-namespaces',
      ['-n', 'shop', '-A'],
      /^shipshape: --namespace and --all-namespaces cannot be used together\n$/,
    ],
  ])('%s: one line, exit 2', async (_name, args, line) => {
    const { kubeconfig, dir } = await cluster();
    const run = await runCli(['cluster', '--kubeconfig', kubeconfig, ...args], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(line);
  });

  it('reads a plain http server (kubectl proxy) without insecure-skip-tls-verify, as kubectl does', async () => {
    const { kubeconfig, dir } = await cluster();
    writeFileSync(kubeconfig, readFileSync(kubeconfig, 'utf8').replace('      insecure-skip-tls-verify: true\n', ''));
    const run = await runCli(['cluster', '--kubeconfig', kubeconfig, '--format', 'json'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: JsonFinding[] };
    expect(report.findings.some((f) => f.file === 'Deployment/shop/checkout' && f.ruleId === 'pdb-missing')).toBe(true);
  });
});

describe('--cluster-context', () => {
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels: {app.kubernetes.io/name: orders}
  template:
    metadata:
      labels: {app.kubernetes.io/name: orders}
    spec:
      containers:
        - name: orders
          image: ghcr.io/acme/orders:3.1.0
`;

  it('a PodDisruptionBudget that exists only in the cluster satisfies pdb-missing, and the note says where it is', async () => {
    const { kube, kubeconfig, dir } = await cluster();
    writeFileSync(path.join(dir, 'orders.yaml'), deployment);
    const without = await runCli(['orders.yaml', '--format', 'json'], { cwd: dir });
    expect(
      (JSON.parse(without.stdout) as { findings: JsonFinding[] }).findings.find((f) => f.ruleId === 'pdb-missing')
        ?.severity,
    ).toBe('warning');
    expect(kube.requests).toEqual([]);

    const run = await runCli(
      ['orders.yaml', '--cluster-context', '--kubeconfig', kubeconfig, '--format', 'json', '--fail-on', 'warning'],
      { cwd: dir },
    );
    const findings = (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
    const pdb = findings.filter((f) => f.ruleId === 'pdb-missing');
    expect(pdb).toEqual([
      expect.objectContaining({
        severity: 'note',
        file: 'orders.yaml',
        line: 2,
        messageId: 'liveOnly',
        message: expect.stringContaining('covered only by PodDisruptionBudget shop/orders of the live cluster fake'),
      }),
    ]);
    // Cluster objects are context only: none is reported on.
    expect(findings.every((f) => f.file === 'orders.yaml')).toBe(true);
    // Namespaced kinds in shop only; Namespace objects (their Pod Security labels) are one cluster-wide list.
    expect(kube.requests.filter((r) => !r.includes('/namespaces/shop/'))).toEqual(['/api/v1/namespaces?limit=500']);
  });

  it('the repository copy of an object wins over the live one', async () => {
    const { kubeconfig, dir } = await cluster();
    // The repository's PDB "orders" now selects other pods: the live one, which still matches, must not count.
    writeFileSync(
      path.join(dir, 'orders.yaml'),
      `${deployment}---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: orders, namespace: shop}\nspec:\n  maxUnavailable: 1\n  selector: {matchLabels: {app.kubernetes.io/name: orders-v2}}\n`,
    );
    const run = await runCli(['orders.yaml', '--cluster-context', '--kubeconfig', kubeconfig, '--format', 'json'], {
      cwd: dir,
    });
    const pdb = (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings.filter(
      (f) => f.ruleId === 'pdb-missing',
    );
    expect(pdb.map((f) => f.severity)).toEqual(['warning']);
  });

  it('an unreachable cluster stops the check: one line, exit 2', async () => {
    const port = await freePort();
    const dir = tempDir('shipshape-cluster-');
    writeFileSync(path.join(dir, 'orders.yaml'), deployment);
    const kubeconfig = writeKubeconfig(path.join(dir, 'kubeconfig'), `http://127.0.0.1:${port}`);
    const run = await runCli(['orders.yaml', '--cluster-context', '--kubeconfig', kubeconfig], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^shipshape: cannot reach the Kubernetes API at .*: connection refused\n$/);
  });
});

describe('@kubernetes/client-node is loaded only for cluster access', () => {
  /** Runs the CLI with a module hook that records whether client-node was resolved. */
  async function loadsClientNode(args: string[], cwd: string): Promise<boolean> {
    const dir = tempDir('shipshape-hook-');
    const marker = path.join(dir, 'loaded');
    const hooks = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.includes('/@kubernetes/client-node/')) appendFileSync(${JSON.stringify(marker)}, r.url + '\\n');
  return r;
}`;
    writeFileSync(path.join(dir, 'hooks.mjs'), hooks);
    writeFileSync(
      path.join(dir, 'register.mjs'),
      `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${dir}/hooks.mjs`)});\n`,
    );
    await runProcess(process.execPath, ['--import', path.join(dir, 'register.mjs'), CLI, ...args], { cwd });
    try {
      return readFileSync(marker, 'utf8').length > 0;
    } catch {
      return false;
    }
  }

  it('not by a plain file check, but by `shipshape cluster`', async () => {
    const { kubeconfig, dir } = await cluster();
    writeFileSync(path.join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
    expect(await loadsClientNode(['cm.yaml'], dir)).toBe(false);
    expect(await loadsClientNode(['cluster', '--kubeconfig', kubeconfig], dir)).toBe(true);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
