import { defineWorkloadRule } from '../../engine/rule.js';
import type { Report } from '../../engine/rule.js';
import { formatSeconds } from '../../model/compose-values.js';
import type { Container, Workload } from '../../model/types.js';

export interface StartupProbeMissingOptions {
  slowStartSeconds: number;
  slowImages: string[];
  slowEnv: string[];
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

/** The evidence that a container runs a slow-starting runtime, as a phrase for the message; undefined without any. */
export function slowRuntimeEvidence(w: Workload, c: Container, o: StartupProbeMissingOptions): string | undefined {
  if (w.annotations[SLOW_START_ANNOTATION] === 'true') return `it is annotated ${SLOW_START_ANNOTATION}: "true"`;
  if (c.image) {
    const hit = matchesImage(c.image, o.slowImages);
    if (hit)
      return `its image ${imageRepository(c.image)} is ${/^(java|jdk|jre)$/i.test(hit) ? 'a Java runtime' : `a slow-starting runtime (${hit})`}`;
  }
  const env = c.env.find((e) => o.slowEnv.includes(e.name));
  if (env) return `it sets ${env.name}`;
  for (const token of [...c.command, ...c.args]) {
    const m = RUNTIME_FLAG.exec(token);
    if (m?.[1]) return `its command runs ${/\.dll$/i.test(m[1]) ? '.NET' : 'the JVM'} (${m[1]})`;
  }
  const heap = c.env.find((e) => e.value !== undefined && /(?:^|\s)-Xm[xs]\d/.test(e.value));
  if (heap) return `its ${heap.name} passes a JVM heap flag`;
  const named = c.name ? matchesName(c.name, o.slowImages) : undefined;
  if (named && c.image !== undefined) return `it is named ${c.name}, a slow-starting runtime (${named})`;
  return undefined;
}

export default defineWorkloadRule<StartupProbeMissingOptions>({
  id: 'startup-probe-missing',
  meta: {
    severity: 'warning',
    family: 'reliability',
    platforms: ['kubernetes', 'swarm'],
    description: 'A container that runs a slow-starting runtime has a liveness probe but no startup probe.',
    rationale:
      'Without a startup probe the liveness probe starts counting as soon as the container starts. An app that needs longer to boot than the liveness window (failureThreshold × periodSeconds) is killed before it is ready, again and again: a CrashLoopBackOff on every deploy, node restart or cold cache. ' +
      'Evidence of a slow runtime is: the shipshape.io/slow-start annotation (Swarm: label, or x-shipshape slow-start: true); an image whose path segments name a JVM or .NET runtime or a product built on one (Keycloak, Elasticsearch, Solr, Kafka, SonarQube, Jenkins… as a word of any segment, not next to exporter, operator, proxy…); an environment variable such as JAVA_OPTS, ES_JAVA_OPTS, JVM_OPTS or CATALINA_OPTS; -Xmx/-Xms, -jar, a .jar or a .dll entry point in the command, args or an environment value; a container name that names such a runtime. ' +
      "A long liveness initialDelaySeconds alone is no evidence of a slow runtime (it is the author's guess): it is reported as a note, because a startupProbe ends as soon as the app is up where the delay is paid on every start.",
    remediation:
      'Add a startupProbe with the same handler as the liveness probe, and a failureThreshold × periodSeconds that covers the slowest start (for example failureThreshold: 30, periodSeconds: 10 for 300s). Liveness only begins once it has succeeded. Swarm: set healthcheck.start_period to cover the start.',
    tags: ['probes', 'self-healing'],
  },
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
      },
    },
    defaults: { slowStartSeconds: 30, slowImages: DEFAULT_SLOW_IMAGES, slowEnv: DEFAULT_SLOW_ENV },
  },
  check(w, ctx) {
    if (w.platform === 'swarm') {
      checkStartPeriod(w, ctx.options, ctx.report);
      return;
    }
    if (w.platform !== 'kubernetes') return;
    for (const c of w.containers) {
      const live = c.liveness;
      if (c.init || !live || c.startup) continue;
      const why = slowRuntimeEvidence(w, c, ctx.options);
      const delay = live.initialDelaySeconds;
      if (!why) {
        if (delay < ctx.options.slowStartSeconds) continue;
        ctx.report({
          path: [...live.path, 'initialDelaySeconds'],
          container: c.name,
          severity: 'note',
          message:
            `container "${c.name}" delays its liveness probe by initialDelaySeconds: ${delay} instead of using a startupProbe: every start waits ${delay}s before a hung process is detected, and a start slower than that is still killed. ` +
            `Kubernetes recommends a startupProbe for slow starts: it ends as soon as the app is up (e.g. failureThreshold: ${Math.ceil(Math.max(delay * 2, 60) / 10)}, periodSeconds: 10).`,
        });
        continue;
      }
      const window = live.failureThreshold * live.periodSeconds;
      const budget = Math.max(120, delay * 2);
      const period = 10;
      ctx.report({
        path: [...c.path, 'startupProbe'],
        container: c.name,
        message:
          `container "${c.name}" has a liveness probe but no startupProbe, and it runs a slow-starting runtime: ${why}. ` +
          `Liveness restarts it after ${delay}s + ${live.failureThreshold} × ${live.periodSeconds}s = ${delay + window}s, ` +
          `so a slow boot becomes a restart loop. Add a startupProbe with the liveness handler and failureThreshold × periodSeconds ≥ ${budget}s ` +
          `(e.g. failureThreshold: ${Math.ceil(budget / period)}, periodSeconds: ${period}).`,
      });
    }
  },
});

/**
 * Swarm has no startup probe: the healthcheck's start_period is the grace time in which failed checks do not count.
 * A slow starter whose start_period is absent or short is replaced after start_period + interval × retries.
 */
function checkStartPeriod(w: Workload, o: StartupProbeMissingOptions, report: (r: Report) => void): void {
  const c = w.containers[0];
  const hc = c?.healthcheck;
  if (!c || !hc || hc.disabled || !w.longRunning) return;
  const hasPeriod = hc.explicit.has('start_period');
  if (hasPeriod && hc.startPeriod >= o.slowStartSeconds) return;
  if (!hasPeriod && w.partial) return; // a fragment of a multi-file deploy: the base file may set start_period
  const why = slowRuntimeEvidence(w, c, o);
  if (!why) return;
  const start = hasPeriod ? hc.startPeriod : 0;
  const giveUp = start + hc.interval * hc.retries;
  const budget = Math.max(120, start * 2);
  report({
    path: [...hc.path, 'start_period'],
    container: w.name,
    message:
      `service "${w.name}" runs a slow-starting runtime (${why}) but its healthcheck ${hasPeriod ? `start_period is ${formatSeconds(hc.startPeriod)}, under ${o.slowStartSeconds}s` : 'has no start_period'}: ` +
      `failed checks count from the start, and Swarm replaces the task after ${formatSeconds(start)} + ${formatSeconds(hc.interval)} × ${hc.retries} = ${formatSeconds(giveUp)}, ` +
      `so a slow boot becomes a restart loop. Set start_period to cover the slowest start (e.g. start_period: ${formatSeconds(budget)}, with start_interval: 5s to check often during it).`,
  });
}
