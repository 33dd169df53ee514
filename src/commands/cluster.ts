import { escapeControl, redact } from '../model/redact.js';
import { lint } from '../index.js';
import { ClusterError, readCluster } from '../load/cluster.js';
import { writeReport, type OutputOptions } from './output.js';

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
}

/**
 * `shipshape cluster`: the same rules on what runs in a namespace (or every namespace) of a live cluster.
 * Findings are located by object (`kind/namespace/name`), in every output format.
 */
export async function runCluster(opts: ClusterCommandOptions): Promise<number> {
  if (opts.namespace && opts.allNamespaces) throw new ClusterError('--namespace and --all-namespaces cannot be used together');
  const timeout = opts.timeout === undefined ? 30 : Number(opts.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new ClusterError(`--timeout expects a number of seconds, got "${opts.timeout}"`);
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
  return writeReport({ ...result, warnings: opts.format === 'text' ? [] : [...result.warnings, ...read.warnings], cluster: `context "${read.context}", ${where}` }, opts);
}
