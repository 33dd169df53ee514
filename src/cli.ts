import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { applyBaseline } from './config/baseline.js';
import { ConfigError } from './config/config.js';
import { escapeControl, redact } from './model/redact.js';
import { lint, type LintOptions } from './index.js';
import { ClusterError } from './load/cluster-error.js';
import { GitError } from './load/git.js';
import { writeBaseline } from './load/baseline.js';
import type { LoadResult } from './load/index.js';
import { FORMATS, UsageError, writeReport, type Format } from './commands/output.js';
import { VERSION } from './version.js';
import { DEFAULT_KUBE_VERSION } from './schema/kubernetes.js';
import type { Severity } from './model/types.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

type FailOn = Severity | 'none';

interface CheckOptions {
  format: Format;
  output?: string;
  config?: string;
  failOn: FailOn;
  quiet?: boolean;
  color?: boolean;
  debug?: boolean;
  render?: boolean;
  clusterContext?: boolean;
  kubeconfig?: string;
  kubeContext?: string;
  kubeVersion?: string;
  strictKinds?: boolean;
  verbose?: boolean;
  maxWarnings?: number;
  printConfig?: string;
  rule?: string[];
  baseline?: string;
  writeBaseline?: string;
  newSince?: string;
  staged?: boolean;
  allowEmpty?: boolean;
  fix?: boolean;
  fixDryRun?: boolean;
}

/** The bytes of stdin: the loader decodes them like a file (UTF-16, binary…). */
async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function check(paths: string[], opts: CheckOptions): Promise<number> {
  if (opts.printConfig !== undefined) {
    const { printConfig } = await import('./commands/print-config.js');
    return printConfig(opts.printConfig, {
      ...(opts.config ? { config: opts.config } : {}),
      ...(opts.rule?.length ? { rule: opts.rule } : {}),
      ...(opts.kubeVersion ? { kubeVersion: opts.kubeVersion } : {}),
      cwd: process.cwd(),
    });
  }
  const targets = paths.length ? paths : ['.'];
  const stdin = targets.includes('-') ? await readStdin() : undefined;
  // The cluster code (and @kubernetes/client-node, ~400 ms to import) is loaded only when asked for.
  const cluster = {
    ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
    ...(opts.kubeContext ? { context: opts.kubeContext } : {}),
  };
  const context = opts.clusterContext
    ? async (input: LoadResult) => (await import('./load/cluster.js')).clusterContext(input.resources, cluster)
    : undefined;
  const lintOptions: LintOptions = {
    paths: targets,
    ...(opts.config ? { configFile: opts.config } : {}),
    ...(stdin !== undefined ? { stdin } : {}),
    ...(opts.render !== undefined ? { render: opts.render } : {}),
    renderDefault: 'auto',
    ...(context ? { context } : {}),
    ...(opts.kubeVersion ? { kubeVersion: opts.kubeVersion } : {}),
    ...(opts.strictKinds ? { strictKinds: true } : {}),
    ...(opts.rule?.length ? { ruleFlags: opts.rule } : {}),
    ...(opts.baseline ? { baseline: opts.baseline } : {}),
  };
  if ((opts.newSince || opts.staged) && (opts.baseline || opts.writeBaseline))
    throw new UsageError('--new-since compares with a commit: it does not go with --baseline or --write-baseline');
  const since = opts.newSince ?? (opts.staged ? 'HEAD' : undefined);
  if ((opts.fix || opts.fixDryRun) && (since || stdin !== undefined || opts.writeBaseline))
    throw new UsageError(
      '--fix and --fix-dry-run change files: they do not go with standard input, --new-since or --write-baseline',
    );
  const fixed =
    opts.fix || opts.fixDryRun
      ? await (await import('./commands/fix.js')).runFix(lintOptions, opts.fixDryRun === true, process.cwd())
      : undefined;
  if (fixed) {
    for (const line of fixed.log) process.stderr.write(`shipshape: ${escapeControl(line)}\n`);
    if (opts.fixDryRun) {
      process.stdout.write(fixed.diff);
      return EXIT_OK;
    }
  }
  const result = fixed
    ? fixed.result
    : since
      ? await (await import('./change.js')).lintChange(lintOptions, since, { staged: opts.staged === true })
      : await lint(lintOptions);
  if (opts.verbose && result.schemaCoverage) process.stderr.write(coverageText(result.schemaCoverage));
  const built = result.input.render;
  if (built?.builds && opts.format === 'text' && !opts.quiet)
    process.stderr.write(
      `shipshape: built ${built.builds} unit${built.builds === 1 ? '' : 's'} with ${built.tools.join(' and ')}` +
        ` and checked the output at the source lines (--no-render checks the files as written)\n`,
    );
  // A path that does not exist fails the run (exit 2), after the files that do exist are reported.
  const missing = result.input.missing.length
    ? new UsageError(`no such file or directory: ${result.input.missing.join(', ')}`)
    : undefined;
  // Nothing to check is a mistake (a mistyped path, an empty render piped in), unless it is expected.
  const allowEmpty = opts.allowEmpty === true || result.config.allowEmpty === true;
  if (!missing && !allowEmpty && result.input.resources.length === 0 && result.input.problems.length === 0)
    throw new UsageError(
      `no Kubernetes or Swarm object found in ${targets.map((t) => (t === '-' ? 'standard input' : t)).join(', ')} (--allow-empty if that is expected)`,
    );
  if (missing && opts.writeBaseline) throw missing;
  if (opts.writeBaseline) {
    // Today's findings become the baseline: recorded, then reported as such (so this run passes).
    const n = await writeBaseline(opts.writeBaseline, process.cwd(), result.findings);
    applyBaseline(result.findings, new Set(result.findings.map((f) => f.fingerprint)));
    process.stderr.write(`shipshape: wrote ${n} finding${n === 1 ? '' : 's'} to ${opts.writeBaseline}\n`);
  }

  // Text and JSON carry the warnings (a skipped file, an unbundled --kube-version); the other formats have no place
  // for them, and a CI log must still show them.
  if (opts.format !== 'text' && opts.format !== 'json')
    for (const w of result.warnings) process.stderr.write(`shipshape: warning: ${w}\n`);
  // A report that shows fixes gets their text edits (or loses a fix that does not apply to the file as it is now).
  if (FIX_FORMATS.has(opts.format) && result.findings.some((f) => f.fix)) {
    const { attachChanges } = await import('./fix/changes.js');
    attachChanges(result.findings, (file) =>
      file === '<stdin>' ? stdin?.toString('utf8') : readText(path.resolve(process.cwd(), file)),
    );
  }
  const code = await writeReport(result, opts);
  if (missing) throw missing;
  return code;
}

/** The formats that show fixes: JSON and SARIF with their text edits, text and compact with a `(fixable)` mark. */
const FIX_FORMATS: ReadonlySet<Format> = new Set(['json', 'sarif', 'text', 'compact']);

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** `--verbose`: how many Kubernetes objects were schema-validated, and the kinds skipped for want of a schema. */
function coverageText(c: NonNullable<Awaited<ReturnType<typeof lint>>['schemaCoverage']>): string {
  const skipped = [...c.skipped].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const total = skipped.reduce((n, [, k]) => n + k, 0);
  const lines = [
    `schema: ${c.validated} object${c.validated === 1 ? '' : 's'} validated, ${total}` +
      ` skipped (no schema for their kind: neither built in nor a CRD in the input)`,
  ];
  for (const [kind, n] of skipped) lines.push(`  ${kind} (${n})`);
  return lines.join('\n') + '\n';
}

/** Commander's usage mistakes (`error: unknown option '--x'`) as every other one: `shipshape: …`, on one line. */
function usageLine(message: string, write: (s: string) => void): void {
  write(
    `shipshape: ${message
      .replace(/^error: /, '')
      .replace(/\s*\n\s*/g, ' ')
      .trim()}\n`,
  );
}

function nonNegativeInt(v: string): number {
  if (!/^\d+$/.test(v.trim())) throw new InvalidArgumentError('expected a whole number, 0 or more');
  return Number(v);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function choice<T extends string>(values: readonly T[]) {
  return (v: string): T => {
    if (!(values as readonly string[]).includes(v))
      throw new InvalidArgumentError(`expected one of ${values.join(', ')}`);
    return v as T;
  };
}

export async function main(argv: string[]): Promise<number> {
  // A reader that stops early (`shipshape … | head`) is not a failure to report with a stack trace: end quietly with
  // the exit code the run has (it is set once the report is written). Any other output error is one line, exit 2.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') process.stderr.write(`shipshape: cannot write the report: ${err.code ?? err.message}\n`);
    process.exit(err.code === 'EPIPE' ? (process.exitCode ?? EXIT_OK) : EXIT_ERROR);
  });
  process.stderr.on('error', () => undefined);
  const program = new Command('shipshape');
  let code = EXIT_OK;
  program
    .description('Find the Kubernetes and Docker Swarm configurations that break self-healing in production.')
    .version(VERSION, '-v, --version')
    .argument('[paths...]', 'files or directories to check (default: .); - reads stdin')
    .addOption(new Option('-f, --format <format>', 'output format (docs/formats.md)').choices(FORMATS).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout (missing directories are created)')
    .option('-c, --config <file>', 'config file (default: nearest .shipshape.yaml)')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity')
        .argParser(choice(['error', 'warning', 'note', 'none'] as const))
        .default('error'),
    )
    .option('-q, --quiet', 'report only findings that fail the run, and nothing when there are none')
    .option('--no-color', 'never color the text output')
    .option('--debug', 'print stack traces of internal errors')
    .option(
      '--render',
      'build kustomize units and Helm charts even when the config says never (a missing tool is a note)',
    )
    .option(
      '--no-render',
      'check kustomize and Helm files as they are written (default: build them when kubectl/helm is on PATH)',
    )
    .option(
      '--cluster-context',
      'let objects of the live cluster (kubeconfig) take part in cross-resource rules, e.g. a PodDisruptionBudget that exists only there',
    )
    .option(
      '--kubeconfig <file>',
      "kubeconfig for --cluster-context and `shipshape cluster` (default: $KUBECONFIG, ~/.kube/config, or the pod's service account)",
    )
    .option('--kube-context <name>', 'kubeconfig context for --cluster-context (default: the current one)')
    .option(
      '--kube-version <version>',
      `Kubernetes version whose schemas and API removals apply, e.g. 1.31 (default: kubeVersion in the config, else ${DEFAULT_KUBE_VERSION})`,
    )
    .option(
      '--strict-kinds',
      'report objects whose kind has no schema (neither built in nor a CRD in the input) instead of skipping them',
    )
    .option(
      '--verbose',
      "text: add each finding's why and fix under it; print which kinds were not schema-validated (on stderr)",
    )
    .option('--max-warnings <n>', 'exit 1 when more than this many warnings are reported (as ESLint)', nonNegativeInt)
    .option(
      '--print-config <file>',
      "print the settings (every rule's severity and options) in effect for this file, as JSON, and exit",
    )
    .option(
      '--rule <id=severity>',
      "set a rule's severity (off|note|warning|error) for this run, over the config; repeatable",
      collect,
      [],
    )
    .option(
      '--baseline <file>',
      'report only findings that are not in this baseline file (SARIF marks the others unchanged)',
    )
    .option('--write-baseline <file>', "record today's findings in a baseline file (sorted, no line numbers) and pass")
    .option(
      '--new-since <git-ref>',
      'also check the tree at this commit (read through git), and report and fail on the findings the change introduces, ' +
        'wherever they are; list the ones it fixed',
    )
    .option(
      '--staged',
      'check what is staged for the next commit (the index, not the working tree) against --new-since (default HEAD): for a pre-commit hook',
    )
    .option('--fix', "apply the fixes findings carry (marked '(fixable)'; see docs/fix.md), then report what is left")
    .option('--fix-dry-run', 'print the fixes as a unified diff, write nothing')
    .option('--allow-empty', 'pass when the paths hold no Kubernetes or Swarm object (default: exit 2)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: usageLine })
    .action(async (paths: string[], opts: CheckOptions) => {
      code = await check(paths, opts);
    });
  program.helpCommand(false); // `shipshape help` stays a path, as before there were subcommands
  program
    .command('cluster')
    .description(
      'check the workloads, HPAs and PodDisruptionBudgets of a live cluster (findings are located by kind/namespace/name)',
    )
    .option(
      '-n, --namespace <namespace>',
      "namespace to read (default: the context's, or the pod's own when running in a cluster)",
    )
    .option('-A, --all-namespaces', 'read every namespace')
    .option('--context <name>', 'kubeconfig context (default: the current one)')
    .option('--timeout <seconds>', 'give up on an API request after this long', '30')
    .option(
      '--manifests <path>',
      'files or directories that define the live objects: SARIF results are placed there (required for --format sarif when there are findings); repeatable',
      collect,
      [],
    )
    .configureHelp({ showGlobalOptions: true })
    .action(async (_opts: unknown, cmd: Command) => {
      const { runCluster } = await import('./commands/cluster.js');
      code = await runCluster(cmd.optsWithGlobals());
    });
  program
    .command('rules')
    .description('list every rule (built-in and custom) with its severity in the effective config (--format text|json)')
    .configureHelp({ showGlobalOptions: true })
    .action(async (_opts: unknown, cmd: Command) => {
      const { rulesCommand } = await import('./commands/rules.js');
      const o = cmd.optsWithGlobals() as CheckOptions;
      code = await rulesCommand({
        format: o.format,
        ...(o.config ? { config: o.config } : {}),
        ...(o.rule ? { rule: o.rule } : {}),
        cwd: process.cwd(),
      });
    });
  program
    .command('units')
    .argument('[paths...]', 'files or directories (default: .)')
    .description(
      'print the deployment units of the input: kind, root, how each was found and its files (--format text|json)',
    )
    .configureHelp({ showGlobalOptions: true })
    .action(async (paths: string[], _opts: unknown, cmd: Command) => {
      const { unitsCommand } = await import('./commands/units.js');
      const o = cmd.optsWithGlobals() as CheckOptions;
      code = await unitsCommand({
        paths,
        format: o.format,
        ...(o.config ? { config: o.config } : {}),
        cwd: process.cwd(),
      });
    });
  program
    .command('explain')
    .argument('<rule-id>', 'a rule id, built-in or custom')
    .description("print a rule's documentation")
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const { explainCommand } = await import('./commands/explain.js');
      const o = cmd.optsWithGlobals() as CheckOptions;
      code = await explainCommand(id, { ...(o.config ? { config: o.config } : {}), cwd: process.cwd() });
    });
  program
    .command('init')
    .description('write a commented .shipshape.yaml that extends the recommended preset (never overwrites one)')
    .addOption(
      new Option('--preset <name>', 'preset to extend').choices(['recommended', 'strict']).default('recommended'),
    )
    .action(async (opts: { preset: string }) => {
      const { initCommand } = await import('./commands/init.js');
      code = await initCommand({ preset: opts.preset, cwd: process.cwd() });
    });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage mistakes were already printed by commander.
      return err.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
    }
    const debug = argv.includes('--debug');
    if (
      err instanceof ConfigError ||
      err instanceof UsageError ||
      err instanceof ClusterError ||
      err instanceof GitError
    ) {
      process.stderr.write(`shipshape: ${escapeControl(redact(err.message))}\n`);
    } else {
      const e = err as Error;
      process.stderr.write(
        `shipshape: internal error: ${escapeControl(redact(firstLine(e?.message ?? String(err))))}${debug ? '' : ' (run with --debug for details)'}\n`,
      );
      if (debug && e?.stack) process.stderr.write(`${escapeControl(redact(e.stack, 20000))}\n`);
    }
    return EXIT_ERROR;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(
      `shipshape: internal error: ${escapeControl(redact(firstLine((err as Error)?.message ?? String(err))))}\n`,
    );
    process.exitCode = EXIT_ERROR;
  },
);

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
