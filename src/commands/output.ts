import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SEVERITY_RANK } from '../engine/rule.js';
import type { Severity } from '../model/types.js';
import { formatCheckstyle } from '../report/checkstyle.js';
import { formatCompact } from '../report/compact.js';
import { formatGitlab } from '../report/gitlab.js';
import { formatJson } from '../report/json.js';
import { formatJunit } from '../report/junit.js';
import { formatSarif } from '../report/sarif.js';
import { formatText } from '../report/text.js';
import { countFindings, isActive, type LintResult } from '../report/types.js';

/** A mistake by the user (a path that does not exist, an unwritable --output): one line on stderr, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const FORMATS = ['text', 'compact', 'json', 'sarif', 'junit', 'gitlab', 'checkstyle'] as const;
export type Format = (typeof FORMATS)[number];

export interface OutputOptions {
  format: Format;
  output?: string;
  failOn: Severity | 'none';
  quiet?: boolean;
  color?: boolean;
  verbose?: boolean;
  /** Fail the run (exit 1) when more warnings than this are reported, as ESLint's --max-warnings. */
  maxWarnings?: number;
}

/** The report as a string: the reporters are pure, this picks one. */
export function renderReport(
  result: LintResult,
  shown: LintResult,
  format: Format,
  text: { color: boolean; width?: number; verbose?: boolean },
  quiet: boolean,
): string {
  switch (format) {
    case 'json':
      return formatJson(shown);
    case 'sarif':
      return formatSarif(result);
    case 'compact':
      return formatCompact(shown);
    case 'junit':
      return formatJunit(shown);
    case 'gitlab':
      return formatGitlab(shown);
    case 'checkstyle':
      return formatCheckstyle(shown);
    case 'text':
      return quiet && shown.findings.length === 0 ? '' : formatText(shown, text);
  }
}

/** Print or write the report in the chosen format; the exit code: 1 when a finding fails the run, else 0. */
export async function writeReport(result: LintResult, opts: OutputOptions): Promise<number> {
  const failing = (s: Severity): boolean => opts.failOn !== 'none' && SEVERITY_RANK[s] >= SEVERITY_RANK[opts.failOn];
  const shown = opts.quiet
    ? { ...result, findings: result.findings.filter((f) => isActive(f) && failing(f.severity)), warnings: [] }
    : result;
  const tty = !opts.output && process.stdout.isTTY === true;
  const color = opts.color !== false && tty && !process.env.NO_COLOR;
  // Wrapped to the terminal only: piped text stays one finding per line, for grep and friends.
  const width = tty && process.stdout.columns ? process.stdout.columns : undefined;
  const text = renderReport(
    result,
    shown,
    opts.format,
    { color, ...(width ? { width } : {}), ...(opts.verbose ? { verbose: true } : {}) },
    opts.quiet === true,
  );
  if (opts.output) {
    const file = opts.output;
    await fs
      .mkdir(path.dirname(path.resolve(file)), { recursive: true })
      .then(() => fs.writeFile(file, text))
      .catch((err: NodeJS.ErrnoException) => {
        throw new UsageError(`cannot write --output ${file}: ${err.code ?? err.message}`);
      });
  } else if (text) process.stdout.write(text);
  const warnings = countFindings(result.findings).warning;
  if (opts.maxWarnings !== undefined && warnings > opts.maxWarnings) {
    process.stderr.write(`shipshape: ${warnings} warnings, more than --max-warnings ${opts.maxWarnings} allows\n`);
    return 1;
  }
  return result.findings.some((f) => isActive(f) && failing(f.severity)) ? 1 : 0;
}
