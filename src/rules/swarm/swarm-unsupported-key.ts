import { isComposeOnly } from '../../model/swarm-service.js';
import { defineResourceRule, type RuleContext } from '../../engine/rule.js';
import { didYouMean } from '../../model/suggest.js';
import { isObject } from '../../model/json.js';
import type { JsonObject, Path } from '../../model/types.js';
import {
  COMPOSE_ONLY_SERVICE_KEYS,
  COMPOSE_ONLY_TOP_LEVEL_KEYS,
  CONFIG_DEFINITION_KEYS,
  DEPLOY_KEYS,
  FORBIDDEN_SERVICE_KEYS,
  LONG_PORT_KEYS,
  RESOURCE_LIMIT_KEYS,
  RESOURCE_RESERVATION_KEYS,
  SECRET_DEFINITION_KEYS,
  V3_SERVICE_KEYS,
  V3_TOP_LEVEL_KEYS,
} from './lib/docker-keys.js';

const HEALTHCHECK_KEYS = new Set([
  'disable',
  'interval',
  'retries',
  'test',
  'timeout',
  'start_period',
  'start_interval',
]);
/** docker/cli ships schemas 3.0 to 3.14; "3" and no version mean the default, 3.13. */
const LATEST_MINOR = 14;

type Ctx = RuleContext<Record<string, never>, undefined>;

function isExtension(key: string): boolean {
  return key.startsWith('x-');
}

/** Why a `version:` value makes docker stack deploy fail, or undefined when it is accepted. */
export function unsupportedVersion(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = String(v).trim();
  if (s.includes('$')) return undefined;
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return `version "${s}" is not a Compose file version`;
  const major = Number(m[1]);
  const minor = m[2] === undefined ? undefined : Number(m[2]);
  if (major === 3 && (minor === undefined || minor <= LATEST_MINOR)) return undefined;
  if (major < 3)
    return `version "${s}" is a Compose file format 1/2 version: docker stack deploy only reads version 3 files and fails with "unsupported Compose file version: ${s}". Use "3.8" or later (or remove version:, which means the latest 3.x), and move 2.x settings such as mem_limit and cpus into deploy.resources`;
  return `version "${s}" has no schema in docker stack deploy (it knows 3.0 to 3.${LATEST_MINOR}) and fails with "unsupported Compose file version: ${s}"`;
}

function checkKeys(
  ctx: Ctx,
  obj: JsonObject,
  at: Path,
  allowed: ReadonlySet<string>,
  where: string,
  allowExtensions: boolean,
): void {
  for (const key of Object.keys(obj)) {
    if (allowed.has(key) || (allowExtensions && isExtension(key))) continue;
    const hint = isExtension(key)
      ? `: x-* extension fields are not allowed inside ${where}, only at the top level, in services, networks, volumes, secrets and configs`
      : didYouMean(key, allowed);
    ctx.report({
      path: [...at, key],
      message: `${where}: "${key}" is not part of the Compose file format docker stack deploy validates against, so the deploy fails${hint}.`,
    });
  }
}

function checkService(ctx: Ctx, name: string, s: JsonObject): void {
  const at: Path = ['services', name];
  const fail = (p: Path, why: string): void =>
    ctx.report({ path: [...at, ...p], message: `service "${name}": ${why}` });
  for (const key of Object.keys(s)) {
    if (isExtension(key) || V3_SERVICE_KEYS.has(key)) continue;
    // Own keys only: a key named `constructor` or `toString` must not find Object.prototype's.
    const forbidden = Object.hasOwn(FORBIDDEN_SERVICE_KEYS, key) ? FORBIDDEN_SERVICE_KEYS[key] : undefined;
    if (forbidden) {
      fail([key], `${key} makes docker stack deploy fail ("Compose file contains unsupported options"): ${forbidden}.`);
      continue;
    }
    const composeOnly = Object.hasOwn(COMPOSE_ONLY_SERVICE_KEYS, key) ? COMPOSE_ONLY_SERVICE_KEYS[key] : undefined;
    if (composeOnly)
      fail(
        [key],
        `${key} is a docker compose key that the stack file format does not have; docker stack deploy fails with "Additional property ${key} is not allowed". ${capitalize(composeOnly)}.`,
      );
    else
      fail(
        [key],
        `"${key}" is not a service key of the Compose file format docker stack deploy validates against, so the deploy fails${didYouMean(key, V3_SERVICE_KEYS)}.`,
      );
  }
  // Neither image nor build: a fragment of a multi-file deploy (-c base.yml -c this.yml) whose image is in the base.
  if (
    (s.image === null || s.image === '' || (s.image === undefined && s.build !== undefined)) &&
    s.extends === undefined
  )
    fail(
      s.build !== undefined ? ['build'] : [],
      `has no image: docker stack deploy does not build images${s.build !== undefined ? ' (build is ignored)' : ''}, and a service without an image is rejected. Build and push the image in CI and set image: to its name and tag.`,
    );
  if (isObject(s.depends_on))
    fail(
      ['depends_on'],
      'the long form of depends_on (with condition) makes docker stack deploy fail: the stack format only has a list of names, and Swarm never enforces startup order anyway. Make the service retry its dependencies, and use a plain list if you keep depends_on.',
    );
  if (Array.isArray(s.env_file))
    s.env_file.forEach((e, i) => {
      if (isObject(e))
        fail(
          ['env_file', i],
          'the long form of env_file (path, required) makes docker stack deploy fail: write the path as a plain string.',
        );
    });
  if (Array.isArray(s.ports)) {
    s.ports.forEach((p, i) => {
      if (!isObject(p)) return;
      for (const key of Object.keys(p)) {
        if (LONG_PORT_KEYS.has(key)) continue;
        if (key === 'host_ip')
          fail(
            ['ports', i, key],
            'ports[].host_ip makes docker stack deploy fail, and Swarm could not bind a published port to one address anyway: the routing mesh listens on every interface. Remove it and keep the port private by not publishing it, or with a firewall.',
          );
        else
          fail(
            ['ports', i, key],
            `ports[].${key} is not allowed in the stack file format, so the deploy fails${didYouMean(key, LONG_PORT_KEYS)}.`,
          );
      }
    });
  }
  if (isObject(s.healthcheck))
    checkKeys(ctx, s.healthcheck, [...at, 'healthcheck'], HEALTHCHECK_KEYS, `service "${name}" healthcheck`, false);
  const deploy = s.deploy;
  if (!isObject(deploy)) return;
  checkKeys(ctx, deploy, [...at, 'deploy'], DEPLOY_KEYS, `service "${name}" deploy`, false);
  const res = deploy.resources;
  if (!isObject(res)) return;
  checkKeys(
    ctx,
    res,
    [...at, 'deploy', 'resources'],
    new Set(['limits', 'reservations']),
    `service "${name}" deploy.resources`,
    false,
  );
  if (isObject(res.limits))
    checkKeys(
      ctx,
      res.limits,
      [...at, 'deploy', 'resources', 'limits'],
      RESOURCE_LIMIT_KEYS,
      `service "${name}" deploy.resources.limits`,
      false,
    );
  if (isObject(res.reservations)) {
    const r = res.reservations;
    for (const key of Object.keys(r)) {
      if (RESOURCE_RESERVATION_KEYS.has(key)) continue;
      if (key === 'devices')
        fail(
          ['deploy', 'resources', 'reservations', 'devices'],
          'deploy.resources.reservations.devices (GPU reservations) is a docker compose feature and makes docker stack deploy fail. In Swarm, advertise GPUs as node generic resources and reserve them with reservations.generic_resources.',
        );
      else
        fail(
          ['deploy', 'resources', 'reservations', key],
          `deploy.resources.reservations.${key} is not allowed in the stack file format, so the deploy fails${didYouMean(key, RESOURCE_RESERVATION_KEYS)}.`,
        );
    }
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export default defineResourceRule({
  id: 'swarm-unsupported-key',
  kinds: ['Stack'],
  meta: {
    severity: 'error',
    family: 'swarm',
    platforms: ['swarm'],
    description: 'A stack file uses a key or a form that makes docker stack deploy fail.',
    rationale:
      'docker stack deploy validates the file against the Compose file format v3 and refuses it as a whole when it meets a docker compose-only key (top-level name, include, profiles, cpus, mem_limit, pull_policy…), the long form of depends_on, ports[].host_ip, GPU device reservations, an x-* field inside deploy, a version 2.x file, or a service without an image. Docker often says only "forbidden properties" or "Additional property … is not allowed", and only once the change is being deployed: a release that was reviewed and merged fails at the last step.',
    remediation:
      'Use the Swarm equivalent named in the message (deploy.resources for limits, deploy.replicas for scale, an explicit image for build), or keep the docker compose-only file separate from the stack file.',
    tags: ['swarm', 'compose', 'deploy'],
  },
  check(r, ctx) {
    if (isComposeOnly(r)) return; // a docker compose file for local development: compose-only keys are fine there
    const v = r.value;
    for (const key of Object.keys(v)) {
      if (V3_TOP_LEVEL_KEYS.has(key) || isExtension(key)) continue;
      const composeOnly = Object.hasOwn(COMPOSE_ONLY_TOP_LEVEL_KEYS, key)
        ? COMPOSE_ONLY_TOP_LEVEL_KEYS[key]
        : undefined;
      ctx.report({
        path: [key],
        message: composeOnly
          ? `top-level ${key}: makes docker stack deploy fail ("Additional property ${key} is not allowed"): ${composeOnly}.`
          : `top-level "${key}" is not part of the Compose file format docker stack deploy validates against, so the deploy fails${didYouMean(key, V3_TOP_LEVEL_KEYS)}.`,
      });
    }
    const version = unsupportedVersion(v.version);
    if (version) ctx.report({ path: ['version'], message: `${version}.` });
    if (isObject(v.services))
      for (const [name, s] of Object.entries(v.services)) {
        if (isObject(s)) checkService(ctx, name, s);
        else
          ctx.report({
            path: ['services', name],
            message: `service "${name}" is ${s === null ? 'empty' : 'not a mapping'}: docker stack deploy fails ("services.${name} must be a mapping"). Give it at least an image.`,
          });
      }
    for (const [section, keys] of [
      ['secrets', SECRET_DEFINITION_KEYS],
      ['configs', CONFIG_DEFINITION_KEYS],
    ] as const) {
      const defs = v[section];
      if (!isObject(defs)) continue;
      for (const [name, def] of Object.entries(defs)) {
        if (!isObject(def)) continue;
        for (const key of Object.keys(def)) {
          if (keys.has(key) || isExtension(key)) continue;
          const hint =
            key === 'environment' || key === 'content'
              ? `: ${key} is a docker compose feature; create the ${section === 'secrets' ? 'secret' : 'config'} with docker ${section === 'secrets' ? 'secret' : 'config'} create and declare it external: true`
              : didYouMean(key, keys);
          ctx.report({
            path: [section, name, key],
            message: `${section}.${name}.${key} is not allowed in the stack file format, so docker stack deploy fails${hint}.`,
          });
        }
      }
    }
  },
});
