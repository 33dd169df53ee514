import type { AnyRule, Skip } from '../engine/rule.js';
import { IGNORE_ANNOTATION } from '../engine/run.js';

/**
 * A rule's documentation page and the rules index, from rule metadata: pure functions to Markdown. `npm run generate`
 * writes them to docs/rules/ (with examples from the fixtures); `shipshape explain` prints a page when docs/rules is
 * not installed.
 */

export const HEADER = '# Generated from rule metadata by `npm run generate`. Do not edit by hand.\n';
export const PLATFORM_NAMES: Record<string, string> = { kubernetes: 'Kubernetes', swarm: 'Docker Swarm' };

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
  const config =
    `- Everywhere: \`rules: {${r.id}: off}\` in \`.shipshape.yaml\`, or another severity (\`note\`, \`warning\`, \`error\`)` +
    `; for some files only: \`overrides: [{files: ["dev/**"], rules: {${r.id}: off}}]\`` +
    `; for one run: \`--rule ${r.id}=off\`.`;
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

/** A rule's documentation page; the examples are Markdown (tools/generate.ts takes them from the fixtures). */
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

export function ruleDoc(r: AnyRule, examples: { reported?: string; notReported?: string } = {}): string {
  const m = r.meta;
  const platforms = m.platforms.map((p) => PLATFORM_NAMES[p] ?? p).join(', ');
  const strictLevel = m.strictSeverity ?? m.severity;
  const strict = m.offByDefault
    ? ` (strict preset: ${strictLevel})`
    : m.strictSeverity && m.strictSeverity !== m.severity
      ? ` (strict preset: ${m.strictSeverity})`
      : '';
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
    examples.reported ?? '_No example._',
    '',
    '### Not reported',
    '',
    examples.notReported ?? '_No example._',
    '',
    '## Suppressing',
    '',
    suppress,
    '',
  ].join('\n');
}

export function docsIndex(all: readonly AnyRule[]): string {
  const rows = all.map((r) => {
    const platforms = r.meta.platforms.map((p) => PLATFORM_NAMES[p] ?? p).join(', ');
    return `| [${r.id}](${r.id}.md) | ${r.meta.offByDefault ? 'off' : r.meta.severity} | ${platforms} | ${r.meta.description} |`;
  });
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
