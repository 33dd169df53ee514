import { linearRegExpEngine } from './regex-safety.js';
import { append } from '../model/append.js';
import type { ErrorObject } from 'ajv';
import path from 'node:path';
import picomatch from 'picomatch';
import { isObject } from '../model/json.js';
import type { Path, Severity } from '../model/types.js';
import { ConfigError, configErrorAt, type ConfigSource } from './config-error.js';
import { configSchema, LEVELS, POD_SECURITY_RULES, PRESETS } from './config-schema.js';
import { formatPath, pathFromPointer, valueAt } from '../model/path.js';
import { compilePolicies, POLICY_AJV_OPTIONS, type PolicyDef } from './policy.js';
import type { AnyRule } from '../engine/rule.js';
import { type RuleSetting } from '../engine/run.js';
import { merge, type RuleOverride } from '../engine/settings.js';
import { didYouMean } from '../model/suggest.js';

export { ConfigError, type ConfigSource };

export interface ShipshapeConfig {
  settings: Map<string, RuleSetting>;
  ignore: string[];
  /** Render Kustomize and Helm directories before checking (`auto`), or not (`never`, the default). */
  render?: 'auto' | 'never';
  /** The Kubernetes version whose schemas and API removals apply (`kubeVersion:`). */
  kubeVersion?: string;
  /** `allowEmpty: true`: no object in the paths is not an error. */
  allowEmpty?: boolean;
  /** `units:` globs and the directory of the config file that wrote them (they are relative to it). */
  units?: { globs: string[]; base: string };
  /** The config file, when one was used. */
  source?: string;
  /** Per-file settings in the order they apply: `overrides` of the extended files, of this file, then `--rule`. */
  overrides?: RuleOverride[];
  /** Every rule of the run: the built-in ones, then the custom policies. */
  rules?: readonly AnyRule[];
  /** The config files read, extended ones (presets included) first. */
  files?: string[];
}

/** One file of an `extends` chain: its parsed content and where it was read. */
export interface ConfigLayer {
  raw: unknown;
  source: ConfigSource | undefined;
  /** A built-in preset: ids of rules that are not part of this run are skipped rather than refused. */
  preset?: boolean;
}

type RuleEntry = string | { severity?: string; options?: Record<string, unknown> };
interface RawConfig {
  extends?: string | string[];
  rules?: Record<string, RuleEntry> | null;
  ignore?: string[] | null;
  render?: 'auto' | 'never';
  kubeVersion?: string;
  units?: string[];
  allowEmpty?: boolean;
  overrides?: { files: string | string[]; rules: Record<string, RuleEntry> }[] | null;
  policies?: PolicyDef[] | null;
  podSecurity?: string | { level?: string; version?: string; ignoreNamespaces?: string[] };
}

export function defaultConfig(rules: readonly AnyRule[]): ShipshapeConfig {
  return {
    settings: new Map(
      rules.map((r) => [r.id, { severity: r.meta.offByDefault ? 'off' : r.meta.severity, options: {} }]),
    ),
    ignore: [],
    overrides: [],
    rules,
  };
}

/** The preset names `extends` accepts, and whether a reference is one (anything else is a path). */
export function presetName(ref: string): (typeof PRESETS)[number] | undefined {
  return (PRESETS as readonly string[]).includes(ref) ? (ref as (typeof PRESETS)[number]) : undefined;
}

/** The `extends` references of a parsed config, as written. */
export function extendsOf(raw: unknown): string[] {
  const e = isObject(raw) ? raw.extends : undefined;
  return typeof e === 'string' ? [e] : Array.isArray(e) ? e.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * Validate a parsed config against the generated JSON Schema and merge it over the defaults. `base` holds the files it
 * extends, already read (src/load/config-file.ts follows the chain), deepest first. Each file is validated on its own, so a
 * mistake is reported at its own file and line; then they merge in order: `rules` per id (a severity replaces, options merge
 * key by key), `ignore`, `overrides` and `policies` add up (a policy id defined again replaces the earlier definition).
 */
export async function resolveConfig(
  raw: unknown,
  source: ConfigSource | undefined,
  rules: readonly AnyRule[],
  base: readonly ConfigLayer[] = [],
): Promise<ShipshapeConfig> {
  const config = defaultConfig(rules);
  if (source) config.source = source.file;
  const layers: ConfigLayer[] = [...base, { raw, source }]
    .filter((l) => l.raw !== null && l.raw !== undefined)
    .map((l) => ({ ...l }));
  if (layers.length === 0) return config;
  if (extendsOf(raw).length && base.length === 0)
    throw configErrorAt(
      source,
      ['extends'],
      'extends: the extended files are read by loadConfig(); pass them as `base`',
    );
  for (const l of layers)
    if (!isObject(l.raw))
      throw configErrorAt(l.source, [], 'the config must be a mapping of keys (rules, ignore, overrides, policies…)');

  const { default: Ajv } = await import('ajv');
  // Custom policy ids are rule ids too: `rules:` and `overrides:` may name them, so the schema must know them.
  const builtin = new Set(rules.map((r) => r.id));
  const policyIds = new Set<string>();
  for (const l of layers)
    for (const p of (l.raw as RawConfig).policies ?? [])
      if (isObject(p) && typeof p.id === 'string' && !builtin.has(p.id)) policyIds.add(p.id);
  const stubs = [...policyIds].map(
    (id) =>
      ({
        id,
        target: 'load',
        meta: {
          severity: 'warning',
          family: 'custom',
          platforms: [],
          description: `Custom policy ${id}.`,
          rationale: '',
          remediation: '',
          messages: {},
        },
        applies: { platforms: [] },
      }) as AnyRule,
  );
  const schema = configSchema([...rules, ...stubs]);
  const validate = new Ajv.default({ allErrors: true, strict: false }).compile(schema);
  for (const l of layers) {
    if (l.preset) l.raw = withKnownRules(l.raw as RawConfig, builtin);
    if (!validate(l.raw)) throw new ConfigError(describe(validate.errors ?? [], schema, l.source, l.raw));
  }

  const defs = new Map<string, { def: PolicyDef; at: Path; source: ConfigSource | undefined }>();
  for (const l of layers) {
    const here = new Set<string>();
    ((l.raw as RawConfig).policies ?? []).forEach((def, i) => {
      const at: Path = ['policies', i, 'id'];
      if (builtin.has(def.id))
        throw configErrorAt(
          l.source,
          at,
          `${formatPath(at)}: "${def.id}" is a built-in rule id: choose another (a prefix such as "acme-" keeps them apart)`,
        );
      if (here.has(def.id))
        throw configErrorAt(l.source, at, `${formatPath(at)}: "${def.id}" is defined twice in this file`);
      here.add(def.id);
      defs.delete(def.id);
      defs.set(def.id, { def, at: ['policies', i], source: l.source });
    });
  }
  const policies = defs.size
    ? compilePolicies(
        [...defs.values()],
        new Ajv.default({ ...POLICY_AJV_OPTIONS, code: { regExp: await linearRegExpEngine(false) } }),
      )
    : [];
  config.rules = [...rules, ...policies];
  for (const p of policies) config.settings.set(p.id, { severity: p.meta.severity, options: {} });

  for (const l of layers) {
    const cfg = l.raw as RawConfig;
    for (const [id, value] of Object.entries(cfg.rules ?? {}))
      config.settings.set(id, merge(config.settings.get(id)!, entry(value)));
    if (cfg.podSecurity !== undefined) {
      const options = typeof cfg.podSecurity === 'string' ? { level: cfg.podSecurity } : cfg.podSecurity;
      for (const id of POD_SECURITY_RULES) {
        const current = config.settings.get(id);
        if (current) config.settings.set(id, merge(current, { options }));
      }
    }
    append(config.ignore, cfg.ignore ?? []);
    for (const o of cfg.overrides ?? []) config.overrides!.push(override(o));
    // Scalar keys: the last file that sets one wins.
    if (cfg.render) config.render = cfg.render;
    if (cfg.kubeVersion) config.kubeVersion = cfg.kubeVersion;
    if (cfg.allowEmpty !== undefined) config.allowEmpty = cfg.allowEmpty;
    if (cfg.units && l.source) config.units = { globs: cfg.units, base: path.dirname(l.source.file) };
  }
  config.files = layers.flatMap((l) => (l.source ? [l.source.file] : []));
  return config;
}

/**
 * `--rule id=severity` flags, validated against the rules of the config (custom policies included) and applied
 * after everything else, to every file.
 */
export function applyRuleFlags(config: ShipshapeConfig, flags: readonly string[]): ShipshapeConfig {
  if (flags.length === 0) return config;
  const ids = config.rules ? config.rules.map((r) => r.id) : [...config.settings.keys()];
  const rules = new Map<string, Partial<RuleSetting>>();
  for (const flag of flags) {
    const m = /^\s*([^=\s]+)\s*=\s*(\S+)\s*$/.exec(flag);
    if (!m) throw new ConfigError(`--rule ${flag}: expected <rule-id>=<${LEVELS.join('|')}>`);
    const [, id, level] = m as unknown as [string, string, string];
    if (!ids.includes(id)) throw new ConfigError(`--rule ${flag}: unknown rule id "${id}"${didYouMean(id, ids)}`);
    if (!(LEVELS as readonly string[]).includes(level))
      throw new ConfigError(`--rule ${flag}: severity must be one of ${LEVELS.join(', ')}${didYouMean(level, LEVELS)}`);
    rules.set(id, { severity: level as Severity | 'off' });
  }
  // The base settings follow the flags too, so what a report says of a rule (SARIF's defaultConfiguration) is what ran;
  // the override keeps them over every per-file override of the config.
  const settings = new Map(config.settings);
  for (const [id, change] of rules)
    settings.set(id, merge(settings.get(id) ?? { severity: 'error', options: {} }, change));
  return {
    ...config,
    settings,
    overrides: [...(config.overrides ?? []), { files: ['**'], rules, matches: () => true }],
  };
}

function entry(value: RuleEntry): Partial<RuleSetting> {
  if (typeof value === 'string') return { severity: value as Severity | 'off' };
  return {
    ...(value.severity ? { severity: value.severity as Severity | 'off' } : {}),
    ...(value.options ? { options: value.options } : {}),
  };
}

function override(o: { files: string | string[]; rules: Record<string, RuleEntry> }): RuleOverride {
  const files = typeof o.files === 'string' ? [o.files] : o.files;
  return {
    files,
    rules: new Map(Object.entries(o.rules).map(([id, v]) => [id, entry(v)])),
    matches: picomatch(files, { dot: true }),
  };
}

/** A preset is generated from the full registry: a run with fewer rules ignores the others. */
function withKnownRules(cfg: RawConfig, known: ReadonlySet<string>): RawConfig {
  if (!isObject(cfg.rules)) return cfg;
  return { ...cfg, rules: Object.fromEntries(Object.entries(cfg.rules).filter(([id]) => known.has(id))) };
}

/** One line for the most specific schema error: file:line:col, the key, and what was expected. */
function describe(
  errors: ErrorObject[],
  schema: Record<string, unknown>,
  source: ConfigSource | undefined,
  data: unknown,
): string {
  const useful = errors.filter((e) => e.keyword !== 'anyOf');
  const depth = (e: ErrorObject): number => e.instancePath.split('/').length;
  // Prefer unknown keys, then the deepest error (inside options rather than "must be a string").
  const err =
    useful.find((e) => e.keyword === 'additionalProperties') ??
    [...useful].sort((a, b) => depth(b) - depth(a))[0] ??
    errors[0]!;
  const path = pathFromPointer(data, err.instancePath);
  const key = formatPath(path) || '(top level)';
  const params = err.params as Record<string, unknown>;
  const value = valueAt(data, path);
  let what: string;
  if (err.keyword === 'additionalProperties') {
    const extra = String(params.additionalProperty);
    const known = Object.keys(propertiesAt(schema, path));
    const inRules = path[path.length - 1] === 'rules' && (path.length === 1 || path[0] === 'overrides');
    if (inRules) what = `${path.length > 1 ? `${key}: ` : ''}unknown rule id "${extra}"${didYouMean(extra, known)}`;
    else what = `unknown key "${formatPath([...path, extra])}"${didYouMean(extra, known)}`;
    path.push(extra);
  } else if (err.keyword === 'required') {
    what = `${key}: missing key "${String(params.missingProperty)}"`;
  } else if (err.keyword === 'enum') {
    const allowed = (params.allowedValues as unknown[]) ?? [];
    what = `${key}: must be one of ${allowed.join(', ')}${typeof value === 'string' ? didYouMean(value, allowed.map(String)) : ''}`;
  } else if (err.keyword === 'type') {
    const types = String(params.type)
      .split(',')
      .filter((t) => t !== 'null')
      .map((t) => (t === 'array' ? 'a list' : t === 'object' ? 'a mapping' : t));
    what = `${key}: must be ${types.join(' or ')}`;
  } else if (err.keyword === 'pattern' && path[path.length - 1] === 'id') {
    what = `${key}: "${String(value)}" is not a kebab-case id (lowercase letters, digits and dashes, such as acme-team-label)`;
  } else {
    what = `${key}: ${err.message ?? 'is invalid'}`;
  }
  return configErrorAt(source, path, what).message;
}

/** The properties the schema allows at `path`, following `$ref`, list items and the mapping branch of `anyOf`. */
function propertiesAt(schema: Record<string, unknown>, path: Path): Record<string, unknown> {
  const resolve = (n: unknown): Record<string, unknown> | undefined => {
    let node = isObject(n) ? n : undefined;
    for (let guard = 0; node && typeof node.$ref === 'string' && guard < 8; guard++) {
      const target = node.$ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((acc, k) => (isObject(acc) ? acc[k] : undefined), schema);
      node = isObject(target) ? target : undefined;
    }
    if (node && Array.isArray(node.anyOf)) node = node.anyOf.map(resolve).find((b) => b?.type === 'object') ?? node;
    return node;
  };
  let node = resolve(schema);
  for (const seg of path) {
    node =
      typeof seg === 'number'
        ? resolve(node?.items)
        : resolve(isObject(node?.properties) ? node.properties[seg] : undefined);
  }
  return isObject(node?.properties) ? node.properties : {};
}
