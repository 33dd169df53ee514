import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';
import { recordingKubectl } from './helpers/temp.js';
import { brief, findings, repo, unitCases, type JsonFinding } from './helpers/units.js';

describe('deployment units: cross-resource rules resolve within what one application deploys (--no-render)', () => {
  unitCases('--no-render');

  it('a broken overlay: its files are still checked as written', async () => {
    expect((await findings(repo('broken'), ['--no-render'])).map(brief)).toEqual([
      'single-replica overlays/broken/replicas.yaml 6:3-6:14 [overlays/broken]',
    ]);
  });

  it('a remote base is never built, and a token in its URL is never printed', async () => {
    const dir = repo('bare');
    writeFileSync(
      path.join(dir, 'kustomization.yaml'),
      'resources:\n  - deployment.yaml\n  - https://deploy:ghp_R3moteT0kenR3moteT0kenR3moteT0ken12@github.com/acme/base//k8s\n',
    );
    const kubectl = recordingKubectl();
    const run = await runCli(['--format', 'json', '--render', '.'], {
      cwd: dir,
      env: { ...process.env, PATH: `${kubectl.bin}${path.delimiter}${process.env.PATH ?? ''}`, NO_COLOR: '1' },
    });
    expect(existsSync(kubectl.calls), 'kubectl ran').toBe(false);
    const got = (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings.filter((f) =>
      f.ruleId.startsWith('render-'),
    );
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
    const sub = await runCli(['--format', 'json', '.'], { cwd: path.join(dir, 'apps') });
    expect(
      (JSON.parse(sub.stdout) as { findings: JsonFinding[] }).findings.map((f) => `${f.ruleId} ${f.file}`),
    ).toEqual(['pdb-missing billing/deployment.yaml']);
  });
});

describe('shipshape units', () => {
  it('prints each unit: kind, root, how it was found, its files', async () => {
    const dir = repo('argocd');
    const run = await runCli(['units'], { cwd: dir });
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
    const run = await runCli(['units', '--format', 'json'], { cwd: dir });
    const { units } = JSON.parse(run.stdout) as {
      units: { id: string; kind: string; namespace?: string; build?: string; files: string[] }[];
    };
    expect(units.map((u) => `${u.kind} ${u.id} ${u.namespace ?? '-'} ${u.build ?? '-'} ${u.files.length}`)).toEqual([
      'kustomization overlays/dev shop-dev kustomize 4',
      'kustomization overlays/prod shop-prod kustomize 4',
      'kustomization overlays/staging shop-staging kustomize 3',
    ]);
    const flux = JSON.parse((await runCli(['units', '--format', 'json'], { cwd: repo('flux') })).stdout) as {
      units: { kind: string; id: string; namespace?: string }[];
    };
    expect(flux.units.map((u) => `${u.kind} ${u.id} ${u.namespace ?? '-'}`)).toEqual([
      'Flux Kustomization Flux Kustomization apps prod',
      'directory clusters/prod -',
    ]);
    const bare = JSON.parse((await runCli(['units', '--format', 'json'], { cwd: repo('bare') })).stdout) as {
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
