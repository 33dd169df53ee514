import path from 'node:path';
import { docsUrl, SEVERITY_RANK, type AnyRule } from '../engine/rule.js';
import type { Finding, Severity } from '../model/types.js';
import { INFORMATION_URI, TOOL_NAME, VERSION } from '../version.js';
import type { LintResult } from './types.js';

/** GitHub code scanning accepts at most this many results per run. */
export const SARIF_MAX_RESULTS = 25_000;
export const FINGERPRINT_KEY = 'shipshape/v1';
const MAX_DESCRIPTION = 1024;

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', note: 'note' };

/** SARIF 2.1.0 for GitHub code scanning and any other SARIF consumer. */
export function formatSarif(result: LintResult): string {
  const rules = result.rules;
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  let findings = result.findings;
  let omitted = 0;
  if (findings.length > SARIF_MAX_RESULTS) {
    // Keep the most severe when GitHub's cap forces a cut; say how many were left out.
    findings = [...findings].sort((a, b) => Number(!!a.suppressed) - Number(!!b.suppressed) || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]).slice(0, SARIF_MAX_RESULTS);
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
  if (result.repositoryRoot) run.originalUriBaseIds = { '%SRCROOT%': { uri: `file://${encodePath(result.repositoryRoot)}/` } };
  if (omitted) {
    run.invocations = [
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          { level: 'warning', message: { text: `${omitted} results were left out to stay within the limit of ${SARIF_MAX_RESULTS} results per run; the most severe are kept.` } },
        ],
      },
    ];
  }
  const log = { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] };
  return JSON.stringify(log, null, 2) + '\n';
}

function sarifRule(r: AnyRule, configured: Severity | 'off' | undefined): Record<string, unknown> {
  // Custom policies have no page in docs/rules: their own `url`, or none.
  const url = r.meta.family === 'custom' ? r.meta.docsUrl : (r.meta.docsUrl ?? docsUrl(r.id));
  const why = r.meta.rationale ? [`Why: ${r.meta.rationale}`] : [];
  const fix = r.meta.remediation ? [`Fix: ${r.meta.remediation}`] : [];
  const level = configured && configured !== 'off' ? configured : r.meta.severity;
  const properties: Record<string, unknown> = { tags: [...new Set([...(r.meta.tags ?? []), r.meta.family, ...r.meta.platforms])], precision: 'high' };
  if (r.meta.securitySeverity !== undefined) properties['security-severity'] = r.meta.securitySeverity.toFixed(1);
  return {
    id: r.id,
    name: pascal(r.id),
    shortDescription: { text: clip(r.meta.description) },
    fullDescription: { text: clip([r.meta.description, r.meta.rationale].filter(Boolean).join(' ')) },
    ...(url ? { helpUri: url } : {}),
    help: {
      text: [r.meta.description, ...why, ...fix, ...(url ? [`Docs: ${url}`] : [])].join('\n\n'),
      markdown: [
        `**${r.meta.description}**`,
        ...(r.meta.rationale ? [`**Why it matters:** ${r.meta.rationale}`] : []),
        ...(r.meta.remediation ? [`**How to fix:** ${r.meta.remediation}`] : []),
        ...(url ? [`[Rule documentation: ${r.id}](${url})`] : []),
      ].join('\n\n'),
    },
    defaultConfiguration: { level: LEVEL[level] },
    properties,
  };
}

function sarifResult(f: Finding, ruleIndex: number | undefined, toRepo: (file: string) => string): Record<string, unknown> {
  const res: Record<string, unknown> = {
    ruleId: f.ruleId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        // An object read from a cluster is in no file: its logical location (kind/namespace/name) is all there is.
        ...(f.cluster !== undefined
          ? {}
          : {
              physicalLocation: {
                artifactLocation: artifact(toRepo(f.file)),
                region: { startLine: f.range.startLine, startColumn: f.range.startColumn, endLine: f.range.endLine, endColumn: Math.max(f.range.endColumn, 1) },
              },
            }),
        ...(f.resource
          ? { logicalLocations: [{ name: f.resource.name ?? f.resource.kind, fullyQualifiedName: [f.resource.kind, f.resource.namespace, f.resource.name].filter(Boolean).join('/'), kind: 'resource' }] }
          : {}),
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
  };
  if (f.suppressed) res.suppressions = [{ kind: f.suppressed.kind, ...(f.suppressed.justification ? { justification: f.suppressed.justification } : {}) }];
  if (f.baselineState) res.baselineState = f.baselineState;
  return res;
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
