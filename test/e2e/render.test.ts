import { chmodSync, copyFileSync, cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { requireShared, requireTool } from './require.js';
import { tempDir } from '../helpers/temp.js';

const FIXTURES = path.join(ROOT, 'test/integration/render');
const KUBECTL = requireTool(
  'kubectl',
  'apt-get install -y kubectl (or kubernetes-client where there is no kubectl package)',
);
// The rules these fixtures are about; other rules may fire on them too and are not asserted here.
const WATCHED = new Set([
  'single-replica',
  'liveness-probe-aggressive',
  'pdb-missing',
  'render-failed',
  'render-skipped',
  'template-syntax',
]);

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  column: number;
  exact: boolean;
  resource?: { kind: string; namespace?: string; name?: string };
}

/** A private copy of the fixtures (renders must not depend on, or write to, the repository). */
function workdir(): string {
  const dir = tempDir('shipshape-render-');
  cpSync(FIXTURES, dir, { recursive: true });
  mkdirSync(path.join(dir, '.git')); // the repository root: kustomize inputs outside it are not rendered
  return dir;
}

/** A PATH holding only the given tools (as symlinks or scripts), so that "not installed" is real. */
function toolPath(tools: Record<string, string>): string {
  const bin = tempDir('shipshape-bin-');
  for (const [name, target] of Object.entries(tools)) {
    if (target.startsWith('#!')) {
      writeFileSync(path.join(bin, name), target);
      chmodSync(path.join(bin, name), 0o755);
    } else symlinkSync(target, path.join(bin, name));
  }
  return bin;
}

async function check(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number; findings: JsonFinding[]; stderr: string; files: number }> {
  const run = await runCli([...args, '--format', 'json'], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  expect(run.stderr).toBe('');
  const report = JSON.parse(run.stdout) as { findings: JsonFinding[]; summary: { files: number } };
  return {
    code: run.code,
    findings: report.findings.filter((f) => WATCHED.has(f.ruleId)),
    stderr: run.stderr,
    files: report.summary.files,
  };
}

const brief = (f: JsonFinding): string => `${f.ruleId} ${f.file}:${f.line}:${f.column}${f.exact ? '' : ' ~'}`;

describe('Kustomize with --render (the real kubectl kustomize)', () => {
  it('checks each overlay as built, and maps findings back to the file and line that define them', async () => {
    const dir = workdir();
    const { findings } = await check(['--render', 'shop'], path.join(dir));
    expect(findings.map(brief).sort()).toEqual([
      // failureThreshold: 1 is written in the base: exact, the same in both overlays, so reported once
      'liveness-probe-aggressive shop/base/deployment.yaml:22:13',
      // replicas: 1 comes from the prod patch: reported at the patch's line, in the patch's file
      'single-replica shop/overlays/prod/replicas.yaml:6:3',
    ]);
    const replicas = findings.find((f) => f.ruleId === 'single-replica')!;
    expect(replicas.resource).toEqual({ kind: 'Deployment', namespace: 'shop-prod', name: 'prod-api' });
    expect(replicas.message).toMatch(/\(set by this patch\)$/);
    const liveness = findings.find((f) => f.ruleId === 'liveness-probe-aggressive')!;
    expect(liveness.message).toMatch(/\(same in 2 units\)$/);
    expect((liveness as JsonFinding & { units?: string[] }).units).toEqual([
      'shop/overlays/prod',
      'shop/overlays/staging',
    ]);
    // The PDB of the base reaches both overlays: no pdb-missing.
    expect(findings.some((f) => f.ruleId === 'pdb-missing')).toBe(false);
  });

  it('rendering is on by default when kubectl is on PATH, and says so; --no-render checks the files as written, with the patches applied', async () => {
    const dir = workdir();
    const run = await runCli(['shop'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    expect(run.stderr).toBe(
      'shipshape: built 2 units with kubectl kustomize and checked the output at the source lines (--no-render checks the files as written)\n',
    );
    const { findings } = await check(['shop', '--no-render'], dir);
    // The same verdict as the build: no contradiction between the base (3 replicas) and the prod patch (1).
    expect(findings.map(brief).sort()).toEqual([
      'liveness-probe-aggressive shop/base/deployment.yaml:22:13',
      'single-replica shop/overlays/prod/replicas.yaml:6:3',
    ]);
    expect(findings.find((f) => f.ruleId === 'single-replica')!.message).toMatch(/\(set by this patch\)$/);
  });

  it('`render: never` in the config turns it off, and --render on again', async () => {
    const dir = workdir();
    writeFileSync(path.join(dir, '.shipshape.yaml'), 'render: never\n');
    const name = async (args: string[]): Promise<string | undefined> =>
      (await check(args, dir)).findings.find((f) => f.ruleId === 'single-replica')?.resource?.name;
    expect(await name(['shop'])).toBe('api');
    expect(await name(['shop', '--render'])).toBe('prod-api');
  });

  it("a kustomization that does not build is an error at its file, with kustomize's reason", async () => {
    const dir = workdir();
    const { code, findings } = await check(['--render', 'broken'], dir);
    expect(code).toBe(1);
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'render-failed',
        severity: 'error',
        file: 'broken/kustomization.yaml',
        line: 1,
        message: expect.stringMatching(/^kubectl kustomize broken failed: .*missing\.yaml/),
      }),
    ]);
  });

  it('kustomize without origin annotations (older versions): objects are matched by kind and name', async () => {
    const dir = workdir();
    // A kubectl that rejects buildMetadata, as kustomize before v4.5 did, and renders everything else.
    const old = `#!/bin/sh\nif grep -qs buildMetadata "$2/kustomization.yaml"; then echo 'Error: json: unknown field "buildMetadata"' >&2; exit 1; fi\nexec ${KUBECTL} "$@"\n`;
    const { findings } = await check(['--render', 'shop/overlays/prod'], dir, { PATH: toolPath({ kubectl: old }) });
    expect(findings.map(brief).sort()).toEqual([
      'liveness-probe-aggressive shop/base/deployment.yaml:22:13',
      'single-replica shop/overlays/prod/replicas.yaml:6:3',
    ]);
  });

  it('without kubectl or kustomize: one note per kustomization, and its files are checked as they are', async () => {
    const dir = workdir();
    const { code, findings } = await check(['--render', 'shop'], dir, { PATH: toolPath({}) });
    expect(code).toBe(0);
    expect(findings.map(brief).sort()).toEqual([
      'liveness-probe-aggressive shop/base/deployment.yaml:22:13',
      'render-skipped shop/overlays/prod/kustomization.yaml:1:1',
      'render-skipped shop/overlays/staging/kustomization.yaml:1:1',
      'single-replica shop/overlays/prod/replicas.yaml:6:3',
    ]);
    expect(findings.find((f) => f.ruleId === 'render-skipped')!.message).toMatch(
      /neither kubectl nor kustomize is on PATH/,
    );
  });
});

describe('Helm charts with --render', () => {
  it('helm missing: one note per chart, saying how to enable it; its templates are not read as YAML', async () => {
    const dir = workdir();
    const { code, findings } = await check(['--render', 'chart'], dir, { PATH: toolPath({ kubectl: KUBECTL }) });
    expect(code).toBe(0);
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'render-skipped',
        severity: 'note',
        file: 'chart/Chart.yaml',
        message: expect.stringMatching(/^Helm chart not checked: helm is not on PATH \(install helm to render it\)$/),
      }),
    ]);
  });

  it('without --render a chart template is reported as template syntax, not as broken YAML', async () => {
    const dir = workdir();
    const { findings } = await check(['chart'], dir);
    expect(findings.map((f) => `${f.ruleId} ${f.file}`)).toEqual(['template-syntax chart/templates/deployment.yaml']);
  });

  it('helm on PATH: the chart is rendered with helm template and findings point into the template, approximately', async () => {
    const dir = workdir();
    const helm = `#!/bin/sh\n[ "$1" = template ] && [ "$2" = chart ] || { echo "unexpected: $*" >&2; exit 3; }\n/bin/cat ${JSON.stringify(path.join(dir, 'helm-template-web.out'))}\n`;
    const { findings } = await check(['--render', 'chart'], dir, { PATH: toolPath({ helm }) });
    expect(findings.map(brief)).toEqual(['single-replica chart/templates/deployment.yaml:8:3 ~']);
    expect(findings[0]!.message).toMatch(/\(helm template of chart; line approximate\)$/);
  });

  it('template syntax outside a chart is still reported with --render', async () => {
    const dir = workdir();
    const { findings } = await check(['--render', 'loose'], dir);
    expect(findings.map((f) => `${f.ruleId} ${f.file}`)).toEqual(['template-syntax loose/templated.yaml']);
  });
});

describe('rendering a corpus overlay', () => {
  it('renders kubernetes-manifests of microservices-demo with the real kubectl', async () => {
    const src = path.join(requireShared(), 'corpus/k8s/GoogleCloudPlatform__microservices-demo/kubernetes-manifests');
    const dir = tempDir('shipshape-render-');
    cpSync(src, path.join(dir, 'app'), { recursive: true });
    copyFileSync(path.join(FIXTURES, 'chart/Chart.yaml'), path.join(dir, 'unrelated-Chart.yaml'));
    const run = await runCli(['--render', 'app', '--format', 'json'], { cwd: dir });
    const report = JSON.parse(run.stdout) as { findings: JsonFinding[]; summary: { resources: number } };
    expect(report.findings.filter((f) => f.ruleId === 'render-failed')).toEqual([]);
    expect(report.summary.resources).toBeGreaterThan(20);
    // Every finding points into a real source file of the app, never into the rendered stream.
    for (const f of report.findings) expect(f.file).toMatch(/^app\/[\w-]+\.yaml$/);
  });
});
