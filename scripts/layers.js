/**
 * The layers of src/ and the imports allowed between them: one table, read by test/architecture.test.ts (every
 * import, dynamic ones too) and by eslint.config.js (no-restricted-imports, so an editor shows it at once).
 *
 * Data flows load → model → engine → rules → report; imports point at the layers a layer builds on, never back up.
 * A layer may import itself and the layers listed for it, nothing else.
 */

/** A file's layer: its first directory under src/, or for a file directly in src/ the name given here. */
export const TOP_LEVEL_FILES = {
  'version.ts': 'version',
  'index.ts': 'api',
  'change.ts': 'api',
  'cli.ts': 'cli',
};

/** layer → the layers it may import. */
export const ALLOWED = {
  // The version string: a leaf.
  version: [],
  // Plain-JSON helpers, the one path module, Resource/Unit/Workload types and views, redaction, suggestions.
  model: [],
  // JSON Schema validation, Kubernetes and CRD schemas, deprecated APIs: used by load, engine, config and rules.
  schema: ['model'],
  // Rule contract and registry types, resource index, per-file settings, suppressions, the run loop.
  engine: ['model', 'schema'],
  // Config files' meaning: validation, merging, presets, overrides, policies, baseline format, regex safety.
  config: ['model', 'schema', 'engine'],
  // Files → text → values with positions: discovery, reading, parsing, units, rendering, config and baseline files.
  load: ['model', 'schema', 'config'],
  // One rule per file; helpers in rules/<family>/lib/.
  rules: ['model', 'schema', 'engine'],
  // Pure functions from results (or rule metadata) to a string.
  report: ['version', 'model', 'engine'],
  // Fixes: a file's edits (data on the findings) applied as text edits through yaml's Document API.
  fix: ['model'],
  // The programmatic API (src/index.ts) and change detection for --staged/--new-since (src/change.ts).
  api: ['version', 'model', 'schema', 'engine', 'config', 'load', 'rules', 'report'],
  // Build tooling: generated docs, presets, schemas.
  tools: ['version', 'model', 'schema', 'engine', 'config', 'load', 'rules', 'report', 'api'],
  // Subcommands, loaded by cli.ts.
  commands: ['version', 'model', 'schema', 'engine', 'config', 'load', 'rules', 'report', 'api', 'fix'],
  // The GitHub Action.
  action: ['version', 'model', 'schema', 'engine', 'config', 'load', 'rules', 'report', 'api', 'fix'],
  cli: ['version', 'model', 'schema', 'engine', 'config', 'load', 'rules', 'report', 'api', 'fix', 'commands'],
};

/** The layer of a path relative to src/ (`load/parse.ts`, `cli.ts`), or undefined when it is not in the table. */
export function layerOf(rel) {
  const parts = rel.split('/');
  const layer = parts.length > 1 ? parts[0] : TOP_LEVEL_FILES[parts[0]];
  return layer !== undefined && Object.hasOwn(ALLOWED, layer) ? layer : undefined;
}
