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
import { configSchema } from '../config/config-schema.js';
import { defaultConfig } from '../config/config.js';
import { lint } from '../index.js';
import { formatText } from '../report/text.js';
import type { AnyRule } from '../engine/rule.js';
import { docsIndex, HEADER, PLATFORM_NAMES, ruleDoc } from '../report/rule-doc.js';
import { rules } from '../rules/index.js';
import { withoutMarkers } from './expectations.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

export function presetYaml(all: readonly AnyRule[], preset: 'recommended' | 'strict'): string {
  const what =
    preset === 'strict'
      ? 'every rule with its strict severity; suppressions must give a reason (suppression-reason-missing).'
      : 'every rule with its default severity.';
  const lines = [HEADER.trimEnd(), `# The ${preset} preset (\`extends: ${preset}\`): ${what}`, 'rules:'];
  for (const r of all) lines.push(`  ${r.id}: ${presetSeverity(r, preset)}`);
  // The Pod Security Standard checked where a namespace has no pod-security.kubernetes.io labels (default baseline).
  if (preset === 'strict') lines.push('podSecurity: restricted');
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

function relOf(file: string): string {
  return path.relative(ROOT, file).split(path.sep).join('/');
}

/** What shipshape prints for the examples, by fixture file (relative to the repository): see exampleOutputs(). */
export type ExampleOutputs = ReadonlyMap<string, string>;

function showFile(file: string, outputs?: ExampleOutputs): string {
  const rel = relOf(file);
  const lang = file.endsWith('.json') ? 'json' : file.endsWith('.env') ? 'sh' : 'yaml';
  const shown = `From [\`${rel}\`](../../${rel}):\n\n\`\`\`${lang}\n${withoutMarkers(readFileSync(file, 'utf8')).trimEnd()}\n\`\`\``;
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
 * The real text report for each reported example: its case is copied without the expectation markers (so the lines
 * are those the page shows) into a temporary directory under the same relative path, and checked with the default
 * settings; the findings of the documented rule are printed as the CLI prints them (no color, no wrapping).
 */
export async function exampleOutputs(all: readonly AnyRule[] = rules): Promise<ExampleOutputs> {
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
          writeFileSync(dest, withoutMarkers(readFileSync(f, 'utf8')));
        }
        // A rule that is off by default shows what it reports once turned on (at its strict severity).
        const ruleFlags = r.meta.offByDefault ? [`${r.id}=${r.meta.strictSeverity ?? r.meta.severity}`] : [];
        const result = await lint({ paths: [relOf(root)], cwd: tmp, config, ruleFlags });
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

/** Every generated file, path → content. */
export async function generatedFiles(all: readonly AnyRule[] = rules): Promise<Map<string, string>> {
  const outputs = await exampleOutputs(all);
  const out = new Map<string, string>();
  out.set('rules-config/recommended.yaml', presetYaml(all, 'recommended'));
  out.set('rules-config/strict.yaml', presetYaml(all, 'strict'));
  out.set('rules-config/config.schema.json', JSON.stringify(configSchema(all), null, 2) + '\n');
  out.set('docs/rules/README.md', docsIndex(all));
  for (const r of all) {
    const page = ruleDoc(r, { reported: example(r, 'should-fire', outputs), notReported: example(r, 'dont-fire') });
    out.set(`docs/rules/${r.id}.md`, page);
  }
  return out;
}

async function writeGenerated(): Promise<void> {
  const files = await generatedFiles();
  for (const [rel, content] of files) {
    const abs = path.join(ROOT, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  process.stdout.write(`generated ${files.size} files\n`);
}

// Not a top-level await: the CLI bundles this module (explain) into a CommonJS build too (scripts/bundle-cli.mjs).
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  writeGenerated().catch((err: unknown) => {
    process.stderr.write(`generate: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  });
}
