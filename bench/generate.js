#!/usr/bin/env node
// Deterministic generator of synthetic GitOps trees for the scale benchmark.
//
//   node bench/generate.js --resources 10000 --out bench/.work/gen-10000 [--seed 42] [--layout tree|kubernetes|one-file]
//
// The tree looks like a monorepo synced by Flux or Argo CD: teams/<team>/<app>/ with one object per file
// (a third of the apps keep all their objects in one multi-document file), a kustomization.yaml per team,
// and Swarm stacks under stacks/. Proportions per app follow what real repositories hold: every app has a
// workload, a Service and a ConfigMap; about half have an HPA, most replicated ones a PDB, some a Secret;
// one app in ten is a StatefulSet; one resource in about forty is a Swarm stack of 3–8 services. A third of
// the teams leave metadata.namespace to their kustomization, as kustomize-based repositories do, so
// namespace-less objects (which cross-resource lookups must compare with every namespace) are common.
//
// Each anti-pattern the rules look for is planted in about 5% of the objects it applies to, independently,
// by a seeded PRNG: the same seed and size give byte-identical trees on every machine.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The anti-patterns planted, by the object they apply to. */
export const ANTI_PATTERNS = {
  workload: [
    'liveness-probe-aggressive',
    'liveness-probe-missing',
    'readiness-probe-missing',
    'liveness-equals-readiness',
    'startup-probe-missing',
    'probe-port-unknown',
    'single-replica',
    'pdb-missing',
    'topology-spread-missing',
    'resources-missing',
    'image-tag-mutable',
    'secret-in-env',
    'privileged-container',
    'schema-invalid',
  ],
  hpa: ['hpa-min-replicas', 'hpa-target-missing', 'deprecated-api-version'],
  pdb: ['pdb-blocks-eviction', 'pdb-selector-unmatched'],
  secret: ['secret-manifest-plaintext'],
  service: [
    'healthcheck-missing',
    'update-rollback-missing',
    'docker-socket-mount',
    'swarm-secret-in-env',
    'local-volume-replicated',
    'swarm-liveness-aggressive',
  ],
};

export const RATE = 0.05;

/** mulberry32: small, fast, good enough for picking names and planting patterns. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'api',
  'auth',
  'billing',
  'cart',
  'catalog',
  'checkout',
  'search',
  'orders',
  'ledger',
  'notify',
  'media',
  'profile',
  'pricing',
  'quotes',
  'reports',
  'gateway',
  'inventory',
  'shipping',
  'reviews',
  'tax',
  'fraud',
  'ads',
  'session',
  'export',
];
const TEAMS = [
  'payments',
  'growth',
  'platform',
  'data',
  'identity',
  'storefront',
  'logistics',
  'mobile',
  'risk',
  'search',
  'infra',
  'content',
];
const APPS_PER_TEAM = 24;
const STACK_EVERY = 40;

/**
 * Generate a tree of exactly `resources` objects (as shipshape counts them: a stack file is one) under `out`.
 * Returns a summary: counts per kind and per planted anti-pattern, files written, bytes.
 *
 * `layout`: 'tree' (the monorepo above), 'kubernetes' (the same apps, Kubernetes objects only: no kustomizations,
 * no stacks, so `resources` is the number of documents) or 'one-file' (those documents, in the same order, in one
 * multi-document file `all.yaml`): the last two measure one large file against the same documents spread over files.
 */
export function generate({ resources: total, out, seed = 42, layout = 'tree' }) {
  if (!['tree', 'kubernetes', 'one-file'].includes(layout)) throw new Error(`unknown layout ${layout}`);
  const kubernetesOnly = layout !== 'tree';
  const rand = prng(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const counts = {};
  const planted = {};
  const files = new Map(); // relative path -> docs
  let written = 0;

  const has = (kindGroup) => {
    const set = new Set();
    for (const p of ANTI_PATTERNS[kindGroup]) if (rand() < RATE) set.add(p);
    for (const p of set) planted[p] = (planted[p] ?? 0) + 1;
    return set;
  };
  const emit = (file, kind, text) => {
    if (written >= total) return false;
    if (kubernetesOnly && (kind === 'Stack' || kind === 'Kustomization')) return true;
    written++;
    counts[kind] = (counts[kind] ?? 0) + 1;
    const docs = files.get(file) ?? [];
    docs.push(text);
    files.set(file, docs);
    return true;
  };

  let appNo = 0;
  let stackNo = 0;
  while (written < total) {
    if (written > 0 && Math.floor(written / STACK_EVERY) > stackNo) {
      stackNo++;
      emit(`stacks/${pick(WORDS)}-${stackNo}/docker-stack.yml`, 'Stack', stack(stackNo, rand, has));
      continue;
    }
    const teamIndex = Math.floor(appNo / APPS_PER_TEAM);
    const team = `${TEAMS[teamIndex % TEAMS.length]}${teamIndex >= TEAMS.length ? `-${Math.floor(teamIndex / TEAMS.length) + 1}` : ''}`;
    const ns = team;
    // A third of the teams let kustomize set the namespace.
    const namespaced = teamIndex % 3 !== 2;
    if (appNo % APPS_PER_TEAM === 0) {
      emit(`teams/${team}/kustomization.yaml`, 'Kustomization', kustomization(ns));
    }
    appNo++;
    const name = `${pick(WORDS)}-${appNo}`;
    const combined = rand() < 1 / 3;
    const dir = `teams/${team}/${name}`;
    const file = (kind) => (combined ? `${dir}/app.yaml` : `${dir}/${kind}.yaml`);
    const meta = (n) =>
      `  name: ${n}\n${namespaced ? `  namespace: ${ns}\n` : ''}  labels:\n    app.kubernetes.io/name: ${name}\n    app.kubernetes.io/part-of: ${team}\n`;

    const stateful = rand() < 0.1;
    const withHpa = !stateful && rand() < 0.5;
    const bad = has('workload');
    const replicas = bad.has('single-replica') && !withHpa ? 1 : stateful ? 3 : 2 + Math.floor(rand() * 4);
    const kind = stateful ? 'StatefulSet' : 'Deployment';
    if (
      !emit(
        file(kind.toLowerCase()),
        kind,
        workload(kind, name, team, meta(name), replicas, withHpa && !bad.has('single-replica'), bad, rand),
      )
    )
      break;
    emit(file('service'), 'Service', service(name, meta(name), stateful));
    emit(file('configmap'), 'ConfigMap', configMap(name, meta(`${name}-config`), rand));
    if (withHpa) {
      const hb = has('hpa');
      emit(file('hpa'), 'HorizontalPodAutoscaler', hpa(name, meta(name), kind, hb));
    }
    if (replicas > 1 && !bad.has('pdb-missing')) {
      const pb = has('pdb');
      emit(file('pdb'), 'PodDisruptionBudget', pdb(name, meta(name), pb));
    }
    if (stateful || rand() < 0.25) {
      const sb = has('secret');
      emit(file('secret'), 'Secret', secret(name, meta(`${name}-credentials`), sb));
    }
  }

  rmSync(out, { recursive: true, force: true });
  let bytes = 0;
  const dirs = new Set();
  const layoutFiles = layout === 'one-file' ? new Map([['all.yaml', [...files.values()].flat()]]) : files;
  for (const [rel, docs] of layoutFiles) {
    const abs = path.join(out, rel);
    const dir = path.dirname(abs);
    if (!dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      dirs.add(dir);
    }
    const text = docs.join('---\n');
    bytes += Buffer.byteLength(text);
    writeFileSync(abs, text);
  }
  const summary = {
    seed,
    resources: written,
    layout,
    files: layoutFiles.size,
    bytes,
    kinds: sortObject(counts),
    antiPatterns: sortObject(planted),
  };
  // Beside the tree, not in it: shipshape would read a .json file found in the tree.
  writeFileSync(`${out}.summary.json`, `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

function sortObject(o) {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function kustomization(ns) {
  return `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${ns}
commonLabels:
  owner: ${ns}
resources: []
`;
}

function workload(kind, name, team, meta, replicas, withHpa, bad, rand) {
  const port = 8080 + Math.floor(rand() * 10);
  const slow = rand() < 0.3;
  const http = (p, extra) =>
    `            httpGet:\n              path: ${p}\n              port: ${bad.has('probe-port-unknown') ? 'metrics' : 'http'}\n${extra}`;
  const liveness = bad.has('liveness-probe-missing')
    ? ''
    : `          livenessProbe:\n${http(bad.has('liveness-equals-readiness') ? '/ready' : '/healthz', bad.has('liveness-probe-aggressive') ? '            periodSeconds: 2\n            failureThreshold: 1\n' : '            periodSeconds: 10\n            failureThreshold: 6\n')}`;
  const readiness = bad.has('readiness-probe-missing')
    ? ''
    : `          readinessProbe:\n${http('/ready', '            periodSeconds: 5\n')}`;
  // A slow start (initialDelaySeconds) without a startupProbe is the pattern startup-probe-missing looks for.
  const startup = bad.has('startup-probe-missing')
    ? ''
    : liveness && slow
      ? `          startupProbe:\n${http('/healthz', '            periodSeconds: 5\n            failureThreshold: 30\n')}`
      : '';
  const livenessDelay =
    bad.has('startup-probe-missing') && liveness
      ? liveness.replace('            periodSeconds', '            initialDelaySeconds: 90\n            periodSeconds')
      : liveness;
  const env = bad.has('secret-in-env')
    ? `            - name: DB_PASSWORD\n              value: "s3cr3t-${Math.floor(rand() * 1e9).toString(36)}"\n`
    : `            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: ${name}-credentials\n                  key: password\n`;
  const memory = 64 * (1 + Math.floor(rand() * 8));
  const resources = bad.has('resources-missing')
    ? ''
    : `          resources:\n            requests:\n              cpu: ${50 * (1 + Math.floor(rand() * 8))}m\n              memory: ${memory}Mi\n            limits:\n              memory: ${2 * memory}Mi\n`;
  const spread = bad.has('topology-spread-missing')
    ? ''
    : `      topologySpreadConstraints:\n        - maxSkew: 1\n          topologyKey: topology.kubernetes.io/zone\n          whenUnsatisfiable: ScheduleAnyway\n          labelSelector:\n            matchLabels:\n              app.kubernetes.io/name: ${name}\n`;
  const tag = bad.has('image-tag-mutable') ? 'latest' : `1.${Math.floor(rand() * 30)}.${Math.floor(rand() * 10)}`;
  const security = bad.has('privileged-container')
    ? '          securityContext:\n            privileged: true\n'
    : '          securityContext:\n            allowPrivilegeEscalation: false\n            readOnlyRootFilesystem: true\n';
  const replicasLine = withHpa ? '' : `  replicas: ${bad.has('schema-invalid') ? `"${replicas}x"` : replicas}\n`;
  const sts = kind === 'StatefulSet' ? `  serviceName: ${name}\n` : '';
  const volumes =
    kind === 'StatefulSet'
      ? `  volumeClaimTemplates:\n    - metadata:\n        name: data\n      spec:\n        accessModes: [ReadWriteOnce]\n        resources:\n          requests:\n            storage: 10Gi\n`
      : '';
  return `apiVersion: apps/v1
kind: ${kind}
metadata:
${meta}spec:
${replicasLine}${sts}  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
        app.kubernetes.io/part-of: ${team}
      annotations:
        prometheus.io/scrape: "true"
    spec:
      serviceAccountName: ${name}
      terminationGracePeriodSeconds: 30
${spread}      containers:
        - name: app
          image: registry.example.com/${name}:${tag}
          args: ["--port=${port}", "--log-format=json"]
          ports:
            - name: http
              containerPort: ${port}
          env:
            - name: LOG_LEVEL
              value: info
${env}          envFrom:
            - configMapRef:
                name: ${name}-config
${resources}${security}${readiness}${livenessDelay}${startup}${volumes}`;
}

function service(name, meta, headless) {
  return `apiVersion: v1
kind: Service
metadata:
${meta}spec:
${headless ? '  clusterIP: None\n' : ''}  selector:
    app.kubernetes.io/name: ${name}
  ports:
    - name: http
      port: 80
      targetPort: http
`;
}

function configMap(name, meta, rand) {
  const lines = [];
  const n = 2 + Math.floor(rand() * 8);
  for (let i = 0; i < n; i++) lines.push(`  ${pickKey(i)}: "${Math.floor(rand() * 1e6)}"`);
  return `apiVersion: v1
kind: ConfigMap
metadata:
${meta}data:
${lines.join('\n')}
  app.properties: |
    server.port=8080
    feature.flags=a,b,c
    cache.ttl=300
`;
}

function pickKey(i) {
  return [
    'CACHE_SIZE',
    'WORKERS',
    'TIMEOUT_MS',
    'MAX_CONNS',
    'BATCH',
    'RETRIES',
    'QUEUE_DEPTH',
    'POOL_SIZE',
    'SHARDS',
    'BUFFER_KB',
  ][i % 10];
}

function hpa(name, meta, kind, bad) {
  const api = bad.has('deprecated-api-version') ? 'autoscaling/v2beta2' : 'autoscaling/v2';
  return `apiVersion: ${api}
kind: HorizontalPodAutoscaler
metadata:
${meta}spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: ${kind}
    name: ${bad.has('hpa-target-missing') ? `${name}-old` : name}
  minReplicas: ${bad.has('hpa-min-replicas') ? 1 : 2}
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70
`;
}

function pdb(name, meta, bad) {
  return `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
${meta}spec:
  ${bad.has('pdb-blocks-eviction') ? 'maxUnavailable: 0' : 'maxUnavailable: 1'}
  selector:
    matchLabels:
      app.kubernetes.io/name: ${bad.has('pdb-selector-unmatched') ? `${name}-v2` : name}
`;
}

function secret(name, meta, bad) {
  if (bad.has('secret-manifest-plaintext'))
    return `apiVersion: v1
kind: Secret
metadata:
${meta}type: Opaque
stringData:
  password: not-so-secret
`;
  // Committed Secrets that hold no value: a service account token Kubernetes fills in itself.
  return `apiVersion: v1
kind: Secret
metadata:
${meta.replace(/( {2}labels:)/, `  annotations:\n    kubernetes.io/service-account.name: ${name}\n$1`)}type: kubernetes.io/service-account-token
`;
}

function stack(no, rand, has) {
  const services = [];
  const volumes = [];
  const n = 3 + Math.floor(rand() * 6);
  for (let i = 0; i < n; i++) {
    const bad = has('service');
    const name = `svc${i}`;
    const health = bad.has('healthcheck-missing')
      ? ''
      : `    healthcheck:\n      test: ["CMD", "wget", "-qO-", "http://localhost:8080/healthz"]\n      interval: ${bad.has('swarm-liveness-aggressive') ? '2s' : '15s'}\n      timeout: 3s\n      retries: ${bad.has('swarm-liveness-aggressive') ? 1 : 3}\n      start_period: 30s\n`;
    const update = bad.has('update-rollback-missing')
      ? ''
      : `      update_config:\n        parallelism: 1\n        order: start-first\n        failure_action: rollback\n        monitor: 60s\n      rollback_config:\n        parallelism: 1\n`;
    const mounts = [];
    if (bad.has('docker-socket-mount')) mounts.push('      - /var/run/docker.sock:/var/run/docker.sock');
    if (bad.has('local-volume-replicated')) {
      mounts.push(`      - data${i}:/data`);
      volumes.push(`  data${i}:\n    driver: local`);
    }
    const env = bad.has('swarm-secret-in-env')
      ? '      API_TOKEN: "tok-' + Math.floor(rand() * 1e9).toString(36) + '"\n'
      : '      API_TOKEN_FILE: /run/secrets/api_token\n';
    services.push(`  ${name}:
    image: registry.example.com/stack${no}/${name}:2.${Math.floor(rand() * 20)}.${Math.floor(rand() * 10)}
    environment:
      LOG_LEVEL: info
${env}${mounts.length ? `    volumes:\n${mounts.join('\n')}\n` : ''}    networks: [backend]
    secrets: [api_token]
${health}    deploy:
      replicas: ${2 + Math.floor(rand() * 3)}
${update}      restart_policy:
        condition: on-failure
        max_attempts: 5
      resources:
        limits:
          memory: ${128 * (1 + Math.floor(rand() * 4))}M
        reservations:
          cpus: "0.25"
          memory: 64M
      placement:
        max_replicas_per_node: 1
`);
  }
  return `version: "3.8"
services:
${services.join('')}networks:
  backend:
    driver: overlay
secrets:
  api_token:
    external: true
${volumes.length ? `volumes:\n${volumes.join('\n')}\n` : ''}`;
}

function parseArgs(argv) {
  const out = { resources: 1000, seed: 42, out: undefined, layout: 'tree' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--resources') out.resources = Number(argv[++i]);
    else if (a === '--seed') out.seed = Number(argv[++i]);
    else if (a === '--out') out.out = argv[++i];
    else if (a === '--layout') out.layout = argv[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(out.resources) || out.resources < 1) throw new Error('--resources must be a positive integer');
  out.out ??= path.join(path.dirname(fileURLToPath(import.meta.url)), '.work', `gen-${out.resources}`);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const summary = generate(args);
  process.stdout.write(`${JSON.stringify({ out: args.out, ...summary }, null, 2)}\n`);
}
