/**
 * Writes every file that is derived from rule metadata: docs/rules/*.md, rules-config/recommended.yaml,
 * rules-config/strict.yaml and rules-config/config.schema.json. CI runs it and fails when the result differs
 * from what is committed. Build tooling: the one place outside src/load and src/cli.ts that writes files.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { configSchema } from '../engine/config-schema.js';
import type { AnyRule, Skip } from '../engine/rule.js';
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

/** A fixture as a reader should see it: without the `# expect:` markers the fixture runner reads. */
export function withoutExpectations(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^\s*#\s*expect:/.test(l))
    .map((l) => l.replace(/\s+#\s*expect:.*$/, ''))
    .join('\n');
}

function relOf(file: string): string {
  return path.relative(ROOT, file).split(path.sep).join('/');
}

/** What shipshape prints for the examples, by fixture file (relative to the repository): see exampleOutputs(). */
export type ExampleOutputs = ReadonlyMap<string, string>;

function showFile(file: string, outputs?: ExampleOutputs): string {
  const rel = relOf(file);
  const lang = file.endsWith('.json') ? 'json' : file.endsWith('.env') ? 'sh' : 'yaml';
  const shown = `From [\`${rel}\`](../../${rel}):\n\n\`\`\`${lang}\n${withoutExpectations(readFileSync(file, 'utf8')).trimEnd()}\n\`\`\``;
  const output = outputs?.get(rel);
  return output === undefined
    ? shown
    : `${shown}\n\nshipshape prints (findings of other rules left out):\n\n\`\`\`text\n${output.trimEnd()}\n\`\`\``;
}

/** One file per platform the rule claims (Kubernetes, then Swarm), or the first case's when there is only one. */
function examplePicks(r: AnyRule, intent: 'should-fire' | 'dont-fire'): { platform?: string; file: string }[] {
  const files = fixtureExamples(r.id, intent);
  if (!files.length) return [];
  if (r.meta.platforms.length < 2) return [{ file: files[0]! }];
  const picks = r.meta.platforms
    .map((p) => ({ platform: p, file: files.find((f) => isStackText(readFileSync(f, 'utf8')) === (p === 'swarm')) }))
    .filter((x): x is { platform: (typeof r.meta.platforms)[number]; file: string } => x.file !== undefined);
  return picks.length < 2 ? [{ file: files[0]! }] : picks;
}

function example(r: AnyRule, intent: 'should-fire' | 'dont-fire', outputs?: ExampleOutputs): string | undefined {
  const picks = examplePicks(r, intent);
  if (!picks.length) return undefined;
  return picks
    .map(
      ({ platform, file }) =>
        `${platform ? `#### ${PLATFORM_NAMES[platform] ?? platform}\n\n` : ''}${showFile(file, outputs)}`,
    )
    .join('\n\n');
}

/** The case (a file, or a directory checked as one run) that a fixture file belongs to. */
function caseRoot(file: string): string {
  let p = file;
  while (path.basename(path.dirname(p)) !== 'should-fire' && path.basename(path.dirname(p)) !== 'dont-fire')
    p = path.dirname(p);
  return p;
}

/**
 * The real text report for each reported example: its case is copied without the `# expect:` markers (so the lines
 * are those the page shows) into a temporary directory under the same relative path, and checked with the default
 * settings; the findings of the documented rule are printed as the CLI prints them (no color, no wrapping).
 */
export async function exampleOutputs(all: readonly AnyRule[] = rules): Promise<ExampleOutputs> {
  // Imported here: `shipshape explain` imports ruleDoc() from this module and must not load the whole engine for it.
  const [{ lint }, { defaultConfig }, { formatText }] = await Promise.all([
    import('../index.js'),
    import('../engine/config.js'),
    import('../report/text.js'),
  ]);
  const out = new Map<string, string>();
  const tmp = mkdtempSync(path.join(tmpdir(), 'shipshape-docs-'));
  try {
    const config = defaultConfig(rules);
    for (const r of all) {
      for (const { file } of examplePicks(r, 'should-fire')) {
        const root = caseRoot(file);
        const files = statSync(root).isDirectory()
          ? readdirSync(root, { recursive: true, withFileTypes: true })
              .filter((e) => e.isFile())
              .map((e) => path.join(e.parentPath, e.name))
          : [root];
        for (const f of files) {
          const dest = path.join(tmp, relOf(f));
          mkdirSync(path.dirname(dest), { recursive: true });
          writeFileSync(dest, withoutExpectations(readFileSync(f, 'utf8')));
        }
        const result = await lint({ paths: [relOf(root)], cwd: tmp, config });
        out.set(
          relOf(file),
          formatText({ ...result, findings: result.findings.filter((f) => f.ruleId === r.id) }, { color: false }),
        );
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

function optionsTable(r: AnyRule): string {
  if (!r.options) return 'None.';
  const props = (r.options.schema.properties ?? {}) as Record<
    string,
    { type?: string; description?: string; items?: { type?: string } }
  >;
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
  if (r.meta.family === 'config')
    return ['Findings about suppressions cannot be silenced in source.', '', config].join('\n');
  const comments = [
    `- On one line: a comment \`# shipshape-ignore ${r.id} -- reason\` at the end of the reported line, or alone on the line above it.`,
    `- In one file: \`# shipshape-ignore-file ${r.id} -- reason\` at the top of the file.`,
  ];
  if (r.target === 'load') return [...comments, config, `- Or exclude the file with \`ignore:\`.`].join('\n');
  return [
    `- For one Kubernetes object: the annotation \`${IGNORE_ANNOTATION}: "${r.id}"\` (comma-separated for several rules).`,
    ...(r.meta.platforms.includes('swarm')
      ? [`- For one Swarm service: \`x-shipshape: {ignore: [${r.id}], reason: "…"}\` in the service.`]
      : []),
    ...comments,
    config,
  ].join('\n');
}

const SKIP_WORDS: Record<Skip, string> = {
  'kustomize-patch': 'patches a kustomization applies (the base has what a patch leaves out)',
  'compose-only': 'Compose files with no sign of Swarm (`docker compose` for local development)',
  partial: 'Swarm services with neither image nor build (a fragment of a multi-file deploy)',
};

/** What a rule checks, from its declared scope (`applies`). */
function scope(r: AnyRule): string {
  const a = r.applies;
  const kube = a.platforms.includes('kubernetes');
  const what =
    r.target === 'load'
      ? 'the files as read'
      : r.target === 'workload'
        ? [
            kube ? (a.kinds ? a.kinds.join(', ') : 'every kind that runs pods') : '',
            a.platforms.includes('swarm') ? 'Swarm services' : '',
          ]
            .filter(Boolean)
            .join('; ')
        : a.kinds
          ? a.kinds.map((k) => (k === 'Stack' ? 'stack files' : k)).join(', ')
          : 'every object';
  const skips = a.skip?.length ? ` Skipped: ${a.skip.map((s) => SKIP_WORDS[s]).join('; ')}.` : '';
  return `${what}.${a.kindsNote ? ` ${a.kindsNote}` : ''}${skips}`;
}

function messagesTable(r: AnyRule): string {
  const rows = Object.entries(r.meta.messages).map(
    ([id, t]) => `| \`${id}\` | ${t.replace(/\|/g, '\\|').replace(/\{\{(\w+)(?::\d+)?\}\}/g, '_$1_')} |`,
  );
  return ['| messageId | Message |', '|---|---|', ...rows].join('\n');
}

export function ruleDoc(r: AnyRule, outputs?: ExampleOutputs): string {
  const m = r.meta;
  const platforms = m.platforms.map((p) => PLATFORM_NAMES[p] ?? p).join(', ');
  const strictLevel = m.strictSeverity ?? m.severity;
  const strict = m.offByDefault
    ? ` (strict preset: ${strictLevel})`
    : m.strictSeverity && m.strictSeverity !== m.severity
      ? ` (strict preset: ${m.strictSeverity})`
      : '';
  const fires = example(r, 'should-fire', outputs);
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
    `| Checks | ${scope(r)} |`,
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
    '## Messages',
    '',
    'Each finding says what is wrong in one line; `messageId` in JSON output names which of these it is.',
    '',
    messagesTable(r),
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
    (r) =>
      `| [${r.id}](${r.id}.md) | ${r.meta.offByDefault ? 'off' : r.meta.severity} | ${r.meta.platforms.map((p) => PLATFORM_NAMES[p] ?? p).join(', ')} | ${r.meta.description} |`,
  );
  return [
    `<!-- ${HEADER.slice(2).trim()} -->`,
    '# Rules',
    '',
    '| Rule | Default | Platforms | What it checks |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/** Every generated file, path → content. */
export async function generatedFiles(all: readonly AnyRule[] = rules): Promise<Map<string, string>> {
  const outputs = await exampleOutputs(all);
  const out = new Map<string, string>();
  out.set('rules-config/recommended.yaml', presetYaml(all, 'recommended'));
  out.set('rules-config/strict.yaml', presetYaml(all, 'strict'));
  out.set('rules-config/config.schema.json', JSON.stringify(configSchema(all), null, 2) + '\n');
  out.set('docs/rules/README.md', docsIndex(all));
  for (const r of all) out.set(`docs/rules/${r.id}.md`, ruleDoc(r, outputs));
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const files = await generatedFiles();
  for (const [rel, content] of files) {
    const abs = path.join(ROOT, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  process.stdout.write(`generated ${files.size} files\n`);
}
