import type { Finding } from '../model/types.js';
import { ConfigError } from './config-error.js';

/**
 * The baseline file (`--write-baseline`): today's findings by fingerprint, so that `--baseline` reports only new ones.
 * Fingerprints hash the rule, file, resource identity and path, never a line number: edits elsewhere in a file keep them.
 * Entries are sorted and carry no line, message or version, so the file changes only when findings do.
 */
export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  file: string;
  resource?: string;
  path?: string;
}

export interface BaselineFile {
  version: 1;
  findings: BaselineEntry[];
}

/** Baseline of the findings that count today (suppressed ones need no baseline). */
export function formatBaseline(findings: readonly Finding[]): string {
  const entries = new Map<string, BaselineEntry>();
  for (const f of findings) {
    if (f.suppressed || entries.has(f.fingerprint)) continue;
    const resource = f.resource
      ? [f.resource.kind, f.resource.namespace, f.resource.name].filter(Boolean).join('/')
      : undefined;
    entries.set(f.fingerprint, {
      fingerprint: f.fingerprint,
      ruleId: f.ruleId,
      file: f.file,
      ...(resource ? { resource } : {}),
      ...(f.path ? { path: f.path } : {}),
    });
  }
  const key = (e: BaselineEntry): string[] => [e.file, e.ruleId, e.resource ?? '', e.path ?? '', e.fingerprint];
  const sorted = [...entries.values()].sort((a, b) => compareLists(key(a), key(b)));
  const doc: BaselineFile = { version: 1, findings: sorted };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** The fingerprints of a baseline file's text; a file that is not one is a ConfigError naming it. */
export function parseBaseline(text: string, file: string): Set<string> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // Not V8's message: it quotes the start of the text, which could be anything.
    throw new ConfigError(`${file}: not a shipshape baseline (not valid JSON)`);
  }
  const findings = (doc as { findings?: unknown } | null)?.findings;
  if (
    typeof doc !== 'object' ||
    doc === null ||
    (doc as { version?: unknown }).version !== 1 ||
    !Array.isArray(findings)
  )
    throw new ConfigError(
      `${file}: not a shipshape baseline (expected {"version": 1, "findings": [...]}; write one with --write-baseline)`,
    );
  const out = new Set<string>();
  findings.forEach((e, i) => {
    const fp = (e as { fingerprint?: unknown } | null)?.fingerprint;
    if (typeof fp !== 'string') throw new ConfigError(`${file}: findings[${i}] has no fingerprint`);
    out.add(fp);
  });
  return out;
}

/** Mark each finding `unchanged` (in the baseline: it does not count) or `new`. */
export function applyBaseline(findings: Finding[], fingerprints: ReadonlySet<string>): void {
  for (const f of findings) f.baselineState = fingerprints.has(f.fingerprint) ? 'unchanged' : 'new';
}

function compareLists(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
