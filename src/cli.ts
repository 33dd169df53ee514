import { promises as fs } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from './engine/config.js';
import { SEVERITY_RANK } from './engine/rule.js';
import { lint } from './index.js';
import { formatJson } from './report/json.js';
import { formatSarif } from './report/sarif.js';
import { formatText } from './report/text.js';
import { VERSION } from './version.js';
import type { Severity } from './model/types.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

type Format = 'text' | 'json' | 'sarif';
type FailOn = Severity | 'none';

interface CheckOptions {
  format: Format;
  output?: string;
  config?: string;
  failOn: FailOn;
  quiet?: boolean;
  color?: boolean;
  debug?: boolean;
}

/** A mistake by the user: one line on stderr, exit 2. */
class UsageError extends Error {}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function check(paths: string[], opts: CheckOptions): Promise<number> {
  const targets = paths.length ? paths : ['.'];
  const stdin = targets.includes('-') ? await readStdin() : undefined;
  const result = await lint({ paths: targets, ...(opts.config ? { configFile: opts.config } : {}), ...(stdin !== undefined ? { stdin } : {}) });
  if (result.input.missing.length) throw new UsageError(`no such file or directory: ${result.input.missing.join(', ')}`);

  const failing = (s: Severity): boolean => opts.failOn !== 'none' && SEVERITY_RANK[s] >= SEVERITY_RANK[opts.failOn];
  const shown = opts.quiet ? { ...result, findings: result.findings.filter((f) => !f.suppressed && failing(f.severity)), warnings: [] } : result;
  const color = opts.color !== false && !opts.output && process.stdout.isTTY === true && !process.env.NO_COLOR;
  let text: string;
  if (opts.format === 'json') text = formatJson(shown);
  else if (opts.format === 'sarif') text = formatSarif(result);
  else text = opts.quiet && shown.findings.length === 0 ? '' : formatText(shown, { color });

  if (opts.output) await fs.writeFile(opts.output, text);
  else if (text) process.stdout.write(text);
  return result.findings.some((f) => !f.suppressed && failing(f.severity)) ? EXIT_FINDINGS : EXIT_OK;
}

function choice<T extends string>(values: readonly T[]) {
  return (v: string): T => {
    if (!(values as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${values.join(', ')}`);
    return v as T;
  };
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('shipshape');
  let code = EXIT_OK;
  program
    .description('Find the Kubernetes and Docker Swarm configurations that break self-healing in production.')
    .version(VERSION, '-v, --version')
    .argument('[paths...]', 'files or directories to check (default: .); - reads stdin')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-c, --config <file>', 'config file (default: nearest .shipshape.yaml)')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').argParser(choice(['error', 'warning', 'note', 'none'] as const)).default('error'))
    .option('-q, --quiet', 'report only findings that fail the run, and nothing when there are none')
    .option('--no-color', 'never color the text output')
    .option('--debug', 'print stack traces of internal errors')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .action(async (paths: string[], opts: CheckOptions) => {
      code = await check(paths, opts);
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
    if (err instanceof ConfigError || err instanceof UsageError) {
      process.stderr.write(`shipshape: ${err.message}\n`);
    } else {
      const e = err as Error;
      process.stderr.write(`shipshape: internal error: ${e?.message ?? String(err)}${debug ? '' : ' (run with --debug for details)'}\n`);
      if (debug && e?.stack) process.stderr.write(`${e.stack}\n`);
    }
    return EXIT_ERROR;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`shipshape: internal error: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = EXIT_ERROR;
  },
);
