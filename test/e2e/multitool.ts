import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { tempDir } from '../helpers/temp.js';

/** The platform binary of @microsoft/sarif-multitool (its `bin.js` runs it through a shell, which splits `Gh;Sarif`). */
const BINARY = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
const CONFIG = path.join(path.dirname(new URL(import.meta.url).pathname), 'github-sarif.config.xml');

export interface Validation {
  code: number;
  /** `error`/`warning` lines of the validator, and any exception it hit (ERR999: it crashes on some GH1001 findings). */
  problems: string[];
}

/** Validate a SARIF log with Microsoft's SARIF Multitool, GitHub's ingestion rules (GH1001–GH1007) on. */
export function multitool(log: string): Promise<Validation> {
  const dir = tempDir('shipshape-multitool-');
  const input = path.join(dir, 'in.sarif');
  const output = path.join(dir, 'out.sarif');
  writeFileSync(input, log);
  const args = [
    'validate',
    '--rule-kind',
    'Gh;Sarif',
    '--config',
    CONFIG,
    '--log',
    'ForceOverwrite',
    '-o',
    output,
    input,
  ];
  return new Promise((resolve) => {
    execFile(
      BINARY,
      args,
      {
        maxBuffer: 64 << 20,
        env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
      },
      (err, stdout, stderr) => {
        const problems = `${stdout}\n${stderr}`
          .split('\n')
          .filter((l) => /: (error|warning) [A-Z]+\d+/.test(l) || /Exception/.test(l))
          .map((l) => l.replace(input, 'in.sarif').trim());
        let results: unknown[] = [];
        try {
          results =
            (JSON.parse(readFileSync(output, 'utf8')) as { runs: { results?: unknown[] }[] }).runs[0]?.results ?? [];
        } catch {
          // no output log: the problems say why
        }
        rmSync(dir, { recursive: true, force: true });
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolve({ code, problems: [...new Set([...problems, ...results.map((r) => JSON.stringify(r))])] });
      },
    );
  });
}
