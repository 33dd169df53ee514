import type { ResourceIndex } from '../../../engine/resource-index.js';
import { isObject } from '../../../model/json.js';
import { valueAt } from '../../../model/path.js';
import { readSelector, selectorMatches } from '../../../model/selector.js';
import type {
  Container,
  FixEdit,
  FixValue,
  JsonObject,
  KubernetesWorkload,
  Probe,
  Workload,
} from '../../../model/types.js';
import { commandSecrets, commandTokensAt } from '../../security/lib/command-secrets.js';
import { literalSecret } from '../../security/lib/secret-patterns.js';
import { kubernetesSpread } from './kubernetes-spread.js';

/** A parsed YAML value as a fix value (JSON only), or undefined when it holds anything else. */
export function toFixValue(v: unknown): FixValue | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (Array.isArray(v)) {
    const out: FixValue[] = [];
    for (const x of v) {
      const f = toFixValue(x);
      if (f === undefined) return undefined;
      out.push(f);
    }
    return out;
  }
  if (isObject(v)) {
    const out: { [key: string]: FixValue } = {};
    for (const [k, x] of Object.entries(v)) {
      const f = toFixValue(x);
      if (f === undefined) return undefined;
      out[k] = f;
    }
    return out;
  }
  return undefined;
}

const HANDLERS = ['httpGet', 'tcpSocket', 'grpc', 'exec'] as const;

/**
 * A handler that carries a literal credential (an exec command with `-p<password>`, an Authorization header): copying
 * it would write the secret a second time, and show it in every diff of the fix.
 */
function handlerHasSecret(handler: JsonObject, at: readonly (string | number)[]): boolean {
  if (isObject(handler.exec) && commandSecrets(commandTokensAt(handler.exec.command, [...at, 'exec'])).length)
    return true;
  const headers = isObject(handler.httpGet) ? handler.httpGet.httpHeaders : undefined;
  return (
    Array.isArray(headers) &&
    headers.some(
      (h) =>
        isObject(h) &&
        typeof h.name === 'string' &&
        (/^(authorization|proxy-authorization|cookie)$/i.test(h.name) ||
          literalSecret(h.name, typeof h.value === 'string' ? h.value : undefined) !== undefined),
    )
  );
}

/**
 * startup-probe-missing: a startupProbe with the liveness probe's handler, its periodSeconds (and timeoutSeconds when
 * written), and a failureThreshold so that failureThreshold × periodSeconds covers `coverSeconds`. Liveness then only
 * starts once the app is up, so its initialDelaySeconds (which the startup probe covers) goes.
 */
export function startupProbeFix(w: Workload, c: Container, live: Probe, coverSeconds: number): FixEdit[] | undefined {
  const raw = valueAt(w.resource.value, live.path);
  if (!isObject(raw)) return undefined;
  const type = HANDLERS.find((h) => isObject(raw[h]));
  if (!type || handlerHasSecret(raw, live.path)) return undefined;
  const handler = toFixValue(raw[type]);
  if (handler === undefined) return undefined;
  const period = live.periodSeconds > 0 ? live.periodSeconds : 10;
  const probe: { [key: string]: FixValue } = { [type]: handler };
  if (live.explicit.has('timeoutSeconds')) probe.timeoutSeconds = live.timeoutSeconds;
  probe.periodSeconds = period;
  probe.failureThreshold = Math.max(1, Math.ceil(coverSeconds / period));
  const edits: FixEdit[] = [{ op: 'set', path: [...c.path, 'startupProbe'], value: probe }];
  if (live.explicit.has('initialDelaySeconds'))
    edits.push({ op: 'delete', path: [...live.path, 'initialDelaySeconds'] });
  return edits;
}

/** Above this failureThreshold, liveness-probe-aggressive's fix lengthens periodSeconds instead. */
const MAX_FAILURE_THRESHOLD = 10;

/**
 * liveness-probe-aggressive: a failureThreshold of at least 3 and a window (failureThreshold × periodSeconds) of at
 * least `minWindow`, raising failureThreshold first, and periodSeconds only when the threshold would pass 10.
 */
export function livenessWindowFix(live: Probe, minWindow: number): FixEdit[] {
  let period = live.periodSeconds > 0 ? live.periodSeconds : 10;
  let threshold = Math.max(live.failureThreshold, 3, Math.ceil(minWindow / period));
  if (threshold > Math.max(MAX_FAILURE_THRESHOLD, live.failureThreshold)) {
    threshold = Math.max(MAX_FAILURE_THRESHOLD, live.failureThreshold);
    period = Math.ceil(minWindow / threshold);
  }
  const edits: FixEdit[] = [];
  if (threshold !== live.failureThreshold || !live.explicit.has('failureThreshold'))
    edits.push({ op: 'set', path: [...live.path, 'failureThreshold'], value: threshold });
  if (period !== live.periodSeconds) edits.push({ op: 'set', path: [...live.path, 'periodSeconds'], value: period });
  return edits;
}

/** Words of image and workload names that mean a store of state: a second replica would be a second, diverging copy. */
const STATEFUL_WORDS = new Set([
  'postgres',
  'postgresql',
  'postgis',
  'timescaledb',
  'mysql',
  'mysqldb',
  'mariadb',
  'percona',
  'mongo',
  'mongodb',
  'documentdb',
  'redis',
  'valkey',
  'keydb',
  'memcached',
  'elasticsearch',
  'opensearch',
  'solr',
  'cassandra',
  'scylla',
  'couchdb',
  'couchbase',
  'influxdb',
  'neo4j',
  'rethinkdb',
  'etcd',
  'zookeeper',
  'kafka',
  'rabbitmq',
  'activemq',
  'nats',
  'mssql',
  'oracle',
  'clickhouse',
  'minio',
  'registry',
  'nfs',
  'hazelcast',
  'db',
  'database',
  'master',
  'leader',
  'primary',
  'sentinel',
  'ghost',
  'wordpress',
  'jenkins',
  'nexus',
  'sonarqube',
  'gitea',
  'gitlab',
  'grafana',
  'prometheus',
  'alertmanager',
  'influx',
  'ollama',
  'jupyter',
  'notebook',
]);

/** Words that name a program that must run once unless it elects a leader (controllers, schedulers, cron). */
const SINGLETON_WORDS = new Set([
  'operator',
  'controller',
  'manager',
  'scheduler',
  'descheduler',
  'provisioner',
  'autoscaler',
  'autopilot',
  'cron',
  'beat',
  'clock',
  'heapster',
  'singleton',
  'hub',
  'exporter',
  'loadgenerator',
  'generator',
  'locust',
]);

/** Flags by which a controller elects a leader: its replicas are safe. */
const LEADER_FLAG = /^--?(leader-elect|leader-election|enable-leader-election|election-id)(=(?!false$).*)?$/i;

/** The words of a name or of an image's repository path (without registry host, tag or digest). */
function nameWords(name: string): string[] {
  const repo = (name.split('@')[0] ?? name).toLowerCase();
  const slash = repo.lastIndexOf('/');
  const colon = repo.lastIndexOf(':');
  const segments = (colon > slash ? repo.slice(0, colon) : repo).split('/');
  if (segments.length > 1 && /[.:]|^localhost$/.test(segments[0]!)) segments.shift();
  return segments
    .join('/')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Why a workload should stay a singleton, from its names, images and commands; undefined when nothing says so. */
export function singletonHint(
  name: string,
  images: readonly string[],
  commands: readonly string[],
): string | undefined {
  // The program and its sub-command count too (`/start-master`, `docker-entrypoint.sh postgres`), not the flags.
  const programs = commands.filter((t) => !t.startsWith('-') && !t.includes('='));
  const words = [name, ...images, ...programs].flatMap(nameWords);
  const stateful = words.find((w) => STATEFUL_WORDS.has(w));
  if (stateful) return `it runs ${stateful}, which keeps state of its own`;
  if ([name, ...images].some((n) => n.includes('kube-state-metrics')))
    return 'it exports metrics of the cluster, which a second replica would count twice';
  if (commands.some((t) => /^(beat|celerybeat)$/i.test(t) || /^-B$/.test(t)))
    return 'it runs a scheduler (celery beat)';
  const single = words.find((w) => SINGLETON_WORDS.has(w));
  if (single && !commands.some((t) => LEADER_FLAG.test(t))) return `it is a ${single} without leader election`;
  return undefined;
}

function hasAccelerator(resources: JsonObject | undefined): boolean {
  if (!resources) return false;
  return ['limits', 'requests'].some((k) => {
    const m = resources[k];
    return isObject(m) && Object.keys(m).some((r) => /gpu|tpu|neuron|habana/i.test(r));
  });
}

/**
 * single-replica (Kubernetes): `replicas: 2` for a Deployment or a StatefulSet that can safely run twice: no Recreate
 * strategy, no PersistentVolumeClaim or hostPath volume (nor volumeClaimTemplates), no host network or host port, no
 * GPU or TPU, and no sign of a singleton (a database, a controller without leader election, a scheduler).
 */
export function kubernetesReplicasFix(w: KubernetesWorkload, index: ResourceIndex): FixEdit[] | undefined {
  if (w.kind !== 'Deployment' && w.kind !== 'StatefulSet') return undefined;
  const spec = isObject(w.resource.value.spec) ? w.resource.value.spec : {};
  if (w.replicasExplicit && typeof spec.replicas !== 'number') return undefined;
  if (isObject(spec.strategy) && spec.strategy.type === 'Recreate') return undefined;
  if (spec.volumeClaimTemplates !== undefined) return undefined;
  const pod = w.podSpec;
  if (!pod || pod.hostNetwork === true) return undefined;
  const volumes = Array.isArray(pod.volumes) ? pod.volumes : [];
  if (volumes.some((v) => isObject(v) && (v.persistentVolumeClaim !== undefined || v.hostPath !== undefined)))
    return undefined;
  const all = [
    ...(Array.isArray(pod.containers) ? pod.containers : []),
    ...(Array.isArray(pod.initContainers) ? pod.initContainers : []),
  ].filter(isObject);
  if (all.some((c) => Array.isArray(c.ports) && c.ports.some((p) => isObject(p) && p.hostPort !== undefined)))
    return undefined;
  if (w.containers.some((c) => hasAccelerator(c.resources))) return undefined;
  const commands = w.containers.flatMap((c) => [...c.command, ...c.args]).flatMap((t) => t.split(/\s+/));
  const images = w.containers.filter((c) => !c.init).map((c) => c.image ?? '');
  if (singletonHint(w.name, images, commands)) return undefined;
  // With 2 pods, pdb-missing and topology-spread-missing apply: only where their own fixes can follow.
  if (!index.pdbsMatching(w).length && !pdbFix(w, index)) return undefined;
  if (!kubernetesSpread(w).spreads && !topologySpreadFix(w)) return undefined;
  return [{ op: 'set', path: w.replicasPath, value: 2 }];
}

/**
 * The labels a spread constraint or a PodDisruptionBudget selects the workload's pods by: its selector's matchLabels
 * when they match the pod template (they do not change from one version to the next), else the template's labels.
 */
function ownLabels(w: Workload): Record<string, string> | undefined {
  const spec = isObject(w.resource.value.spec) ? w.resource.value.spec : {};
  const selector = readSelector(spec.selector);
  if (selector && Object.keys(selector.matchLabels).length && selectorMatches(selector, w.podLabels))
    return selector.matchLabels;
  return Object.keys(w.podLabels).length ? { ...w.podLabels } : undefined;
}

/**
 * topology-spread-missing: a ScheduleAnyway constraint on kubernetes.io/hostname selecting the pod's own labels,
 * appended to the pod's constraints (or as a new list). None when a constraint on that key and mode is there already
 * (Kubernetes refuses a second one) or the pods have no labels.
 */
export function topologySpreadFix(w: KubernetesWorkload): FixEdit[] | undefined {
  const labels = ownLabels(w);
  const pod = w.podSpec;
  if (!labels || !pod) return undefined;
  const entry: FixValue = {
    maxSkew: 1,
    topologyKey: 'kubernetes.io/hostname',
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: labels },
  };
  const path = [...w.podSpecPath, 'topologySpreadConstraints'];
  const list = pod.topologySpreadConstraints;
  if (list === undefined || list === null) return [{ op: 'set', path, value: [entry] }];
  if (!Array.isArray(list)) return undefined;
  if (
    list.some(
      (t) =>
        isObject(t) &&
        t.topologyKey === 'kubernetes.io/hostname' &&
        (t.whenUnsatisfiable ?? 'DoNotSchedule') === 'ScheduleAnyway',
    )
  )
    return undefined;
  return [{ op: 'append', path, value: entry }];
}

/** DNS-1123 subdomain: what a PodDisruptionBudget or Secret may be named. */
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * pdb-missing: a policy/v1 PodDisruptionBudget after the workload, named after it (`<name>-pdb` when that name is
 * taken), in its namespace when the workload names one, maxUnavailable: 1, selecting by the workload's selector. None
 * without matchLabels in the selector, or when the selector does not pick the pod template's labels.
 */
export function pdbFix(w: KubernetesWorkload, index: ResourceIndex): FixEdit[] | undefined {
  const spec = isObject(w.resource.value.spec) ? w.resource.value.spec : {};
  const raw = isObject(spec.selector) ? spec.selector : undefined;
  const selector = readSelector(raw);
  if (!raw || !selector || !Object.keys(selector.matchLabels).length || !selectorMatches(selector, w.podLabels))
    return undefined;
  const copy = toFixValue({
    matchLabels: raw.matchLabels,
    ...(raw.matchExpressions !== undefined ? { matchExpressions: raw.matchExpressions } : {}),
  });
  if (copy === undefined || !DNS_NAME.test(w.name)) return undefined;
  const taken = (n: string): boolean => index.objectsNamed('PodDisruptionBudget', n, w.namespace).length > 0;
  const name = [w.name, `${w.name}-pdb`].find((n) => !taken(n) && DNS_NAME.test(n));
  if (!name) return undefined;
  const meta = isObject(w.resource.value.metadata) ? w.resource.value.metadata : {};
  const namespace = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : undefined;
  return [
    {
      op: 'document',
      name: name.endsWith('-pdb') ? name : `${name}-pdb`,
      value: {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name, ...(namespace !== undefined ? { namespace } : {}) },
        spec: { maxUnavailable: 1, selector: copy },
      },
    },
  ];
}

/** A word for a POSIX shell: as is when it is plainly safe, else single-quoted. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A Secret data key (and a file name beside it): letters, digits, `-`, `_`, `.`, not `.` or `..`. */
const SECRET_KEY = /^[-._A-Za-z0-9]+$/;

export interface SecretEnvFix {
  edits: FixEdit[];
  command: string;
}

/**
 * secret-in-env (Kubernetes): each literal `value` of `vars` becomes `valueFrom.secretKeyRef` to a Secret named after
 * the workload, keyed by the variable name. The command creates that Secret with every key, each read from a file of
 * the key's name (`--from-file=KEY=./KEY`): never the value. No fix when the Secret's name or a key is not valid, when
 * two variables of one name hold different values, or when the unit defines Secrets of its own in the namespace (the
 * new name would be reported by reference-unknown) or one of that name already.
 */
export function secretEnvFixes(
  w: KubernetesWorkload,
  vars: readonly {
    path: readonly (string | number)[];
    valuePath: readonly (string | number)[];
    name: string;
    value: string | undefined;
  }[],
  index: ResourceIndex,
): SecretEnvFix[] | undefined {
  const name = w.name;
  if (!vars.length || !DNS_NAME.test(name)) return undefined;
  if (index.objectsNamed('Secret', name, w.namespace).length || index.kustomizeGenerates('Secret', name))
    return undefined;
  if (index.namesOf('Secret', w.namespace).length && !index.customResourcesIn(w.namespace).length) return undefined;
  const values = new Map<string, string | undefined>();
  for (const v of vars) {
    if (!SECRET_KEY.test(v.name) || v.name === '.' || v.name === '..') return undefined;
    if (values.has(v.name) && values.get(v.name) !== v.value) return undefined;
    values.set(v.name, v.value);
  }
  const ns = w.namespace;
  if (ns !== undefined && !DNS_NAME.test(ns)) return undefined;
  const command = [
    'kubectl',
    ...(ns !== undefined ? ['-n', shellWord(ns)] : []),
    'create',
    'secret',
    'generic',
    shellWord(name),
    ...[...values.keys()].map((k) => shellWord(`--from-file=${k}=./${k}`)),
  ].join(' ');
  return vars.map((v) => ({
    command,
    edits: [
      { op: 'delete', path: [...v.valuePath] },
      { op: 'set', path: [...v.path, 'valueFrom'], value: { secretKeyRef: { name, key: v.name } } },
    ],
  }));
}
