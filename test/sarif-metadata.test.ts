import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatSarif, lint } from '../src/index.js';
import { INEXACT_NOTE, securityBand } from '../src/report/sarif.js';
import { rules } from '../src/rules/index.js';
import { ROOT } from './helpers/fixtures.js';
import { active } from './helpers/markdown.js';
import { tempDir } from './helpers/temp.js';

/** SARIF rule metadata follows the configuration that ran, and its help renders on GitHub as written. */

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface SarifRule {
  id: string;
  defaultConfiguration: { level: string; enabled?: boolean };
  properties: { 'security-severity'?: string };
  help: { markdown: string };
  helpUri?: string;
}

async function sarif(ruleFlags: string[] = [], paths = ['examples'], cwd = ROOT) {
  const log = JSON.parse(formatSarif(await lint({ paths, cwd, ruleFlags })));
  const run = log.runs[0];
  const byId = new Map<string, SarifRule>(run.tool.driver.rules.map((r: SarifRule) => [r.id, r]));
  return { run, rule: (id: string) => byId.get(id)! };
}

describe('security-severity', () => {
  it('every score of the registry sits inside one of GitHub’s bands', () => {
    const scored = rules.filter((r) => r.meta.securitySeverity !== undefined);
    expect(scored.length).toBeGreaterThan(5);
    for (const r of scored)
      expect([r.id, securityBand(r.meta.securitySeverity!)]).toEqual([
        r.id,
        expect.stringMatching(/^(critical|high|medium|low)$/),
      ]);
    expect(securityBand(9.0)).toBeUndefined();
    expect(securityBand(rules.find((r) => r.id === 'docker-socket-mount')!.meta.securitySeverity!)).toBe('critical');
  });

  it('follows --rule: none at note, at most medium when lowered to warning, and defaultConfiguration says the level', async () => {
    const base = await sarif();
    expect(base.rule('secret-in-env').defaultConfiguration).toEqual({ level: 'error' });
    expect(base.rule('secret-in-env').properties['security-severity']).toBe('8.0');
    expect(base.rule('pdb-missing').defaultConfiguration).toEqual({ level: 'warning' });

    const changed = await sarif([
      'secret-in-env=note',
      'secret-manifest-plaintext=warning',
      'pdb-missing=error',
      'host-namespace=off',
    ]);
    expect(changed.rule('secret-in-env').defaultConfiguration).toEqual({ level: 'note' });
    expect(changed.rule('secret-in-env').properties['security-severity']).toBeUndefined();
    expect(changed.rule('secret-manifest-plaintext').defaultConfiguration).toEqual({ level: 'warning' });
    expect(changed.rule('secret-manifest-plaintext').properties['security-severity']).toBe('6.9');
    expect(changed.rule('pdb-missing').defaultConfiguration).toEqual({ level: 'error' });
    expect(changed.rule('host-namespace').defaultConfiguration).toEqual({ level: 'warning', enabled: false });
    expect(changed.rule('host-namespace').properties['security-severity']).toBeUndefined();
    // The results say the same as the rules.
    const levels = new Set(
      changed.run.results
        .filter((r: { ruleId: string }) => r.ruleId === 'pdb-missing')
        .map((r: { level: string }) => r.level),
    );
    expect([...levels]).toEqual(['error']);
  });
});

describe('help markdown', () => {
  it('renders every rule’s help with no HTML, so GitHub’s sanitizer drops nothing', async () => {
    const { run } = await sarif();
    for (const r of run.tool.driver.rules as SarifRule[]) {
      const a = active(r.help.markdown);
      expect([r.id, a.html.filter((h) => h !== '<!-- -->')]).toEqual([r.id, []]);
      expect(a.links).toEqual(r.helpUri ? [r.helpUri] : []);
      expect(a.references).toEqual([]);
    }
    const secret = active((await sarif()).rule('secret-in-env').help.markdown);
    expect(secret.text).toContain('point the app at /run/secrets/<name>, for example with a *_FILE variable');
  });

  it('keeps a custom policy’s texts as text, and links only to its own http(s) url', async () => {
    const cwd = tempDir('shipshape-sarif-meta-');
    dirs.push(cwd);
    mkdirSync(path.join(cwd, 'k8s'));
    writeFileSync(
      path.join(cwd, '.shipshape.yaml'),
      [
        'policies:',
        '  - id: acme-no-lb',
        '    target: resource',
        '    kinds: [Service]',
        '    description: "No <img src=x onerror=alert(1)> [approve](https://evil.example) @acme/admins owner/repo#1"',
        '    url: "javascript:alert(1)"',
        '    schema: {properties: {spec: {properties: {type: {not: {const: LoadBalancer}}}}}}',
        '  - id: acme-linked',
        '    target: resource',
        '    kinds: [Service]',
        '    description: Linked.',
        '    url: https://wiki.acme.example/policies/lb',
        '    schema: {properties: {spec: {properties: {type: {not: {const: LoadBalancer}}}}}}',
        '',
      ].join('\n'),
    );
    writeFileSync(
      path.join(cwd, 'k8s/svc.yaml'),
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  type: LoadBalancer\n  ports: [{port: 80}]\n',
    );
    const { rule } = await sarif([], ['k8s'], cwd);
    const hostile = rule('acme-no-lb');
    expect(hostile.helpUri).toBeUndefined();
    const a = active(hostile.help.markdown);
    expect({
      links: a.links,
      images: a.images,
      html: a.html.filter((h) => h !== '<!-- -->'),
      references: a.references,
    }).toEqual({ links: [], images: [], html: [], references: [] });
    expect(a.text).toContain(
      'No <img src=x onerror=alert(1)> [approve](https://evil.example) @acme/admins owner/repo#1',
    );
    expect(rule('acme-linked').helpUri).toBe('https://wiki.acme.example/policies/lb');
    expect(active(rule('acme-linked').help.markdown).links).toEqual(['https://wiki.acme.example/policies/lb']);
  });
});

describe('a result at the closest parent of a missing field', () => {
  it('says so in its message and in a property; an exact one does not', async () => {
    const { run } = await sarif();
    const inexact = run.results.filter(
      (r: { properties?: { exactPosition?: boolean } }) => r.properties?.exactPosition === false,
    );
    expect(inexact.length).toBeGreaterThan(0);
    const startup = inexact.find(
      (r: { ruleId: string; properties: { reportedPath?: string } }) =>
        r.ruleId === 'startup-probe-missing' &&
        r.properties.reportedPath === 'spec.template.spec.containers[0].startupProbe',
    );
    expect(startup.message.text.endsWith(` ${INEXACT_NOTE}`)).toBe(true);
    expect(startup.locations[0].physicalLocation.region).toEqual({
      startLine: 18,
      startColumn: 11,
      endLine: 18,
      endColumn: 27,
    });
    for (const r of run.results.filter((x: { properties?: unknown }) => x.properties === undefined))
      expect(r.message.text).not.toContain(INEXACT_NOTE);
  });
});

describe('parsePath', () => {
  it('reads back every path formatPath writes', async () => {
    const fc = (await import('fast-check')).default;
    const { formatPath, parsePath } = await import('../src/model/path.js');
    const seg = fc.oneof(
      fc.nat(50),
      fc.string({ maxLength: 8 }),
      fc.constantFrom('config.kubernetes.io/origin', 'a"b', 'x[0]', 'spec'),
    );
    fc.assert(
      fc.property(fc.array(seg, { maxLength: 6 }), (p) => {
        expect(parsePath(formatPath(p))).toEqual(p);
      }),
    );
  });
});
