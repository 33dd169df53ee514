import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSarif, lint } from '../src/index.js';
import { fixtureCases, ROOT } from './helpers/fixtures.js';
import { validateSarif } from './helpers/sarif.js';

describe('SARIF of every fixture validates against the SARIF 2.1.0 schema', () => {
  it.each(fixtureCases().map((c) => [`${c.rule}/${c.intent}/${c.name}`, c.target] as const))(
    '%s',
    async (_name, target) => {
      const result = await lint({ paths: [path.relative(ROOT, target)], cwd: ROOT });
      const log = JSON.parse(formatSarif(result));
      expect(validateSarif(log)).toEqual([]);
      for (const r of log.runs[0].results) {
        const region = r.locations[0].physicalLocation.region;
        expect(region.startLine).toBeGreaterThanOrEqual(1);
        expect(region.startColumn).toBeGreaterThanOrEqual(1);
        expect(region.endLine).toBeGreaterThanOrEqual(region.startLine);
        if (region.endLine === region.startLine) expect(region.endColumn).toBeGreaterThanOrEqual(region.startColumn);
      }
    },
  );
});

describe('SARIF rule metadata', () => {
  it('describes every rule within GitHub limits', async () => {
    const log = JSON.parse(formatSarif(await lint({ paths: ['examples'], cwd: ROOT })));
    for (const rule of log.runs[0].tool.driver.rules) {
      expect(rule.shortDescription.text.length).toBeLessThanOrEqual(1024);
      expect(rule.fullDescription.text.length).toBeLessThanOrEqual(1024);
      expect(rule.help.markdown).toContain(`docs/rules/${rule.id}.md`);
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration.level);
    }
  });

  it('keeps fingerprints when unrelated lines move', async () => {
    const { lint: lintApi } = await import('../src/index.js');
    const text =
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  minReplicas: 1\n  maxReplicas: 3\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n';
    const a = await lintApi({ paths: ['-'], stdin: text, cwd: ROOT });
    const b = await lintApi({ paths: ['-'], stdin: `# a comment\n# another\n${text}`, cwd: ROOT });
    expect(a.findings[0]!.range.startLine).toBe(5);
    expect(b.findings[0]!.range.startLine).toBe(7);
    expect(b.findings[0]!.fingerprint).toBe(a.findings[0]!.fingerprint);
  });
});
