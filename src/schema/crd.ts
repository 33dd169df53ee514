import { isObject } from '../model/json.js';
import type { Resource } from '../model/types.js';
import type { JsonSchema } from './kubernetes.js';

/** A custom resource schema found in the input: the openAPIV3Schema of one version of a CRD. */
export interface CrdSchema {
  crd: Resource;
  schema: JsonSchema;
  /** Unknown fields are kept, not rejected: `spec.preserveUnknownFields` (true by default in apiextensions v1beta1). */
  preserveUnknownFields: boolean;
}

/** `group/version/kind` → schema, for every CustomResourceDefinition in the input (apiextensions v1 and v1beta1). */
export function indexCrds(resources: readonly Resource[]): Map<string, CrdSchema> {
  const out = new Map<string, CrdSchema>();
  for (const r of resources) {
    if (r.kind !== 'CustomResourceDefinition' || !r.apiVersion?.startsWith('apiextensions.k8s.io/')) continue;
    const spec = r.value.spec;
    if (
      !isObject(spec) ||
      typeof spec.group !== 'string' ||
      !isObject(spec.names) ||
      typeof spec.names.kind !== 'string'
    )
      continue;
    const kind = spec.names.kind;
    const preserveUnknownFields =
      r.apiVersion === 'apiextensions.k8s.io/v1beta1'
        ? spec.preserveUnknownFields !== false
        : spec.preserveUnknownFields === true;
    const shared =
      isObject(spec.validation) && isObject(spec.validation.openAPIV3Schema)
        ? spec.validation.openAPIV3Schema
        : undefined;
    const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
    if (!versions.length && typeof spec.version === 'string') versions.push({ name: spec.version });
    for (const v of versions) {
      if (typeof v.name !== 'string') continue;
      const own = isObject(v.schema) && isObject(v.schema.openAPIV3Schema) ? v.schema.openAPIV3Schema : undefined;
      const schema = own ?? shared;
      if (schema) out.set(`${spec.group}/${v.name}/${kind}`, { crd: r, schema, preserveUnknownFields });
    }
  }
  return out;
}

// The API server checks ObjectMeta itself; a CRD may only constrain metadata.name, so the rest of it is always allowed.
const EMBEDDED: JsonSchema = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } };

/**
 * The openAPIV3Schema of a CRD as the API server applies it, in JSON Schema that ajv compiles: an object with
 * `properties` rejects other fields unless `x-kubernetes-preserve-unknown-fields`; `x-kubernetes-int-or-string`
 * takes integers and strings; `nullable`, formats (validated loosely, if at all, by the server) and patterns that are
 * not ECMAScript are dropped rather than guessed.
 *
 * The schema is cut down to what `instances` (every object of this kind in the run) use: a property none of them
 * sets keeps its name (for unknown-field checks and suggestions) but not its schema. Large CRDs (the Prometheus one
 * is 0.8 MB) then compile in milliseconds instead of seconds.
 */
export function crdJsonSchema(crd: CrdSchema, instances: readonly unknown[]): JsonSchema {
  const root = convert(crd.schema, instances, crd.preserveUnknownFields);
  const props = { ...(isObject(root.properties) ? root.properties : {}), ...EMBEDDED };
  return { ...root, type: 'object', properties: props };
}

function convert(s: unknown, data: readonly unknown[], keepUnknown: boolean): JsonSchema {
  if (!isObject(s)) return {};
  const objects = data.filter(isObject);
  const values = (keep: (k: string) => boolean): unknown[] =>
    objects.flatMap((o) =>
      Object.entries(o)
        .filter(([k]) => keep(k))
        .map(([, v]) => v),
    );
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(s)) {
    if (
      k === 'nullable' ||
      k === 'format' ||
      k === 'description' ||
      k === 'example' ||
      k === 'default' ||
      k === '$schema'
    )
      continue;
    if (k.startsWith('x-kubernetes-')) continue;
    if (k === 'pattern') {
      // Run by RE2's linear-time engine (config/regex-safety.ts), so no pattern can hang a run; an invalid one is left out.
      if (typeof v === 'string' && compiles(v)) out.pattern = v;
      continue;
    }
    if (k === 'properties') {
      if (isObject(v))
        out[k] = Object.fromEntries(
          Object.entries(v).map(([p, sub]) => [
            p,
            objects.some((o) => p in o)
              ? convert(
                  sub,
                  values((x) => x === p),
                  keepUnknown,
                )
              : {},
          ]),
        );
      continue;
    }
    if (k === 'patternProperties') {
      if (isObject(v))
        out[k] = Object.fromEntries(
          Object.entries(v).map(([p, sub]) => [
            p,
            convert(
              sub,
              values(() => true),
              keepUnknown,
            ),
          ]),
        );
      continue;
    }
    if (k === 'additionalProperties') {
      const known = isObject(s.properties) ? s.properties : {};
      out[k] =
        typeof v === 'boolean'
          ? v
          : convert(
              v,
              values((x) => !(x in known)),
              keepUnknown,
            );
      continue;
    }
    if (k === 'items') {
      const items = data.filter(Array.isArray).flat();
      out[k] =
        typeof v === 'boolean'
          ? v
          : Array.isArray(v)
            ? v.map((sub) => convert(sub, items, keepUnknown))
            : convert(v, items, keepUnknown);
      continue;
    }
    if (k === 'not') {
      out[k] = convert(v, data, keepUnknown);
      continue;
    }
    if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') {
      if (Array.isArray(v)) out[k] = v.map((sub) => convert(sub, data, keepUnknown));
      continue;
    }
    if (k === 'definitions') continue; // not allowed in structural schemas
    out[k] = v;
  }
  if (s['x-kubernetes-int-or-string'] === true) {
    delete out.anyOf;
    delete out.oneOf;
    out.type = ['integer', 'string'];
  }
  if (s['x-kubernetes-embedded-resource'] === true) {
    out.properties = { ...(isObject(out.properties) ? out.properties : {}), ...EMBEDDED };
  }
  const preserve = keepUnknown || s['x-kubernetes-preserve-unknown-fields'] === true;
  if (
    !preserve &&
    isObject(out.properties) &&
    out.additionalProperties === undefined &&
    (out.type === 'object' || out.type === undefined)
  ) {
    out.additionalProperties = false;
  }
  if (preserve && out.additionalProperties === false) delete out.additionalProperties;
  // Type-less schemas with preserve-unknown-fields accept anything, e.g. a free-form `config`.
  if (preserve && out.type === undefined && !out.properties) return {};
  return out;
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}
