import { isObject } from '../../../model/json.js';
import type { JsonObject, Path } from '../../../model/types.js';
import {
  APPARMOR_ANNOTATION_PREFIX,
  APPARMOR_FIELDS_SINCE,
  APPARMOR_TYPES,
  appArmorAnnotationAllowed,
  BASELINE_CAPABILITIES,
  CONTROLS,
  RESTRICTED_ADD_CAPABILITY,
  RESTRICTED_VOLUME_TYPES,
  safeSysctls,
  SECCOMP_RESTRICTED_TYPES,
  seLinuxTypes,
  VOLUME_NON_SOURCE_KEYS,
  type ControlId,
} from './pod-security-standards.js';

/** The parts of a pod that the standard restricts, with their paths inside the resource. */
export interface PodView {
  spec: JsonObject;
  specPath: Path;
  /** The pod's annotations (the template's, for a controller) and their path. */
  annotations: Readonly<Record<string, string>>;
  annotationsPath: Path;
}

export interface Violation {
  control: ControlId;
  path: Path;
  /** What is wrong, in a few words (`adds capability SYS_ADMIN`); the caller adds the subject and the control. */
  what: string;
  container?: string;
}

interface ContainerView {
  name: string;
  kind: 'container' | 'init container' | 'ephemeral container';
  value: JsonObject;
  path: Path;
  sc: JsonObject | undefined;
}

const CONTAINER_LISTS = [
  ['containers', 'container'],
  ['initContainers', 'init container'],
  ['ephemeralContainers', 'ephemeral container'],
] as const;

function containersOf(pod: PodView): ContainerView[] {
  const out: ContainerView[] = [];
  for (const [field, kind] of CONTAINER_LISTS) {
    const list = pod.spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (!isObject(c)) return;
      out.push({
        name: typeof c.name === 'string' ? c.name : '',
        kind,
        value: c,
        path: [...pod.specPath, field, i],
        sc: isObject(c.securityContext) ? c.securityContext : undefined,
      });
    });
  }
  return out;
}

function obj(v: unknown): JsonObject | undefined {
  return isObject(v) ? v : undefined;
}

/** True when a control of the standard applies to this pod under the policy version `minor`. */
export function controlApplies(control: ControlId, minor: number, windows: boolean): boolean {
  const c = CONTROLS[control];
  if (minor < c.since) return false;
  return !(windows && c.linuxOnlySince !== undefined && minor >= c.linuxOnlySince);
}

export function isWindowsPod(spec: JsonObject): boolean {
  const os = obj(spec.os);
  return os?.name === 'windows';
}

/**
 * The violations of one level's own controls (baseline, or what restricted adds to it) by a pod, under the policy of
 * Kubernetes 1.<minor>. Pure: reads the pod, never changes it.
 */
export function podSecurityViolations(pod: PodView, level: 'baseline' | 'restricted', minor: number): Violation[] {
  const windows = isWindowsPod(pod.spec);
  const on = (c: ControlId): boolean => CONTROLS[c].level === level && controlApplies(c, minor, windows);
  const out: Violation[] = [];
  const containers = containersOf(pod);
  const podSc = obj(pod.spec.securityContext);
  const podScPath = [...pod.specPath, 'securityContext'];
  const label = (c: ContainerView): string => `${c.kind} "${val(c.name)}"`;

  if (level === 'baseline') baseline(pod, containers, podSc, podScPath, on, minor, label, out);
  else restricted(pod, containers, podSc, podScPath, on, label, out);
  return out;
}

function baseline(
  pod: PodView,
  containers: ContainerView[],
  podSc: JsonObject | undefined,
  podScPath: Path,
  on: (c: ControlId) => boolean,
  minor: number,
  label: (c: ContainerView) => string,
  out: Violation[],
): void {
  const push = (v: Violation): void => {
    if (on(v.control)) out.push(v);
  };
  // HostProcess
  if (obj(podSc?.windowsOptions)?.hostProcess === true)
    push({
      control: 'hostProcess',
      path: [...podScPath, 'windowsOptions', 'hostProcess'],
      what: 'runs as HostProcess',
    });
  for (const c of containers)
    if (obj(c.sc?.windowsOptions)?.hostProcess === true)
      push({
        control: 'hostProcess',
        path: [...c.path, 'securityContext', 'windowsOptions', 'hostProcess'],
        what: `${label(c)} runs as HostProcess`,
        container: c.name,
      });
  // Host Namespaces
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'])
    if (pod.spec[field] === true)
      push({ control: 'hostNamespaces', path: [...pod.specPath, field], what: `sets ${field}: true` });
  for (const c of containers) {
    const scPath = [...c.path, 'securityContext'];
    // Privileged Containers
    if (c.sc?.privileged === true)
      push({
        control: 'privileged',
        path: [...scPath, 'privileged'],
        what: `${label(c)} runs privileged`,
        container: c.name,
      });
    // Capabilities
    const add = obj(c.sc?.capabilities)?.add;
    if (Array.isArray(add))
      add.forEach((cap, i) => {
        if (typeof cap === 'string' && BASELINE_CAPABILITIES.has(cap)) return;
        push({
          control: 'capabilities',
          path: [...scPath, 'capabilities', 'add', i],
          what: `${label(c)} adds capability ${val(cap)}`,
          container: c.name,
        });
      });
    // Host Ports
    const ports = c.value.ports;
    if (Array.isArray(ports))
      ports.forEach((p, i) => {
        const hp = obj(p)?.hostPort;
        if (hp === undefined || hp === null || hp === 0) return;
        push({
          control: 'hostPorts',
          path: [...c.path, 'ports', i, 'hostPort'],
          what: `${label(c)} binds hostPort ${val(hp)}`,
          container: c.name,
        });
      });
    // /proc Mount Type
    if (c.sc?.procMount !== undefined && c.sc.procMount !== null && c.sc.procMount !== 'Default')
      push({
        control: 'procMount',
        path: [...scPath, 'procMount'],
        what: `${label(c)} sets procMount: ${val(c.sc.procMount)}`,
        container: c.name,
      });
  }
  // HostPath Volumes
  const volumes = pod.spec.volumes;
  if (Array.isArray(volumes))
    volumes.forEach((v, i) => {
      if (obj(v)?.hostPath !== undefined && obj(v)?.hostPath !== null)
        push({
          control: 'hostPathVolumes',
          path: [...pod.specPath, 'volumes', i, 'hostPath'],
          what: `mounts hostPath volume "${val(obj(v)?.name ?? i)}"`,
        });
    });
  // AppArmor, SELinux, Seccomp: pod level, then each container
  const scopes: { sc: JsonObject | undefined; path: Path; who: string; container?: string }[] = [
    { sc: podSc, path: podScPath, who: '' },
    ...containers.map((c) => ({
      sc: c.sc,
      path: [...c.path, 'securityContext'],
      who: `${label(c)} `,
      container: c.name,
    })),
  ];
  const types = seLinuxTypes(minor);
  for (const s of scopes) {
    const extra = s.container !== undefined ? { container: s.container } : {};
    const se = obj(s.sc?.seLinuxOptions);
    if (se) {
      if (typeof se.type === 'string' && se.type !== '' && !types.has(se.type))
        push({
          control: 'seLinux',
          path: [...s.path, 'seLinuxOptions', 'type'],
          what: `${s.who}sets SELinux type ${val(se.type)}`,
          ...extra,
        });
      for (const f of ['user', 'role'])
        if (se[f] !== undefined && se[f] !== null && se[f] !== '')
          push({
            control: 'seLinux',
            path: [...s.path, 'seLinuxOptions', f],
            what: `${s.who}sets SELinux ${f}`,
            ...extra,
          });
    }
    const seccomp = obj(s.sc?.seccompProfile)?.type;
    if (seccomp === 'Unconfined')
      push({
        control: 'seccomp',
        path: [...s.path, 'seccompProfile', 'type'],
        what: `${s.who}runs seccomp Unconfined`,
        ...extra,
      });
    const apparmor = obj(s.sc?.appArmorProfile)?.type;
    if (minor >= APPARMOR_FIELDS_SINCE && typeof apparmor === 'string' && !APPARMOR_TYPES.has(apparmor))
      push({
        control: 'appArmor',
        path: [...s.path, 'appArmorProfile', 'type'],
        what: `${s.who}sets AppArmor ${val(apparmor)}`,
        ...extra,
      });
  }
  for (const [key, value] of Object.entries(pod.annotations))
    if (key.startsWith(APPARMOR_ANNOTATION_PREFIX) && !appArmorAnnotationAllowed(value))
      push({
        control: 'appArmor',
        path: [...pod.annotationsPath, key],
        what: `container "${val(key.slice(APPARMOR_ANNOTATION_PREFIX.length))}" sets AppArmor ${val(value)}`,
      });
  // Sysctls
  const sysctls = podSc?.sysctls;
  if (Array.isArray(sysctls)) {
    const safe = safeSysctls(minor);
    sysctls.forEach((s, i) => {
      const name = obj(s)?.name;
      if (typeof name === 'string' && safe.has(name)) return;
      push({
        control: 'sysctls',
        path: [...podScPath, 'sysctls', i, 'name'],
        what: `sets unsafe sysctl ${val(name)}`,
      });
    });
  }
}

function restricted(
  pod: PodView,
  containers: ContainerView[],
  podSc: JsonObject | undefined,
  podScPath: Path,
  on: (c: ControlId) => boolean,
  label: (c: ContainerView) => string,
  out: Violation[],
): void {
  const push = (v: Violation): void => {
    if (on(v.control)) out.push(v);
  };
  // Volume Types (hostPath is baseline's)
  const volumes = pod.spec.volumes;
  if (Array.isArray(volumes))
    volumes.forEach((v, i) => {
      const vol = obj(v);
      if (!vol) return;
      for (const key of Object.keys(vol)) {
        if (VOLUME_NON_SOURCE_KEYS.has(key) || RESTRICTED_VOLUME_TYPES.has(key) || key === 'hostPath') continue;
        if (vol[key] === null || vol[key] === undefined) continue;
        push({
          control: 'volumeTypes',
          path: [...pod.specPath, 'volumes', i, key],
          what: `mounts volume "${val(vol.name ?? i)}" of type ${val(key)}`,
        });
      }
    });
  // Running as Non-root: the pod's true covers containers that set nothing; each false is its own violation.
  const podNonRoot = podSc?.runAsNonRoot;
  if (podNonRoot === false)
    push({ control: 'runAsNonRoot', path: [...podScPath, 'runAsNonRoot'], what: 'sets runAsNonRoot: false' });
  const unsetNonRoot: string[] = [];
  for (const c of containers) {
    const v = c.sc?.runAsNonRoot;
    if (v === false)
      push({
        control: 'runAsNonRoot',
        path: [...c.path, 'securityContext', 'runAsNonRoot'],
        what: `${label(c)} sets runAsNonRoot: false`,
        container: c.name,
      });
    else if (v !== true && podNonRoot !== true) unsetNonRoot.push(c.name);
  }
  if (unsetNonRoot.length && podNonRoot !== false)
    push({
      control: 'runAsNonRoot',
      path: [...podScPath, 'runAsNonRoot'],
      what: `does not set runAsNonRoot: true for ${names(unsetNonRoot)}`,
    });
  // Running as Non-root user
  if (podSc?.runAsUser === 0)
    push({ control: 'runAsUser', path: [...podScPath, 'runAsUser'], what: 'sets runAsUser: 0' });
  for (const c of containers)
    if (c.sc?.runAsUser === 0)
      push({
        control: 'runAsUser',
        path: [...c.path, 'securityContext', 'runAsUser'],
        what: `${label(c)} sets runAsUser: 0`,
        container: c.name,
      });
  // Seccomp: RuntimeDefault or Localhost, on the pod or on every container (Unconfined is baseline's).
  const podSeccomp = obj(podSc?.seccompProfile)?.type;
  const podSeccompOk = typeof podSeccomp === 'string' && SECCOMP_RESTRICTED_TYPES.has(podSeccomp);
  if (podSeccomp !== undefined && podSeccomp !== 'Unconfined' && !podSeccompOk)
    push({
      control: 'seccompRestricted',
      path: [...podScPath, 'seccompProfile', 'type'],
      what: `sets seccomp profile ${val(podSeccomp)}`,
    });
  const unsetSeccomp: string[] = [];
  for (const c of containers) {
    const t = obj(c.sc?.seccompProfile)?.type;
    if (t === undefined || t === null) {
      if (!podSeccompOk) unsetSeccomp.push(c.name);
    } else if (t !== 'Unconfined' && !(typeof t === 'string' && SECCOMP_RESTRICTED_TYPES.has(t)))
      push({
        control: 'seccompRestricted',
        path: [...c.path, 'securityContext', 'seccompProfile', 'type'],
        what: `${label(c)} sets seccomp profile ${val(t)}`,
        container: c.name,
      });
  }
  if (unsetSeccomp.length && (podSeccomp === undefined || podSeccomp === null))
    push({
      control: 'seccompRestricted',
      path: [...podScPath, 'seccompProfile', 'type'],
      what: `sets no RuntimeDefault or Localhost seccomp profile for ${names(unsetSeccomp)}`,
    });
  for (const c of containers) {
    const scPath = [...c.path, 'securityContext'];
    // Privilege Escalation: false, written on every container.
    if (c.sc?.allowPrivilegeEscalation !== false)
      push({
        control: 'privilegeEscalation',
        path: [...scPath, 'allowPrivilegeEscalation'],
        what: `${label(c)} does not set allowPrivilegeEscalation: false`,
        container: c.name,
      });
    // Capabilities: drop ALL; add NET_BIND_SERVICE at most (what baseline forbids is baseline's).
    const caps = obj(c.sc?.capabilities);
    const drop = caps?.drop;
    if (!(Array.isArray(drop) && drop.includes('ALL')))
      push({
        control: 'capabilitiesRestricted',
        path: [...scPath, 'capabilities', 'drop'],
        what: `${label(c)} does not drop ALL capabilities`,
        container: c.name,
      });
    const add = caps?.add;
    if (Array.isArray(add))
      add.forEach((cap, i) => {
        if (cap === RESTRICTED_ADD_CAPABILITY || !(typeof cap === 'string' && BASELINE_CAPABILITIES.has(cap))) return;
        push({
          control: 'capabilitiesRestricted',
          path: [...scPath, 'capabilities', 'add', i],
          what: `${label(c)} adds capability ${val(cap)}`,
          container: c.name,
        });
      });
  }
}

/** A value quoted from the input, cut short: messages stay about 120 characters whatever the manifest holds. */
export function val(v: unknown): string {
  const s = String(v);
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

function names(list: string[]): string {
  const shown = list.slice(0, 3).map((n) => `"${val(n)}"`);
  return `${shown.join(', ')}${list.length > 3 ? ` and ${list.length - 3} more` : ''}`;
}
