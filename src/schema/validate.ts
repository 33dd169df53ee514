import type { Ajv as AjvInstance, ErrorObject, ValidateFunction } from 'ajv';
import { formatPath, pathFromPointer } from '../model/path.js';
import { didYouMean } from '../model/suggest.js';
import { isObject } from '../model/json.js';
import type { Path } from '../model/types.js';
import type { JsonSchema } from './kubernetes.js';

/** One schema violation, at a path inside the validated value. */
export interface SchemaProblem {
  path: Path;
  message: string;
  /** The ajv keyword (additionalProperties, required, type, enum, format…). */
  keyword: string;
  /** For `required`: the missing field. */
  missing?: string;
}

/** `${VAR}` or `$VAR`: a value that Compose, Flux postBuild or envsubst replaces before anything reads it. */
export function hasVariable(s: string): boolean {
  // Not /\$\{[^}]*\}/: retried at every `${`, it is quadratic on a value full of them. A `}` after the first `${` is the same test.
  if (/\$[A-Za-z_]/.test(s)) return true;
  const open = s.indexOf('${');
  return open !== -1 && s.indexOf('}', open + 2) !== -1;
}

const QUANTITY_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Every error (not only the first), with the schema that failed (for suggestions), as the messages need. */
export const AJV_OPTIONS = {
  allErrors: true,
  strict: false,
  verbose: true,
  logger: false,
  validateSchema: false,
} as const;

/** An ajv instance plus a cache of compiled validators, one per key (a CRD kind and version), for one run. */
export class SchemaValidator {
  private ajv: AjvInstance | undefined;
  private readonly compiled = new Map<string, ValidateFunction | Error>();

  /** The compiled validator for `key`, building the schema with `make` the first time. */
  validator(key: string, make: () => JsonSchema, createAjv: (() => AjvInstance) | undefined): ValidateFunction | Error {
    let v = this.compiled.get(key);
    if (!v) {
      try {
        if (!createAjv) throw new Error('ajv was not loaded for this run');
        this.ajv ??= createAjv();
        v = this.ajv.compile(make());
      } catch (err) {
        v = err as Error; // a CRD schema ajv cannot compile: its objects are not validated
      }
      this.compiled.set(key, v);
    }
    return v;
  }

  /** Validate and turn every error into a problem a person can act on. */
  validate(fn: ValidateFunction, data: unknown, label: string, opts: DescribeOptions = {}): SchemaProblem[] {
    return fn(data) ? [] : describeErrors(fn.errors ?? [], data, label, opts);
  }
}

/** Kubernetes treats a null field as absent: drop them before validating (a missing required field still counts). */
export function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = withoutNulls(x);
  return out;
}

export interface DescribeOptions {
  /** Never show the value at these paths (Secret data, environment variables). */
  hideValues?: (path: Path) => boolean;
  /** What the consequence is, appended to type and value errors. */
  consequence?: string;
}

/**
 * ajv errors → one problem per mistake. Alternatives (anyOf/oneOf) are resolved to the branch whose type matched
 * the value when there is one, so a typo inside the long form of a value is reported where it is.
 */
export function describeErrors(
  errors: readonly ErrorObject[],
  data: unknown,
  label: string,
  opts: DescribeOptions = {},
): SchemaProblem[] {
  const kept = resolveAlternatives(errors);
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of kept) {
    const p = describe(e, data, label, opts);
    if (!p) continue;
    const key = `${formatPath(p.path)}\u0000${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

function resolveAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  if (!alternatives.length) return [...errors];
  const drop = new Set<ErrorObject>();
  // Innermost first, so nested alternatives are settled before the ones around them.
  for (const alt of [...alternatives].sort((a, b) => b.schemaPath.length - a.schemaPath.length)) {
    if (drop.has(alt)) continue;
    const prefix = `${alt.schemaPath}/`;
    const inside = errors.filter((e) => e !== alt && e.schemaPath.startsWith(prefix) && !drop.has(e));
    if (alt.keyword === 'oneOf' && (alt.params as { passingSchemas?: unknown }).passingSchemas) {
      inside.forEach((e) => drop.add(e));
      continue;
    }
    const branches = new Map<string, ErrorObject[]>();
    for (const e of inside) {
      const branch = e.schemaPath.slice(prefix.length).split('/')[0] ?? '';
      branches.set(branch, [...(branches.get(branch) ?? []), e]);
    }
    // A branch whose type matched the value (its errors are about what is inside) holds the real errors.
    const matched = [...branches.values()].filter(
      (list) => !list.some((e) => e.instancePath === alt.instancePath && e.keyword === 'type'),
    );
    matched.sort((a, b) => a.length - b.length);
    const best = matched[0];
    for (const e of inside) if (!best || !best.includes(e)) drop.add(e);
    if (best) drop.add(alt);
  }
  return errors.filter((e) => !drop.has(e));
}

/** `Deployment.spec.replicas`, or for a stack file `services.web.deploy`. */
export function where(label: string, path: Path): string {
  const p = formatPath(path);
  if (!label) return p || 'the top level';
  if (!p) return label;
  return p.startsWith('[') ? `${label}${p}` : `${label}.${p}`;
}

const TYPE_NAMES: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean (true or false)',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number') return 'the number';
  if (typeof v === 'boolean') return 'the boolean';
  return 'the string';
}

/**
 * A value as a message shows it: `the number 3`, `the boolean true`, otherwise only its type (`a string`). A string is
 * never quoted: it may be a secret in a field the schema does not know as one (a CRD field, an enum, an argument).
 */
export function shown(v: unknown, hide: boolean): string {
  const t = typeOf(v);
  if (hide || typeof v === 'object' || typeof v === 'string') return t.replace(/^the /, 'a ');
  const s = JSON.stringify(v);
  return s.length > 7 ? t.replace(/^the /, 'a ') : `${t} ${s}`;
}

/** The messages of schema problems, shared by the Kubernetes checker and the ajv error translation. */
export const say = {
  unknownField: (at: string, key: string, known: Iterable<string>): string =>
    `unknown field "${key}" in ${at}${didYouMean(key, known)}`,
  missingField: (at: string, field: string): string => `missing required field "${field}" in ${at}`,
  wrongType: (at: string, types: readonly string[], v: unknown, hide: boolean, why: string): string =>
    `${at} must be ${types.map((t) => TYPE_NAMES[t] ?? t).join(' or ')}, not ${shown(v, hide)}${why}`,
  notInEnum: (at: string, v: unknown, allowed: readonly unknown[], hide: boolean, why: string): string =>
    `${at} is ${shown(v, hide)}, not one of ${allowed.map((x) => JSON.stringify(x)).join(', ')}${why}${typeof v === 'string' ? didYouMean(v, allowed.map(String)) : ''}`,
  notQuantity: (at: string, v: unknown, hide: boolean, why: string): string =>
    `${at} is ${shown(v, hide)}, which is not a Kubernetes quantity (such as 250m, 0.5, 512Mi, 2Gi, 1G)${why}`,
  notBase64: (at: string, why: string): string =>
    `${at} is not base64: values under data must be base64-encoded (put plain text under stringData instead)${why}`,
};

export function isQuantity(v: unknown): boolean {
  return typeof v === 'number' ? Number.isFinite(v) : typeof v === 'string' && QUANTITY_RE.test(v);
}

export function isBase64(v: string): boolean {
  return BASE64_RE.test(v.replace(/[\r\n]/g, ''));
}

function describe(e: ErrorObject, data: unknown, label: string, opts: DescribeOptions): SchemaProblem | undefined {
  const path = pathFromPointer(data, e.instancePath);
  const at = where(label, path);
  const why = opts.consequence ? `: ${opts.consequence}` : '';
  const params = e.params as Record<string, unknown>;
  const hide = opts.hideValues?.(path) ?? false;
  // A key written without a value, or a value with a variable in it, is judged after substitution, not here.
  if (
    e.keyword !== 'required' &&
    e.keyword !== 'additionalProperties' &&
    (e.data === null || (typeof e.data === 'string' && hasVariable(e.data)))
  )
    return undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const props =
        isObject(e.parentSchema) && isObject(e.parentSchema.properties) ? Object.keys(e.parentSchema.properties) : [];
      return { keyword: e.keyword, path: [...path, key], message: say.unknownField(at, key, props) };
    }
    case 'required':
      return {
        keyword: e.keyword,
        path,
        missing: String(params.missingProperty),
        message: say.missingField(at, String(params.missingProperty)),
      };
    case 'type': {
      const types = (Array.isArray(params.type) ? params.type : String(params.type).split(',')).map(String);
      return { keyword: e.keyword, path, message: say.wrongType(at, types, e.data, hide, why) };
    }
    case 'enum': {
      return {
        keyword: e.keyword,
        path,
        message: say.notInEnum(at, e.data, params.allowedValues as unknown[], hide, why),
      };
    }
    case 'format':
      return { keyword: e.keyword, path, message: `${at} must be a valid ${String(params.format)}${why}` };
    case 'anyOf':
    case 'oneOf': {
      const branches = Array.isArray(e.schema) ? (e.schema as unknown[]) : [];
      const types = [
        ...new Set(
          branches
            .map((b) => (isObject(b) && typeof b.type === 'string' ? TYPE_NAMES[b.type] : undefined))
            .filter(Boolean),
        ),
      ];
      if (e.keyword === 'oneOf' && params.passingSchemas)
        return {
          keyword: e.keyword,
          path,
          message: `${at} matches more than one allowed form, so its meaning is ambiguous${why}`,
        };
      const expected =
        types.length && types.length === branches.length
          ? `: expected ${types.join(' or ')}, not ${shown(e.data, hide)}`
          : '';
      return { keyword: e.keyword, path, message: `${at} does not match any allowed form${expected}${why}` };
    }
    case 'const':
      return {
        keyword: e.keyword,
        path,
        message: `${at} must be ${JSON.stringify(params.allowedValue)}, not ${shown(e.data, hide)}${why}`,
      };
    case 'if':
    case 'not':
    case 'then':
    case 'else':
      return undefined; // the branch errors that follow say what is wrong
    default:
      return {
        keyword: e.keyword,
        path,
        message: `${at} ${e.message ?? 'is invalid'}${hide ? '' : ` (${shown(e.data, hide)})`}${why}`,
      };
  }
}
