import type { ErrorObject } from 'ajv';
import type { Path, Range, Severity } from '../model/types.js';
import { configSchema } from './config-schema.js';
import type { AnyRule } from './rule.js';
import type { RuleSetting } from './run.js';
import { didYouMean } from './suggest.js';

export interface ShipshapeConfig {
  settings: Map<string, RuleSetting>;
  ignore: string[];
  /** The config file, when one was used. */
  source?: string;
}

/** A configuration mistake: the CLI prints the message as one line and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface ConfigSource {
  file: string;
  locate(path: Path): Range;
}

export function defaultConfig(rules: readonly AnyRule[]): ShipshapeConfig {
  return { settings: new Map(rules.map((r) => [r.id, { severity: r.meta.severity, options: {} }])), ignore: [] };
}

/** Validate a parsed config against the generated JSON Schema and merge it over the defaults. */
export async function resolveConfig(raw: unknown, source: ConfigSource | undefined, rules: readonly AnyRule[]): Promise<ShipshapeConfig> {
  const config = defaultConfig(rules);
  if (source) config.source = source.file;
  if (raw === null || raw === undefined) return config;
  const schema = configSchema(rules);
  const { default: Ajv } = await import('ajv');
  const ajv = new Ajv.default({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  if (!validate(raw)) throw new ConfigError(describe(validate.errors ?? [], schema, source));
  const cfg = raw as { rules?: Record<string, string | { severity?: string; options?: Record<string, unknown> }>; ignore?: string[] };
  for (const [id, value] of Object.entries(cfg.rules ?? {})) {
    const current = config.settings.get(id)!;
    if (typeof value === 'string') config.settings.set(id, { ...current, severity: value as Severity | 'off' });
    else config.settings.set(id, { severity: (value.severity as Severity | 'off' | undefined) ?? current.severity, options: value.options ?? {} });
  }
  config.ignore = cfg.ignore ?? [];
  return config;
}

/** One line for the most specific schema error: file:line:col, the key, and what was expected. */
function describe(errors: ErrorObject[], schema: Record<string, unknown>, source: ConfigSource | undefined): string {
  const useful = errors.filter((e) => e.keyword !== 'anyOf');
  const depth = (e: ErrorObject): number => pathOf(e).length;
  // Prefer unknown keys, then the deepest error (inside options rather than "must be a string").
  const err = useful.find((e) => e.keyword === 'additionalProperties') ?? [...useful].sort((a, b) => depth(b) - depth(a))[0] ?? errors[0]!;
  const path = pathOf(err);
  const key = path.join('.') || '(top level)';
  let what: string;
  if (err.keyword === 'additionalProperties') {
    const extra = String((err.params as { additionalProperty: string }).additionalProperty);
    const known = Object.keys(propertiesAt(schema, path));
    const fullKey = [...path, extra].join('.');
    what = path.length === 1 && path[0] === 'rules' ? `unknown rule id "${extra}"${didYouMean(extra, known)}` : `unknown key "${fullKey}"${didYouMean(extra, known)}`;
    path.push(extra);
  } else if (err.keyword === 'enum') {
    what = `${key}: must be one of ${((err.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')}`;
  } else if (err.keyword === 'type') {
    what = `${key}: must be ${(err.params as { type: string }).type}`;
  } else {
    what = `${key}: ${err.message ?? 'is invalid'}`;
  }
  if (!source) return `config: ${what}`;
  const r = source.locate(path);
  return `${source.file}:${r.startLine}:${r.startColumn}: ${what}`;
}

function pathOf(e: ErrorObject): string[] {
  return e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function propertiesAt(schema: Record<string, unknown>, path: string[]): Record<string, unknown> {
  let node: Record<string, unknown> | undefined = schema;
  for (const seg of path) {
    const props = node?.properties as Record<string, Record<string, unknown>> | undefined;
    let next: Record<string, unknown> | undefined = props?.[seg];
    if (next?.anyOf) next = (next.anyOf as Record<string, unknown>[]).find((b) => b.type === 'object');
    node = next;
  }
  return (node?.properties as Record<string, unknown>) ?? {};
}
