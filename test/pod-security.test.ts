import { describe, expect, it } from 'vitest';
import { lint } from '../src/index.js';
import { podSecurityViolations } from '../src/rules/security/lib/pod-security-checks.js';
import { deployment } from './helpers/pod-security.js';
import { tempProject } from './helpers/temp.js';

async function pss(dir: string): Promise<string[]> {
  const result = await lint({ paths: ['.'], cwd: dir });
  return result.findings
    .filter((f) => f.ruleId.startsWith('pod-security-'))
    .map(
      (f) =>
        `${f.ruleId} ${f.severity} ${f.range.startLine}:${f.range.startColumn}-${f.range.endLine}:${f.range.endColumn}`,
    );
}

describe('podSecurity in .shipshape.yaml', () => {
  it('defaults to baseline as warnings', async () => {
    expect(await pss(tempProject({ 'api.yaml': deployment('shop') }))).toEqual([
      'pod-security-baseline warning 16:34-16:43',
    ]);
  });

  it('restricted adds the restricted controls; privileged checks nothing', async () => {
    const restricted = await pss(
      tempProject({ 'api.yaml': deployment('shop'), '.shipshape.yaml': 'podSecurity: restricted\n' }),
    );
    expect(restricted).toEqual([
      'pod-security-restricted warning 11:5-11:9',
      'pod-security-restricted warning 11:5-11:9',
      'pod-security-restricted warning 15:11-15:26',
      'pod-security-restricted warning 16:13-16:25',
      'pod-security-baseline warning 16:34-16:43',
    ]);
    const none = await pss(
      tempProject({ 'api.yaml': deployment('shop'), '.shipshape.yaml': 'podSecurity: {level: privileged}\n' }),
    );
    expect(none).toEqual([]);
  });

  it('the strict preset checks restricted', async () => {
    const found = await pss(tempProject({ 'api.yaml': deployment('shop'), '.shipshape.yaml': 'extends: strict\n' }));
    expect(found.filter((f) => f.startsWith('pod-security-restricted'))).toHaveLength(4);
  });

  it('ignoreNamespaces leaves a namespace out; an unknown level is a config error', async () => {
    const ignored = await pss(
      tempProject({
        'api.yaml': deployment('ingress'),
        '.shipshape.yaml': 'podSecurity: {ignoreNamespaces: [ingress]}\n',
      }),
    );
    expect(ignored).toEqual([]);
    await expect(
      lint({
        paths: ['.'],
        cwd: tempProject({ 'api.yaml': deployment('x'), '.shipshape.yaml': 'podSecurity: strict\n' }),
      }),
    ).rejects.toThrow(/podSecurity/);
  });
});

describe('the namespace label switches the severity', () => {
  const ns = (labels: string): string =>
    `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n${labels}---\n`;

  it.each([
    ['no label: the config level, a warning', '', ['pod-security-baseline warning 16:34-16:43']],
    [
      'enforce: baseline: an error (pods rejected)',
      '    pod-security.kubernetes.io/enforce: baseline\n',
      ['pod-security-baseline error 23:34-23:43'],
    ],
    ['enforce: privileged: nothing', '    pod-security.kubernetes.io/enforce: privileged\n', []],
    [
      'warn: restricted: every control, warnings',
      '    pod-security.kubernetes.io/warn: restricted\n',
      [
        'pod-security-restricted warning 18:5-18:9',
        'pod-security-restricted warning 18:5-18:9',
        'pod-security-restricted warning 22:11-22:26',
        'pod-security-restricted warning 23:13-23:25',
        'pod-security-baseline warning 23:34-23:43',
      ],
    ],
  ])('%s', async (_name, labels, want) => {
    const text = labels ? ns(labels) + deployment('shop') : deployment('shop');
    expect(await pss(tempProject({ 'api.yaml': text }))).toEqual(want);
  });

  it('an enforced violation says the pods are rejected and the rollout hangs', async () => {
    const dir = tempProject({
      'ns.yaml': ns('    pod-security.kubernetes.io/enforce: baseline\n').replace(/---\n$/, ''),
      'api.yaml': deployment('shop'),
    });
    const result = await lint({ paths: ['.'], cwd: dir });
    const f = result.findings.find((x) => x.ruleId === 'pod-security-baseline')!;
    expect(f.severity).toBe('error');
    expect(f.message).toBe(
      'Deployment shop/api: container "api" adds capability SYS_ADMIN (baseline: Capabilities): namespace shop rejects the pods, the rollout hangs',
    );
  });
});

describe('the policy version table', () => {
  const pod = (spec: Record<string, unknown>) => ({
    spec,
    specPath: ['spec'],
    annotations: {},
    annotationsPath: ['metadata', 'annotations'],
  });
  const c = (sc: Record<string, unknown>) => ({ name: 'app', image: 'x:1', securityContext: sc });

  it.each([
    [
      'sysctl net.ipv4.ip_local_reserved_ports is safe from 1.27',
      27,
      { securityContext: { sysctls: [{ name: 'net.ipv4.ip_local_reserved_ports', value: '1' }] }, containers: [] },
    ],
    [
      'sysctl net.ipv4.tcp_keepalive_time is safe from 1.29',
      29,
      { securityContext: { sysctls: [{ name: 'net.ipv4.tcp_keepalive_time', value: '1' }] }, containers: [] },
    ],
    [
      'sysctl net.ipv4.tcp_wmem is safe from 1.32',
      32,
      { securityContext: { sysctls: [{ name: 'net.ipv4.tcp_wmem', value: '1' }] }, containers: [] },
    ],
    [
      'SELinux type container_engine_t is allowed from 1.31',
      31,
      { containers: [c({ seLinuxOptions: { type: 'container_engine_t' } })] },
    ],
  ])('baseline: %s', (_name, from, spec) => {
    expect(podSecurityViolations(pod(spec), 'baseline', from - 1)).toHaveLength(1);
    expect(podSecurityViolations(pod(spec), 'baseline', from)).toEqual([]);
  });

  it('baseline: appArmorProfile fields are checked from 1.30, seccomp from 1.19', () => {
    const apparmor = pod({ containers: [c({ appArmorProfile: { type: 'Unconfined' } })] });
    expect(podSecurityViolations(apparmor, 'baseline', 29)).toEqual([]);
    expect(podSecurityViolations(apparmor, 'baseline', 30).map((v) => v.control)).toEqual(['appArmor']);
    const seccomp = pod({ containers: [c({ seccompProfile: { type: 'Unconfined' } })] });
    expect(podSecurityViolations(seccomp, 'baseline', 18)).toEqual([]);
    expect(podSecurityViolations(seccomp, 'baseline', 19).map((v) => v.control)).toEqual(['seccomp']);
  });

  it('restricted: each control from the version that added it; Windows exemptions from 1.25', () => {
    const bare = pod({ securityContext: { runAsNonRoot: true, runAsUser: 0 }, containers: [c({})] });
    const controls = (minor: number, p = bare): string[] =>
      [...new Set(podSecurityViolations(p, 'restricted', minor).map((v) => v.control))].sort();
    expect(controls(7)).toEqual([]);
    expect(controls(8)).toEqual(['privilegeEscalation']);
    expect(controls(19)).toEqual(['privilegeEscalation', 'seccompRestricted']);
    expect(controls(22)).toEqual(['capabilitiesRestricted', 'privilegeEscalation', 'seccompRestricted']);
    expect(controls(23)).toEqual(['capabilitiesRestricted', 'privilegeEscalation', 'runAsUser', 'seccompRestricted']);
    const windows = pod({ os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [c({})] });
    expect(controls(24, windows)).toEqual(['capabilitiesRestricted', 'privilegeEscalation', 'seccompRestricted']);
    expect(controls(25, windows)).toEqual([]);
  });

  it('checks are pure: a frozen pod spec is read, never changed', () => {
    const deepFreeze = <T>(o: T): T => {
      if (o && typeof o === 'object') for (const v of Object.values(o)) deepFreeze(v);
      return Object.freeze(o);
    };
    const spec = deepFreeze({ hostPID: true, containers: [c({ privileged: true, capabilities: { add: ['ALL'] } })] });
    expect(podSecurityViolations(pod(spec), 'baseline', 36).map((v) => v.control)).toEqual([
      'hostNamespaces',
      'privileged',
      'capabilities',
    ]);
    expect(podSecurityViolations(pod(spec), 'restricted', 36).length).toBeGreaterThan(0);
  });
});
