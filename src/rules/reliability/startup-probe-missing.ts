import { defineWorkloadRule } from '../../engine/rule.js';
import { formatSeconds } from '../../model/compose-values.js';
import type { Container, Workload } from '../../model/types.js';
import { startupProbeFix } from './lib/k8s-fixes.js';
import { startPeriodFix } from '../swarm/lib/swarm-fixes.js';

export interface StartupProbeMissingOptions {
  slowStartSeconds: number;
  slowImages: string[];
  slowEnv: string[];
  startupWindowSeconds: number;
}

export const SLOW_START_ANNOTATION = 'shipshape.io/slow-start';

/** Names of slow-starting runtimes and the products built on them (JVM, .NET), matched as words of an image or container name. */
const DEFAULT_SLOW_IMAGES = [
  'openjdk',
  'eclipse-temurin',
  'temurin',
  'amazoncorretto',
  'corretto',
  'azul/zulu-openjdk',
  'ibm-semeru-runtimes',
  'sapmachine',
  'bitnami/java',
  'java',
  'jdk',
  'jre',
  'tomcat',
  'wildfly',
  'jboss',
  'keycloak',
  'elasticsearch',
  'opensearch',
  'logstash',
  'sonarqube',
  'jenkins',
  'nexus3',
  'cp-kafka',
  'kafka',
  'zookeeper',
  'cassandra',
  'solr',
  'neo4j',
  'dotnet/aspnet',
  'dotnet/runtime',
  'dotnet/sdk',
  'aspnet',
  'nifi',
  'flink',
  'spark',
  'hbase',
  'druid',
  'trino',
  'presto',
  'artifactory',
  'confluence',
  'jira',
  'bitbucket',
  'graylog',
  'activemq',
  'artemis',
  'jetty',
  'payara',
  'glassfish',
  'liberty',
  'websphere',
];

/** Words that, next to a runtime's name, mean a small companion program (mostly Go), not the runtime itself. */
const COMPANION_WORDS = new Set([
  'exporter',
  'operator',
  'controller',
  'curator',
  'adapter',
  'cli',
  'client',
  'init',
  'sidecar',
  'reloader',
  'proxy',
  'metrics',
  'dashboard',
  'ui',
  'hq',
  'backup',
  'snapshot',
  'sync',
  'webhook',
  'admission',
  'setup',
  'job',
  'migrate',
  'migration',
]);

const DEFAULT_SLOW_ENV = [
  'JAVA_OPTS',
  'JAVA_TOOL_OPTIONS',
  'JDK_JAVA_OPTIONS',
  '_JAVA_OPTIONS',
  'JVM_OPTS',
  'CATALINA_OPTS',
  'ES_JAVA_OPTS',
  'OPENSEARCH_JAVA_OPTS',
  'LS_JAVA_OPTS',
  'KAFKA_HEAP_OPTS',
  'KAFKA_OPTS',
  'SOLR_JAVA_MEM',
  'SOLR_OPTS',
  'JENKINS_OPTS',
  'SONAR_WEB_JAVAOPTS',
  'SONAR_CE_JAVAOPTS',
  'JAVA_MEM_OPTS',
  'ASPNETCORE_URLS',
];

/** A JVM heap flag, `-jar`, a `.jar` or a `.dll` entry point in a command line or an environment value. */
const RUNTIME_FLAG = /(?:^|[\s"'=])(-Xm[xs]\d+[kmgKMG]?|-jar(?=$|\s)|[\w./-]+\.jar|[\w./-]+\.dll)(?=$|[\s"';])/;

/** The repository path of an image, lower-cased, without registry port, tag or digest: `quay.io/keycloak/keycloak`. */
export function imageRepository(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return (colon > slash ? noDigest.slice(0, colon) : noDigest).toLowerCase();
}

/**
 * The pattern that names this image a slow runtime: a pattern with a `/` must appear as whole path segments; a word
 * must be one of the `-`/`_`/`.`-separated words of a path segment (`docker-elasticsearch-kubernetes`), unless that
 * segment also names a companion program (`elasticsearch-exporter`).
 */
export function matchesImage(image: string, patterns: readonly string[]): string | undefined {
  return matchesName(imageRepository(image), patterns);
}

function matchesName(repo: string, patterns: readonly string[]): string | undefined {
  const segments = repo.toLowerCase().split('/');
  const wrapped = `/${segments.join('/')}/`;
  for (const raw of patterns) {
    const p = raw.toLowerCase();
    if (p.includes('/')) {
      if (wrapped.includes(`/${p}/`)) return raw;
      continue;
    }
    for (const seg of segments) {
      if (seg === p) return raw;
      const words = seg.split(/[-_.]+/);
      const pw = p.split(/[-_.]+/);
      const at = words.findIndex((_, i) => pw.every((w, j) => words[i + j] === w));
      if (at !== -1 && !words.some((w) => COMPANION_WORDS.has(w))) return raw;
    }
  }
  return undefined;
}

/** The evidence that a container runs a slow-starting runtime, in a few words for the message; undefined without any. */
export function slowRuntimeEvidence(w: Workload, c: Container, o: StartupProbeMissingOptions): string | undefined {
  if (w.annotations[SLOW_START_ANNOTATION] === 'true') return `${SLOW_START_ANNOTATION}: "true"`;
  if (c.image) {
    const hit = matchesImage(c.image, o.slowImages);
    if (hit) return `image ${/^(java|jdk|jre)$/i.test(hit) ? 'is a Java runtime' : `names ${hit}`}`;
  }
  const env = c.env.find((e) => o.slowEnv.includes(e.name));
  if (env) return `sets ${env.name}`;
  for (const token of [...c.command, ...c.args]) {
    const m = RUNTIME_FLAG.exec(token);
    if (m?.[1]) return `runs ${/\.dll$/i.test(m[1]) ? '.NET' : 'the JVM'}: ${m[1]}`;
  }
  const heap = c.env.find((e) => e.value !== undefined && /(?:^|\s)-Xm[xs]\d/.test(e.value));
  if (heap) return `JVM heap flag in ${heap.name}`;
  const named = c.name ? matchesName(c.name, o.slowImages) : undefined;
  if (named && c.image !== undefined) return `named for ${named}`;
  return undefined;
}

export default defineWorkloadRule<StartupProbeMissingOptions>({
  id: 'startup-probe-missing',
  meta: {
    severity: 'warning',
    family: 'reliability',
    description: 'A container that runs a slow-starting runtime has a liveness probe but no startup probe.',
    rationale:
      'Without a startup probe the liveness probe starts counting as soon as the container starts. An app that needs longer to boot than the liveness window (failureThreshold × periodSeconds) is killed before it is ready, again and again: a CrashLoopBackOff on every deploy, node restart or cold cache. ' +
      'Evidence of a slow runtime is: the shipshape.io/slow-start annotation (Swarm: label, or x-shipshape slow-start: true); an image whose path segments name a JVM or .NET runtime or a product built on one (Keycloak, Elasticsearch, Solr, Kafka, SonarQube, Jenkins… as a word of any segment, not next to exporter, operator, proxy…); an environment variable such as JAVA_OPTS, ES_JAVA_OPTS, JVM_OPTS or CATALINA_OPTS; -Xmx/-Xms, -jar, a .jar or a .dll entry point in the command, args or an environment value; a container name that names such a runtime. ' +
      "A long liveness initialDelaySeconds alone is no evidence of a slow runtime (it is the author's guess): it is reported as a note, because a startupProbe ends as soon as the app is up where the delay is paid on every start.",
    remediation:
      'Add a startupProbe with the same handler as the liveness probe, and a failureThreshold × periodSeconds that covers the slowest start (for example failureThreshold: 30, periodSeconds: 10 for 300s). Liveness only begins once it has succeeded. `shipshape --fix` adds one with the liveness handler, covering the startupWindowSeconds option (300s). Swarm: set healthcheck.start_period to cover the start (`shipshape --fix` sets slowStartSeconds, 30s by default).',

    tags: ['probes', 'self-healing'],
    messages: {
      slowRuntime:
        '{{subject}} starts slowly ({{evidence}}), has no startupProbe; liveness kills it at {{restartAfter}}s',
      initialDelay: '{{subject}} delays liveness by initialDelaySeconds: {{delay}} instead of a startupProbe',
      noStartPeriod: '{{subject}} starts slowly ({{evidence}}), its healthcheck has no start_period',
      shortStartPeriod:
        '{{subject}} starts slowly ({{evidence}}), its healthcheck start_period is {{period}}, under {{min}}s',
    },
  },
  applies: { platforms: ['kubernetes', 'swarm'] },
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        slowStartSeconds: {
          type: 'integer',
          minimum: 0,
          description:
            'A liveness initialDelaySeconds at or above this, without a startupProbe, is reported as a note (Swarm: a start_period at or above it is enough for a slow runtime).',
        },
        slowImages: {
          type: 'array',
          items: { type: 'string' },
          description:
            'Names of slow-starting runtimes (JVM, .NET…): a word of an image path segment or container name, or whole segments when it has a `/`.',
        },
        slowEnv: {
          type: 'array',
          items: { type: 'string' },
          description: 'Environment variables whose presence means a JVM or .NET runtime.',
        },
        startupWindowSeconds: {
          type: 'integer',
          minimum: 1,
          description:
            'Kubernetes: how long the startupProbe that `shipshape --fix` adds for a slow runtime lets it start (failureThreshold × periodSeconds), at least the time liveness gives it now.',
        },
      },
    },
    defaults: {
      slowStartSeconds: 30,
      slowImages: DEFAULT_SLOW_IMAGES,
      slowEnv: DEFAULT_SLOW_ENV,
      startupWindowSeconds: 300,
    },
  },
  kubernetes(w, ctx) {
    for (const c of w.containers) {
      const live = c.liveness;
      if (c.init || !live || c.startup) continue;
      const evidence = slowRuntimeEvidence(w, c, ctx.options);
      const delay = live.initialDelaySeconds;
      if (!evidence) {
        if (delay < ctx.options.slowStartSeconds) continue;
        // The startup probe takes over the delay: it gives the start as long as liveness gives it now.
        const fix = startupProbeFix(w, c, live, delay + live.failureThreshold * live.periodSeconds);
        ctx.report({
          path: [...live.path, 'initialDelaySeconds'],
          container: c.name,
          severity: 'note',
          messageId: 'initialDelay',
          data: { delay },
          ...(fix ? { fix } : {}),
        });
        continue;
      }
      const restartAfter = delay + live.failureThreshold * live.periodSeconds;
      const fix = startupProbeFix(w, c, live, Math.max(ctx.options.startupWindowSeconds, restartAfter));
      ctx.report({
        path: [...c.path, 'startupProbe'],
        container: c.name,
        messageId: 'slowRuntime',
        data: { evidence, restartAfter },
        ...(fix ? { fix } : {}),
      });
    }
  },
  /**
   * Swarm has no startup probe: the healthcheck's start_period is the grace time in which failed checks do not count.
   * A slow starter whose start_period is absent or short is replaced after start_period + interval × retries.
   */
  swarm(s, ctx) {
    const o = ctx.options;
    const hc = s.container.healthcheck;
    if (!hc || hc.disabled || !s.longRunning) return;
    const hasPeriod = hc.explicit.has('start_period');
    if (hasPeriod && hc.startPeriod >= o.slowStartSeconds) return;
    if (!hasPeriod && s.partial) return; // a fragment of a multi-file deploy: the base file may set start_period
    const evidence = slowRuntimeEvidence(s, s.container, o);
    if (!evidence) return;
    const fix = startPeriodFix(s, hc, o.slowStartSeconds);
    const at = { path: [...hc.path, 'start_period'], container: s.name, ...(fix ? { fix } : {}) };
    if (hasPeriod)
      ctx.report({
        ...at,
        messageId: 'shortStartPeriod',
        data: { evidence, period: formatSeconds(hc.startPeriod), min: o.slowStartSeconds },
      });
    else
      ctx.report({
        ...at,
        messageId: 'noStartPeriod',
        data: { evidence, giveUp: formatSeconds(hc.interval * hc.retries) },
      });
  },
});
