/**
 * The Kubernetes Pod Security Standards (kubernetes.io/docs/concepts/security/pod-security-standards), as the built-in
 * Pod Security Admission applies them per policy version: every control, the Kubernetes minor version it starts
 * applying from, and the values it allows. The one place this tool keeps the standard; the checks read it.
 */

export type PssLevel = 'privileged' | 'baseline' | 'restricted';

/** Levels in order of strictness: a pod that meets one meets every level before it. */
export const PSS_LEVELS: readonly PssLevel[] = ['privileged', 'baseline', 'restricted'];

export function levelRank(level: PssLevel): number {
  return PSS_LEVELS.indexOf(level);
}

export type ControlId =
  | 'hostProcess'
  | 'hostNamespaces'
  | 'privileged'
  | 'capabilities'
  | 'hostPathVolumes'
  | 'hostPorts'
  | 'appArmor'
  | 'seLinux'
  | 'procMount'
  | 'seccomp'
  | 'sysctls'
  | 'volumeTypes'
  | 'privilegeEscalation'
  | 'runAsNonRoot'
  | 'runAsUser'
  | 'seccompRestricted'
  | 'capabilitiesRestricted';

export interface Control {
  /** The control's name in the standard, quoted in messages. */
  name: string;
  level: 'baseline' | 'restricted';
  /** First policy version (Kubernetes 1.<since>) that checks it. */
  since: number;
  /** From this version on, pods with `spec.os.name: windows` are exempt (Linux-only controls). */
  linuxOnlySince?: number;
}

export const CONTROLS: Readonly<Record<ControlId, Control>> = {
  hostProcess: { name: 'HostProcess', level: 'baseline', since: 0 },
  hostNamespaces: { name: 'Host Namespaces', level: 'baseline', since: 0 },
  privileged: { name: 'Privileged Containers', level: 'baseline', since: 0 },
  capabilities: { name: 'Capabilities', level: 'baseline', since: 0 },
  hostPathVolumes: { name: 'HostPath Volumes', level: 'baseline', since: 0 },
  hostPorts: { name: 'Host Ports', level: 'baseline', since: 0 },
  appArmor: { name: 'AppArmor', level: 'baseline', since: 0 },
  seLinux: { name: 'SELinux', level: 'baseline', since: 0 },
  procMount: { name: '/proc Mount Type', level: 'baseline', since: 0 },
  seccomp: { name: 'Seccomp', level: 'baseline', since: 19 },
  sysctls: { name: 'Sysctls', level: 'baseline', since: 0 },
  volumeTypes: { name: 'Volume Types', level: 'restricted', since: 0 },
  privilegeEscalation: { name: 'Privilege Escalation', level: 'restricted', since: 8, linuxOnlySince: 25 },
  runAsNonRoot: { name: 'Running as Non-root', level: 'restricted', since: 0 },
  runAsUser: { name: 'Running as Non-root user', level: 'restricted', since: 23 },
  seccompRestricted: { name: 'Seccomp', level: 'restricted', since: 19, linuxOnlySince: 25 },
  capabilitiesRestricted: { name: 'Capabilities', level: 'restricted', since: 22, linuxOnlySince: 25 },
};

/** Capabilities baseline lets a container add (Docker's default set without NET_RAW). */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** The only capability restricted lets a container add (after dropping ALL). */
export const RESTRICTED_ADD_CAPABILITY = 'NET_BIND_SERVICE';

/** Safe sysctls baseline allows, each with the policy version that added it. */
const SAFE_SYSCTLS: readonly [string, number][] = [
  ['kernel.shm_rmid_forced', 0],
  ['net.ipv4.ip_local_port_range', 0],
  ['net.ipv4.ip_unprivileged_port_start', 0],
  ['net.ipv4.tcp_syncookies', 0],
  ['net.ipv4.ping_group_range', 0],
  ['net.ipv4.ip_local_reserved_ports', 27],
  ['net.ipv4.tcp_keepalive_time', 29],
  ['net.ipv4.tcp_fin_timeout', 29],
  ['net.ipv4.tcp_keepalive_intvl', 29],
  ['net.ipv4.tcp_keepalive_probes', 29],
  ['net.ipv4.tcp_rmem', 32],
  ['net.ipv4.tcp_wmem', 32],
];

export function safeSysctls(minor: number): Set<string> {
  return new Set(SAFE_SYSCTLS.filter(([, since]) => since <= minor).map(([name]) => name));
}

/** SELinux types baseline allows (besides undefined and ""), each with the policy version that added it. */
const SELINUX_TYPES: readonly [string, number][] = [
  ['container_t', 0],
  ['container_init_t', 0],
  ['container_kvm_t', 0],
  ['container_engine_t', 31],
];

export function seLinuxTypes(minor: number): Set<string> {
  return new Set(SELINUX_TYPES.filter(([, since]) => since <= minor).map(([name]) => name));
}

/** Volume types restricted allows: the core types and those backed by PersistentVolumes. */
export const RESTRICTED_VOLUME_TYPES: ReadonlySet<string> = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/** Fields of a volume that are not its source. */
export const VOLUME_NON_SOURCE_KEYS: ReadonlySet<string> = new Set(['name']);

/** Seccomp profile types: baseline forbids Unconfined; restricted requires one of these. */
export const SECCOMP_RESTRICTED_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);

/** AppArmor: the `appArmorProfile` fields are checked from 1.30; the annotations at every version. */
export const APPARMOR_FIELDS_SINCE = 30;
export const APPARMOR_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);
export const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

export function appArmorAnnotationAllowed(value: string): boolean {
  return value === 'runtime/default' || value.startsWith('localhost/');
}

/** Namespace labels of Pod Security Admission. */
export const PSA_LABEL_PREFIX = 'pod-security.kubernetes.io/';
export const PSA_MODES = ['enforce', 'warn', 'audit'] as const;
export type PsaMode = (typeof PSA_MODES)[number];

/**
 * The minor version of a policy version (`v1.29`, `1.29`, `latest`), or undefined when it reads as neither. `latest`
 * (and no version) is `fallback`, the Kubernetes version of the run.
 */
export function policyMinor(version: string | undefined, fallback: number): number | undefined {
  if (version === undefined || version === '' || version === 'latest') return fallback;
  const m = /^v?1\.(\d+)(?:\.\d+)?$/.exec(version.trim());
  return m ? Number(m[1]) : undefined;
}

export function isLevel(v: unknown): v is PssLevel {
  return v === 'privileged' || v === 'baseline' || v === 'restricted';
}
