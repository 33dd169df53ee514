import path from 'node:path';
import { ruleDocsUrl, SEVERITY_RANK, type AnyRule } from '../engine/rule.js';
import { prose, text } from './markdown.js';
import { redact } from '../model/redact.js';
import type { Finding, Fix, FixEdit, Severity } from '../model/types.js';
import { INFORMATION_URI, TOOL_NAME, VERSION } from '../version.js';
import type { LintResult } from './types.js';

/** GitHub code scanning accepts at most this many results per run. */
export const SARIF_MAX_RESULTS = 25_000;
export const FINGERPRINT_KEY = 'shipshape/v1';
const MAX_DESCRIPTION = 1024;
/** Appended to the message of a result whose field is missing, so its position is that of the closest parent. */
export const INEXACT_NOTE = '[position: the closest enclosing field, as the reported one is missing]';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', note: 'note' };

/** SARIF 2.1.0 for GitHub code scanning and any other SARIF consumer. */
export function formatSarif(result: LintResult): string {
  const rules = result.rules;
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  let findings = result.findings;
  let omitted = 0;
  if (findings.length > SARIF_MAX_RESULTS) {
    // Keep the most severe when GitHub's cap forces a cut; say how many were left out.
    findings = [...findings]
      .sort(
        (a, b) =>
          Number(!!a.suppressed) - Number(!!b.suppressed) || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity],
      )
      .slice(0, SARIF_MAX_RESULTS);
    omitted = result.findings.length - SARIF_MAX_RESULTS;
  }
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: TOOL_NAME,
        semanticVersion: VERSION,
        informationUri: INFORMATION_URI,
        rules: rules.map((r) => sarifRule(r, result.settings.get(r.id)?.severity)),
      },
    },
    columnKind: 'utf16CodeUnits',
    results: findings.map((f) => sarifResult(f, ruleIndex.get(f.ruleId), repoPath(result))),
  };
  // URIs are relative to the repository root, whatever the working directory: GitHub resolves them against the checkout.
  if (result.repositoryRoot)
    run.originalUriBaseIds = { '%SRCROOT%': { uri: `file://${encodePath(result.repositoryRoot)}/` } };
  if (omitted) {
    run.invocations = [
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          {
            level: 'warning',
            message: {
              text: `${omitted} results were left out to stay within the limit of ${SARIF_MAX_RESULTS} results per run; the most severe are kept.`,
            },
          },
        ],
      },
    ];
  }
  const log = { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] };
  return JSON.stringify(log, null, 2) + '\n';
}

/**
 * GitHub's bands for `security-severity`: over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. A score between
 * two bands (9.0 itself) is read by no band; scores are kept inside one.
 */
export function securityBand(score: number): 'critical' | 'high' | 'medium' | 'low' | undefined {
  const s = Math.round(score * 10) / 10;
  if (s > 9.0 && s <= 10) return 'critical';
  if (s >= 7.0 && s <= 8.9) return 'high';
  if (s >= 4.0 && s <= 6.9) return 'medium';
  if (s >= 0.1 && s <= 3.9) return 'low';
  return undefined;
}

/**
 * The score GitHub reads for a rule at its effective level: none at `note` or `off` (GitHub fails pull request checks
 * on high scores whatever the level); the rule's own score at its default level or above; at most medium when the
 * config lowered it to `warning`.
 */
export function securitySeverity(r: AnyRule, level: Severity | 'off'): number | undefined {
  const score = r.meta.securitySeverity;
  if (score === undefined || level === 'off' || level === 'note') return undefined;
  return SEVERITY_RANK[level] < SEVERITY_RANK[r.meta.severity] ? Math.min(score, 6.9) : score;
}

function sarifRule(r: AnyRule, configured: Severity | 'off' | undefined): Record<string, unknown> {
  const url = ruleDocsUrl(r);
  const why = r.meta.rationale ? [`Why: ${r.meta.rationale}`] : [];
  const fix = r.meta.remediation ? [`Fix: ${r.meta.remediation}`] : [];
  const effective = configured ?? (r.meta.offByDefault ? 'off' : r.meta.severity);
  const level = effective === 'off' ? r.meta.severity : effective;
  const properties: Record<string, unknown> = {
    tags: [...new Set([...(r.meta.tags ?? []), r.meta.family, ...r.meta.platforms])],
    precision: 'high',
  };
  const score = securitySeverity(r, effective);
  if (score !== undefined) properties['security-severity'] = score.toFixed(1);
  return {
    id: r.id,
    name: pascal(r.id),
    shortDescription: { text: clip(r.meta.description) },
    fullDescription: { text: clip([r.meta.description, r.meta.rationale].filter(Boolean).join(' ')) },
    ...(url ? { helpUri: url } : {}),
    help: {
      text: [r.meta.description, ...why, ...fix, ...(url ? [`Docs: ${url}`] : [])].join('\n\n'),
      // Rendered and then sanitized by GitHub: `<name>` outside a code span would be dropped as an unknown tag, and a
      // custom policy's texts come from the repository.
      markdown: [
        `**${prose(r.meta.description)}**`,
        ...(r.meta.rationale ? [`**Why it matters:** ${prose(r.meta.rationale)}`] : []),
        ...(r.meta.remediation ? [`**How to fix:** ${prose(r.meta.remediation)}`] : []),
        ...(url ? [`[Rule documentation: ${text(r.id)}](${url})`] : []),
      ].join('\n\n'),
    },
    defaultConfiguration: { level: LEVEL[level], ...(effective === 'off' ? { enabled: false } : {}) },
    properties,
  };
}

function sarifResult(
  f: Finding,
  ruleIndex: number | undefined,
  toRepo: (file: string) => string,
): Record<string, unknown> {
  const res: Record<string, unknown> = {
    ruleId: f.ruleId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: LEVEL[f.severity],
    // A missing field is reported at its closest parent: said in the message and as a property, for tools and people.
    message: { text: f.exact ? f.message : `${f.message} ${INEXACT_NOTE}` },
    locations: [
      {
        // An object read from a cluster is in no file: its logical location (kind/namespace/name) is all there is.
        ...(f.cluster !== undefined
          ? {}
          : {
              physicalLocation: {
                artifactLocation: artifact(toRepo(f.file)),
                region: {
                  startLine: f.range.startLine,
                  startColumn: f.range.startColumn,
                  endLine: f.range.endLine,
                  endColumn: Math.max(f.range.endColumn, 1),
                },
              },
            }),
        ...(f.resource
          ? {
              logicalLocations: [
                {
                  name: f.resource.name ?? f.resource.kind,
                  fullyQualifiedName: [f.resource.kind, f.resource.namespace, f.resource.name]
                    .filter(Boolean)
                    .join('/'),
                  kind: 'resource',
                },
              ],
            }
          : {}),
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
  };
  if (!f.exact) res.properties = { exactPosition: false, ...(f.path ? { reportedPath: f.path } : {}) };
  if (f.suppressed)
    res.suppressions = [
      { kind: f.suppressed.kind, ...(f.suppressed.justification ? { justification: f.suppressed.justification } : {}) },
    ];
  if (f.baselineState) res.baselineState = f.baselineState;
  if (f.fix?.changes?.length && f.cluster === undefined) res.fixes = [sarifFix(f.fix, toRepo)];
  return res;
}

/**
 * A fix as SARIF `fixes[0]` (§3.55–3.57): one artifactChange per file, its replacements in the file as it was read. A
 * deleted region with equal start and end is an insertion point; insertedContent is left out for a pure deletion.
 * URIs follow the rules of the result's own location. The description names the edits by path, never their values.
 */
function sarifFix(fix: Fix, toRepo: (file: string) => string): Record<string, unknown> {
  const byFile = new Map<string, NonNullable<Fix['changes']>>();
  for (const c of fix.changes ?? []) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);
  return {
    description: { text: fixDescription(fix) },
    artifactChanges: [...byFile].map(([file, changes]) => ({
      artifactLocation: artifact(toRepo(file)),
      replacements: changes.map((c) => ({
        deletedRegion: {
          startLine: c.range.startLine,
          startColumn: c.range.startColumn,
          endLine: c.range.endLine,
          endColumn: c.range.endColumn,
        },
        ...(c.text ? { insertedContent: { text: c.text } } : {}),
      })),
    })),
  };
}

/** `shipshape --fix: set spec.minReplicas; delete spec.replicas`, and the command to run after it. */
export function fixDescription(fix: Fix): string {
  const edits = fix.edits.map(describeEdit).join('; ');
  return redact(`shipshape --fix: ${edits}${fix.command ? `; then run: ${fix.command}` : ''}`, MAX_DESCRIPTION);
}

function describeEdit(e: FixEdit): string {
  switch (e.op) {
    case 'set':
      return `set ${e.path.join('.')}`;
    case 'delete':
      return `delete ${e.path.join('.')}`;
    case 'append':
      return `add an item to ${e.path.join('.')}`;
    case 'document': {
      const kind = typeof e.value.kind === 'string' ? e.value.kind : 'object';
      return `add ${kind} ${e.name}`;
    }
  }
}

/** A shown path (relative to the working directory) as a path relative to the repository root. */
function repoPath(result: LintResult): (file: string) => string {
  const { repositoryRoot: root, cwd } = result;
  if (!root || !cwd || root === cwd) return (f) => f;
  return (f) => {
    if (f.startsWith('<') || f.startsWith('/')) return f;
    const abs = path.posix.normalize(`${cwd.split(path.sep).join('/')}/${f}`);
    const rel = path.posix.relative(root.split(path.sep).join('/'), abs);
    return rel.startsWith('..') ? abs : rel;
  };
}

function encodePath(p: string): string {
  return p.split(path.sep).join('/').split('/').map(encodeURIComponent).join('/');
}

function artifact(file: string): Record<string, unknown> {
  if (file === '<stdin>') return { uri: 'stdin' };
  if (file.startsWith('/')) return { uri: `file://${file.split('/').map(encodeURIComponent).join('/')}` };
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function clip(s: string): string {
  return s.length <= MAX_DESCRIPTION ? s : `${s.slice(0, MAX_DESCRIPTION - 1)}…`;
}

function pascal(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}
