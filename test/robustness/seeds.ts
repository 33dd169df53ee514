/**
 * Manifests that reach every field the rules read: the seeds that odd-type and property tests mutate.
 * Each is a plain object (serialized with `yaml` by the tests).
 */

const container = {
  name: 'app',
  image: 'eclipse-temurin:21',
  command: ['java', '-jar', '/app.jar', '--password', 'seed-cmd-pw'],
  args: ['--insecure'],
  ports: [{ name: 'http', containerPort: 8080 }, { containerPort: 9090 }],
  env: [
    { name: 'JAVA_OPTS', value: '-Xmx1g' },
    { name: 'DB_PASSWORD', value: 'seed-env-pw' },
    { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
  ],
  envFrom: [{ secretRef: { name: 's' } }],
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  livenessProbe: {
    httpGet: { path: '/healthz', port: 'http' },
    failureThreshold: 1,
    periodSeconds: 5,
    initialDelaySeconds: 40,
  },
  readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
  startupProbe: { tcpSocket: { port: 8080 } },
  securityContext: { privileged: true },
  volumeMounts: [{ name: 'sock', mountPath: '/var/run/docker.sock' }],
};

const podSpec = {
  hostNetwork: true,
  hostPID: false,
  initContainers: [
    {
      name: 'init',
      image: 'busybox',
      command: ['sh', '-c', 'true'],
      restartPolicy: 'Always',
      readinessProbe: { exec: { command: ['true'] } },
    },
  ],
  containers: [container],
  volumes: [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }],
  affinity: {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } },
      ],
    },
  },
  topologySpreadConstraints: [
    {
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchLabels: { app: 'other' } },
    },
  ],
};

export const SEEDS: Record<string, Record<string, unknown>> = {
  deployment: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      labels: { app: 'web' },
      annotations: { 'shipshape.io/slow-start': 'true' },
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: podSpec },
    },
  },
  cronjob: {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly' },
    spec: {
      schedule: '0 3 * * *',
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [container] } } } },
    },
  },
  hpa: {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        {
          type: 'ContainerResource',
          containerResource: {
            name: 'memory',
            container: 'app',
            target: { type: 'Utilization', averageUtilization: 80 },
          },
        },
      ],
    },
  },
  pdb: {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      minAvailable: '100%',
      selector: {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }],
      },
    },
  },
  service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] },
  },
  secret: {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'creds' },
    type: 'Opaque',
    data: { password: 'c2VlZC1kYXRhLXB3' },
    stringData: { token: 'seed-string-data' },
  },
  limitRange: {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'defaults', namespace: 'shop' },
    spec: {
      limits: [{ type: 'Container', default: { memory: '512Mi' }, defaultRequest: { cpu: '100m', memory: '256Mi' } }],
    },
  },
  list: {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db' },
        spec: {
          replicas: 1,
          serviceName: 'db',
          selector: { matchLabels: { app: 'db' } },
          template: { metadata: { labels: { app: 'db' } }, spec: { containers: [container] } },
        },
      },
    ],
  },
  stack: {
    version: '3.8',
    services: {
      api: {
        image: 'acme/api:latest',
        command: 'serve --password seed-stack-pw',
        environment: { DB_PASSWORD: 'seed-stack-env', MODE: 'prod' },
        env_file: ['./api.env'],
        secrets: ['db'],
        volumes: ['data:/var/lib/data', '/var/run/docker.sock:/var/run/docker.sock'],
        healthcheck: {
          test: ['CMD', 'curl', '-f', 'http://localhost/'],
          interval: '5s',
          timeout: '2s',
          retries: 1,
          start_period: '0s',
        },
        deploy: {
          mode: 'replicated',
          replicas: 1,
          resources: { limits: { memory: '256M' } },
          update_config: { parallelism: 1, failure_action: 'rollback' },
          placement: { max_replicas_per_node: 1 },
        },
        network_mode: 'host',
        ports: ['8080:80'],
      },
      worker: { image: 'acme/worker:1.0', environment: ['TOKEN=seed-stack-list', 'PLAIN'], deploy: { mode: 'global' } },
    },
    volumes: { data: { driver: 'local' } },
    secrets: { db: { file: './db-password.txt' } },
  },
};
