import { promises as fs } from 'node:fs';
import { SEVERITY_RANK } from '../engine/rule.js';
import type { Severity } from '../model/types.js';
import { formatJson } from '../report/json.js';
import { formatSarif } from '../report/sarif.js';
import { formatText } from '../report/text.js';
import { isActive, type LintResult } from '../report/types.js';

/** A mistake by the user (a path that does not exist, an unwritable --output): one line on stderr, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface OutputOptions {
  format: 'text' | 'json' | 'sarif';
  output?: string;
  failOn: Severity | 'none';
  quiet?: boolean;
  color?: boolean;
}

/** Print or write the report in the chosen format; the exit code: 1 when a finding fails the run, else 0. */
export async function writeReport(result: LintResult, opts: OutputOptions): Promise<number> {
  const failing = (s: Severity): boolean => opts.failOn !== 'none' && SEVERITY_RANK[s] >= SEVERITY_RANK[opts.failOn];
  const shown = opts.quiet ? { ...result, findings: result.findings.filter((f) => isActive(f) && failing(f.severity)), warnings: [] } : result;
  const color = opts.color !== false && !opts.output && process.stdout.isTTY === true && !process.env.NO_COLOR;
  let text: string;
  if (opts.format === 'json') text = formatJson(shown);
  else if (opts.format === 'sarif') text = formatSarif(result);
  else text = opts.quiet && shown.findings.length === 0 ? '' : formatText(shown, { color });
  if (opts.output)
    await fs.writeFile(opts.output, text).catch((err: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot write --output ${opts.output}: ${err.code ?? err.message}`);
    });
  else if (text) process.stdout.write(text);
  return result.findings.some((f) => isActive(f) && failing(f.severity)) ? 1 : 0;
}
