import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/load/config-file.js';
import { rules as builtin } from '../../src/rules/index.js';
import { ROOT } from '../helpers/fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { project } from './helpers.js';
import { tempDir } from '../helpers/temp.js';

const CONFIG = `extends: recommended
rules:
  single-replica: note
overrides:
  - files: ["dev/**"]
    rules: {single-replica: off}
policies:
  - id: acme-team-label
    severity: error
    target: workload
    kinds: [Deployment]
    description: Every workload carries the owning team label.
    remediation: Add metadata.labels.team.
    schema:
      required: [metadata]
      properties:
        metadata: {required: [labels], properties: {labels: {required: [team]}}}
`;

describe('shipshape rules', () => {
  it('lists every rule, built-in and custom, with its severity in the effective config', async () => {
    const cwd = project({ '.shipshape.yaml': CONFIG });
    const r = await runCli(['rules'], { cwd });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^RULE +SEVERITY +PLATFORMS +DESCRIPTION$/);
    expect(lines.find((l) => l.startsWith('single-replica '))).toMatch(
      /^single-replica +note\* +kubernetes, swarm +A long-running workload/,
    );
    expect(lines.find((l) => l.startsWith('acme-team-label '))).toMatch(
      /^acme-team-label +error +kubernetes, swarm +\(custom\) Every workload carries the owning team label\.$/,
    );
    expect(lines.find((l) => l.startsWith('suppression-reason-missing '))).toMatch(/^suppression-reason-missing +off /);
    expect(r.stdout).toContain(
      '\n* another severity applies to the files of an override\nconfig: rules-config/recommended.yaml → .shipshape.yaml\n',
    );
    expect(lines.filter((l) => /^[a-z0-9-]+ +(off|note|warning|error)/.test(l))).toHaveLength(builtin.length + 1);
  });

  it('--format json, with --rule applied', async () => {
    const cwd = project({ '.shipshape.yaml': CONFIG });
    const r = await runCli(['rules', '--format', 'json', '--rule', 'pdb-missing=error'], { cwd });
    const doc = JSON.parse(r.stdout) as { version: number; config: string[]; rules: Record<string, unknown>[] };
    expect(doc.version).toBe(1);
    expect(doc.config).toEqual(['rules-config/recommended.yaml', '.shipshape.yaml']);
    expect(doc.rules.map((x) => x.id)).toEqual([...builtin.map((b) => b.id), 'acme-team-label']);
    expect(doc.rules.find((x) => x.id === 'single-replica')).toEqual({
      id: 'single-replica',
      severity: 'note',
      defaultSeverity: 'warning',
      platforms: ['kubernetes', 'swarm'],
      family: 'reliability',
      custom: false,
      description: 'A long-running workload runs a single replica and nothing scales it.',
      overrides: [{ files: ['dev/**'], severity: 'off' }],
    });
    // --rule sets the rule's severity for every file: its base severity too, not only an override.
    expect(doc.rules.find((x) => x.id === 'pdb-missing')).toMatchObject({
      severity: 'error',
      overrides: [{ files: ['**'], severity: 'error' }],
    });
    expect(doc.rules.find((x) => x.id === 'acme-team-label')).toMatchObject({
      severity: 'error',
      family: 'custom',
      custom: true,
    });
  });

  it('a path named rules is still checked when written ./rules', async () => {
    const cwd = project({ 'rules/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' });
    const r = await runCli(['./rules'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('✔ No problems in 1 file (1 resource).\n');
  });
});

describe('shipshape explain', () => {
  it('prints the documentation of a built-in rule', async () => {
    const r = await runCli(['explain', 'pdb-missing']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      readFileSync(path.join(ROOT, 'docs/rules/pdb-missing.md'), 'utf8').replace(/^<!--.*-->\n/, ''),
    );
    expect(r.stdout.startsWith('# pdb-missing\n')).toBe(true);
  });

  it('renders a custom policy from the config', async () => {
    const r = await runCli(['explain', 'acme-team-label'], { cwd: project({ '.shipshape.yaml': CONFIG }) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`# acme-team-label (custom policy)

Every workload carries the owning team label.

| | |
|---|---|
| Severity | error |
| Target | workload |
| Kinds | Deployment |
| Platforms | kubernetes, swarm |

## How to fix

Add metadata.labels.team.

## Schema (every workload must satisfy it)

\`\`\`yaml
required:
  - metadata
properties:
  metadata:
    required:
      - labels
    properties:
      labels:
        required:
          - team
\`\`\`
`);
  });

  it('an unknown id names the closest one and exits 2', async () => {
    const r = await runCli(['explain', 'pdb-mising']);
    expect(r).toMatchObject({
      code: 2,
      stdout: '',
      stderr:
        'shipshape: explain: unknown rule id "pdb-mising" — did you mean "pdb-missing"? (shipshape rules lists them)\n',
    });
  });
});

describe('shipshape init', () => {
  it('writes a commented config that extends recommended and is valid as written; never overwrites', async () => {
    const cwd = tempDir('shipshape-init-');
    const r = await runCli(['init'], { cwd });
    expect(r).toMatchObject({
      code: 0,
      stdout: 'wrote .shipshape.yaml (extends recommended); run shipshape to check this repository with it\n',
    });
    const text = readFileSync(path.join(cwd, '.shipshape.yaml'), 'utf8');
    expect(text).toMatch(/^extends: recommended$/m);
    expect(text).toContain('# shipshape-ignore single-replica -- ');
    const config = await loadConfig(undefined, cwd, builtin);
    expect(config.files).toEqual(['rules-config/recommended.yaml', '.shipshape.yaml']);
    expect([...config.settings]).toEqual([
      ...(await loadConfig(undefined, tempDir('shipshape-none-'), builtin)).settings,
    ]);

    const again = await runCli(['init'], { cwd });
    expect(again).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'shipshape: init: .shipshape.yaml already exists: not overwritten (edit it, or remove it first)\n',
    });
    expect(readFileSync(path.join(cwd, '.shipshape.yaml'), 'utf8')).toBe(text);
  });

  it('--preset strict', async () => {
    const cwd = project({ '.shipshape.yml': 'rules: {}\n' });
    expect((await runCli(['init', '--preset', 'strict'], { cwd })).stderr).toBe(
      'shipshape: init: .shipshape.yml already exists: not overwritten (edit it, or remove it first)\n',
    );
    const fresh = tempDir('shipshape-init-');
    expect((await runCli(['init', '--preset', 'strict'], { cwd: fresh })).code).toBe(0);
    expect(existsSync(path.join(fresh, '.shipshape.yaml'))).toBe(true);
    expect((await loadConfig(undefined, fresh, builtin)).settings.get('suppression-reason-missing')?.severity).toBe(
      'error',
    );
  });
});
