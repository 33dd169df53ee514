import type { AnyRule } from './rule.js';

export const LEVELS = ['off', 'note', 'warning', 'error'] as const;

/** The JSON Schema of `.shipshape.yaml`, generated from rule metadata (written to rules-config/config.schema.json). */
export function configSchema(rules: readonly AnyRule[]): Record<string, unknown> {
  const ruleProps: Record<string, unknown> = {};
  for (const r of rules) {
    const setting: Record<string, unknown> = {
      type: 'object',
      additionalProperties: false,
      properties: {
        severity: { $ref: '#/definitions/level' },
        ...(r.options ? { options: r.options.schema } : {}),
      },
    };
    ruleProps[r.id] = { description: r.meta.description, anyOf: [{ $ref: '#/definitions/level' }, setting] };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/shipshape-dev/shipshape/blob/main/rules-config/config.schema.json',
    title: 'shipshape configuration (.shipshape.yaml)',
    type: 'object',
    additionalProperties: false,
    properties: {
      rules: { type: 'object', description: 'Severity (off|note|warning|error) and options per rule id.', additionalProperties: false, properties: ruleProps },
      ignore: { type: 'array', description: 'Glob patterns (relative to the working directory) of files not to check.', items: { type: 'string' } },
    },
    definitions: { level: { enum: [...LEVELS] } },
  };
}
