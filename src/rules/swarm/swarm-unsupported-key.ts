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

type Found = { messageId: string; data?: Record<string, string | number> };

/** Why a `version:` value makes docker stack deploy fail, or undefined when it is accepted. */
export function unsupportedVersion(v: unknown): Found | undefined {
  if (v === undefined || v === null) return undefined;
  const s = String(v).trim();
  if (s.includes('$')) return undefined;
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return { messageId: 'versionInvalid', data: { version: s } };
  const major = Number(m[1]);
  const minor = m[2] === undefined ? undefined : Number(m[2]);
  if (major === 3 && (minor === undefined || minor <= LATEST_MINOR)) return undefined;
  if (major < 3) return { messageId: 'versionOld', data: { version: s } };
  return { messageId: 'versionUnknown', data: { version: s, latest: LATEST_MINOR } };
}

/** Keys of a mapping that the stack file format does not allow there. */
function checkKeys(ctx: Ctx, obj: JsonObject, at: Path, allowed: ReadonlySet<string>, where: string): void {
  for (const key of Object.keys(obj)) {
    if (allowed.has(key)) continue;
    if (isExtension(key)) ctx.report({ path: [...at, key], messageId: 'extensionKey', data: { key, where } });
    else
      ctx.report({
        path: [...at, key],
        messageId: 'unknownKey',
        data: { key, where, hint: didYouMean(key, allowed) },
      });
  }
}

function checkService(ctx: Ctx, name: string, s: JsonObject): void {
  const at: Path = ['services', name];
  const fail = (p: Path, messageId: string, data?: Record<string, string>): void =>
    ctx.report({ path: [...at, ...p], messageId, ...(data ? { data } : {}) });
  for (const key of Object.keys(s)) {
    if (isExtension(key) || V3_SERVICE_KEYS.has(key)) continue;
    // Own keys only: a key named `constructor` or `toString` must not find Object.prototype's.
    const forbidden = Object.hasOwn(FORBIDDEN_SERVICE_KEYS, key) ? FORBIDDEN_SERVICE_KEYS[key] : undefined;
    const composeOnly = Object.hasOwn(COMPOSE_ONLY_SERVICE_KEYS, key) ? COMPOSE_ONLY_SERVICE_KEYS[key] : undefined;
    if (forbidden) fail([key], 'forbiddenKey', { key, why: forbidden });
    else if (composeOnly) fail([key], 'composeOnlyKey', { key, why: composeOnly });
    else fail([key], 'unknownServiceKey', { key, hint: didYouMean(key, V3_SERVICE_KEYS) });
  }
  // Neither image nor build: a fragment of a multi-file deploy (-c base.yml -c this.yml) whose image is in the base.
  if (
    (s.image === null || s.image === '' || (s.image === undefined && s.build !== undefined)) &&
    s.extends === undefined
  )
    fail(s.build !== undefined ? ['build'] : [], 'noImage', {
      build: s.build !== undefined ? ' (build is ignored)' : '',
    });
  if (isObject(s.depends_on)) fail(['depends_on'], 'dependsOnLong');
  if (Array.isArray(s.env_file))
    s.env_file.forEach((e, i) => {
      if (isObject(e)) fail(['env_file', i], 'envFileLong');
    });
  if (Array.isArray(s.ports)) {
    s.ports.forEach((p, i) => {
      if (!isObject(p)) return;
      for (const key of Object.keys(p)) {
        if (LONG_PORT_KEYS.has(key)) continue;
        if (key === 'host_ip') fail(['ports', i, key], 'portHostIp');
        else fail(['ports', i, key], 'portKey', { key, hint: didYouMean(key, LONG_PORT_KEYS) });
      }
    });
  }
  if (isObject(s.healthcheck)) checkKeys(ctx, s.healthcheck, [...at, 'healthcheck'], HEALTHCHECK_KEYS, 'healthcheck');
  const deploy = s.deploy;
  if (!isObject(deploy)) return;
  checkKeys(ctx, deploy, [...at, 'deploy'], DEPLOY_KEYS, 'deploy');
  const res = deploy.resources;
  if (!isObject(res)) return;
  checkKeys(ctx, res, [...at, 'deploy', 'resources'], new Set(['limits', 'reservations']), 'deploy.resources');
  if (isObject(res.limits))
    checkKeys(
      ctx,
      res.limits,
      [...at, 'deploy', 'resources', 'limits'],
      RESOURCE_LIMIT_KEYS,
      'deploy.resources.limits',
    );
  if (isObject(res.reservations)) {
    const r = res.reservations;
    for (const key of Object.keys(r)) {
      if (RESOURCE_RESERVATION_KEYS.has(key)) continue;
      if (key === 'devices') fail(['deploy', 'resources', 'reservations', 'devices'], 'gpuReservation');
      else
        fail(['deploy', 'resources', 'reservations', key], 'reservationKey', {
          key,
          hint: didYouMean(key, RESOURCE_RESERVATION_KEYS),
        });
    }
  }
}

export default defineResourceRule({
  id: 'swarm-unsupported-key',
  meta: {
    severity: 'error',
    family: 'swarm',
    description: 'A stack file uses a key or a form that makes docker stack deploy fail.',
    rationale:
      'docker stack deploy validates the file against the Compose file format v3 and refuses it as a whole when it meets a docker compose-only key (top-level name, include, profiles, cpus, mem_limit, pull_policy…), the long form of depends_on, ports[].host_ip, GPU device reservations, an x-* field inside deploy, a version 2.x file, or a service without an image. Docker often says only "forbidden properties" or "Additional property … is not allowed", and only once the change is being deployed: a release that was reviewed and merged fails at the last step.',
    remediation:
      'Use the Swarm equivalent named in the message (deploy.resources for limits, deploy.replicas for scale, an explicit image for build), or keep the docker compose-only file separate from the stack file.',
    tags: ['swarm', 'compose', 'deploy'],
    messages: {
      topLevelComposeOnly: 'top-level {{key}} is a docker compose key: docker stack deploy fails on it',
      topLevelUnknown: 'top-level "{{key}}" is not in the stack file format, so the deploy fails{{hint}}',
      versionInvalid: 'version "{{version}}" is not a Compose file version: docker stack deploy fails',
      versionOld: 'version "{{version}}" is Compose format 1/2: docker stack deploy reads only version 3',
      versionUnknown: 'version "{{version}}" is unknown to docker stack deploy (3.0 to 3.{{latest}}): the deploy fails',
      notMapping: '{{subject}} is {{what}}: docker stack deploy fails (a service must be a mapping)',
      definitionKey: '{{section}}.{{name}}.{{key}} is not allowed in a stack file, so the deploy fails{{hint}}',
      definitionComposeOnly:
        '{{section}}.{{name}}.{{key}} is a docker compose feature: docker stack deploy fails on it',
      forbiddenKey: '{{subject}}: {{key}} makes docker stack deploy fail ("unsupported options")',
      composeOnlyKey: '{{subject}}: {{key}} is a docker compose key: docker stack deploy fails on it',
      unknownServiceKey:
        '{{subject}}: "{{key}}" is not a service key of the stack file format: the deploy fails{{hint}}',
      unknownKey: '{{subject}}: {{where}} key "{{key}}" is not in the stack file format: the deploy fails{{hint}}',
      extensionKey: '{{subject}}: x-* field "{{key}}" is not allowed inside {{where}}: the deploy fails',
      noImage: '{{subject}} has no image{{build}}: docker stack deploy rejects it',
      dependsOnLong: '{{subject}}: the long form of depends_on makes docker stack deploy fail',
      envFileLong: '{{subject}}: the long form of env_file makes docker stack deploy fail',
      portHostIp: '{{subject}}: ports[].host_ip makes docker stack deploy fail',
      portKey: '{{subject}}: ports[].{{key}} is not allowed in a stack file: the deploy fails{{hint}}',
      gpuReservation:
        '{{subject}}: deploy.resources.reservations.devices is a docker compose feature: the deploy fails',
      reservationKey: '{{subject}}: deploy.resources.reservations.{{key}} is not allowed: the deploy fails{{hint}}',
    },
  },
  applies: { platforms: ['swarm'], kinds: ['Stack'], skip: ['compose-only'] },
  // A docker compose file for local development (compose-only) is skipped: compose-only keys are fine there.
  check(r, ctx) {
    const v = r.value;
    for (const key of Object.keys(v)) {
      if (V3_TOP_LEVEL_KEYS.has(key) || isExtension(key)) continue;
      const composeOnly = Object.hasOwn(COMPOSE_ONLY_TOP_LEVEL_KEYS, key)
        ? COMPOSE_ONLY_TOP_LEVEL_KEYS[key]
        : undefined;
      if (composeOnly) ctx.report({ path: [key], messageId: 'topLevelComposeOnly', data: { key, why: composeOnly } });
      else
        ctx.report({
          path: [key],
          messageId: 'topLevelUnknown',
          data: { key, hint: didYouMean(key, V3_TOP_LEVEL_KEYS) },
        });
    }
    const version = unsupportedVersion(v.version);
    if (version) ctx.report({ path: ['version'], ...version });
    if (isObject(v.services))
      for (const [name, s] of Object.entries(v.services)) {
        if (isObject(s)) checkService(ctx, name, s);
        else
          ctx.report({
            path: ['services', name],
            messageId: 'notMapping',
            data: { what: s === null ? 'empty' : 'not a mapping' },
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
          const path = [section, name, key];
          if (key === 'environment' || key === 'content')
            ctx.report({ path, messageId: 'definitionComposeOnly', data: { section, name, key } });
          else
            ctx.report({ path, messageId: 'definitionKey', data: { section, name, key, hint: didYouMean(key, keys) } });
        }
      }
    }
  },
});
