import { isObject } from '../model/json.js';
import type { Path } from '../model/types.js';
import { API_VALIDATION, modelSuffix, type FieldRule } from './api-validation.js';
import type { KubeBundle } from './kubernetes.js';
import { hasVariable, isBase64, isQuantity, say, where, type DescribeOptions, type SchemaProblem } from './validate.js';

/**
 * Check a Kubernetes object against a bundled model. The models only use objects with known fields, lists, maps and
 * scalars, so a direct walk replaces a compiled JSON Schema: nothing to compile (ajv needed 0.5 s and more for a
 * Deployment, over ten times the rest of a one-file run), and each problem comes out with the message it needs.
 * A null value is the same as an absent one, as in the API server; a missing required field still counts.
 */
export function validateKube(
  bundle: KubeBundle,
  model: string,
  value: unknown,
  label: string,
  opts: DescribeOptions = {},
): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const why = opts.consequence ? `: ${opts.consequence}` : '';
  const hidden = (p: Path): boolean => opts.hideValues?.(p) ?? false;

  const checkModel = (v: unknown, name: string, path: Path): void => {
    const m = bundle.models[name];
    if (!m) return;
    if (!isObject(v)) {
      out.push({ keyword: 'type', path, message: say.wrongType(where(label, path), ['object'], v, hidden(path), why) });
      return;
    }
    for (const r of m.r ?? []) {
      if (v[r] === undefined || v[r] === null)
        out.push({ keyword: 'required', path, missing: r, message: say.missingField(where(label, path), r) });
    }
    const rules = Object.hasOwn(API_VALIDATION, modelSuffix(name)) ? API_VALIDATION[modelSuffix(name)] : undefined;
    for (const [a, b] of rules?.exclusive ?? []) {
      if (v[a] !== undefined && v[a] !== null && v[b] !== undefined && v[b] !== null)
        out.push({
          keyword: 'exclusive',
          path: [...path, b],
          message: `${where(label, path)} sets both ${a} and ${b}, and only one may be set${why}`,
        });
    }
    for (const [key, x] of Object.entries(v)) {
      const rule = rules && Object.hasOwn(rules.fields, key) ? rules.fields[key] : undefined;
      if (rule) checkRule(x, rule, [...path, key]);
      // Own keys only: a field named `constructor` or `__proto__` must not find Object.prototype's.
      const code = Object.hasOwn(m.p, key) ? m.p[key] : undefined;
      if (code === undefined && key.startsWith('$')) continue; // strategic merge patch directives ($patch, $retainKeys…)
      if (code === undefined) {
        out.push({
          keyword: 'additionalProperties',
          path: [...path, key],
          message: say.unknownField(where(label, path), key, Object.keys(m.p)),
        });
        continue;
      }
      check(x, code, [...path, key], m.e && Object.hasOwn(m.e, key) ? m.e[key] : undefined);
    }
  };

  /** The API server's own validation on top of the model's types (type errors are the model's to report). */
  const checkRule = (v: unknown, rule: FieldRule, path: Path): void => {
    if (typeof v === 'string' && rule.values && !rule.values.includes(v) && !hasVariable(v)) {
      out.push({
        keyword: 'enum',
        path,
        message: say.notInEnum(where(label, path), v, rule.values, hidden(path), why),
      });
    } else if (typeof v === 'number' && Number.isInteger(v)) {
      const min = rule.intOrPercent ? 0 : rule.min;
      if ((min !== undefined && v < min) || (rule.max !== undefined && v > rule.max)) {
        const range = rule.max !== undefined ? `between ${min ?? 0} and ${rule.max}` : `at least ${min}`;
        out.push({ keyword: 'minimum', path, message: `${where(label, path)} is ${v}, but it must be ${range}${why}` });
      }
    } else if (typeof v === 'string' && rule.intOrPercent && !hasVariable(v) && !/^\d+%$/.test(v)) {
      out.push({
        keyword: 'format',
        path,
        message: `${where(label, path)} is ${JSON.stringify(v)}, neither an integer nor a percentage such as "25%"${why}`,
      });
    }
  };

  const check = (v: unknown, code: string, path: Path, values: readonly string[] | undefined): void => {
    if (v === null || v === undefined) return;
    if (typeof v === 'string' && hasVariable(v)) return; // substituted before it is applied (Flux postBuild, envsubst)
    const wrong = (types: string[]): void => {
      out.push({ keyword: 'type', path, message: say.wrongType(where(label, path), types, v, hidden(path), why) });
    };
    if (code.startsWith('[]')) {
      if (!Array.isArray(v)) return wrong(['array']);
      v.forEach((item, i) => check(item, code.slice(2), [...path, i], values));
      return;
    }
    if (code.startsWith('{}')) {
      if (!isObject(v)) return wrong(['object']);
      for (const [k, item] of Object.entries(v)) check(item, code.slice(2), [...path, k], undefined);
      return;
    }
    if (code.startsWith('@')) return checkModel(v, code.slice(1), path);
    switch (code) {
      case 'string':
        if (typeof v !== 'string') return wrong(['string']);
        if (values && !values.includes(v))
          out.push({ keyword: 'enum', path, message: say.notInEnum(where(label, path), v, values, hidden(path), why) });
        return;
      case 'byte':
        if (typeof v !== 'string') return wrong(['string']);
        if (!isBase64(v)) out.push({ keyword: 'format', path, message: say.notBase64(where(label, path), why) });
        return;
      case 'integer':
        if (typeof v !== 'number' || !Number.isInteger(v)) return wrong(['integer']);
        return;
      case 'number':
        if (typeof v !== 'number') return wrong(['number']);
        return;
      case 'boolean':
        if (typeof v !== 'boolean') return wrong(['boolean']);
        return;
      case 'int-or-string':
        if (typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v)))
          return wrong(['integer', 'string']);
        return;
      case 'quantity':
        if (typeof v !== 'string' && typeof v !== 'number') return wrong(['string', 'number']);
        if (!isQuantity(v))
          out.push({ keyword: 'format', path, message: say.notQuantity(where(label, path), v, hidden(path), why) });
        return;
      default:
        return; // any
    }
  };

  checkModel(value, model, []);
  return out;
}
