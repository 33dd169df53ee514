import { escapeControl, redact } from '../model/redact.js';
import { lint } from '../index.js';
import type { Finding, Resource } from '../model/types.js';
import { ClusterError, readCluster } from '../load/cluster.js';
import { load } from '../load/index.js';
import { plural } from '../report/types.js';
import { placeInSources } from './cluster-sources.js';
import { UsageError, writeReport, type OutputOptions } from './output.js';

export interface ClusterCommandOptions extends OutputOptions {
  namespace?: string;
  allNamespaces?: boolean;
  context?: string;
  kubeconfig?: string;
  /** Seconds per API request. */
  timeout?: string;
  config?: string;
  rule?: string[];
  kubeVersion?: string;
  baseline?: string;
  /** Files and directories that define the live objects: where their SARIF results are placed. */
  manifests?: string[];
}

/**
 * `shipshape cluster`: the same rules on what runs in a namespace (or every namespace) of a live cluster.
 * Findings are located by object (`kind/namespace/name`), in every output format.
 */
export async function runCluster(opts: ClusterCommandOptions): Promise<number> {
  if (opts.namespace && opts.allNamespaces)
    throw new ClusterError('--namespace and --all-namespaces cannot be used together');
  const timeout = opts.timeout === undefined ? 30 : Number(opts.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new ClusterError(`--timeout expects a number of seconds, got "${opts.timeout}"`);
  const read = await readCluster({
    ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
    ...(opts.context ? { context: opts.context } : {}),
    ...(opts.namespace ? { namespaces: [opts.namespace] } : {}),
    ...(opts.allNamespaces ? { allNamespaces: true } : {}),
    timeoutMs: timeout * 1000,
  });
  const result = await lint({
    paths: [],
    resources: read.resources,
    ...(opts.config ? { configFile: opts.config } : {}),
    ...(opts.rule?.length ? { ruleFlags: opts.rule } : {}),
    ...(opts.kubeVersion ? { kubeVersion: opts.kubeVersion } : {}),
    ...(opts.baseline ? { baseline: opts.baseline } : {}),
  });
  // Partial results must never pass unnoticed, whatever the format: the warnings go to stderr too.
  for (const w of read.warnings) process.stderr.write(`shipshape: warning: ${escapeControl(redact(w))}\n`);
  const where = read.namespaces ? `namespace ${read.namespaces.map((n) => `"${n}"`).join(', ')}` : 'all namespaces';
  if (opts.format === 'sarif') result.findings = await inFiles(result.findings, read.resources, opts.manifests ?? []);
  return writeReport(
    {
      ...result,
      warnings: opts.format === 'text' ? [] : [...result.warnings, ...read.warnings],
      cluster: `context "${read.context}", ${where}`,
    },
    opts,
  );
}

/**
 * SARIF for code scanning needs a file for every result: each finding moves to the file of --manifests that defines
 * its object. When some object has none, SARIF is refused (exit 2) rather than written for GitHub to reject.
 */
async function inFiles(findings: Finding[], live: Resource[], manifests: string[]): Promise<Finding[]> {
  if (!findings.some((f) => f.cluster !== undefined)) return findings;
  const sources = manifests.length ? await load({ paths: manifests, cwd: process.cwd() }) : undefined;
  if (sources?.missing.length)
    throw new UsageError(`--manifests: no such file or directory: ${sources.missing.join(', ')}`);
  const placed = placeInSources(findings, live, sources?.resources ?? []);
  if (placed.unplaced.length === 0) return placed.findings;
  const shown = placed.unplaced.slice(0, 5).join(', ') + (placed.unplaced.length > 5 ? ', …' : '');
  throw new UsageError(
    `--format sarif places every result in a file, and ${plural(placed.unplaced.length, 'object')} with findings` +
      ` ${placed.unplaced.length === 1 ? 'is' : 'are'} defined in no file ${manifests.length ? 'of --manifests' : '(no --manifests given)'}` +
      `: ${shown}. ` +
      'Pass the files or directories that define them with --manifests <path>, or use --format json or text for objects that exist only in the cluster.',
  );
}
