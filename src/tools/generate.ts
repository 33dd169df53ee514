/**
 * Writes every file that is derived from rule metadata: docs/rules/*.md, rules-config/recommended.yaml,
 * rules-config/strict.yaml and rules-config/config.schema.json. CI runs it and fails when the result differs
 * from what is committed. Build tooling: the one place outside src/load and src/cli.ts that writes files.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { configSchema } from '../engine/config-schema.js';
import type { AnyRule } from '../engine/rule.js';
import { IGNORE_ANNOTATION } from '../engine/run.js';
import { rules } from '../rules/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const HEADER = '# Generated from rule metadata by `npm run generate`. Do not edit by hand.\n';
const PLATFORM_NAMES: Record<string, string> = { kubernetes: 'Kubernetes', swarm: 'Docker Swarm' };

export function presetYaml(all: readonly AnyRule[], preset: 'recommended' | 'strict'): string {
  const what =
    preset === 'strict'
      ? 'every rule with its strict severity; suppressions must give a reason (suppression-reason-missing).'
      : 'every rule with its default severity.';
  const lines = [HEADER.trimEnd(), `# The ${preset} preset (\`extends: ${preset}\`): ${what}`, 'rules:'];
  for (const r of all) lines.push(`  ${r.id}: ${presetSeverity(r, preset)}`);
  return lines.join('\n') + '\n';
}

function presetSeverity(r: AnyRule, preset: 'recommended' | 'strict'): string {
  if (preset === 'strict') return r.meta.strictSeverity ?? r.meta.severity;
  return r.meta.offByDefault ? 'off' : r.meta.severity;
}

function firstFile(p: string): string | undefined {
  if (!existsSync(p)) return undefined;
  if (!statSync(p).isDirectory()) return p;
  for (const e of readdirSync(p).sort()) {
    if (e.startsWith('_')) continue;
    const f = firstFile(path.join(p, e));
    if (f) return f;
  }
  return undefined;
}

/** A Docker Swarm stack (or Compose) file: a top-level `services:` mapping. */
export function isStackText(text: string): boolean {
  return /^services:[ \t]*(#.*)?$/m.test(text);
}

/** The first file of each fixture case of a rule, in name order (helper files starting with `_` skipped). */
export function fixtureExamples(rule: string, intent: 'should-fire' | 'dont-fire'): string[] {
  const dir = path.join(ROOT, 'test/fixtures', rule, intent);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .filter((e) => !e.startsWith('_'))
    .map((e) => firstFile(path.join(dir, e)))
    .filter((f): f is string => f !== undefined);
}

function showFile(file: string): string {
  const rel = path.relative(ROOT, file).split(path.sep).join('/');
  const lang = file.endsWith('.json') ? 'json' : file.endsWith('.env') ? 'sh' : 'yaml';
  return `From [\`${rel}\`](../../${rel}):\n\n\`\`\`${lang}\n${readFileSync(file, 'utf8').trimEnd()}\n\`\`\``;
}

/** One example per platform the rule claims (Kubernetes, then Swarm), or the first case when there is only one. */
function example(r: AnyRule, intent: 'should-fire' | 'dont-fire'): string | undefined {
  const files = fixtureExamples(r.id, intent);
  if (!files.length) return undefined;
  if (r.meta.platforms.length < 2) return showFile(files[0]!);
  const picks = r.meta.platforms
    .map((p) => [p, files.find((f) => isStackText(readFileSync(f, 'utf8')) === (p === 'swarm'))] as const)
    .filter((x): x is readonly [typeof x[0], string] => x[1] !== undefined);
  if (picks.length < 2) return showFile(files[0]!);
  return picks.map(([p, f]) => `#### ${PLATFORM_NAMES[p] ?? p}\n\n${showFile(f)}`).join('\n\n');
}

function optionsTable(r: AnyRule): string {
  if (!r.options) return 'None.';
  const props = (r.options.schema.properties ?? {}) as Record<string, { type?: string; description?: string; items?: { type?: string } }>;
  const defaults = r.options.defaults as Record<string, unknown>;
  const rows = Object.entries(props).map(([k, p]) => {
    const type = p.type === 'array' ? `${p.items?.type ?? 'any'}[]` : (p.type ?? 'any');
    const def = JSON.stringify(defaults[k]);
    const shown = def && def.length > 80 ? `${def.slice(0, 77)}…` : def;
    return `| \`${k}\` | ${type} | \`${shown ?? ''}\` | ${p.description ?? ''} |`;
  });
  return ['| Option | Type | Default | Description |', '|---|---|---|---|', ...rows].join('\n');
}

function suppressing(r: AnyRule): string {
  const config = `- Everywhere: \`rules: {${r.id}: off}\` in \`.shipshape.yaml\`, or another severity (\`note\`, \`warning\`, \`error\`); for some files only: \`overrides: [{files: ["dev/**"], rules: {${r.id}: off}}]\`; for one run: \`--rule ${r.id}=off\`.`;
  if (r.meta.family === 'config') return ['Findings about suppressions cannot be silenced in source.', '', config].join('\n');
  const comments = [
    `- On one line: a comment \`# shipshape-ignore ${r.id} -- reason\` at the end of the reported line, or alone on the line above it.`,
    `- In one file: \`# shipshape-ignore-file ${r.id} -- reason\` at the top of the file.`,
  ];
  if (r.target === 'load') return [...comments, config, `- Or exclude the file with \`ignore:\`.`].join('\n');
  return [
    `- For one Kubernetes object: the annotation \`${IGNORE_ANNOTATION}: "${r.id}"\` (comma-separated for several rules).`,
    ...(r.meta.platforms.includes('swarm') ? [`- For one Swarm service: \`x-shipshape: {ignore: [${r.id}], reason: "…"}\` in the service.`] : []),
    ...comments,
    config,
  ].join('\n');
}

export function ruleDoc(r: AnyRule): string {
  const m = r.meta;
  const platforms = m.platforms.map((p) => PLATFORM_NAMES[p] ?? p).join(', ');
  const strictLevel = m.strictSeverity ?? m.severity;
  const strict = m.offByDefault ? ` (strict preset: ${strictLevel})` : m.strictSeverity && m.strictSeverity !== m.severity ? ` (strict preset: ${m.strictSeverity})` : '';
  const fires = example(r, 'should-fire');
  const passes = example(r, 'dont-fire');
  const suppress = suppressing(r);
  return [
    `<!-- ${HEADER.slice(2).trim()} -->`,
    `# ${r.id}`,
    '',
    m.description,
    '',
    '| | |',
    '|---|---|',
    `| Default severity | ${m.offByDefault ? 'off' : m.severity}${strict} |`,
    `| Platforms | ${platforms} |`,
    `| Family | ${m.family} |`,
    '',
    '## Why it matters in production',
    '',
    m.rationale,
    '',
    '## How to fix',
    '',
    m.remediation,
    '',
    '## Options',
    '',
    optionsTable(r),
    '',
    '## Examples',
    '',
    '### Reported',
    '',
    fires ?? '_No example._',
    '',
    '### Not reported',
    '',
    passes ?? '_No example._',
    '',
    '## Suppressing',
    '',
    suppress,
    '',
  ].join('\n');
}

export function docsIndex(all: readonly AnyRule[]): string {
  const rows = all.map(
    (r) => `| [${r.id}](${r.id}.md) | ${r.meta.offByDefault ? 'off' : r.meta.severity} | ${r.meta.platforms.map((p) => PLATFORM_NAMES[p] ?? p).join(', ')} | ${r.meta.description} |`,
  );
  return [`<!-- ${HEADER.slice(2).trim()} -->`, '# Rules', '', '| Rule | Default | Platforms | What it checks |', '|---|---|---|---|', ...rows, ''].join('\n');
}

/** Every generated file, path → content. */
export function generatedFiles(all: readonly AnyRule[] = rules): Map<string, string> {
  const out = new Map<string, string>();
  out.set('rules-config/recommended.yaml', presetYaml(all, 'recommended'));
  out.set('rules-config/strict.yaml', presetYaml(all, 'strict'));
  out.set('rules-config/config.schema.json', JSON.stringify(configSchema(all), null, 2) + '\n');
  out.set('docs/rules/README.md', docsIndex(all));
  for (const r of all) out.set(`docs/rules/${r.id}.md`, ruleDoc(r));
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  for (const [rel, content] of generatedFiles()) {
    const abs = path.join(ROOT, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  process.stdout.write(`generated ${generatedFiles().size} files\n`);
}
