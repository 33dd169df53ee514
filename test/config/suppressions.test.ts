import { describe, expect, it } from 'vitest';
import { lint } from '../../src/index.js';
import { formatJson } from '../../src/report/json.js';
import { formatSarif } from '../../src/report/sarif.js';
import { validateSarif } from '../helpers/sarif.js';
import { brief, pick, project } from './helpers.js';

const rules = pick(
  'single-replica',
  'liveness-probe-aggressive',
  'pdb-missing',
  'invalid-yaml',
  'unused-suppression',
  'suppression-reason-missing',
);

async function check(files: Record<string, string>, config?: string) {
  const cwd = project({ ...files, ...(config ? { '.shipshape.yaml': config } : {}) });
  return lint({ paths: Object.keys(files), cwd, rules });
}

/** Two aggressive liveness probes (lines 11 and 17: failureThreshold 1) in a one-replica Deployment (line 6: spec). */
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          livenessProbe:
            failureThreshold: 1
          image: registry.acme.io/api:1.0.0
        - name: sidecar
          image: registry.acme.io/proxy:2.0.0
          livenessProbe:
            httpGet: {path: /, port: 9000}
            failureThreshold: 1
`;

function withLine(text: string, line: number, edit: (l: string) => string): string {
  const lines = text.split('\n');
  lines[line - 1] = edit(lines[line - 1]!);
  return lines.join('\n');
}

describe('comment suppressions', () => {
  it('without suppressions: the findings the other cases silence', async () => {
    const r = await check({ 'api.yaml': DEPLOYMENT });
    expect(brief(r.findings)).toEqual([
      'api.yaml 5:1 single-replica warning',
      'api.yaml 11:13 liveness-probe-aggressive warning',
      'api.yaml 17:13 liveness-probe-aggressive warning',
    ]);
  });

  it('at the end of the line of the finding, with a reason that becomes the justification', async () => {
    const r = await check({
      'api.yaml': withLine(
        DEPLOYMENT,
        11,
        (l) => `${l}  # shipshape-ignore liveness-probe-aggressive -- crash-only app, restarts are cheap`,
      ),
    });
    expect(brief(r.findings)).toEqual([
      'api.yaml 5:1 single-replica warning',
      'api.yaml 11:13 liveness-probe-aggressive warning suppressed',
      'api.yaml 17:13 liveness-probe-aggressive warning',
    ]);
    expect(r.findings[1]!.suppressed).toEqual({
      kind: 'inSource',
      justification: 'crash-only app, restarts are cheap',
    });
  });

  it('alone on the line above (stacked comments and blank lines between are skipped), several ids', async () => {
    const text = withLine(
      DEPLOYMENT,
      5,
      (l) =>
        `# shipshape-ignore single-replica, pdb-missing -- batch consumer\n# shipshape-ignore liveness-probe-aggressive\n\n${l}`,
    );
    const r = await check({ 'api.yaml': text });
    expect(brief(r.findings)).toEqual([
      // pdb-missing does not fire on one replica: that id silenced nothing.
      'api.yaml 5:36 unused-suppression note',
      // liveness-probe-aggressive is not on the `spec:` line either.
      'api.yaml 6:20 unused-suppression note',
      'api.yaml 8:1 single-replica warning suppressed',
      'api.yaml 14:13 liveness-probe-aggressive warning',
      'api.yaml 20:13 liveness-probe-aggressive warning',
    ]);
    expect(r.findings[0]!.message).toBe(
      'this # shipshape-ignore silences pdb-missing, but there is no such finding on line 8: remove it',
    );
    expect(r.findings[0]!.range).toEqual({ startLine: 5, startColumn: 36, endLine: 5, endColumn: 47 });
  });

  it('shipshape-ignore-file at the top of the file silences a rule in the whole file; further down it is reported', async () => {
    const text = `# Owned by team api.\n# shipshape-ignore-file liveness-probe-aggressive -- probes tuned by the platform team\n---\n${DEPLOYMENT}# shipshape-ignore-file single-replica -- too late\n`;
    const r = await check({ 'api.yaml': text });
    expect(brief(r.findings)).toEqual([
      'api.yaml 8:1 single-replica warning',
      'api.yaml 14:13 liveness-probe-aggressive warning suppressed',
      'api.yaml 20:13 liveness-probe-aggressive warning suppressed',
      'api.yaml 21:1 unused-suppression note',
    ]);
    expect(r.findings[3]!.message).toBe(
      '# shipshape-ignore-file only works at the top of the file, before any content: here it silences nothing',
    );
  });

  it('an unknown id names the closest rule; a rule that is off is not reported as unused', async () => {
    const text = withLine(DEPLOYMENT, 5, (l) => `${l} # shipshape-ignore singel-replica,pdb-missing -- typo`);
    const r = await check({ 'api.yaml': text }, 'rules:\n  pdb-missing: off\n');
    expect(brief(r.findings.filter((f) => f.ruleId !== 'liveness-probe-aggressive'))).toEqual([
      'api.yaml 5:1 single-replica warning',
      'api.yaml 5:26 unused-suppression note',
    ]);
    expect(r.findings.find((f) => f.ruleId === 'unused-suppression')!.message).toBe(
      // The unknown id itself is not quoted (it could be a value): its position shows it.
      'unknown rule id in this # shipshape-ignore — did you mean "single-replica"?',
    );
  });

  it('text that only looks like a directive (inside a block scalar or a string) is not one', async () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: scripts
  annotations:
    note: "# shipshape-ignore single-replica"
data:
  run.sh: |
    # shipshape-ignore-file single-replica
    exec app
`;
    const r = await check({ 'cm.yaml': text });
    expect(brief(r.findings)).toEqual([]);
  });

  it('suppressions themselves cannot be silenced in source', async () => {
    const text = `# shipshape-ignore-file unused-suppression -- quiet please\n${DEPLOYMENT}`;
    const r = await check({ 'api.yaml': text });
    expect(brief(r.findings.filter((f) => f.ruleId === 'unused-suppression'))).toEqual([
      'api.yaml 1:25 unused-suppression note',
    ]);
    expect(r.findings.find((f) => f.ruleId === 'unused-suppression')!.message).toBe(
      'unused-suppression cannot be silenced in source (set its severity in .shipshape.yaml): remove it from this # shipshape-ignore-file',
    );
  });

  it('load findings (invalid YAML) can be silenced for a file', async () => {
    const r = await check({
      'broken.yaml': '# shipshape-ignore-file invalid-yaml -- generated by a tool we do not own\nkey: [unclosed\n',
    });
    expect(brief(r.findings)).toEqual(['broken.yaml 3:1 invalid-yaml error suppressed']);
  });
});

describe('annotation and x-shipshape suppressions', () => {
  it('reports annotation ids that silenced nothing, at the annotation', async () => {
    const text = withLine(
      DEPLOYMENT,
      4,
      (l) => `${l}\n  annotations:\n    shipshape.io/ignore: "single-replica,pdb-missing"`,
    );
    const r = await check({ 'api.yaml': text });
    expect(brief(r.findings.filter((f) => f.ruleId !== 'liveness-probe-aggressive'))).toEqual([
      'api.yaml 6:5 unused-suppression note',
      'api.yaml 7:1 single-replica warning suppressed',
    ]);
    expect(r.findings[0]!.message).toBe(
      'the shipshape.io/ignore annotation silences pdb-missing, but there is no such finding on Deployment "api": remove it',
    );
    expect(r.findings[1]!.suppressed).toEqual({ kind: 'inSource', justification: 'shipshape.io/ignore annotation' });
  });

  it('x-shipshape on a Swarm service silences its findings; unused ids and a missing reason are reported', async () => {
    const stack = `services:
  web:
    image: registry.acme.io/web:1.0.0
    x-shipshape:
      ignore: [single-replica, pdb-missing]
      reason: canary, scaled by hand
  worker:
    image: registry.acme.io/worker:1.0.0
    x-shipshape:
      ignore: [single-replica]
`;
    const r = await check({ 'stack.yml': stack }, 'extends: strict\n');
    expect(brief(r.findings)).toEqual([
      'stack.yml 2:3 single-replica warning suppressed',
      'stack.yml 5:32 unused-suppression warning',
      'stack.yml 7:3 single-replica warning suppressed',
      'stack.yml 9:5 suppression-reason-missing error',
    ]);
    expect(r.findings[0]!.suppressed).toEqual({ kind: 'inSource', justification: 'canary, scaled by hand' });
    expect(r.findings[1]!.message).toBe(
      'x-shipshape.ignore silences pdb-missing, but there is no such finding on service "web": remove it',
    );
  });
});

describe('reports keep suppressed findings', () => {
  it('JSON: suppressed flag and justification; SARIF: suppressions of kind inSource, and the log validates', async () => {
    const r = await check({
      'api.yaml': withLine(DEPLOYMENT, 5, (l) => `${l} # shipshape-ignore single-replica -- one pod by design`),
    });
    const json = JSON.parse(formatJson(r)) as {
      summary: { suppressed: number };
      findings: { ruleId: string; suppressed?: boolean; suppression?: unknown }[];
    };
    expect(json.summary.suppressed).toBe(1);
    expect(json.findings.find((f) => f.ruleId === 'single-replica')).toMatchObject({
      suppressed: true,
      suppression: { kind: 'inSource', justification: 'one pod by design' },
    });
    const sarif = JSON.parse(formatSarif(r)) as { runs: { results: { ruleId: string; suppressions?: unknown }[] }[] };
    expect(sarif.runs[0]!.results.find((x) => x.ruleId === 'single-replica')!.suppressions).toEqual([
      { kind: 'inSource', justification: 'one pod by design' },
    ]);
    expect(validateSarif(sarif)).toEqual([]);
  });
});
