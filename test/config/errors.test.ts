import { describe, expect, it } from 'vitest';
import { applyRuleFlags } from '../../src/config/config.js';
import { loadConfig } from '../../src/load/config-file.js';
import { rules as builtin } from '../../src/rules/index.js';
import { runCli } from '../helpers/run-cli.js';
import { errorOf, project } from './helpers.js';

const load = (config: string) => loadConfig(undefined, project({ '.shipshape.yaml': config }), builtin);

describe('config mistakes: one line with the file, line, column and key', () => {
  it.each([
    [
      'an unknown top-level key',
      'rulez:\n  single-replica: off\n',
      '.shipshape.yaml:1:1: unknown key "rulez" — did you mean "rules"?',
    ],
    [
      'an unknown rule id',
      'rules:\n  singel-replica: off\n',
      '.shipshape.yaml:2:3: unknown rule id "singel-replica" — did you mean "single-replica"?',
    ],
    [
      'a severity typo',
      'rules:\n  single-replica: warn\n',
      '.shipshape.yaml:2:3: rules.single-replica: must be one of off, note, warning, error — did you mean "warning"?',
    ],
    [
      'an option of the wrong type',
      'rules:\n  liveness-probe-aggressive:\n    options:\n      minRestartWindowSeconds: ten\n',
      '.shipshape.yaml:4:7: rules.liveness-probe-aggressive.options.minRestartWindowSeconds: must be integer',
    ],
    [
      'an unknown option',
      'rules:\n  liveness-probe-aggressive:\n    options: {minRestartWindow: 20}\n',
      '.shipshape.yaml:3:15: unknown key "rules.liveness-probe-aggressive.options.minRestartWindow" — did you mean "minRestartWindowSeconds"?',
    ],
    ['ignore that is not a list', 'ignore: charts/**\n', '.shipshape.yaml:1:1: ignore: must be a list'],
    [
      'an unknown rule id in an override',
      'overrides:\n  - files: ["dev/**"]\n    rules:\n      singel-replica: off\n',
      '.shipshape.yaml:4:7: overrides[0].rules: unknown rule id "singel-replica" — did you mean "single-replica"?',
    ],
    [
      'an override without files',
      'overrides:\n  - rules: {single-replica: off}\n',
      '.shipshape.yaml:2:5: overrides[0]: missing key "files"',
    ],
    [
      'override files of the wrong type',
      'overrides:\n  - files: {dev: true}\n    rules: {single-replica: off}\n',
      '.shipshape.yaml:2:5: overrides[0].files: must be string or a list',
    ],
    [
      'a misspelled override key',
      'overrides:\n  - files: ["dev/**"]\n    rule: {single-replica: off}\n',
      '.shipshape.yaml:3:5: unknown key "overrides[0].rule" — did you mean "rules"?',
    ],
    [
      'a config that is not a mapping',
      '- rules\n',
      '.shipshape.yaml:1:1: the config must be a mapping of keys (rules, ignore, overrides, policies…)',
    ],
    [
      'invalid YAML',
      'rules: [\n',
      '.shipshape.yaml:2:1: config is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
  ])('%s', async (_name, config, message) => {
    expect((await errorOf(load(config))).split('\n')).toEqual([message]);
  });

  it.each([
    [
      ['single-replica=warn'],
      '--rule single-replica=warn: severity must be one of off, note, warning, error — did you mean "warning"?',
    ],
    [
      ['singel-replica=off'],
      '--rule singel-replica=off: unknown rule id "singel-replica" — did you mean "single-replica"?',
    ],
    [['single-replica'], '--rule single-replica: expected <rule-id>=<off|note|warning|error>'],
  ])('--rule %j', async (flags, message) => {
    const config = await loadConfig(undefined, project({}), builtin);
    expect(() => applyRuleFlags(config, flags)).toThrow(message);
  });

  it('the CLI prints the line on stderr and exits 2', async () => {
    const cwd = project({
      '.shipshape.yaml': 'overrides:\n  - files: ["dev/**"]\n    rules:\n      singel-replica: off\n',
      'k8s/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    });
    const r = await runCli(['k8s'], { cwd });
    expect(r).toMatchObject({
      code: 2,
      stdout: '',
      stderr:
        'shipshape: .shipshape.yaml:4:7: overrides[0].rules: unknown rule id "singel-replica" — did you mean "single-replica"?\n',
    });
    const flag = await runCli(['k8s', '--rule', 'singel-replica=off'], {
      cwd: project({ 'k8s/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' }),
    });
    expect(flag).toMatchObject({
      code: 2,
      stderr:
        'shipshape: --rule singel-replica=off: unknown rule id "singel-replica" — did you mean "single-replica"?\n',
    });
  });
});
