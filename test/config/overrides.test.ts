import { describe, expect, it } from 'vitest';
import { lint } from '../../src/index.js';
import { brief, ONE_REPLICA, pick, project } from './helpers.js';

const rules = pick('single-replica', 'liveness-probe-aggressive', 'unused-suppression');

const AGGRESSIVE = `apiVersion: v1
kind: Pod
metadata:
  name: worker
spec:
  containers:
    - name: worker
      image: registry.acme.io/worker:2.0.0
      livenessProbe:
        httpGet: {path: /healthz, port: 8080}
        periodSeconds: 4
        failureThreshold: 3
`;

/** Same manifests in prod and dev; the config decides what each gets. */
function repo(config: string): string {
  return project({
    '.shipshape.yaml': config,
    'environments/prod/api.yaml': ONE_REPLICA,
    'environments/dev/api.yaml': ONE_REPLICA,
    'environments/dev/worker.yaml': AGGRESSIVE,
    'environments/prod/worker.yaml': AGGRESSIVE,
  });
}

describe('overrides', () => {
  it('apply to the files they match, in order, after rules; --rule comes last', async () => {
    const cwd = repo(`rules:
  single-replica: error
overrides:
  - files: ["environments/dev/**"]
    rules:
      single-replica: note
  - files: "environments/dev/api.yaml"
    rules:
      single-replica: off
  - files: ["environments/**/worker.yaml"]
    rules:
      liveness-probe-aggressive: {severity: note, options: {minRestartWindowSeconds: 15}}
`);
    const first = await lint({ paths: ['environments'], cwd, rules });
    expect(brief(first.findings)).toEqual([
      'environments/dev/worker.yaml 12:9 liveness-probe-aggressive note',
      'environments/prod/api.yaml 6:1 single-replica error',
      'environments/prod/worker.yaml 12:9 liveness-probe-aggressive note',
    ]);
    // --rule wins over the config and every override, for every file.
    const flagged = await lint({
      paths: ['environments'],
      cwd,
      rules,
      ruleFlags: ['single-replica=warning', 'liveness-probe-aggressive=off'],
    });
    expect(brief(flagged.findings)).toEqual([
      'environments/dev/api.yaml 6:1 single-replica warning',
      'environments/prod/api.yaml 6:1 single-replica warning',
    ]);
  });

  it('give rules other options for some files (setup runs once per distinct options)', async () => {
    const cwd = repo(`overrides:
  - files: ["environments/prod/**"]
    rules:
      liveness-probe-aggressive:
        options: {minRestartWindowSeconds: 20}
`);
    const result = await lint({ paths: ['environments'], cwd, rules });
    // 3 × 4s = 12s: fine against the default window (10s), too short against prod's 20s.
    expect(brief(result.findings.filter((f) => f.ruleId === 'liveness-probe-aggressive'))).toEqual([
      'environments/prod/worker.yaml 12:9 liveness-probe-aggressive warning',
    ]);
  });

  it('a later override with only a severity keeps the options of an earlier one', async () => {
    const cwd = repo(`overrides:
  - files: ["**"]
    rules:
      liveness-probe-aggressive: {severity: note, options: {minRestartWindowSeconds: 20}}
  - files: ["environments/prod/**"]
    rules:
      liveness-probe-aggressive: error
`);
    const result = await lint({ paths: ['environments'], cwd, rules });
    expect(brief(result.findings.filter((f) => f.ruleId === 'liveness-probe-aggressive'))).toEqual([
      'environments/dev/worker.yaml 12:9 liveness-probe-aggressive note',
      'environments/prod/worker.yaml 12:9 liveness-probe-aggressive error',
    ]);
  });

  it('can turn on, for some files, a rule that is off everywhere else', async () => {
    const cwd = repo(`rules:
  single-replica: off
overrides:
  - files: ["environments/prod/**"]
    rules: {single-replica: warning}
`);
    const result = await lint({ paths: ['environments'], cwd, rules });
    expect(brief(result.findings)).toEqual(['environments/prod/api.yaml 6:1 single-replica warning']);
  });
});
