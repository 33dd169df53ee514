/**
 * Rules of the Kubernetes API server's own validation (pkg/apis/core/validation, apps/validation, policy/validation…)
 * that the OpenAPI models do not carry: closed value sets of fields typed plain `string` there, integer ranges, and
 * fields that exclude each other. Keyed by model suffix (V1TopologySpreadConstraint → TopologySpreadConstraint), as the
 * ENUMS table of tools/build-schemas.ts, and applied by kube-validate.ts on top of the bundled models.
 */

export interface FieldRule {
  /** Closed set of values. */
  values?: readonly string[];
  /** Integer bounds (inclusive). */
  min?: number;
  max?: number;
  /** An int-or-string that takes a non-negative integer or a percentage (`25%`). */
  intOrPercent?: boolean;
}

export interface ModelRules {
  fields: Record<string, FieldRule>;
  /** Pairs of fields that may not both be set. */
  exclusive?: readonly (readonly [string, string])[];
}

const POLICY = ['Honor', 'Ignore'] as const;
const PROFILE = ['RuntimeDefault', 'Unconfined', 'Localhost'] as const;
const PORT = { min: 1, max: 65535 } as const;

export const API_VALIDATION: Record<string, ModelRules> = {
  TopologySpreadConstraint: {
    fields: {
      whenUnsatisfiable: { values: ['DoNotSchedule', 'ScheduleAnyway'] },
      nodeAffinityPolicy: { values: POLICY },
      nodeTaintsPolicy: { values: POLICY },
      maxSkew: { min: 1 },
      minDomains: { min: 1 },
    },
  },
  SeccompProfile: { fields: { type: { values: PROFILE } } },
  AppArmorProfile: { fields: { type: { values: PROFILE } } },
  HostPathVolumeSource: {
    fields: {
      type: {
        values: ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'],
      },
    },
  },
  HTTPGetAction: { fields: { scheme: { values: ['HTTP', 'HTTPS'] }, port: { ...PORT } } },
  TCPSocketAction: { fields: { port: { ...PORT } } },
  GRPCAction: { fields: { port: { ...PORT } } },
  Probe: {
    fields: {
      periodSeconds: { min: 1 },
      timeoutSeconds: { min: 1 },
      failureThreshold: { min: 1 },
      successThreshold: { min: 1 },
      initialDelaySeconds: { min: 0 },
      terminationGracePeriodSeconds: { min: 1 },
    },
  },
  VolumeMount: { fields: { mountPropagation: { values: ['None', 'HostToContainer', 'Bidirectional'] } } },
  PodSecurityContext: { fields: { fsGroupChangePolicy: { values: ['OnRootMismatch', 'Always'] } } },
  SecurityContext: { fields: { procMount: { values: ['Default', 'Unmasked'] } } },
  PodOS: { fields: { name: { values: ['linux', 'windows'] } } },
  ContainerPort: { fields: { containerPort: { ...PORT }, hostPort: { ...PORT } } },
  ServicePort: { fields: { port: { ...PORT }, nodePort: { min: 0, max: 65535 } } },
  PodDisruptionBudgetSpec: {
    fields: { minAvailable: { intOrPercent: true }, maxUnavailable: { intOrPercent: true } },
    exclusive: [['minAvailable', 'maxUnavailable']],
  },
  RollingUpdateDeployment: { fields: { maxSurge: { intOrPercent: true }, maxUnavailable: { intOrPercent: true } } },
  RollingUpdateDaemonSet: { fields: { maxSurge: { intOrPercent: true }, maxUnavailable: { intOrPercent: true } } },
  RollingUpdateStatefulSetStrategy: { fields: { maxUnavailable: { intOrPercent: true }, partition: { min: 0 } } },
  DeploymentSpec: {
    fields: {
      replicas: { min: 0 },
      minReadySeconds: { min: 0 },
      revisionHistoryLimit: { min: 0 },
      progressDeadlineSeconds: { min: 1 },
    },
  },
  StatefulSetSpec: { fields: { replicas: { min: 0 }, minReadySeconds: { min: 0 }, revisionHistoryLimit: { min: 0 } } },
  ReplicaSetSpec: { fields: { replicas: { min: 0 }, minReadySeconds: { min: 0 } } },
  DaemonSetSpec: { fields: { minReadySeconds: { min: 0 }, revisionHistoryLimit: { min: 0 } } },
  StatefulSetPersistentVolumeClaimRetentionPolicy: {
    fields: { whenDeleted: { values: ['Retain', 'Delete'] }, whenScaled: { values: ['Retain', 'Delete'] } },
  },
  JobSpec: {
    fields: {
      parallelism: { min: 0 },
      completions: { min: 0 },
      backoffLimit: { min: 0 },
      activeDeadlineSeconds: { min: 1 },
      completionMode: { values: ['NonIndexed', 'Indexed'] },
      podReplacementPolicy: { values: ['TerminatingOrFailed', 'Failed'] },
    },
  },
  PodFailurePolicyRule: { fields: { action: { values: ['FailJob', 'FailIndex', 'Ignore', 'Count'] } } },
  PodSpec: { fields: { terminationGracePeriodSeconds: { min: 0 }, activeDeadlineSeconds: { min: 1 } } },
  // minReplicas 0 is valid with the HPAScaleToZero feature gate: only maxReplicas has a fixed floor.
  HorizontalPodAutoscalerSpec: { fields: { maxReplicas: { min: 1 } } },
  LimitRangeItem: { fields: { type: { values: ['Pod', 'Container', 'PersistentVolumeClaim'] } } },
};

/** The model suffix after the group/version prefix: V1DeploymentSpec → DeploymentSpec, EventsV1Event → Event. */
export function modelSuffix(model: string): string {
  return model.replace(/^[A-Za-z]*?V\d+(?:alpha\d+|beta\d+)?(?=[A-Z])/, '');
}
