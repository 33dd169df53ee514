import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/fixtures.js';
import { runCli } from './helpers/run-cli.js';

describe('schema CLI', () => {
  it('--kube-version picks what is removed or only deprecated', async () => {
    const file = 'test/fixtures/deprecated-api-version/should-fire/removed-and-deprecated.yaml';
    const at = async (v: string): Promise<string[]> => {
      const r = await runCli([file, '--format', 'json', '--kube-version', v]);
      const out = JSON.parse(r.stdout) as { findings: { ruleId: string; line: number; severity: string }[] };
      return out.findings.filter((f) => f.ruleId === 'deprecated-api-version').map((f) => `${f.line} ${f.severity}`);
    };
    expect(await at('1.34')).toEqual(['3 error', '15 error', '24 warning']);
    expect(await at('1.21')).toEqual(['3 warning', '15 warning']);
  });

  it('rejects a --kube-version that is not a version', async () => {
    const r = await runCli(['examples/', '--kube-version', 'latest']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--kube-version latest');
  });

  it('--verbose lists the kinds with no schema; --strict-kinds makes them errors', async () => {
    const file = 'test/fixtures/schema-invalid/should-fire/deployment-typos.yaml';
    const dir = path.join(ROOT, 'test/fixtures/schema-invalid/should-fire/with-crd/backup.yaml');
    const verbose = await runCli([dir, file, '--verbose']);
    expect(verbose.stderr).toContain('1 object validated, 2 skipped');
    expect(verbose.stderr).toContain('ops.example.com/v1 Backup (2)');
    const strict = await runCli([dir, '--strict-kinds', '--format', 'json']);
    const out = JSON.parse(strict.stdout) as { findings: { ruleId: string; line: number; message: string }[] };
    expect(out.findings.filter((f) => f.ruleId === 'schema-invalid').map((f) => f.line)).toEqual([3, 20]);
  });
});
