import { promises as fs } from 'node:fs';
import { stringify } from 'yaml';
import { isPolicyRule, type PolicyRule } from '../config/policy.js';
import { didYouMean } from '../model/suggest.js';
import { loadConfig } from '../load/config-file.js';
import { ruleDocFile } from '../load/package-files.js';
import { rules as builtinRules } from '../rules/index.js';
import { ruleDoc } from '../report/rule-doc.js';

export interface ExplainCommandOptions {
  config?: string;
  cwd: string;
}

/** `shipshape explain <rule-id>`: the rule's documentation page (docs/rules/<id>.md), or a custom policy's definition. */
export async function explainCommand(id: string, opts: ExplainCommandOptions): Promise<number> {
  const config = await loadConfig(opts.config, opts.cwd, builtinRules);
  const all = config.rules ?? builtinRules;
  const rule = all.find((r) => r.id === id);
  if (!rule) {
    process.stderr.write(
      `shipshape: explain: unknown rule id "${id}"${didYouMean(
        id,
        all.map((r) => r.id),
      )} (shipshape rules lists them)\n`,
    );
    return 2;
  }
  const severity = config.settings.get(id)?.severity;
  if (isPolicyRule(rule)) {
    process.stdout.write(policyDoc(rule, severity));
    return 0;
  }
  let doc: string;
  try {
    doc = await fs.readFile(ruleDocFile(id), 'utf8');
  } catch {
    doc = ruleDoc(rule); // docs/rules not installed: the same page, generated from the rule's metadata
  }
  process.stdout.write(doc.replace(/^<!--.*-->\n/, ''));
  return 0;
}

function policyDoc(r: PolicyRule, severity: string | undefined): string {
  const p = r.policy;
  const rows = [
    `| Severity | ${p.severity ?? 'warning'}${severity && severity !== (p.severity ?? 'warning') ? ` (in this config: ${severity})` : ''} |`,
    `| Target | ${p.target ?? 'resource'} |`,
    ...(p.kinds ? [`| Kinds | ${p.kinds.join(', ')} |`] : []),
    `| Platforms | ${r.meta.platforms.join(', ')} |`,
    ...(p.url ? [`| Documentation | ${p.url} |`] : []),
  ];
  return [
    `# ${p.id} (custom policy)`,
    '',
    p.description,
    '',
    '| | |',
    '|---|---|',
    ...rows,
    '',
    ...(p.rationale ? ['## Why it matters in production', '', p.rationale, ''] : []),
    ...(p.remediation ? ['## How to fix', '', p.remediation, ''] : []),
    `## Schema (every ${p.target ?? 'resource'} must satisfy it)`,
    '',
    '```yaml',
    stringify(p.schema).trimEnd(),
    '```',
    '',
  ].join('\n');
}
