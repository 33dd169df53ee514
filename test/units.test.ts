import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/fixtures.js';
import { runShipshape } from './helpers/run-cli.js';

/**
 * Deployment units (load/units.ts): each fixture under test/fixtures/units/ is a small GitOps repository, copied to a
 * temporary directory with a `.git` of its own (ArgoCD and Flux paths are relative to the repository root), and
 * checked with the built CLI, rendered by the real kubectl kustomize and without it. The expected findings are the
 * complete list: the false ones of a run that mixes every file into one bag are absent.
 */
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function repo(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `shipshape-units-${name}-`));
  temps.push(dir);
  cpSync(path.join(ROOT, 'test/fixtures/units', name), dir, { recursive: true });
  mkdirSync(path.join(dir, '.git'));
  return dir;
}

interface JsonFinding {
  ruleId: string;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  exact: boolean;
  units?: string[];
  resource?: { kind: string; namespace?: string; name?: string };
}

async function findings(dir: string, args: string[] = []): Promise<JsonFinding[]> {
  const run = await runShipshape(['--format', 'json', ...args, '.'], { cwd: dir });
  expect(run.code === 0 || run.code === 1, run.stderr).toBe(true);
  return (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
}

const brief = (f: JsonFinding): string =>
  `${f.ruleId} ${f.file} ${f.line}:${f.column}-${f.endLine}:${f.endColumn}${f.exact ? '' : ' ~'} [${(f.units ?? []).join(', ')}]`;

/** Both ways of checking a kustomize unit must give the same verdict. */
const MODES = [['--render'], ['--no-render']] as const;

describe('deployment units: cross-resource rules resolve within what one application deploys', () => {
  it.each(MODES)(
    'an HPA in an optional extras/ folder does not scale a Deployment of another unit (%s)',
    async (mode) => {
      const got = (await findings(repo('monorepo'), [mode])).map(brief);
      // web really runs one pod: single-replica is not silenced by the add-on HPA, and there is no pdb-missing,
      // topology-spread-missing, replicas-with-hpa or hpa-target-missing (the target is deployed by another unit).
      expect(got).toEqual(['single-replica kubernetes-manifests/web.yaml 7:3-7:14 [kubernetes-manifests]']);
    },
  );

  it.each(MODES)(
    'an ArgoCD Application with directory.recurse makes its sibling folders one unit (%s)',
    async (mode) => {
      const got = (await findings(repo('argocd'), [mode])).map(brief);
      // The PDB in apps/shop/policies protects the Deployment in apps/shop/api; billing (a directory of its own) has none.
      expect(got).toEqual(['pdb-missing apps/billing/deployment.yaml 2:1-2:17 [apps/billing]']);
    },
  );

  it.each(MODES)('a Flux Kustomization: everything below spec.path, in its targetNamespace (%s)', async (mode) => {
    const got = await findings(repo('flux'), [mode]);
    expect(got.map(brief)).toEqual(['single-replica apps/prod/web/worker.yaml 7:3-7:14 [Flux Kustomization apps]']);
    expect(got[0]!.resource).toEqual({ kind: 'Deployment', namespace: 'prod', name: 'worker' });
  });

  it.each(MODES)(
    'a base with three overlays: judged per overlay, a finding they share reported once (%s)',
    async (mode) => {
      const got = await findings(repo('overlays'), [mode]);
      expect(got.map(brief)).toEqual([
        // staging alone has no PDB (prod adds one, dev runs one replica)
        'pdb-missing base/deployment.yaml 2:1-2:17 [overlays/staging]',
        // written in the base, the same in every overlay: once
        'liveness-probe-aggressive base/deployment.yaml 21:82-21:101 [overlays/dev, overlays/prod, overlays/staging]',
        // the dev patch sets replicas: 1: at the patch's line, not the base's
        'single-replica overlays/dev/replicas.yaml 6:3-6:14 [overlays/dev]',
      ]);
      expect(got[0]!.message).toMatch(/\(in unit overlays\/staging\)$/);
      // The units are all in `units`; the message only counts them, to stay on one line.
      expect(got[1]!.message).toMatch(/\(same in 3 units\)$/);
      expect(got[1]!.units).toEqual(['overlays/dev', 'overlays/prod', 'overlays/staging']);
      expect(got[2]!.resource?.namespace).toBe('shop-dev');
    },
  );

  it.each(MODES)(
    'a kustomization without apiVersion and kind is recognised: its patch is not a Deployment of its own (%s)',
    async (mode) => {
      // patch.yaml changes only the image: no readiness/liveness/resources/single-replica findings on it.
      expect(await findings(repo('bare'), [mode])).toEqual([]);
    },
  );

  it('a broken overlay: an error at its kustomization with the real error line; its files are still checked', async () => {
    const dir = repo('broken');
    const got = await findings(dir, ['--render']);
    expect(got.map(brief)).toEqual([
      'render-failed overlays/broken/kustomization.yaml 1:1-1:1 []',
      'single-replica overlays/broken/replicas.yaml 6:3-6:14 [overlays/broken]',
    ]);
    // Not kustomize's first stderr line (a deprecation warning for `bases`), but the error.
    expect(got[0]!.message).toBe(
      "kubectl kustomize overlays/broken failed: cannot read resource 'missing.yaml': no such file or directory",
    );
    // The good overlay still builds, and is clean.
    expect((await findings(dir, ['--no-render'])).map(brief)).toEqual([
      'single-replica overlays/broken/replicas.yaml 6:3-6:14 [overlays/broken]',
    ]);
  });

  it('without kubectl or kustomize: one note per kustomize unit, and the same verdict as the build', async () => {
    const dir = repo('overlays');
    const bin = mkdtempSync(path.join(tmpdir(), 'shipshape-units-bin-'));
    temps.push(bin);
    const run = await runShipshape(['--format', 'json', '.'], { cwd: dir, env: { PATH: bin, NO_COLOR: '1' } });
    const got = (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
    expect(got.filter((f) => f.ruleId === 'render-skipped')).toEqual([]); // auto: nothing to say when nothing can build
    const forced = await runShipshape(['--format', 'json', '--render', '.'], {
      cwd: dir,
      env: { PATH: bin, NO_COLOR: '1' },
    });
    const notes = (JSON.parse(forced.stdout) as { findings: JsonFinding[] }).findings.filter(
      (f) => f.ruleId === 'render-skipped',
    );
    expect(notes.map((f) => f.file)).toEqual([
      'overlays/dev/kustomization.yaml',
      'overlays/prod/kustomization.yaml',
      'overlays/staging/kustomization.yaml',
    ]);
    expect(got.filter((f) => f.ruleId !== 'render-skipped').map(brief)).toEqual(
      (await findings(dir, ['--render'])).map(brief),
    );
  });

  it('a remote base is never built, and a token in its URL is never printed', async () => {
    const dir = repo('bare');
    writeFileSync(
      path.join(dir, 'kustomization.yaml'),
      'resources:\n  - deployment.yaml\n  - https://deploy:ghp_R3moteT0kenR3moteT0kenR3moteT0ken12@github.com/acme/base//k8s\n',
    );
    const got = (await findings(dir, ['--render'])).filter((f) => f.ruleId.startsWith('render-'));
    expect(got.map(brief)).toEqual(['render-skipped kustomization.yaml 1:1-1:1 []']);
    expect(got[0]!.message).toBe(
      'not built: it names a remote base (https://deploy:[redacted]@github.com/acme/base//k8s), never fetched; checked as written',
    );
    expect(JSON.stringify(got)).not.toContain('R3moteT0ken');
  });

  it('`units:` globs in the config make a plain directory tree one unit', async () => {
    const dir = repo('argocd');
    // Without the Application, each folder would be its own unit, and the PDB would be in another one than the Deployment.
    rmSync(path.join(dir, 'argocd'), { recursive: true });
    // (the PDB alone in its folder is not "unmatched": its pods are deployed by another unit)
    expect((await findings(dir)).map((f) => `${f.ruleId} ${f.file}`)).toEqual([
      'pdb-missing apps/billing/deployment.yaml',
      'pdb-missing apps/shop/api/deployment.yaml',
    ]);
    writeFileSync(path.join(dir, '.shipshape.yaml'), 'units:\n  - apps/*\n');
    expect((await findings(dir)).map((f) => `${f.ruleId} ${f.file}`)).toEqual([
      'pdb-missing apps/billing/deployment.yaml',
    ]);
    // The globs are relative to the config file: the same verdict from a subfolder.
    const sub = await runShipshape(['--format', 'json', '.'], { cwd: path.join(dir, 'apps') });
    expect(
      (JSON.parse(sub.stdout) as { findings: JsonFinding[] }).findings.map((f) => `${f.ruleId} ${f.file}`),
    ).toEqual(['pdb-missing billing/deployment.yaml']);
  });
});

describe('shipshape units', () => {
  it('prints each unit: kind, root, how it was found, its files', async () => {
    const dir = repo('argocd');
    const run = await runShipshape(['units'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        'Application Application shop (apps/shop) — namespace shop',
        '  found as: Application shop (argocd/shop.yaml)',
        '  apps/shop/api/deployment.yaml',
        '  apps/shop/policies/pdb.yaml',
        '',
        'directory apps/billing',
        '  found as: a directory of manifests (kubectl apply -f DIR)',
        '  apps/billing/deployment.yaml',
        '',
        'directory argocd',
        '  found as: a directory of manifests (kubectl apply -f DIR)',
        '  argocd/shop.yaml',
        '',
        '3 units. Cross-resource rules (HPA, PDB, Service, LimitRange) match objects within a unit only.',
        '',
      ].join('\n'),
    );
  });

  it('--format json: every kind of unit, with its namespace and build', async () => {
    const dir = repo('overlays');
    const run = await runShipshape(['units', '--format', 'json'], { cwd: dir });
    const { units } = JSON.parse(run.stdout) as {
      units: { id: string; kind: string; namespace?: string; build?: string; files: string[] }[];
    };
    expect(units.map((u) => `${u.kind} ${u.id} ${u.namespace ?? '-'} ${u.build ?? '-'} ${u.files.length}`)).toEqual([
      'kustomization overlays/dev shop-dev kustomize 4',
      'kustomization overlays/prod shop-prod kustomize 4',
      'kustomization overlays/staging shop-staging kustomize 3',
    ]);
    const flux = JSON.parse((await runShipshape(['units', '--format', 'json'], { cwd: repo('flux') })).stdout) as {
      units: { kind: string; id: string; namespace?: string }[];
    };
    expect(flux.units.map((u) => `${u.kind} ${u.id} ${u.namespace ?? '-'}`)).toEqual([
      'Flux Kustomization Flux Kustomization apps prod',
      'directory clusters/prod -',
    ]);
    const bare = JSON.parse((await runShipshape(['units', '--format', 'json'], { cwd: repo('bare') })).stdout) as {
      units: { kind: string; files: string[] }[];
    };
    expect(bare.units).toEqual([
      expect.objectContaining({
        kind: 'kustomization',
        files: ['deployment.yaml', 'kustomization.yaml', 'patch.yaml', 'pdb.yaml'],
      }),
    ]);
  });
});
