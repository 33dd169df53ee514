import { defineWorkloadRule } from '../../engine/rule.js';
import type { Report } from '../../engine/rule.js';
import { formatSeconds } from '../../model/compose.js';
import type { Container, Workload } from '../../model/types.js';

export interface StartupProbeMissingOptions {
  slowStartSeconds: number;
  slowImages: string[];
  slowEnv: string[];
}

export const SLOW_START_ANNOTATION = 'shipshape.io/slow-start';

const DEFAULT_SLOW_IMAGES = [
  'openjdk', 'eclipse-temurin', 'amazoncorretto', 'azul/zulu-openjdk', 'ibm-semeru-runtimes', 'sapmachine', 'bitnami/java',
  'tomcat', 'wildfly', 'jboss', 'keycloak', 'elasticsearch', 'opensearch', 'logstash', 'sonarqube', 'jenkins', 'nexus3',
  'cp-kafka', 'kafka', 'zookeeper', 'cassandra', 'solr', 'neo4j', 'dotnet/aspnet', 'dotnet/runtime', 'dotnet/sdk',
];

/** The repository path of an image, lower-cased, without registry port, tag or digest: `quay.io/keycloak/keycloak`. */
export function imageRepository(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return (colon > slash ? noDigest.slice(0, colon) : noDigest).toLowerCase();
}

export function matchesImage(image: string, patterns: readonly string[]): string | undefined {
  const repo = `/${imageRepository(image)}/`;
  return patterns.find((p) => repo.includes(`/${p.toLowerCase()}/`));
}

/** Why a container is judged slow to start, or undefined. Shared with the Swarm check. */
export function slowStartReason(w: Workload, c: Container, o: StartupProbeMissingOptions, initialDelay?: number): string | undefined {
  if (w.annotations[SLOW_START_ANNOTATION] === 'true') return `it is annotated ${SLOW_START_ANNOTATION}: "true"`;
  if (initialDelay !== undefined && initialDelay >= o.slowStartSeconds)
    return `its liveness probe waits ${initialDelay}s before the first check (initialDelaySeconds ≥ ${o.slowStartSeconds}s), so the app is known to boot slowly`;
  const hit = c.image ? matchesImage(c.image, o.slowImages) : undefined;
  if (hit && c.image) {
    const repo = imageRepository(c.image);
    return `its image ${repo} is a slow-starting runtime${repo.endsWith(hit) ? '' : ` (${hit})`}`;
  }
  const env = c.env.find((e) => o.slowEnv.includes(e.name));
  if (env) return `it sets ${env.name}, so it runs on the JVM`;
  return undefined;
}

export default defineWorkloadRule<StartupProbeMissingOptions>({
  id: 'startup-probe-missing',
  meta: {
    severity: 'warning',
    family: 'reliability',
    platforms: ['kubernetes', 'swarm'],
    description: 'A slow-starting container has a liveness probe but no startup probe.',
    rationale:
      'Without a startup probe the liveness probe starts counting as soon as the container starts. An app that needs longer to boot than the liveness window (failureThreshold × periodSeconds) is killed before it is ready, again and again: a CrashLoopBackOff on every deploy, node restart or cold cache.',
    remediation:
      'Add a startupProbe with the same handler as the liveness probe, and a failureThreshold × periodSeconds that covers the slowest start (for example failureThreshold: 30, periodSeconds: 10 for 300s). Liveness only begins once it has succeeded. Swarm: set healthcheck.start_period to cover the start.',
    tags: ['probes', 'self-healing'],
  },
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        slowStartSeconds: { type: 'integer', minimum: 0, description: 'A liveness initialDelaySeconds (or Swarm start_period) at or above this marks the app as slow to start.' },
        slowImages: { type: 'array', items: { type: 'string' }, description: 'Image repository path segments of slow-starting runtimes (JVM, .NET…).' },
        slowEnv: { type: 'array', items: { type: 'string' }, description: 'Environment variables whose presence means a JVM.' },
      },
    },
    defaults: { slowStartSeconds: 30, slowImages: DEFAULT_SLOW_IMAGES, slowEnv: ['JAVA_OPTS', 'JAVA_TOOL_OPTIONS', 'JDK_JAVA_OPTIONS'] },
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
      const why = slowStartReason(w, c, ctx.options, live.initialDelaySeconds);
      if (!why) continue;
      const window = live.failureThreshold * live.periodSeconds;
      const budget = Math.max(120, live.initialDelaySeconds * 2);
      const period = 10;
      ctx.report({
        path: [...c.path, 'startupProbe'],
        container: c.name,
        message:
          `container "${c.name}" has a liveness probe but no startupProbe, and it is slow to start: ${why}. ` +
          `Liveness restarts it after ${live.initialDelaySeconds}s + ${live.failureThreshold} × ${live.periodSeconds}s = ${live.initialDelaySeconds + window}s, ` +
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
  const why = slowStartReason(w, c, o);
  if (!why) return;
  const start = hasPeriod ? hc.startPeriod : 0;
  const giveUp = start + hc.interval * hc.retries;
  const budget = Math.max(120, start * 2);
  report({
    path: [...hc.path, 'start_period'],
    container: w.name,
    message:
      `service "${w.name}" is slow to start (${why}) but its healthcheck ${hasPeriod ? `start_period is ${formatSeconds(hc.startPeriod)}, under ${o.slowStartSeconds}s` : 'has no start_period'}: ` +
      `failed checks count from the start, and Swarm replaces the task after ${formatSeconds(start)} + ${formatSeconds(hc.interval)} × ${hc.retries} = ${formatSeconds(giveUp)}, ` +
      `so a slow boot becomes a restart loop. Set start_period to cover the slowest start (e.g. start_period: ${formatSeconds(budget)}, with start_interval: 5s to check often during it).`,
  });
}
