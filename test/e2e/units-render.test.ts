import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp.js';
import { brief, findings, repo, unitCases, type JsonFinding } from '../helpers/units.js';
import { requireTool } from './require.js';

requireTool('kubectl', 'apt-get install -y kubectl (or kubernetes-client where there is no kubectl package)');

describe('deployment units rendered by the real kubectl kustomize (--render)', () => {
  unitCases('--render');

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
    const bin = tempDir('shipshape-units-bin-');
    const run = await runCli(['--format', 'json', '.'], { cwd: dir, env: { PATH: bin, NO_COLOR: '1' } });
    const got = (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
    expect(got.filter((f) => f.ruleId === 'render-skipped')).toEqual([]); // auto: nothing to say when nothing can build
    const forced = await runCli(['--format', 'json', '--render', '.'], {
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
});
