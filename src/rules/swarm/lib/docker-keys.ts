/**
 * What `docker stack deploy` does with each Compose key, in one table. Sources (docker/cli):
 *   cli/compose/types/types.go        UnsupportedProperties ("Ignoring unsupported options: …"),
 *                                     DeprecatedProperties ("Ignoring deprecated options: …"),
 *                                     ForbiddenProperties (the deploy fails: "Compose file contains unsupported options")
 *   cli/command/stack/loader/loader.go the warnings and the error above, printed by `docker stack deploy`
 *   cli/compose/schema/data/config_schema_v3.13.json  the schema every stack file is validated against (3.13 is the
 *                                     default when `version` is absent or "3"); a key it does not list fails the deploy
 *   cli/compose/convert/service.go    convertRestartPolicy: `restart` is used when deploy.restart_policy is absent
 *   opts/port.go                      ConvertPortToPortConfig: a host IP in a published port is dropped with a warning
 */
import type { Severity } from '../../../model/types.js';

export interface IgnoredKey {
  /** How much the author loses: `warning` when they believe in protection or behaviour they do not get. */
  severity: Severity;
  what: string;
}

/** Service keys that `docker stack deploy` accepts and drops. */
export const IGNORED_SERVICE_KEYS: Readonly<Record<string, IgnoredKey>> = {
  // types.UnsupportedProperties
  build: {
    severity: 'note',
    what: 'docker stack deploy never builds images: the image must be built and pushed before the deploy (in CI), and every node pulls it',
  },
  cgroupns_mode: { severity: 'warning', what: 'the cgroup namespace mode is not applied to Swarm tasks' },
  cgroup_parent: {
    severity: 'warning',
    what: 'tasks do not run under this parent cgroup, so the limits it was meant to apply do not hold',
  },
  devices: { severity: 'warning', what: 'Swarm tasks get no host devices: the container starts without them' },
  domainname: { severity: 'warning', what: 'the domain name is not set in Swarm tasks' },
  external_links: {
    severity: 'warning',
    what: 'external links are not created: reach other services through a shared overlay network by service name',
  },
  ipc: { severity: 'warning', what: 'the IPC namespace setting is not applied: tasks get a private IPC namespace' },
  links: {
    severity: 'warning',
    what: 'links and their aliases are not created: services on a shared overlay network reach each other by service name (or a network alias)',
  },
  mac_address: { severity: 'warning', what: 'the MAC address is not applied to Swarm tasks' },
  network_mode: {
    severity: 'warning',
    what: 'the network mode is not applied: to use the host network in Swarm, attach the service to the external network named "host" under networks',
  },
  pid: { severity: 'warning', what: 'the PID namespace setting is not applied: tasks get a private PID namespace' },
  privileged: {
    severity: 'warning',
    what: 'Swarm tasks never run privileged: the container starts without the privileges the author expects (and without the risk a reviewer sees here)',
  },
  restart: { severity: 'note', what: '' }, // the message depends on deploy.restart_policy (see swarm-ignored-key)
  security_opt: {
    severity: 'warning',
    what: 'the security options (no-new-privileges, seccomp, AppArmor, SELinux labels) are not applied: the protection they promise does not exist in Swarm tasks',
  },
  shm_size: {
    severity: 'warning',
    what: 'the /dev/shm size is not applied (tasks get 64MB): mount a tmpfs at /dev/shm with a size instead',
  },
  userns_mode: { severity: 'warning', what: 'the user namespace mode is not applied to Swarm tasks' },
  // types.DeprecatedProperties
  container_name: {
    severity: 'note',
    what: 'Swarm names containers <stack>_<service>.<slot>.<task id>; the name is not applied',
  },
  expose: {
    severity: 'note',
    what: 'exposing ports is unnecessary: services on the same network reach each other on any port',
  },
};

/** types.ForbiddenProperties: the deploy fails. The hints are Docker's own. */
export const FORBIDDEN_SERVICE_KEYS: Readonly<Record<string, string>> = {
  extends:
    'docker stack deploy does not implement extends: write the service out, or share settings with a YAML anchor (x-… extension field with <<: *anchor)',
  volume_driver:
    'instead of setting the volume driver on the service, define a volume under the top-level volumes with that driver, and reference it from the service',
  volumes_from:
    'to share a volume between services, define it under the top-level volumes and mount it in each service that shares it',
  cpu_quota: 'set resource limits with deploy.resources.limits.cpus',
  cpu_shares: 'set resource limits with deploy.resources (limits and reservations)',
  cpuset: 'set resource limits with deploy.resources.limits.cpus',
  mem_limit: 'set resource limits with deploy.resources.limits.memory',
  memswap_limit: 'set resource limits with deploy.resources.limits.memory',
};

/** Service keys of the Compose file format v3.13 schema (everything else but `x-*` fails validation). */
export const V3_SERVICE_KEYS: ReadonlySet<string> = new Set([
  'deploy',
  'build',
  'cap_add',
  'cap_drop',
  'cgroupns_mode',
  'cgroup_parent',
  'command',
  'configs',
  'container_name',
  'credential_spec',
  'depends_on',
  'devices',
  'dns',
  'dns_search',
  'domainname',
  'entrypoint',
  'env_file',
  'environment',
  'expose',
  'external_links',
  'extra_hosts',
  'group_add',
  'healthcheck',
  'hostname',
  'image',
  'init',
  'ipc',
  'isolation',
  'labels',
  'links',
  'logging',
  'mac_address',
  'network_mode',
  'networks',
  'pid',
  'ports',
  'privileged',
  'read_only',
  'restart',
  'security_opt',
  'shm_size',
  'secrets',
  'sysctls',
  'stdin_open',
  'stop_grace_period',
  'stop_signal',
  'tmpfs',
  'tty',
  'ulimits',
  'oom_score_adj',
  'user',
  'userns_mode',
  'volumes',
  'working_dir',
]);

/** Compose Specification service keys that `docker compose` knows and the v3 schema rejects, with what to use in Swarm. */
export const COMPOSE_ONLY_SERVICE_KEYS: Readonly<Record<string, string>> = {
  profiles: 'profiles are a docker compose feature: split the services into separate stack files instead',
  cpus: 'use deploy.resources.limits.cpus',
  cpu_count: 'use deploy.resources.limits.cpus',
  cpu_percent: 'use deploy.resources.limits.cpus',
  cpu_period: 'use deploy.resources.limits.cpus',
  cpu_rt_period: 'not available in Swarm',
  cpu_rt_runtime: 'not available in Swarm',
  mem_reservation: 'use deploy.resources.reservations.memory',
  mem_swappiness: 'not available in Swarm',
  oom_kill_disable: 'not available in Swarm',
  pull_policy: 'docker stack deploy resolves and pulls images itself (see --resolve-image)',
  develop: 'develop (compose watch) is a docker compose feature',
  gpus: 'Swarm has no gpus key: advertise GPUs as generic resources on the nodes and reserve them with deploy.resources.reservations.generic_resources',
  post_start: 'lifecycle hooks are a docker compose feature',
  pre_stop: 'lifecycle hooks are a docker compose feature',
  platform:
    'Swarm picks the platform from the image manifest; use a placement constraint such as node.platform.arch == x86_64',
  scale: 'use deploy.replicas',
  runtime: 'not available in Swarm',
  storage_opt: 'not available in Swarm',
  blkio_config: 'not available in Swarm',
  device_cgroup_rules: 'not available in Swarm',
  dns_opt: 'not available in the v3 file format',
  uts: 'not available in Swarm',
  annotations: 'not available in the v3 file format: use labels',
  attach: 'a docker compose option',
  label_file: 'not available in the v3 file format: write the labels out',
  provider: 'a docker compose option',
  use_api_socket: 'a docker compose option; mounting the Docker socket gives root on the node anyway',
  models: 'a docker compose option',
  pull_refresh_after: 'a docker compose option',
};

/** Top-level keys of the v3 schema (and `x-*`). */
export const V3_TOP_LEVEL_KEYS: ReadonlySet<string> = new Set([
  'version',
  'services',
  'networks',
  'volumes',
  'secrets',
  'configs',
]);

export const COMPOSE_ONLY_TOP_LEVEL_KEYS: Readonly<Record<string, string>> = {
  name: 'the stack name is the argument of docker stack deploy (docker stack deploy -c stack.yml NAME); remove name:',
  include: 'docker stack deploy does not include other files: pass several files with -c a.yml -c b.yml',
  models: 'models are a docker compose feature',
};

export const DEPLOY_KEYS: ReadonlySet<string> = new Set([
  'mode',
  'endpoint_mode',
  'replicas',
  'labels',
  'rollback_config',
  'update_config',
  'resources',
  'restart_policy',
  'placement',
]);
export const RESOURCE_LIMIT_KEYS: ReadonlySet<string> = new Set(['cpus', 'memory', 'pids']);
export const RESOURCE_RESERVATION_KEYS: ReadonlySet<string> = new Set(['cpus', 'memory', 'generic_resources']);
export const SECRET_DEFINITION_KEYS: ReadonlySet<string> = new Set([
  'name',
  'file',
  'external',
  'labels',
  'driver',
  'driver_opts',
  'template_driver',
]);
export const CONFIG_DEFINITION_KEYS: ReadonlySet<string> = new Set([
  'name',
  'file',
  'external',
  'labels',
  'template_driver',
]);
export const LONG_PORT_KEYS: ReadonlySet<string> = new Set(['mode', 'target', 'published', 'protocol']);

/** Values Docker accepts for the fields the schema leaves as free strings (checked by the engine at deploy time). */
export const ENUMS = {
  mode: ['replicated', 'global', 'replicated-job', 'global-job'],
  endpoint_mode: ['vip', 'dnsrr'],
  update_failure_action: ['continue', 'rollback', 'pause'],
  rollback_failure_action: ['continue', 'pause'],
  order: ['start-first', 'stop-first'],
  restart_condition: ['none', 'on-failure', 'any'],
} as const;
