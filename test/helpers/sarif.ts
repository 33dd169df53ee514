import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import { SHARED } from './fixtures.js';

// ajv-draft-04 is CommonJS: under NodeNext its default import is the module, whose `default` is the class.
let validator: ReturnType<InstanceType<typeof Ajv.default>['compile']> | undefined;

/** Validate a SARIF log against the official OASIS SARIF 2.1.0 schema (draft-04); returns the errors. */
export function validateSarif(log: unknown): string[] {
  if (!validator) {
    const schema = JSON.parse(readFileSync(path.join(SHARED, 'schemas/sarif-schema-2.1.0.json'), 'utf8'));
    const ajv = new Ajv.default({ allErrors: true, strict: false, validateFormats: false });
    validator = ajv.compile(schema);
  }
  if (validator(log)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
