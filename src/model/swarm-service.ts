import { isObject, stringMap } from './json.js';
import { composeNumber, composeString, parseDuration, shellSplit } from './compose-values.js';
import type { Container, EnvVar, Healthcheck, JsonObject, Path, Resource, SwarmService } from './types.js';

/** Compose healthcheck defaults (Docker applies them when a field is absent or 0). */
export const HEALTHCHECK_DEFAULTS = {
  interval: 30,
  timeout: 30,
  retries: 3,
  start_period: 0,
  start_interval: 5,
} as const;

export type DeployMode = 'replicated' | 'global' | 'replicated-job' | 'global-job';
export const DEPLOY_MODES: readonly DeployMode[] = ['replicated', 'global', 'replicated-job', 'global-job'];

/** One workload per service of a stack file, in file order. */
export function swarmWorkloads(resource: Resource): SwarmService[] {
  if (resource.platform !== 'swarm' || resource.kind !== 'Stack' || !isObject(resource.value.services)) return [];
  const out: SwarmService[] = [];
  const composeOnly = isComposeOnly(resource);
  for (const [name, raw] of Object.entries(resource.value.services)) {
    if (isObject(raw)) out.push({ ...swarmWorkload(resource, name, raw), ...(composeOnly ? { composeOnly } : {}) });
  }
  return out;
}

/** A compose file with no Swarm signal: no service has `deploy:` and the file name does not say "stack". */
export function isComposeOnly(resource: Resource): boolean {
  if (/stack/i.test(resource.file.path.split('/').pop() ?? '')) return false;
  const services = isObject(resource.value.services) ? resource.value.services : {};
  return !Object.values(services).some((s) => isObject(s) && s.deploy !== undefined);
}

/** A service with neither image nor build (nor extends) only makes sense merged over a base file (`-c a.yml -c b.yml`). */
export function isPartial(service: JsonObject): boolean {
  return !Object.hasOwn(service, 'image') && !Object.hasOwn(service, 'build') && !Object.hasOwn(service, 'extends');
}

/** The deploy mode as written (`replicated` when absent); a mode Docker does not know is returned as written. */
export function deployMode(service: JsonObject): string {
  const deploy = isObject(service.deploy) ? service.deploy : {};
  return composeString(deploy.mode) ?? 'replicated';
}

function swarmWorkload(resource: Resource, name: string, service: JsonObject): SwarmService {
  const path: Path = ['services', name];
  const deploy = isObject(service.deploy) ? service.deploy : {};
  const mode = deployMode(service);
  const replicated = mode === 'replicated';
  const rawReplicas = deploy.replicas;
  const replicasExplicit = rawReplicas !== undefined && rawReplicas !== null;
  // An interpolated count without default (`${REPLICAS}`) is unknown: undefined, like a kind without replicas.
  const replicas = replicated ? (replicasExplicit ? composeNumber(rawReplicas) : 1) : undefined;
  // Swarm has no annotations: service labels stand for them (shipshape.io/slow-start), and x-shipshape can say it too.
  const ext = isObject(service['x-shipshape']) ? service['x-shipshape'] : {};
  const labels = {
    ...labelMap(service.labels),
    ...labelMap(deploy.labels),
    ...(ext['slow-start'] === true ? { 'shipshape.io/slow-start': 'true' } : {}),
  };
  const container = swarmContainer(resource, name, service, path);
  return {
    resource,
    platform: 'swarm',
    kind: 'Service',
    name,
    namespace: undefined,
    path,
    replicas,
    replicasExplicit,
    replicasPath: [...path, 'deploy', 'replicas'],
    podTemplatePath: path,
    podSpecPath: path,
    podSpec: undefined,
    podLabels: {},
    annotations: labels,
    containers: [container],
    container,
    longRunning: mode !== 'replicated-job' && mode !== 'global-job',
    service,
    ...(isPartial(service) ? { partial: true } : {}),
  };
}

function swarmContainer(resource: Resource, name: string, service: JsonObject, path: Path): Container {
  return {
    name,
    path,
    image: typeof service.image === 'string' ? service.image : undefined,
    imagePath: [...path, 'image'],
    init: false,
    env: [...envFileVars(resource, service), ...environmentVars(service.environment, [...path, 'environment'])],
    ports: [],
    // Docker semantics: entrypoint replaces the image ENTRYPOINT, command its CMD.
    command: commandTokens(service.entrypoint),
    args: commandTokens(service.command),
    resources: isObject(service.deploy) && isObject(service.deploy.resources) ? service.deploy.resources : undefined,
    liveness: undefined,
    readiness: undefined,
    startup: undefined,
    ...(service.healthcheck !== undefined
      ? { healthcheck: readHealthcheck(service.healthcheck, [...path, 'healthcheck']) }
      : {}),
  };
}

/** `labels` and `deploy.labels`, map or `KEY=VALUE` list. */
export function labelMap(v: unknown): Record<string, string> {
  if (Array.isArray(v)) {
    const out: Record<string, string> = {};
    for (const item of v) {
      if (typeof item !== 'string') continue;
      const eq = item.indexOf('=');
      out[eq === -1 ? item : item.slice(0, eq)] = eq === -1 ? '' : item.slice(eq + 1);
    }
    return out;
  }
  return stringMap(v);
}

/** `environment` in map form (`KEY: value`) or list form (`- KEY=value`), each with the path of its entry. */
export function environmentVars(raw: unknown, path: Path): EnvVar[] {
  const out: EnvVar[] = [];
  if (isObject(raw)) {
    for (const [k, v] of Object.entries(raw)) {
      const value = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
      out.push({ name: k, value, fromRef: value === undefined, path: [...path, k], valuePath: [...path, k] });
    }
  } else if (Array.isArray(raw)) {
    raw.forEach((item, i) => {
      if (typeof item !== 'string' && typeof item !== 'number') return;
      const s = String(item);
      const eq = s.indexOf('=');
      // `- KEY` alone takes the value from the shell that runs docker stack deploy.
      const value = eq === -1 ? undefined : s.slice(eq + 1);
      out.push({
        name: eq === -1 ? s : s.slice(0, eq),
        value,
        fromRef: value === undefined,
        path: [...path, i],
        valuePath: [...path, i],
      });
    });
  }
  return out;
}

/** The `env_file` entries of a service as written (string, list of strings, or Compose's `{path}` objects). */
export function envFileEntries(service: JsonObject): { file: string; path: Path }[] {
  const raw = service.env_file;
  if (typeof raw === 'string') return [{ file: raw, path: ['env_file'] }];
  if (!Array.isArray(raw)) return [];
  const out: { file: string; path: Path }[] = [];
  raw.forEach((item, i) => {
    if (typeof item === 'string') out.push({ file: item, path: ['env_file', i] });
    else if (isObject(item) && typeof item.path === 'string')
      out.push({ file: item.path, path: ['env_file', i, 'path'] });
  });
  return out;
}

function envFileVars(resource: Resource, service: JsonObject): EnvVar[] {
  const out: EnvVar[] = [];
  for (const entry of envFileEntries(service)) {
    const ref = resource.envFiles?.get(entry.file);
    const file = ref?.resource;
    if (!file) continue;
    for (const [k, v] of Object.entries(file.value)) {
      const value = typeof v === 'string' ? v : undefined;
      out.push({ name: k, value, fromRef: value === undefined, path: [k], valuePath: [k], resource: file });
    }
  }
  return out;
}

/** `command` / `entrypoint`: a string is split like a shell would (no expansion), a list is taken as is. */
export function commandTokens(v: unknown): string[] {
  if (typeof v === 'string') return shellSplit(v);
  if (Array.isArray(v)) return v.filter((x) => typeof x === 'string' || typeof x === 'number').map(String);
  return [];
}

/** The healthcheck with Compose defaults; a value that cannot be read counts as absent (swarm-invalid-value reports it). */
export function readHealthcheck(raw: unknown, path: Path): Healthcheck {
  const hc = isObject(raw) ? raw : {};
  const explicit = new Set<string>();
  const seconds = (k: 'interval' | 'timeout' | 'start_period' | 'start_interval'): number => {
    const s = composeString(hc[k]);
    if (s === undefined) return HEALTHCHECK_DEFAULTS[k];
    const d = parseDuration(s);
    if (!d.ok || d.seconds < 0) return HEALTHCHECK_DEFAULTS[k];
    explicit.add(k);
    // Docker treats 0 as "not set" and applies its default.
    return d.seconds === 0 ? HEALTHCHECK_DEFAULTS[k] : d.seconds;
  };
  const retriesRaw = composeNumber(hc.retries);
  if (retriesRaw !== undefined) explicit.add('retries');
  const test = typeof hc.test === 'string' ? ['CMD-SHELL', hc.test] : commandTokens(hc.test);
  return {
    path,
    interval: seconds('interval'),
    timeout: seconds('timeout'),
    retries: retriesRaw !== undefined && retriesRaw > 0 ? retriesRaw : HEALTHCHECK_DEFAULTS.retries,
    startPeriod: seconds('start_period'),
    startInterval: seconds('start_interval'),
    disabled: hc.disable === true || (test.length > 0 && test[0] === 'NONE'),
    test,
    explicit,
  };
}

/** A service volume mount, short (`src:dst[:mode]`) or long syntax. */
export interface ServiceMount {
  /** `volume` (named or anonymous), `bind`, `tmpfs`, `npipe`, `cluster` or as written. */
  type: string;
  source: string | undefined;
  target: string | undefined;
  readOnly: boolean;
  path: Path;
  /** Path of the source as written: the item for the short syntax, `source` for the long one. */
  sourcePath: Path;
}

export function serviceMounts(service: JsonObject, servicePath: Path): ServiceMount[] {
  if (!Array.isArray(service.volumes)) return [];
  const out: ServiceMount[] = [];
  service.volumes.forEach((v, i) => {
    const path: Path = [...servicePath, 'volumes', i];
    if (typeof v === 'string') out.push({ ...parseShortVolume(v), path, sourcePath: path });
    else if (isObject(v)) {
      const source = typeof v.source === 'string' ? v.source : undefined;
      out.push({
        type: typeof v.type === 'string' ? v.type : 'volume',
        source,
        target: typeof v.target === 'string' ? v.target : undefined,
        readOnly: v.read_only === true,
        path,
        sourcePath: source !== undefined ? [...path, 'source'] : path,
      });
    }
  });
  return out;
}

const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;

/** docker/cli `loader.ParseVolume`, simplified: `[source:]target[:mode]`, Windows drive letters kept whole. */
export function parseShortVolume(spec: string): Omit<ServiceMount, 'path' | 'sourcePath'> {
  const parts: string[] = [];
  let rest = spec;
  while (rest.length) {
    if (WINDOWS_DRIVE.test(rest)) {
      const next = rest.indexOf(':', 2);
      parts.push(next === -1 ? rest : rest.slice(0, next));
      rest = next === -1 ? '' : rest.slice(next + 1);
      continue;
    }
    const next = rest.indexOf(':');
    parts.push(next === -1 ? rest : rest.slice(0, next));
    rest = next === -1 ? '' : rest.slice(next + 1);
  }
  if (parts.length === 1) return { type: 'volume', source: undefined, target: parts[0], readOnly: false };
  const [source = '', target, mode = ''] = parts;
  const bind =
    /^[./~]/.test(source) || WINDOWS_DRIVE.test(source) || source.startsWith('\\\\') || source.startsWith('$');
  return { type: bind ? 'bind' : 'volume', source, target, readOnly: mode.split(',').includes('ro') };
}
