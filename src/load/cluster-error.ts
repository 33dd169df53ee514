/**
 * The live cluster could not be read (unreachable, credentials refused, timeout, bad kubeconfig): the CLI prints
 * the message as one line and exits 2. Kept apart from cluster.ts so the CLI can recognise it without loading
 * the cluster code.
 */
export class ClusterError extends Error {
  override name = 'ClusterError';
}
