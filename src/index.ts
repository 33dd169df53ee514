import { existsSync } from 'node:fs';
import path from 'node:path';
import { append } from './model/append.js';
import { freezeResource } from './model/freeze.js';
import { applyBaseline } from './config/baseline.js';
import { applyRuleFlags, ConfigError, type ShipshapeConfig } from './config/config.js';
import type { AnyRule } from './engine/rule.js';
import { redact } from './model/redact.js';
import { runRules } from './engine/run.js';
import { load, type LoadResult } from './load/index.js';
import { readBaseline } from './load/baseline.js';
import { loadConfig } from './load/config-file.js';
import { loadSchemas } from './load/schemas.js';
import { findRepositoryRoot } from './load/root.js';
import {
  BUNDLED_KUBE_VERSIONS,
  bundledVersionFor,
  DEFAULT_KUBE_VERSION,
  parseKubeVersion,
} from './schema/kubernetes.js';
import { kustomizeRoles, type KustomizeRole } from './schema/kustomize.js';
import { schemaCoverage, type SchemaCoverage, type SchemaSources } from './schema/sources.js';
import type { LintResult } from './report/types.js';
import type { Resource } from './model/types.js';
import { rules as builtinRules } from './rules/index.js';

export interface LintOptions {
  paths: string[];
  cwd?: string;
  /** Path of a config file; the nearest `.shipshape.yaml` upward from cwd when absent. */
  configFile?: string;
  /** An already resolved config (skips reading one). */
  config?: ShipshapeConfig;
  /** Text for the path `-`, or its bytes (decoded like a file's: UTF-16, binary…). */
  stdin?: string | Uint8Array;
  rules?: readonly AnyRule[];
  /**
   * Build kustomize units and Helm charts before checking: `auto` when the tool is on PATH, `true` always, `false` never
   * (default: the config's `render`, else `renderDefault`).
   */
  render?: boolean | 'auto';
  /** What applies when neither the option nor the config says (the CLI: `auto`; the API: never). */
  renderDefault?: boolean | 'auto';
  /** Objects to check besides the files (read from a live cluster). */
  resources?: readonly Resource[];
  /** Objects that join cross-resource rules but are never reported (a live cluster), asked for once the files are read. */
  context?: (input: LoadResult) => Promise<{ resources: readonly Resource[]; warnings: string[] }>;
  /** Kubernetes version for schema validation and API removals (default: the config's `kubeVersion`, else a recent one). */
  kubeVersion?: string;
  /** Report objects of kinds with no schema (schema-invalid), instead of skipping them. */
  strictKinds?: boolean;
  /** `id=severity`, as given to `--rule`: applied after the config and its overrides, to every file. */
  ruleFlags?: readonly string[];
  /** A baseline file (`--baseline`), or its fingerprints: findings in it are marked `unchanged`, the others `new`. */
  baseline?: string | ReadonlySet<string>;
  /**
   * For tests: deep-freeze every parsed object before the rules see it, so that a rule that mutates its input throws
   * (and the run reports an internal-error for it). The fixture tests set it.
   */
  freezeInput?: boolean;
}

export interface LintOutput extends LintResult {
  config: ShipshapeConfig;
  input: LoadResult;
  /** Kubernetes objects validated against a schema, and those skipped because their kind has none. */
  schemaCoverage?: SchemaCoverage;
}

/** Load, parse and check the given paths: the whole pipeline without printing anything. */
export async function lint(options: LintOptions): Promise<LintOutput> {
  const cwd = options.cwd ?? process.cwd();
  const rules = options.rules ?? builtinRules;
  const config = applyRuleFlags(
    options.config ?? (await loadConfig(options.configFile, cwd, rules)),
    options.ruleFlags ?? [],
  );
  const baseline = typeof options.baseline === 'string' ? await readBaseline(options.baseline, cwd) : options.baseline;
  const allRules = config.rules ?? rules;
  const render =
    options.render ??
    (config.render === 'auto' ? 'auto' : config.render === 'never' ? false : (options.renderDefault ?? false));
  const configDir = config.source ? path.dirname(path.resolve(cwd, config.source)) : undefined;
  const root = findRepositoryRoot({
    cwd,
    paths: options.paths,
    ...(config.source ? { configFile: config.source } : {}),
  });
  const input = await load({
    paths: options.paths,
    cwd,
    root,
    ignore: config.ignore,
    ignoreBase: configDir ?? cwd,
    render,
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    ...(config.units ? { units: config.units.globs, unitsBase: config.units.base } : {}),
  });
  if (options.resources?.length) {
    append(input.resources, options.resources);
    input.units.push({
      unit: {
        id: 'cluster',
        kind: 'cluster',
        root: '',
        absRoot: '',
        files: [],
        via: 'objects read from the cluster',
        patches: [],
      },
      resources: [...options.resources],
      patchFiles: new Set(),
      rendered: false,
    });
  }
  const context = options.context ? await options.context(input) : undefined;
  if (context) append(input.warnings, context.warnings);
  const schemas = await prepareSchemas(options, config, input);
  // One frame of reference: config globs relative to the config file; fingerprints and SARIF URIs relative to the Git
  // top level, else the config's directory (when the working directory is in it), else the working directory.
  const inConfigDir =
    configDir !== undefined &&
    !path.relative(configDir, cwd).startsWith('..') &&
    !path.isAbsolute(path.relative(configDir, cwd));
  const reference = existsSync(path.join(root, '.git')) ? root : inConfigDir ? configDir! : cwd;
  const relTo =
    (base: string) =>
    (file: string): string =>
      file.startsWith('<') || file === ''
        ? file
        : path.relative(base, path.resolve(cwd, file)).split(path.sep).join('/');
  if (options.freezeInput)
    for (const r of [...input.units.flatMap((u) => u.resources), ...(context?.resources ?? [])]) freezeResource(r);
  const findings = runRules({
    configPath: relTo(configDir ?? cwd),
    identityPath: relTo(reference),
    resources: [...new Set(input.units.flatMap((u) => u.resources))],
    units: input.units.map((u) => ({ id: u.unit.id, resources: u.resources, patchFiles: u.patchFiles })),
    problems: input.problems,
    rules: allRules,
    settings: schemas.settings,
    schemas: schemas.sources,
    overrides: config.overrides ?? [],
    suppressions: input.suppressions,
    kustomizePatches: kustomizePatchPaths(schemas.sources.kustomize ?? kustomizeRoles(input.files)),
    ...(context ? { context: context.resources } : {}),
  });
  if (baseline) {
    applyBaseline(findings, baseline);
    // A baseline written elsewhere (another repository root, an old version) matches nothing: say so.
    if (baseline.size > 0 && findings.length > 0 && !findings.some((f) => f.baselineState === 'unchanged'))
      input.warnings.push(
        `none of the ${baseline.size} entries of the baseline matched a finding: ` +
          `every finding is reported as new (was it written for another repository root?)`,
      );
  }
  // Env files named by stacks are checked too (secret-in-env reports into them): they count as files.
  const envFiles = input.resources.filter((r) => r.kind === 'EnvFile').length;
  return {
    repositoryRoot: reference,
    cwd,
    findings,
    files: input.files.length + envFiles,
    resources: input.resources.length,
    rules: allRules,
    settings: config.settings,
    warnings: input.warnings.map((w) => redact(w)),
    config,
    input,
    ...(schemas.coverage ? { schemaCoverage: schemas.coverage } : {}),
  };
}

function kustomizePatchPaths(roles: ReadonlyMap<string, KustomizeRole>): Set<string> {
  return new Set([...roles].filter(([, role]) => role === 'patch').map(([file]) => file));
}

/** Load the schemas the run needs (only when schema-invalid is on and there is something to validate). */
async function prepareSchemas(
  options: LintOptions,
  config: ShipshapeConfig,
  input: LoadResult,
): Promise<{ sources: SchemaSources; settings: ShipshapeConfig['settings']; coverage?: SchemaCoverage }> {
  const requested = options.kubeVersion ?? config.kubeVersion ?? DEFAULT_KUBE_VERSION;
  const v = parseKubeVersion(requested);
  if (!v) throw new ConfigError(`--kube-version ${requested}: expected a Kubernetes version such as 1.31`);
  const kubeVersion = `${v[0]}.${v[1]}`;
  if (!(BUNDLED_KUBE_VERSIONS as readonly string[]).includes(kubeVersion)) {
    // API removals still follow the version asked for; only the schemas are the closest bundled ones.
    const flag = options.kubeVersion !== undefined ? '--kube-version' : 'kubeVersion';
    input.warnings.push(
      `${flag} ${requested}: no bundled schemas for Kubernetes ${kubeVersion}; ` +
        `validating against ${bundledVersionFor(kubeVersion)} (bundled: ${BUNDLED_KUBE_VERSIONS.join(', ')})`,
    );
  }
  let settings = config.settings;
  const setting = settings.get('schema-invalid');
  if (options.strictKinds && setting) {
    settings = new Map(settings);
    settings.set('schema-invalid', { ...setting, options: { ...setting.options, strictKinds: true } });
  }
  const on =
    setting !== undefined &&
    (setting.severity !== 'off' || (config.overrides ?? []).some((o) => o.rules.has('schema-invalid')));
  const kubernetes = on && input.resources.some((r) => r.platform === 'kubernetes');
  const compose = on && input.resources.some((r) => r.kind === 'Stack');
  const crds = kubernetes && input.resources.some((r) => r.kind === 'CustomResourceDefinition');
  const sources = await loadSchemas(kubeVersion, { kubernetes, compose, crds });
  if (kubernetes) sources.kustomize = kustomizeRoles(input.files);
  return { sources, settings, ...(kubernetes ? { coverage: schemaCoverage(input.resources, sources) } : {}) };
}

export { builtinRules as rules };
export { formatText } from './report/text.js';
export { formatJson } from './report/json.js';
export { formatSarif } from './report/sarif.js';
export type { Finding, Resource, Workload, Range, Severity, Path } from './model/types.js';
export type { LintResult } from './report/types.js';
export { applyRuleFlags, ConfigError, resolveConfig, type ShipshapeConfig } from './config/config.js';
export { loadConfig } from './load/config-file.js';
export { formatBaseline, parseBaseline } from './config/baseline.js';
