import { isObject, stringMap, strings } from './json.js';
import { valueAt } from './path.js';
import { inOwnGroup } from './kinds.js';
import type {
  Container,
  ContainerPort,
  EnvVar,
  JsonObject,
  Path,
  Probe,
  ProbeHandler,
  Resource,
  KubernetesWorkload,
} from './types.js';

/** Where each pod-bearing kind keeps its pod template, and whether it has replicas. */
const POD_KINDS: Record<string, { template: Path; replicas: boolean; longRunning: boolean }> = {
  Deployment: { template: ['spec', 'template'], replicas: true, longRunning: true },
  StatefulSet: { template: ['spec', 'template'], replicas: true, longRunning: true },
  ReplicaSet: { template: ['spec', 'template'], replicas: true, longRunning: true },
  ReplicationController: { template: ['spec', 'template'], replicas: true, longRunning: true },
  Rollout: { template: ['spec', 'template'], replicas: true, longRunning: true },
  DaemonSet: { template: ['spec', 'template'], replicas: false, longRunning: true },
  Job: { template: ['spec', 'template'], replicas: false, longRunning: false },
  CronJob: { template: ['spec', 'jobTemplate', 'spec', 'template'], replicas: false, longRunning: false },
  Pod: { template: [], replicas: false, longRunning: true },
};

export const PROBE_DEFAULTS = {
  periodSeconds: 10,
  timeoutSeconds: 1,
  failureThreshold: 3,
  successThreshold: 1,
  initialDelaySeconds: 0,
} as const;

export function isPodKind(kind: string): boolean {
  return Object.hasOwn(POD_KINDS, kind);
}

/** The workload view of a Kubernetes object, or undefined when it runs no pods. */
export function kubernetesWorkload(resource: Resource): KubernetesWorkload | undefined {
  // Own keys only: `kind: constructor` must not find Object.prototype's.
  const shape = Object.hasOwn(POD_KINDS, resource.kind) ? POD_KINDS[resource.kind] : undefined;
  if (!shape || resource.platform !== 'kubernetes') return undefined;
  if (resource.kind === 'Rollout' && !String(resource.apiVersion).startsWith('argoproj.io/')) return undefined;
  if (!inOwnGroup(resource.kind, resource.apiVersion)) return undefined; // kubectl refuses it: it runs nothing
  const v = resource.value;
  const template = valueAt(v, shape.template);
  const podSpecPath: Path = shape.template.length ? [...shape.template, 'spec'] : ['spec'];
  const podSpec = valueAt(v, podSpecPath);
  const templateMeta =
    shape.template.length && isObject(template)
      ? isObject(template.metadata)
        ? template.metadata
        : {}
      : isObject(v.metadata)
        ? v.metadata
        : {};
  const spec = isObject(v.spec) ? v.spec : {};
  const rawReplicas = spec.replicas;
  const replicasExplicit = rawReplicas !== undefined && rawReplicas !== null;
  const replicas = shape.replicas ? (typeof rawReplicas === 'number' ? rawReplicas : 1) : undefined;
  const containers: Container[] = [];
  if (isObject(podSpec)) {
    for (const [field, init] of [
      ['containers', false],
      ['initContainers', true],
    ] as const) {
      const list = podSpec[field];
      if (!Array.isArray(list)) continue;
      list.forEach((c, i) => {
        if (isObject(c)) containers.push(kubernetesContainer(c, [...podSpecPath, field, i], init));
      });
    }
  }
  return {
    resource,
    platform: 'kubernetes',
    kind: resource.kind,
    name: resource.name ?? '',
    namespace: resource.namespace,
    path: [],
    replicas,
    replicasExplicit,
    replicasPath: ['spec', 'replicas'],
    podTemplatePath: shape.template,
    podSpecPath,
    podSpec: isObject(podSpec) ? podSpec : undefined,
    podLabels: stringMap(templateMeta.labels),
    annotations: { ...resource.annotations, ...stringMap(templateMeta.annotations) },
    containers,
    longRunning: shape.longRunning,
  };
}

function kubernetesContainer(c: JsonObject, path: Path, init: boolean): Container {
  const env: EnvVar[] = [];
  if (Array.isArray(c.env)) {
    c.env.forEach((e, i) => {
      if (!isObject(e) || typeof e.name !== 'string') return;
      const literal =
        typeof e.value === 'string'
          ? e.value
          : typeof e.value === 'number' || typeof e.value === 'boolean'
            ? String(e.value)
            : undefined;
      env.push({
        name: e.name,
        value: literal,
        fromRef: e.valueFrom !== undefined,
        path: [...path, 'env', i],
        valuePath: [...path, 'env', i, 'value'],
      });
    });
  }
  const ports: ContainerPort[] = [];
  if (Array.isArray(c.ports)) {
    for (const p of c.ports) {
      if (!isObject(p)) continue;
      ports.push({
        name: typeof p.name === 'string' ? p.name : undefined,
        containerPort: typeof p.containerPort === 'number' ? p.containerPort : undefined,
      });
    }
  }
  // Probes do not apply to init containers (except restartable sidecars, which Kubernetes treats as long-running).
  const sidecar = init && c.restartPolicy === 'Always';
  const probe = (field: string): Probe | undefined =>
    init && !sidecar ? undefined : readProbe(c[field], [...path, field]);
  return {
    name: typeof c.name === 'string' ? c.name : '',
    path,
    image: typeof c.image === 'string' ? c.image : undefined,
    imagePath: [...path, 'image'],
    init: init && !sidecar,
    env,
    ports,
    command: strings(c.command),
    args: strings(c.args),
    resources: isObject(c.resources) ? c.resources : undefined,
    liveness: probe('livenessProbe'),
    readiness: probe('readinessProbe'),
    startup: probe('startupProbe'),
  };
}

export function readProbe(raw: unknown, path: Path): Probe | undefined {
  if (!isObject(raw)) return undefined;
  const explicit = new Set<string>();
  const num = (k: keyof typeof PROBE_DEFAULTS): number => {
    const v = raw[k];
    if (typeof v === 'number' && Number.isFinite(v)) {
      explicit.add(k);
      return v;
    }
    return PROBE_DEFAULTS[k];
  };
  return {
    path,
    periodSeconds: num('periodSeconds'),
    timeoutSeconds: num('timeoutSeconds'),
    failureThreshold: num('failureThreshold'),
    successThreshold: num('successThreshold'),
    initialDelaySeconds: num('initialDelaySeconds'),
    explicit,
    handler: probeHandler(raw, path),
  };
}

function probeHandler(p: JsonObject, path: Path): ProbeHandler | undefined {
  if (isObject(p.httpGet)) {
    const h = p.httpGet;
    const port = portValue(h.port);
    return {
      type: 'httpGet',
      signature: `http:${str(h.scheme) || 'HTTP'}:${str(h.host)}:${String(port ?? '')}:${str(h.path) || '/'}`,
      port,
      portPath: [...path, 'httpGet', 'port'],
    };
  }
  if (isObject(p.tcpSocket)) {
    const port = portValue(p.tcpSocket.port);
    return {
      type: 'tcpSocket',
      signature: `tcp:${str(p.tcpSocket.host)}:${String(port ?? '')}`,
      port,
      portPath: [...path, 'tcpSocket', 'port'],
    };
  }
  if (isObject(p.grpc)) {
    const port = portValue(p.grpc.port);
    return {
      type: 'grpc',
      signature: `grpc:${String(port ?? '')}:${str(p.grpc.service)}`,
      port,
      portPath: [...path, 'grpc', 'port'],
    };
  }
  if (isObject(p.exec)) return { type: 'exec', signature: `exec:${JSON.stringify(strings(p.exec.command))}` };
  return undefined;
}

function portValue(v: unknown): string | number | undefined {
  return typeof v === 'number' || typeof v === 'string' ? v : undefined;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
