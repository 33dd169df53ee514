/**
 * The API groups that built-in kinds are served in (in any version, removed ones included). An object whose apiVersion
 * puts a built-in kind in another group (`v1` PodDisruptionBudget, `apps/v1` Service) is refused by kubectl ("no
 * matches for kind"): it never exists in the cluster, so it must not stand for the real kind in cross-resource rules.
 */
const GROUPS: Record<string, readonly string[]> = {
  Deployment: ['apps', 'extensions'],
  StatefulSet: ['apps'],
  DaemonSet: ['apps', 'extensions'],
  ReplicaSet: ['apps', 'extensions'],
  ReplicationController: [''],
  Pod: [''],
  Job: ['batch'],
  CronJob: ['batch'],
  Service: [''],
  ConfigMap: [''],
  Secret: [''],
  LimitRange: [''],
  HorizontalPodAutoscaler: ['autoscaling'],
  PodDisruptionBudget: ['policy'],
};

/** The group of an apiVersion: `''` for the core group (`v1`), `apps` for `apps/v1`. */
export function apiGroup(apiVersion: string | undefined): string {
  const v = apiVersion ?? '';
  const slash = v.indexOf('/');
  return slash === -1 ? '' : v.slice(0, slash);
}

/** False when `kind` is one of the built-in kinds above and `apiVersion` names another group. */
export function inOwnGroup(kind: string, apiVersion: string | undefined): boolean {
  const groups = Object.hasOwn(GROUPS, kind) ? GROUPS[kind] : undefined;
  return !groups || groups.includes(apiGroup(apiVersion));
}

/** A group that only Kubernetes itself defines: the core group, a group without a dot (`apps`), or `*.k8s.io` (not the SIGs' `*.x-k8s.io`). */
export function isKubernetesGroup(group: string): boolean {
  return !group.includes('.') || (group.endsWith('.k8s.io') && !group.endsWith('.x-k8s.io'));
}

/**
 * Kinds that keep a number of identical pods running (`spec.replicas`): what replica, HPA and PDB rules are about.
 * DaemonSet (one pod per node), Job and CronJob (run to completion) and a bare Pod (never replaced) are not.
 */
export const REPLICATED_KINDS: readonly string[] = [
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
  'Rollout',
];
