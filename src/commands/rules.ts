import { applyRuleFlags, type ShipshapeConfig } from '../config/config.js';
import type { AnyRule } from '../engine/rule.js';
import type { RuleSetting } from '../engine/run.js';
import { loadConfig } from '../load/config-file.js';
import { rules as builtinRules } from '../rules/index.js';
import { VERSION } from '../version.js';

export interface RulesCommandOptions {
  format?: string;
  config?: string;
  rule?: string[];
  cwd: string;
}

export interface RuleRow {
  id: string;
  /** In the effective config (off when disabled). */
  severity: RuleSetting['severity'];
  /** Without any config (the recommended preset). */
  defaultSeverity: RuleSetting['severity'];
  platforms: string[];
  family: string;
  custom: boolean;
  description: string;
  /** Overrides that give this rule another severity for some files. */
  overrides?: { files: string[]; severity: RuleSetting['severity'] }[];
}

/** Every rule, built-in and custom, with its severity in the effective config. */
export function ruleRows(config: ShipshapeConfig, rules: readonly AnyRule[]): RuleRow[] {
  return rules.map((r) => {
    const overrides = (config.overrides ?? []).flatMap((o) => {
      const sev = o.rules.get(r.id)?.severity;
      return sev === undefined ? [] : [{ files: [...o.files], severity: sev }];
    });
    return {
      id: r.id,
      severity: config.settings.get(r.id)?.severity ?? (r.meta.offByDefault ? 'off' : r.meta.severity),
      defaultSeverity: r.meta.offByDefault ? 'off' : r.meta.severity,
      platforms: [...r.meta.platforms],
      family: r.meta.family,
      custom: r.meta.family === 'custom',
      description: r.meta.description,
      ...(overrides.length ? { overrides } : {}),
    };
  });
}

export function formatRules(rows: readonly RuleRow[], config: ShipshapeConfig, format: 'text' | 'json'): string {
  if (format === 'json') {
    return (
      JSON.stringify(
        { version: 1, tool: { name: 'shipshape', version: VERSION }, config: config.files ?? [], rules: rows },
        null,
        2,
      ) + '\n'
    );
  }
  const severity = (r: RuleRow): string => `${r.severity}${r.overrides ? '*' : ''}`;
  const head = ['RULE', 'SEVERITY', 'PLATFORMS', 'DESCRIPTION'];
  const cells = rows.map((r) => [
    r.id,
    severity(r),
    r.platforms.join(', '),
    `${r.custom ? '(custom) ' : ''}${r.description}`,
  ]);
  const widths = [0, 1, 2].map((i) => Math.max(head[i]!.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string =>
    c
      .map((v, i) => (i < 3 ? v.padEnd(widths[i]!) : v))
      .join('  ')
      .trimEnd();
  const out = [line(head), ...cells.map(line)];
  const notes: string[] = [];
  if (rows.some((r) => r.overrides)) notes.push('* another severity applies to the files of an override');
  notes.push(
    config.files?.length ? `config: ${config.files.join(' → ')}` : 'config: none (the recommended preset applies)',
  );
  return [...out, '', ...notes].join('\n') + '\n';
}

/** `shipshape rules [--format text|json]`: prints the list; returns the exit code. */
export async function rulesCommand(opts: RulesCommandOptions): Promise<number> {
  const format = opts.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    process.stderr.write(`shipshape: rules: --format must be text or json, not ${format}\n`);
    return 2;
  }
  const config = applyRuleFlags(await loadConfig(opts.config, opts.cwd, builtinRules), opts.rule ?? []);
  process.stdout.write(formatRules(ruleRows(config, config.rules ?? builtinRules), config, format));
  return 0;
}
