import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';

// ajv-draft-04 is CommonJS: under NodeNext its default import is the module, whose `default` is the class.
let validator: ReturnType<InstanceType<typeof Ajv.default>['compile']> | undefined;

/** The official OASIS SARIF 2.1.0 schema (draft-04), vendored beside this file. */
const SCHEMA = path.join(import.meta.dirname, 'schemas/sarif-schema-2.1.0.json');

/** Validate a SARIF log against the SARIF 2.1.0 schema; returns the errors. */
export function validateSarif(log: unknown): string[] {
  if (!validator) {
    const schema = JSON.parse(readFileSync(SCHEMA, 'utf8'));
    const ajv = new Ajv.default({ allErrors: true, strict: false, validateFormats: false });
    validator = ajv.compile(schema);
  }
  if (validator(log)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
