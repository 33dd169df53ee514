import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatBaseline, parseBaseline } from '../../src/config/baseline.js';
import { lint } from '../../src/index.js';
import { runCli } from '../helpers/run-cli.js';
import { validateSarif } from '../helpers/sarif.js';
import { brief, pick, project } from './helpers.js';

const rules = pick('single-replica', 'liveness-probe-aggressive', 'pdb-missing', 'unused-suppression');

const API = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 3
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: registry.acme.io/api:1.0.0
          livenessProbe:
            failureThreshold: 1
`;
const WORKER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: worker
          image: registry.acme.io/worker:1.0.0
`;

describe('baseline', () => {
  it('is sorted, without lines, and identical after edits that only move lines', async () => {
    const cwd = project({ 'k8s/api.yaml': API, 'k8s/worker.yaml': WORKER });
    const before = await lint({ paths: ['k8s'], cwd, rules });
    const text = formatBaseline(before.findings);
    expect(JSON.parse(text)).toEqual({
      version: 1,
      findings: [
        {
          fingerprint: expect.any(String),
          ruleId: 'liveness-probe-aggressive',
          file: 'k8s/api.yaml',
          resource: 'Deployment/shop/api',
          path: 'spec.template.spec.containers[0].livenessProbe.failureThreshold',
        },
        // pdb-missing reports the whole Deployment: an empty path, left out.
        {
          fingerprint: expect.any(String),
          ruleId: 'pdb-missing',
          file: 'k8s/api.yaml',
          resource: 'Deployment/shop/api',
        },
        {
          fingerprint: expect.any(String),
          ruleId: 'single-replica',
          file: 'k8s/worker.yaml',
          resource: 'Deployment/shop/worker',
          path: 'spec.replicas',
        },
      ],
    });
    expect(text).not.toMatch(/"line"|startLine/);

    // Comments, blank lines and reordered keys above the findings: every line moves, no fingerprint does.
    writeFileSync(
      path.join(cwd, 'k8s/api.yaml'),
      `# API of the shop\n\n---\n${API.replace('metadata:\n  name: api\n  namespace: shop\n', 'metadata:\n  namespace: shop\n  labels: {team: shop}\n  name: api\n')}`,
    );
    writeFileSync(path.join(cwd, 'k8s/worker.yaml'), `# worker\n${WORKER}`);
    const after = await lint({ paths: ['k8s'], cwd, rules, baseline: parseBaseline(text, 'baseline.json') });
    expect(brief(after.findings).map((s) => s.replace(/ \d+:\d+ /, ' '))).toEqual(
      brief(before.findings).map((s) => `${s.replace(/ \d+:\d+ /, ' ')} unchanged`),
    );
    expect(after.findings.map((f) => f.range.startLine)).not.toEqual(before.findings.map((f) => f.range.startLine));
    expect(formatBaseline(after.findings)).toBe(text);
  });

  it('marks only findings that are not in it as new', async () => {
    const cwd = project({ 'k8s/api.yaml': API, 'k8s/worker.yaml': WORKER });
    const base = parseBaseline(formatBaseline((await lint({ paths: ['k8s'], cwd, rules })).findings), 'b.json');
    // A second aggressive container and a new single-replica Deployment.
    writeFileSync(
      path.join(cwd, 'k8s/api.yaml'),
      `${API}        - name: proxy\n          image: registry.acme.io/proxy:1.0.0\n          livenessProbe:\n            periodSeconds: 1\n`,
    );
    writeFileSync(path.join(cwd, 'k8s/cron.yaml'), WORKER.replace(/worker/g, 'mailer'));
    const r = await lint({ paths: ['k8s'], cwd, rules, baseline: base });
    expect(r.findings.map((f) => `${f.file} ${f.ruleId} ${f.baselineState}`)).toEqual([
      'k8s/api.yaml pdb-missing unchanged',
      'k8s/api.yaml liveness-probe-aggressive unchanged',
      'k8s/api.yaml liveness-probe-aggressive new',
      'k8s/cron.yaml single-replica new',
      'k8s/worker.yaml single-replica unchanged',
    ]);
  });

  it('CLI: --write-baseline passes and writes the file; --baseline reports only new findings; SARIF says which', async () => {
    const cwd = project({ 'k8s/api.yaml': API, 'k8s/worker.yaml': WORKER });
    const written = await runCli(['k8s', '--write-baseline', '.shipshape-baseline.json'], { cwd });
    expect(written.code).toBe(0);
    expect(written.stderr).toMatch(/^shipshape: wrote \d+ findings to \.shipshape-baseline\.json\n$/);
    expect(written.stdout).toMatch(/in the baseline\.\n$/);
    const file = readFileSync(path.join(cwd, '.shipshape-baseline.json'), 'utf8');
    expect(JSON.parse(file).findings.length).toBeGreaterThanOrEqual(3);

    const clean = await runCli(['k8s', '--baseline', '.shipshape-baseline.json', '--fail-on', 'note'], { cwd });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/^✔ No problems in 2 files \(2 resources\), \d+ in the baseline\.\n$/);

    writeFileSync(path.join(cwd, 'k8s/cron.yaml'), WORKER.replace(/worker/g, 'mailer'));
    const text = await runCli(['k8s', '--baseline', '.shipshape-baseline.json', '--fail-on', 'warning'], { cwd });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('k8s/cron.yaml\n');
    expect(text.stdout).not.toContain('k8s/worker.yaml');
    const sarif = await runCli(['k8s', '--baseline', '.shipshape-baseline.json', '--format', 'sarif'], { cwd });
    const log = JSON.parse(sarif.stdout) as {
      runs: {
        results: {
          ruleId: string;
          baselineState: string;
          locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
        }[];
      }[];
    };
    const states = log.runs[0]!.results.map(
      (r) => `${r.locations[0]!.physicalLocation.artifactLocation.uri} ${r.ruleId} ${r.baselineState}`,
    );
    expect(states).toContain('k8s/cron.yaml single-replica new');
    expect(states).toContain('k8s/worker.yaml single-replica unchanged');
    expect(states.filter((s) => s.endsWith(' new')).every((s) => s.startsWith('k8s/cron.yaml'))).toBe(true);
    expect(validateSarif(log)).toEqual([]);
  });

  it('a file that is not a baseline is a one-line error (exit 2)', async () => {
    const cwd = project({ 'k8s/worker.yaml': WORKER, 'b.json': '{"findings": 3}' });
    const r = await runCli(['k8s', '--baseline', 'b.json'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'shipshape: b.json: not a shipshape baseline (expected {"version": 1, "findings": [...]}; write one with --write-baseline)\n',
    );
    const missing = await runCli(['k8s', '--baseline', 'nope.json'], { cwd });
    expect(missing.stderr).toBe(
      'shipshape: nope.json: cannot read baseline (no such file: write one with --write-baseline)\n',
    );
  });
});
