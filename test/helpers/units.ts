import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from './fixtures.js';
import { runCli } from './run-cli.js';
import { tempDir } from './temp.js';

/**
 * Deployment units (load/units.ts): each fixture under test/fixtures/units/ is a small GitOps repository, copied to a
 * temporary directory with a `.git` of its own (ArgoCD and Flux paths are relative to the repository root), and
 * checked with the built CLI. The expected findings are the complete list: the false ones of a run that mixes every
 * file into one bag are absent. Both ways of checking a kustomize unit must give the same verdict: test/units.test.ts
 * runs these cases with --no-render, test/e2e/units-render.test.ts with --render (the real kubectl kustomize).
 */
export function repo(name: string): string {
  const dir = tempDir(`shipshape-units-${name}-`);
  cpSync(path.join(ROOT, 'test/fixtures/units', name), dir, { recursive: true });
  mkdirSync(path.join(dir, '.git'));
  return dir;
}

export interface JsonFinding {
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

export async function findings(dir: string, args: string[] = []): Promise<JsonFinding[]> {
  const run = await runCli(['--format', 'json', ...args, '.'], { cwd: dir });
  expect(run.code === 0 || run.code === 1, run.stderr).toBe(true);
  return (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
}

export const brief = (f: JsonFinding): string =>
  `${f.ruleId} ${f.file} ${f.line}:${f.column}-${f.endLine}:${f.endColumn}${f.exact ? '' : ' ~'} [${(f.units ?? []).join(', ')}]`;

/** The cases both modes share, as tests of the calling describe. */
export function unitCases(mode: '--render' | '--no-render'): void {
  it(`an HPA in an optional extras/ folder does not scale a Deployment of another unit (${mode})`, async () => {
    const got = (await findings(repo('monorepo'), [mode])).map(brief);
    // web really runs one pod: single-replica is not silenced by the add-on HPA, and there is no pdb-missing,
    // topology-spread-missing, replicas-with-hpa or hpa-target-missing (the target is deployed by another unit).
    expect(got).toEqual(['single-replica kubernetes-manifests/web.yaml 7:3-7:14 [kubernetes-manifests]']);
  });

  it(`an ArgoCD Application with directory.recurse makes its sibling folders one unit (${mode})`, async () => {
    const got = (await findings(repo('argocd'), [mode])).map(brief);
    // The PDB in apps/shop/policies protects the Deployment in apps/shop/api; billing (a directory of its own) has none.
    expect(got).toEqual(['pdb-missing apps/billing/deployment.yaml 2:1-2:17 [apps/billing]']);
  });

  it(`a Flux Kustomization: everything below spec.path, in its targetNamespace (${mode})`, async () => {
    const got = await findings(repo('flux'), [mode]);
    expect(got.map(brief)).toEqual(['single-replica apps/prod/web/worker.yaml 7:3-7:14 [Flux Kustomization apps]']);
    expect(got[0]!.resource).toEqual({ kind: 'Deployment', namespace: 'prod', name: 'worker' });
  });

  it(`a base with three overlays: judged per overlay, a finding they share reported once (${mode})`, async () => {
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
  });

  it(`a kustomization without apiVersion and kind is recognised: its patch is not a Deployment of its own (${mode})`, async () => {
    // patch.yaml changes only the image: no readiness/liveness/resources/single-replica findings on it.
    expect(await findings(repo('bare'), [mode])).toEqual([]);
  });
}
