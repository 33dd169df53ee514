import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { deployment } from '../helpers/pod-security.js';
import { tempProject } from '../helpers/temp.js';
import { startFakeKube, writeKubeconfig, type FakeKube, type FakeKubeOptions } from './fake-kube.js';

interface Found {
  ruleId: string;
  severity: string;
  message: string;
  line?: number;
  column?: number;
}

describe('--cluster-context: the live namespace labels', () => {
  let servers: FakeKube[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
  });

  async function run(
    namespace: string,
    opts: FakeKubeOptions = {},
  ): Promise<{ findings: Found[]; stderr: string; warnings: string[] }> {
    const kube = await startFakeKube(path.join(ROOT, 'test/integration/cluster-pss'), opts);
    servers.push(kube);
    const dir = tempProject({ 'api.yaml': deployment(namespace) });
    const kubeconfig = writeKubeconfig(path.join(dir, 'kubeconfig'), kube.url, { namespace: 'shop' });
    const out = await runCli(['api.yaml', '--cluster-context', '--kubeconfig', kubeconfig, '--format', 'json'], {
      cwd: dir,
    });
    const report = JSON.parse(out.stdout) as { findings: Found[]; warnings: string[] };
    const findings = report.findings.filter((f) => f.ruleId.startsWith('pod-security-'));
    return { findings, stderr: out.stderr, warnings: report.warnings };
  }

  it('a namespace that enforces baseline in the cluster makes the violation an error', async () => {
    const { findings, stderr } = await run('shop');
    expect(stderr).toBe('');
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'pod-security-baseline',
        severity: 'error',
        line: 16,
        column: 34,
        message: expect.stringContaining('namespace shop rejects the pods, the rollout hangs'),
      }),
    ]);
  });

  it('a namespace labelled enforce: privileged in the cluster gives no finding', async () => {
    expect((await run('monitoring')).findings).toEqual([]);
  });

  it('a 403 on namespaces is a warning: the check goes on with the config level', async () => {
    const { findings, warnings } = await run('shop', { forbidden: ['namespaces'] });
    // JSON carries the warnings in the report (text prints them on stderr).
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^namespaces could not be listed \(403 Forbidden: .*\): they are left out, and the Pod Security levels/,
    );
    expect(findings.map((f) => f.severity)).toEqual(['warning']);
  });
});
