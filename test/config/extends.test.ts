import { describe, expect, it } from 'vitest';
import { lint } from '../../src/index.js';
import { loadConfig } from '../../src/load/config-file.js';
import { rules as builtin } from '../../src/rules/index.js';
import { brief, errorOf, ONE_REPLICA, pick, project } from './helpers.js';

const rules = pick('single-replica', 'liveness-probe-aggressive', 'unused-suppression', 'suppression-reason-missing');

/** A suppression that silences nothing, and one without a reason. */
const SUPPRESSED = `# shipshape-ignore pdb-missing -- kept from the old chart
${ONE_REPLICA.replace('spec:\n  selector', 'spec: # shipshape-ignore single-replica\n  selector')}`;

describe('extends', () => {
  it('recommended is what applies without a config; strict raises unused-suppression and requires reasons', async () => {
    const files = { 'k8s/api.yaml': SUPPRESSED };
    const none = await lint({
      paths: ['k8s'],
      cwd: project(files),
      rules: pick('single-replica', 'unused-suppression', 'suppression-reason-missing', 'pdb-missing'),
    });
    const recommended = await lint({
      paths: ['k8s'],
      cwd: project({ ...files, '.shipshape.yaml': 'extends: recommended\n' }),
      rules: pick('single-replica', 'unused-suppression', 'suppression-reason-missing', 'pdb-missing'),
    });
    const strict = await lint({
      paths: ['k8s'],
      cwd: project({ ...files, '.shipshape.yaml': 'extends: strict\n' }),
      rules: pick('single-replica', 'unused-suppression', 'suppression-reason-missing', 'pdb-missing'),
    });
    expect(brief(none.findings)).toEqual([
      'k8s/api.yaml 1:20 unused-suppression note',
      'k8s/api.yaml 7:1 single-replica warning suppressed',
    ]);
    expect(brief(recommended.findings)).toEqual(brief(none.findings));
    expect(brief(strict.findings)).toEqual([
      'k8s/api.yaml 1:20 unused-suppression warning',
      'k8s/api.yaml 7:1 single-replica warning suppressed',
      'k8s/api.yaml 7:7 suppression-reason-missing error',
    ]);
    expect(strict.config.files).toEqual(['rules-config/strict.yaml', '.shipshape.yaml']);
  });

  it('follows chains relative to each file; later files win per rule, options merge key by key', async () => {
    const cwd = project({
      '.shipshape.yaml': 'extends: ./platform/team.yaml\nrules:\n  liveness-probe-aggressive: error\n',
      'platform/team.yaml':
        'extends: [strict, ../shared/base.yaml]\nrules:\n  liveness-probe-aggressive:\n    options: {minRestartWindowSeconds: 30}\n',
      'shared/base.yaml':
        'rules:\n  single-replica: note\n  liveness-probe-aggressive:\n    severity: note\n    options: {minRestartWindowSeconds: 20}\nignore: ["vendor/**"]\n',
    });
    const config = await loadConfig(undefined, cwd, builtin);
    expect(config.files).toEqual([
      'rules-config/strict.yaml',
      'shared/base.yaml',
      'platform/team.yaml',
      '.shipshape.yaml',
    ]);
    expect(config.settings.get('single-replica')).toEqual({ severity: 'note', options: {} });
    expect(config.settings.get('liveness-probe-aggressive')).toEqual({
      severity: 'error',
      options: { minRestartWindowSeconds: 30 },
    });
    expect(config.settings.get('suppression-reason-missing')?.severity).toBe('error');
    expect(config.ignore).toEqual(['vendor/**']);
  });

  it('a preset naming rules that are not part of the run is fine', async () => {
    const cwd = project({ '.shipshape.yaml': 'extends: strict\n', 'k8s/api.yaml': ONE_REPLICA });
    const result = await lint({ paths: ['k8s'], cwd, rules });
    expect(brief(result.findings)).toEqual(['k8s/api.yaml 6:1 single-replica warning']);
  });

  it.each([
    [
      'a cycle',
      { '.shipshape.yaml': 'extends: ./base.yaml\n', 'base.yaml': 'rules: {}\nextends: [./.shipshape.yaml]\n' },
      'base.yaml:2:11: extends: cycle: .shipshape.yaml → base.yaml → .shipshape.yaml',
    ],
    [
      'a file extending itself',
      { '.shipshape.yaml': 'extends: ./.shipshape.yaml\n' },
      '.shipshape.yaml:1:1: extends: cycle: .shipshape.yaml → .shipshape.yaml',
    ],
    [
      'a missing file',
      { '.shipshape.yaml': 'extends:\n  - recommended\n  - ./team/base.yaml\n' },
      '.shipshape.yaml:3:5: extends: cannot read "./team/base.yaml" (no such file)',
    ],
    [
      'an unknown preset',
      { '.shipshape.yaml': 'extends: recomended\n' },
      '.shipshape.yaml:1:1: extends: unknown preset "recomended" — did you mean "recommended"? (a file path starts with ./ or ../)',
    ],
    [
      'a mistake inside an extended file',
      { '.shipshape.yaml': 'extends: ./base.yaml\n', 'base.yaml': 'rules:\n  singel-replica: off\n' },
      'base.yaml:2:3: unknown rule id "singel-replica" — did you mean "single-replica"?',
    ],
    [
      'extends that is not a string',
      { '.shipshape.yaml': 'extends: {preset: strict}\n' },
      '.shipshape.yaml:1:1: extends: must be a preset (recommended, strict) or a path to a config file, or a list of them',
    ],
  ])('%s is a config error naming the file, line and key', async (_name, files, message) => {
    expect(await errorOf(loadConfig(undefined, project(files), builtin))).toBe(message);
  });
});
