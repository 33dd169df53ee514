import type { ShipshapeConfig } from './engine/config.js';
import type { AnyRule } from './engine/rule.js';
import { runRules } from './engine/run.js';
import { load, type LoadResult } from './load/index.js';
import { loadConfig } from './load/config-file.js';
import type { LintResult } from './report/types.js';
import { rules as builtinRules } from './rules/index.js';

export interface LintOptions {
  paths: string[];
  cwd?: string;
  /** Path of a config file; the nearest `.shipshape.yaml` upward from cwd when absent. */
  configFile?: string;
  /** An already resolved config (skips reading one). */
  config?: ShipshapeConfig;
  /** Text for the path `-`. */
  stdin?: string;
  rules?: readonly AnyRule[];
}

export interface LintOutput extends LintResult {
  config: ShipshapeConfig;
  input: LoadResult;
}

/** Load, parse and check the given paths: the whole pipeline without printing anything. */
export async function lint(options: LintOptions): Promise<LintOutput> {
  const cwd = options.cwd ?? process.cwd();
  const rules = options.rules ?? builtinRules;
  const config = options.config ?? (await loadConfig(options.configFile, cwd, rules));
  const input = await load({ paths: options.paths, cwd, ignore: config.ignore, ...(options.stdin !== undefined ? { stdin: options.stdin } : {}) });
  const findings = runRules({ resources: input.resources, problems: input.problems, rules, settings: config.settings });
  return { findings, files: input.files.length, resources: input.resources.length, rules, settings: config.settings, warnings: input.warnings, config, input };
}

export { builtinRules as rules };
export { formatText } from './report/text.js';
export { formatJson } from './report/json.js';
export { formatSarif } from './report/sarif.js';
export type { Finding, Resource, Workload, Range, Severity, Path } from './model/types.js';
export type { LintResult } from './report/types.js';
export { ConfigError } from './engine/config.js';
