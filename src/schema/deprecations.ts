import { compareKubeVersions } from './kubernetes.js';

/**
 * Deprecated and removed Kubernetes API versions, from the official deprecation guide:
 * https://kubernetes.io/docs/reference/using-api/deprecation-guide/
 * One row per apiVersion: the kinds it covers, the release that deprecated it, the release that stopped serving it
 * (absent while it is still served), and what to use instead.
 */
export const DEPRECATIONS: readonly Deprecation[] = [
  // Removed in 1.16
  row(
    'extensions/v1beta1',
    ['Deployment', 'DaemonSet', 'ReplicaSet'],
    '1.9',
    '1.16',
    'apps/v1 (spec.selector is then required)',
  ),
  row(
    'apps/v1beta1',
    ['Deployment', 'StatefulSet', 'ReplicaSet'],
    '1.9',
    '1.16',
    'apps/v1 (spec.selector is then required)',
  ),
  row('apps/v1beta2', ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'], '1.9', '1.16', 'apps/v1'),
  row('extensions/v1beta1', ['NetworkPolicy'], '1.9', '1.16', 'networking.k8s.io/v1'),
  row(
    'extensions/v1beta1',
    ['PodSecurityPolicy'],
    '1.11',
    '1.16',
    'nothing: PodSecurityPolicy is gone since 1.25; use Pod Security Admission',
  ),
  // Removed in 1.22
  row(
    'admissionregistration.k8s.io/v1beta1',
    ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    '1.16',
    '1.22',
    'admissionregistration.k8s.io/v1',
  ),
  row(
    'apiextensions.k8s.io/v1beta1',
    ['CustomResourceDefinition'],
    '1.16',
    '1.22',
    'apiextensions.k8s.io/v1 (a structural schema per version is then required)',
  ),
  row('apiregistration.k8s.io/v1beta1', ['APIService'], '1.19', '1.22', 'apiregistration.k8s.io/v1'),
  row('authentication.k8s.io/v1beta1', ['TokenReview'], '1.19', '1.22', 'authentication.k8s.io/v1'),
  row(
    'authorization.k8s.io/v1beta1',
    ['SubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectAccessReview'],
    '1.19',
    '1.22',
    'authorization.k8s.io/v1',
  ),
  row('certificates.k8s.io/v1beta1', ['CertificateSigningRequest'], '1.19', '1.22', 'certificates.k8s.io/v1'),
  row('coordination.k8s.io/v1beta1', ['Lease'], '1.19', '1.22', 'coordination.k8s.io/v1'),
  row(
    'extensions/v1beta1',
    ['Ingress'],
    '1.14',
    '1.22',
    'networking.k8s.io/v1 (backend becomes service.name/service.port, pathType is required)',
  ),
  row(
    'networking.k8s.io/v1beta1',
    ['Ingress'],
    '1.19',
    '1.22',
    'networking.k8s.io/v1 (backend becomes service.name/service.port, pathType is required)',
  ),
  row('networking.k8s.io/v1beta1', ['IngressClass'], '1.19', '1.22', 'networking.k8s.io/v1'),
  row(
    'rbac.authorization.k8s.io/v1beta1',
    ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
    '1.17',
    '1.22',
    'rbac.authorization.k8s.io/v1',
  ),
  row('scheduling.k8s.io/v1beta1', ['PriorityClass'], '1.14', '1.22', 'scheduling.k8s.io/v1'),
  row(
    'storage.k8s.io/v1beta1',
    ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
    '1.19',
    '1.22',
    'storage.k8s.io/v1',
  ),
  // Removed in 1.25
  row('batch/v1beta1', ['CronJob'], '1.21', '1.25', 'batch/v1'),
  row('discovery.k8s.io/v1beta1', ['EndpointSlice'], '1.21', '1.25', 'discovery.k8s.io/v1'),
  row('events.k8s.io/v1beta1', ['Event'], '1.19', '1.25', 'events.k8s.io/v1'),
  row(
    'autoscaling/v2beta1',
    ['HorizontalPodAutoscaler'],
    '1.22',
    '1.25',
    'autoscaling/v2 (metrics use target.type/averageUtilization)',
  ),
  row(
    'policy/v1beta1',
    ['PodDisruptionBudget'],
    '1.21',
    '1.25',
    'policy/v1 (an empty selector then selects every pod of the namespace)',
  ),
  row(
    'policy/v1beta1',
    ['PodSecurityPolicy'],
    '1.21',
    '1.25',
    'nothing: PodSecurityPolicy is gone; use Pod Security Admission (namespace labels) or a policy engine',
  ),
  row('node.k8s.io/v1beta1', ['RuntimeClass'], '1.20', '1.25', 'node.k8s.io/v1'),
  // Removed in 1.26
  row(
    'flowcontrol.apiserver.k8s.io/v1beta1',
    ['FlowSchema', 'PriorityLevelConfiguration'],
    '1.23',
    '1.26',
    'flowcontrol.apiserver.k8s.io/v1',
  ),
  row('autoscaling/v2beta2', ['HorizontalPodAutoscaler'], '1.23', '1.26', 'autoscaling/v2'),
  // Removed in 1.27
  row('storage.k8s.io/v1beta1', ['CSIStorageCapacity'], '1.24', '1.27', 'storage.k8s.io/v1'),
  // Removed in 1.29
  row(
    'flowcontrol.apiserver.k8s.io/v1beta2',
    ['FlowSchema', 'PriorityLevelConfiguration'],
    '1.26',
    '1.29',
    'flowcontrol.apiserver.k8s.io/v1',
  ),
  // Removed in 1.32
  row(
    'flowcontrol.apiserver.k8s.io/v1beta3',
    ['FlowSchema', 'PriorityLevelConfiguration'],
    '1.29',
    '1.32',
    'flowcontrol.apiserver.k8s.io/v1',
  ),
  // Deprecated, still served
  row('v1', ['Endpoints'], '1.33', undefined, 'discovery.k8s.io/v1 EndpointSlice'),
  row('v1', ['ComponentStatus'], '1.19', undefined, 'the health endpoints of each component (/livez, /readyz)'),
];

export interface Deprecation {
  apiVersion: string;
  kinds: readonly string[];
  deprecatedIn: string;
  removedIn: string | undefined;
  replacement: string;
}

function row(
  apiVersion: string,
  kinds: readonly string[],
  deprecatedIn: string,
  removedIn: string | undefined,
  replacement: string,
): Deprecation {
  return { apiVersion, kinds, deprecatedIn, removedIn, replacement };
}

const BY_KEY = new Map(DEPRECATIONS.flatMap((d) => d.kinds.map((k) => [`${d.apiVersion}/${k}`, d] as const)));

/** The deprecation of `apiVersion` + `kind` as seen from Kubernetes `version`: removed, deprecated, or undefined. */
export function removalOf(
  apiVersion: string,
  kind: string,
  version: string,
): { entry: Deprecation; removed: boolean } | undefined {
  const entry = BY_KEY.get(`${apiVersion}/${kind}`);
  if (!entry) return undefined;
  if (entry.removedIn && compareKubeVersions(version, entry.removedIn) >= 0) return { entry, removed: true };
  if (compareKubeVersions(version, entry.deprecatedIn) >= 0) return { entry, removed: false };
  return undefined;
}
