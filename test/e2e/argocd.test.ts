import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ROOT } from '../helpers/fixtures.js';
import { runProcess, runCli } from '../helpers/run-cli.js';
import { requireTool } from './require.js';
import { tempDir } from '../helpers/temp.js';

const KUBECTL = requireTool(
  'kubectl',
  'apt-get install -y kubectl (or kubernetes-client where there is no kubectl package)',
);
const DEPLOY = path.join(ROOT, 'deploy/argocd');
const APPS = path.join(ROOT, 'test/integration/argocd');
const SCRIPT_IN_IMAGE = '/usr/local/bin/shipshape-argocd-generate';

const plugin = parse(readFileSync(path.join(DEPLOY, 'plugin.yaml'), 'utf8')) as {
  kind: string;
  spec: { version: string; generate: { command: string[]; args?: string[] } };
};
const dockerfile = readFileSync(path.join(DEPLOY, 'Dockerfile'), 'utf8');

/** `generate` of plugin.yaml, with the image's script path mapped to the script of this repository. */
function generateCommand(): [string, string[]] {
  const [cmd, ...args] = [...plugin.spec.generate.command, ...(plugin.spec.generate.args ?? [])];
  expect(cmd).toBe(SCRIPT_IN_IMAGE);
  return [path.join(DEPLOY, 'shipshape-generate.sh'), args];
}

/** A PATH as in the sidecar image: shipshape and kubectl, and extra tools (scripts) when given. */
function sidecarPath(extra: Record<string, string> = {}): string {
  const bin = tempDir('shipshape-sidecar-bin-');
  symlinkSync(path.join(ROOT, 'bin/shipshape.js'), path.join(bin, 'shipshape'));
  symlinkSync(KUBECTL, path.join(bin, 'kubectl'));
  for (const [name, script] of Object.entries(extra)) {
    writeFileSync(path.join(bin, name), script);
    chmodSync(path.join(bin, name), 0o755);
  }
  return `${bin}:/usr/local/bin:/usr/bin:/bin`;
}

/**
 * Run the plugin's generate command as the CMP server does: in a copy of the repository (the server extracts the
 * repository it gets from the repo-server), working directory = the application path, ARGOCD_APP_* and the
 * application's plugin env as ARGOCD_ENV_*.
 */
async function generate(
  app: string,
  opts: { env?: Record<string, string>; tools?: Record<string, string>; repoFiles?: Record<string, string> } = {},
) {
  const repo = tempDir('shipshape-cmp-repo-');
  cpSync(path.join(APPS, app), path.join(repo, 'apps', app), { recursive: true });
  for (const [f, text] of Object.entries(opts.repoFiles ?? {})) writeFileSync(path.join(repo, f), text);
  const [cmd, args] = generateCommand();
  const home = tempDir('shipshape-cmp-home-');
  const env: NodeJS.ProcessEnv = {
    PATH: sidecarPath(opts.tools),
    HOME: home,
    TMPDIR: tempDir('shipshape-cmp-tmp-'),
    ARGOCD_APP_NAME: app,
    ARGOCD_APP_NAMESPACE: 'shop',
    ARGOCD_APP_REVISION: '0f9c1e7d2b4a6c8e0f1a3b5c7d9e1f2a4b6c8d0e',
    ARGOCD_APP_SOURCE_PATH: `apps/${app}`,
    ARGOCD_APP_SOURCE_REPO_URL: 'https://git.example.com/acme/gitops.git',
    ARGOCD_APP_SOURCE_TARGET_REVISION: 'main',
    KUBE_VERSION: '1.32.4',
    KUBE_API_VERSIONS: 'v1,apps/v1,batch/v1,policy/v1,autoscaling/v2',
    ...opts.env,
  };
  const run = await runProcess(cmd, args, { cwd: path.join(repo, 'apps', app), env });
  return { ...run, dir: path.join(repo, 'apps', app) };
}

const kinds = (stdout: string): string[] =>
  parseAllDocuments(stdout).map(
    (d) =>
      `${String(d.get('kind'))}/${String(d.get('metadata', true) ? (d.getIn(['metadata', 'name']) as string) : '')}`,
  );

describe('ArgoCD plugin: the generate script, called as the sidecar calls it', () => {
  it('plain YAML that passes: the manifests, and nothing else, on stdout', async () => {
    const run = await generate('plain-pass');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(kinds(run.stdout)).toEqual(['Deployment/api', 'PodDisruptionBudget/api']);
    expect(run.stdout).toContain('# Source: api.yaml\n');
  });

  it('plain YAML with an error finding: exit 1, nothing on stdout, the finding on stderr at its file and line', async () => {
    const run = await generate('plain-fail');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^worker\.yaml\n {2}20:15 +error +Deployment \S+: env AWS_SECRET_ACCESS_KEY holds a literal secret.*secret-in-env$/m,
    );
    expect(run.stderr).toMatch(/^shipshape: plain-fail was not synced: the findings above are at or above "error"/m);
    expect(run.stderr).not.toContain('wJalrXUtnFEMI');
  });

  it('Kustomize that passes: stdout is exactly what kubectl kustomize builds', async () => {
    const run = await generate('kustomize-pass');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(execFileSync('kubectl', ['kustomize', run.dir], { encoding: 'utf8' }));
    expect(run.stdout).toContain('namespace: shop');
    expect(run.stdout).toContain('image: ghcr.io/acme/api:1.4.3');
  });

  it('KUBE_VERSION from ArgoCD picks the schemas and API removals of the destination cluster; findings at source lines', async () => {
    // Removed in 1.32: a sync to a 1.29 cluster is not blocked for it, a sync to 1.32 is.
    const old = await generate('kustomize-flowcontrol', { env: { KUBE_VERSION: '1.29.3+k3s1' } });
    expect(old.stderr).toBe('');
    expect(old.code).toBe(0);
    expect(kinds(old.stdout)).toEqual(['FlowSchema/batch-jobs']);
    const current = await generate('kustomize-flowcontrol', { env: { KUBE_VERSION: '1.32.4' } });
    expect(current.code).toBe(1);
    expect(current.stdout).toBe('');
    expect(current.stderr).toMatch(
      /^apps\/kustomize-flowcontrol\/flowschema\.yaml\n {2}2:1 +error +.*deprecated-api-version$/m,
    );
    const fail = await generate('kustomize-fail', { env: { KUBE_VERSION: '1.29' } });
    expect(fail.code).toBe(1);
    expect(fail.stderr).toMatch(
      /^apps\/kustomize-fail\/worker\.yaml\n {2}20:15 +error +.*env AWS_SECRET_ACCESS_KEY .*secret-in-env$/m,
    );
  });

  it('ARGOCD_ENV_SHIPSHAPE_FAIL_ON=warning makes a warning block the sync', async () => {
    const run = await generate('kustomize-pass', { env: { ARGOCD_ENV_SHIPSHAPE_FAIL_ON: 'warning' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^apps\/kustomize-pass\/deployment\.yaml\n(?: {2}.*\n)* {2}\d+:\d+ +warning +Deployment (?:\S+\/)?api runs 1 replica .*single-replica$/m,
    );
  });

  it('Kustomize with an error finding: exit 1 with the finding on stderr', async () => {
    const run = await generate('kustomize-fail');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    // At the source file and line of the repository, not at a line of the rendered stream.
    expect(run.stderr).toMatch(/^apps\/kustomize-fail\/worker\.yaml\n {2}20:15 +error +.*env AWS_SECRET_ACCESS_KEY/m);
    expect(run.stderr).not.toMatch(/rendered\.yaml/);
  });

  it.each([
    ['kustomize-empty', /rendering produced no Kubernetes object: refusing to generate an empty set of manifests/],
    ['empty', /no \*\.yaml, \*\.yml or \*\.json file in .*: refusing to generate an empty set of manifests/],
  ])('%s: never exit 0 with an empty stdout', async (app, message) => {
    const run = await generate(app);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });

  it('a Helm chart without helm in the image: exit 2, saying so', async () => {
    const run = await generate('chart');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'shipshape: this application is a Helm chart, but helm is not installed in the plugin image (build it with --build-arg HELM_VERSION=v3.x.y)\n',
    );
  });

  it('a Helm chart with helm: rendered with the application name, namespace and values files', async () => {
    // A stand-in for helm that prints what a chart with these arguments renders.
    const helm = `#!/bin/sh
[ "$1" = template ] && [ "$2" = chart-app ] && [ "$3" = . ] && [ "$4" = --namespace ] && [ "$5" = shop ] && [ "$6" = --values ] && [ "$7" = prod.yaml ] || { echo "helm: unexpected arguments: $*" >&2; exit 1; }
printf -- '---\\n# Source: web/templates/cm.yaml\\napiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: %s\\n  namespace: %s\\ndata:\\n  LOG_LEVEL: info\\n' "$2" "$5"
`;
    const run = await generate('chart', {
      tools: { helm },
      env: { ARGOCD_APP_NAME: 'chart-app', ARGOCD_ENV_HELM_VALUES: 'prod.yaml' },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(kinds(run.stdout)).toEqual(['ConfigMap/chart-app']);
  });

  it('the .shipshape.yaml at the root of the repository applies', async () => {
    const run = await generate('plain-fail', {
      repoFiles: { '.shipshape.yaml': 'rules:\n  secret-in-env: warning\n' },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(kinds(run.stdout)).toEqual(['Deployment/worker']);
  });

  it("a rendering error fails generation with the tool's message", async () => {
    const broken = tempDir('shipshape-broken-');
    mkdirSync(path.join(broken, 'app'));
    writeFileSync(path.join(broken, 'app/kustomization.yaml'), 'resources:\n  - missing.yaml\n');
    const [cmd, args] = generateCommand();
    const run = await runProcess(cmd, args, {
      cwd: path.join(broken, 'app'),
      env: { PATH: sidecarPath(), HOME: broken, ARGOCD_APP_NAME: 'broken', ARGOCD_APP_NAMESPACE: 'shop' },
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/missing\.yaml/);
    expect(run.stderr).toMatch(/^shipshape: kubectl kustomize failed \(exit 1, its error is above\)$/m);
  });
});

describe('deploy/: the manifests pass shipshape itself', () => {
  it('every manifest under deploy/ is clean, notes included', async () => {
    const run = await runCli(['deploy', '--fail-on', 'note', '--no-render']);
    expect(run.stdout).toMatch(/^✔ No problems in \d+ files/m);
    expect(run.code).toBe(0);
    // Built by default, the repo-server kustomization names ArgoCD's install.yaml by URL: never fetched, one note.
    const built = await runCli(['deploy', '--fail-on', 'note', '--format', 'json']);
    const findings = (JSON.parse(built.stdout) as { findings: { ruleId: string; file: string; message: string }[] })
      .findings;
    expect(findings.map((f) => `${f.ruleId} ${f.file}`)).toEqual([
      'render-skipped deploy/argocd/repo-server/kustomization.yaml',
    ]);
    expect(findings[0]!.message).toMatch(/names a remote base .*never fetched/);
  });

  it('the sidecar container of the repo-server patch is clean too (checked in a Deployment of its own)', async () => {
    const patch = parse(readFileSync(path.join(DEPLOY, 'repo-server/sidecar-patch.yaml'), 'utf8')) as {
      op: string;
      path: string;
      value: Record<string, unknown>;
    }[];
    const container = patch.find((p) => p.path === '/spec/template/spec/containers/-')!.value;
    const dir = tempDir('shipshape-sidecar-');
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'argocd-repo-server',
        namespace: 'argocd',
        annotations: { 'shipshape.io/ignore': 'single-replica,pdb-missing,topology-spread-missing' },
      },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'repo-server' } },
        template: { metadata: { labels: { app: 'repo-server' } }, spec: { containers: [container] } },
      },
    };
    writeFileSync(path.join(dir, 'repo-server.json'), JSON.stringify(deployment));
    const run = await runCli(['repo-server.json', '--fail-on', 'warning'], { cwd: dir });
    expect(run.stdout).toMatch(/✔ No problems|0 errors, 0 warnings/);
    expect(run.code).toBe(0);
  });

  it('the plugin, the image and the sidecar patch agree on paths', () => {
    expect(plugin.kind).toBe('ConfigManagementPlugin');
    expect(dockerfile).toContain(`COPY --chmod=0755 deploy/argocd/shipshape-generate.sh ${SCRIPT_IN_IMAGE}`);
    expect(dockerfile).toContain('COPY deploy/argocd/plugin.yaml /home/argocd/cmp-server/config/plugin.yaml');
    const patch = readFileSync(path.join(DEPLOY, 'repo-server/sidecar-patch.yaml'), 'utf8');
    expect(patch).toContain('command: [/var/run/argocd/argocd-cmp-server]');
    expect(patch).toContain('mountPath: /home/argocd/cmp-server/plugins');
    expect(patch).toMatch(/runAsUser: 999/);
  });

  it('the Dockerfile pins its base image, verifies what it downloads and runs as the argocd user', () => {
    // shipshape has no Dockerfile rules: these are the properties the image must keep.
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:\d+\.\d+\.\d+-bookworm-slim$/m);
    expect(dockerfile).not.toMatch(/:latest\b/);
    expect(dockerfile).toMatch(/^SHELL \["\/bin\/bash", "-o", "pipefail", "-c"\]$/m);
    expect(dockerfile.match(/sha256sum --check --strict/g)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER 999:999$/m);
    expect(dockerfile).toMatch(/npm install -g --omit=dev/);
    for (const copied of dockerfile.matchAll(/^COPY (?!--from)(?:--chmod=\d+ )?(.+) \S+$/gm)) {
      for (const src of copied[1]!.split(' '))
        expect(() => readFileSync(path.join(ROOT, src.replace(/\/$/, '')))).not.toThrow(/ENOENT/);
    }
  });

  it('the PreSync Role grants list on exactly what shipshape cluster reads, and nothing else', async () => {
    const { CLUSTER_KINDS } = await import('../../src/load/cluster.js');
    const docs = parseAllDocuments(readFileSync(path.join(DEPLOY, 'presync/shipshape-presync.yaml'), 'utf8')).map(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML, read field by field by the assertions
      (d) => d.toJS() as Record<string, any>,
    );
    const role = docs.find((d) => d.kind === 'Role')!;
    const granted = (role.rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[]).flatMap((r) => {
      expect(r.verbs).toEqual(['list']);
      return r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}`));
    });
    // A Role cannot grant cluster-scoped kinds (namespaces): without them the audit warns and goes on.
    const needed = CLUSTER_KINDS.filter((k) => !k.clusterScoped).map(
      (k) => `${k.apiVersion.includes('/') ? k.apiVersion.split('/')[0] : ''}/${k.plural}`,
    );
    expect(granted.sort()).toEqual(needed.sort());
    for (const d of docs) expect(d.metadata.annotations['argocd.argoproj.io/hook']).toBe('PreSync');
    const job = docs.find((d) => d.kind === 'Job')!;
    expect(job.metadata.annotations['argocd.argoproj.io/hook-delete-policy']).toBe('BeforeHookCreation');
    expect(job.spec.template.spec.serviceAccountName).toBe(
      docs.find((d) => d.kind === 'ServiceAccount')!.metadata.name,
    );
  });

  it("the PreSync Job's command runs as written (against a stand-in API server): an audit that never blocks the sync", async () => {
    const { startFakeKube, writeKubeconfig } = await import('./fake-kube.js');
    const kube = await startFakeKube(path.join(ROOT, 'test/integration/cluster'));
    try {
      const job = parseAllDocuments(readFileSync(path.join(DEPLOY, 'presync/shipshape-presync.yaml'), 'utf8'))
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML, read field by field by the assertions
        .map((d) => d.toJS() as Record<string, any>)
        .find((d) => d.kind === 'Job')!;
      const container = job.spec.template.spec.containers[0] as { command: string[]; args: string[] };
      expect(container.command).toEqual(['shipshape']);
      const dir = tempDir('shipshape-presync-');
      const kubeconfig = writeKubeconfig(path.join(dir, 'kubeconfig'), kube.url, { namespace: 'shop' });
      const run = await runCli(container.args, {
        cwd: dir,
        env: { ...process.env, KUBECONFIG: kubeconfig, NO_COLOR: '1' },
      });
      expect(run.stderr).toBe('');
      // The namespace running now has a literal password. A PreSync hook sees the objects before the sync applies the
      // new ones, so failing here would block the very sync that removes it: the finding is reported, the Job passes.
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Pod\/shop\/debug-shell$/m);
      expect(run.stdout).toMatch(/secret-in-env/);
    } finally {
      await kube.close();
    }
  });

  it('the generate script is strict bash', () => {
    const script = readFileSync(path.join(DEPLOY, 'shipshape-generate.sh'), 'utf8');
    expect(script.split('\n')[0]).toBe('#!/usr/bin/env bash');
    expect(script).toMatch(/^set -euo pipefail$/m);
    execFileSync('bash', ['-n', path.join(DEPLOY, 'shipshape-generate.sh')]);
  });
});
