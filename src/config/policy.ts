import type { ErrorObject, ValidateFunction } from 'ajv';
import { isObject } from '../model/json.js';
import type { Path, Platform, Severity, Workload } from '../model/types.js';
import { configErrorAt, type ConfigSource } from './config-error.js';
import { formatPath, pathFromPointer, valueAt } from '../model/path.js';
import { POLICY_TARGETS } from './config-schema.js';
import type { AnyRule, ResourceRule, RuleContext, WorkloadRule } from '../engine/rule.js';
import { nestedQuantifier } from './regex-safety.js';
import { didYouMean } from '../model/suggest.js';

export type PolicyTarget = (typeof POLICY_TARGETS)[number];

/** A custom policy as written under `policies:` (already validated against the config schema). */
export interface PolicyDef {
  id: string;
  severity?: Severity;
  target?: PolicyTarget;
  kinds?: string[];
  platforms?: Platform[];
  description: string;
  message?: string;
  rationale?: string;
  remediation?: string;
  url?: string;
  schema: Record<string, unknown> | boolean;
}

/** A rule made from a policy: checked like a built-in one; `policy` keeps what `shipshape explain` shows. */
export type PolicyRule = (
  WorkloadRule<Record<string, never>, undefined> | ResourceRule<Record<string, never>, undefined>
) & { policy: PolicyDef };

export function isPolicyRule(r: AnyRule): r is PolicyRule {
  return 'policy' in r;
}

/** The part of an Ajv instance this module uses (the instance is created where ajv is imported, lazily). */
export interface SchemaCompiler {
  compile(schema: Record<string, unknown> | boolean): ValidateFunction;
  validateSchema(schema: Record<string, unknown> | boolean): boolean | Promise<unknown>;
  errors?: ErrorObject[] | null;
}

/** Options for the Ajv instance that compiles policies: strict about keywords, quiet, never fetching anything. */
export const POLICY_AJV_OPTIONS = {
  allErrors: true,
  strict: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  logger: false,
  addUsedSchema: false,
} as const;

const DRAFT7 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;

/** JSON Schema draft-07 keywords (and `$defs`), the only ones a policy may use. */
const KEYWORDS = new Set([
  '$schema',
  '$id',
  '$ref',
  '$comment',
  '$defs',
  'title',
  'description',
  'default',
  'readOnly',
  'writeOnly',
  'examples',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'additionalItems',
  'items',
  'maxItems',
  'minItems',
  'uniqueItems',
  'contains',
  'maxProperties',
  'minProperties',
  'required',
  'additionalProperties',
  'definitions',
  'properties',
  'patternProperties',
  'dependencies',
  'propertyNames',
  'const',
  'enum',
  'type',
  'format',
  'contentMediaType',
  'contentEncoding',
  'if',
  'then',
  'else',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
]);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const SUBSCHEMAS = new Set([
  'additionalItems',
  'additionalProperties',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
]);
const TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];

/** Compile each policy once into a rule. A broken schema is a ConfigError at the exact key of the config. */
export function compilePolicies(
  defs: readonly { def: PolicyDef; at: Path; source: ConfigSource | undefined }[],
  ajv: SchemaCompiler,
): PolicyRule[] {
  return defs.map(({ def, at, source }) => {
    const schemaAt: Path = [...at, 'schema'];
    checkSchema(def.schema, schemaAt, source);
    if (ajv.validateSchema(def.schema) !== true) {
      const err = deepest(ajv.errors ?? []);
      const rel = err ? pathFromPointer(def.schema, err.instancePath) : [];
      const last = rel[rel.length - 1];
      const what = last === 'type' ? `must be one of ${TYPES.join(', ')}` : (err?.message ?? 'is invalid');
      throw configErrorAt(
        source,
        [...schemaAt, ...rel],
        `${formatPath([...schemaAt, ...rel])}: invalid JSON Schema: ${what}`,
      );
    }
    let validate: ValidateFunction;
    try {
      validate = ajv.compile(def.schema);
    } catch (err) {
      throw configErrorAt(
        source,
        schemaAt,
        `${formatPath(schemaAt)}: invalid JSON Schema: ${(err as Error).message.split('\n')[0]}`,
      );
    }
    return policyRule(def, validate);
  });
}

/** Refuse what Ajv would accept but a policy must not use: remote or file `$ref`, other drafts, unknown keywords, formats. */
function checkSchema(schema: unknown, at: Path, source: ConfigSource | undefined): void {
  const fail = (path: Path, what: string): never => {
    throw configErrorAt(source, path, `${formatPath(path)}: ${what}`);
  };
  const visit = (node: unknown, path: Path): void => {
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      const here: Path = [...path, key];
      if (!KEYWORDS.has(key)) fail(here, `unknown JSON Schema keyword "${key}"${didYouMean(key, KEYWORDS)}`);
      if (key === '$ref' && (typeof value !== 'string' || !value.startsWith('#')))
        fail(
          here,
          'only local references (#/definitions/…) are allowed: shipshape never fetches schemas from the network or the disk',
        );
      if (key === '$schema' && (typeof value !== 'string' || !DRAFT7.test(value)))
        fail(
          here,
          'policies use JSON Schema draft-07: remove $schema or set it to http://json-schema.org/draft-07/schema#',
        );
      if (key === 'format') fail(here, '"format" is not supported (no format is built in): use "pattern"');
      const patterns =
        key === 'pattern' && typeof value === 'string'
          ? [value]
          : key === 'patternProperties' && isObject(value)
            ? Object.keys(value)
            : [];
      for (const p of patterns)
        if (nestedQuantifier(p) !== undefined)
          fail(
            here,
            `the pattern ${JSON.stringify(p)} repeats a group that itself repeats (like (a+)+): ` +
              `on a value built for it, matching takes exponential time. Rewrite it without the nested repetition`,
          );
      if (SCHEMA_MAPS.has(key) && isObject(value))
        for (const [name, sub] of Object.entries(value)) visit(sub, [...here, name]);
      else if (key === 'dependencies' && isObject(value))
        for (const [name, sub] of Object.entries(value)) visit(sub, [...here, name]);
      else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) value.forEach((sub, i) => visit(sub, [...here, i]));
      else if (key === 'items' && Array.isArray(value)) value.forEach((sub, i) => visit(sub, [...here, i]));
      else if (key === 'items') visit(value, here);
      else if (SUBSCHEMAS.has(key)) visit(value, here);
    }
  };
  visit(schema, at);
}

function policyRule(def: PolicyDef, validate: ValidateFunction): PolicyRule {
  const target = def.target ?? 'resource';
  const platforms: Platform[] =
    def.platforms ??
    (target === 'service' ? ['swarm'] : target === 'podSpec' ? ['kubernetes'] : ['kubernetes', 'swarm']);
  const meta = {
    severity: def.severity ?? 'warning',
    family: 'custom' as const,
    platforms,
    description: def.description,
    rationale: def.rationale ?? '',
    remediation: def.remediation ?? '',
    tags: ['custom'],
    ...(def.url ? { docsUrl: def.url } : {}),
    // The policy's own message (or description) and what the schema found, each shortened to keep one line.
    messages: { violation: '{{lead:72}}: {{detail:72}}' },
  };
  const lead = trimEndDotsAndSpaces(def.message ?? def.description);
  const check = (base: Path, data: unknown, ctx: RuleContext<unknown, unknown>, container?: string): void => {
    if (data === undefined || validate(data)) return;
    const seen = new Set<string>();
    for (const e of relevant(validate.errors ?? [])) {
      const { rel, detail } = describeError(e, data, target);
      const key = `${formatPath(rel)}\u0000${detail}`;
      if (seen.has(key)) continue;
      seen.add(key);
      ctx.report({
        path: [...base, ...rel],
        messageId: 'violation',
        data: { lead, detail },
        ...(container ? { container } : {}),
      });
    }
  };
  if (target === 'resource') {
    const rule: ResourceRule<Record<string, never>, undefined> = {
      id: def.id,
      target: 'resource',
      meta,
      applies: { platforms, ...(def.kinds ? { kinds: def.kinds } : {}) },
      check: (r, ctx) => {
        // Env files of a stack are resources only so that rules can point into them: not objects a policy describes.
        if (!def.kinds && r.kind === 'EnvFile') return;
        check([], r.value, ctx as RuleContext<unknown, unknown>);
      },
    };
    return { ...rule, policy: def };
  }
  const checkWorkload = (w: Workload, c: RuleContext<Record<string, never>, undefined>): void => {
    const ctx = c as RuleContext<unknown, unknown>;
    const v = w.resource.value;
    if (target === 'workload' || target === 'service') check(w.path, valueAt(v, w.path), ctx);
    else if (target === 'podSpec') check(w.podSpecPath, w.podSpec, ctx);
    else for (const container of w.containers) check(container.path, valueAt(v, container.path), ctx, container.name);
  };
  const rule: WorkloadRule<Record<string, never>, undefined> = {
    id: def.id,
    target: 'workload',
    meta,
    // The engine filters Kubernetes kinds; a Swarm service is of kind Service.
    applies: { platforms, ...(def.kinds ? { kinds: def.kinds } : {}) },
    kubernetes: checkWorkload,
    swarm: (s, ctx) => {
      if (!def.kinds || def.kinds.includes(s.kind)) checkWorkload(s, ctx);
    },
  };
  return { ...rule, policy: def };
}

/** Composite failures (anyOf, oneOf) are one finding, not one per branch; `if` only explains its `then`/`else`. */
function relevant(errors: readonly ErrorObject[]): ErrorObject[] {
  const composites = errors
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .map((e) => `${e.schemaPath}/`);
  return errors.filter((e) => e.keyword !== 'if' && !composites.some((p) => e.schemaPath.startsWith(p)));
}

/** Where the failing value is, relative to the target (a missing key: the key itself; the engine falls back to its parent). */
function describeError(e: ErrorObject, data: unknown, target: PolicyTarget): { rel: Path; detail: string } {
  const rel = pathFromPointer(data, e.instancePath);
  const p = e.params as Record<string, unknown>;
  const missing = p.missingProperty;
  if ((e.keyword === 'required' || e.keyword === 'dependencies') && typeof missing === 'string') {
    const full = [...rel, missing];
    return { rel: full, detail: `${formatPath(full)} is missing` };
  }
  if (e.keyword === 'additionalProperties' && typeof p.additionalProperty === 'string') {
    const full = [...rel, p.additionalProperty];
    return { rel: full, detail: `${formatPath(full)} is not allowed` };
  }
  if (e.keyword === 'propertyNames' && typeof p.propertyName === 'string') {
    const full = [...rel, p.propertyName];
    return { rel: full, detail: `the key ${formatPath(full)} ${e.message ?? 'is not allowed'}` };
  }
  const where = rel.length ? formatPath(rel) : `the ${target}`;
  const allowed =
    e.keyword === 'enum' ? `: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` : '';
  return { rel, detail: `${where} ${e.message ?? 'is invalid'}${allowed}` };
}

function deepest(errors: readonly ErrorObject[]): ErrorObject | undefined {
  return [...errors].sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length)[0];
}

/** `s` without trailing dots and blanks; not /[.\s]+$/, which is quadratic on a long run of them before other text. */
function trimEndDotsAndSpaces(s: string): string {
  let end = s.length;
  while (end > 0 && (s[end - 1] === '.' || /\s/.test(s[end - 1]!))) end--;
  return s.slice(0, end);
}
