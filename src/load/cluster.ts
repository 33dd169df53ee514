import http from 'node:http';
import https from 'node:https';
import type { JsonObject, Locator, Path, Resource } from '../model/types.js';
import { ClusterError } from './cluster-error.js';
import { isObject, stringMap } from '../model/json.js';

export { ClusterError };

/** What is read from the API: every kind that runs pods, and the objects cross-resource rules look up. */
interface KindDef {
  kind: string;
  apiVersion: string;
  plural: string;
  /** Skip objects that have an owner: their controller (Deployment, CronJob…) is read and checked instead. */
  ownerless?: boolean;
  /** Not in a namespace: listed once, and only the objects that name a namespace read are kept (Namespace itself). */
  clusterScoped?: boolean;
  /** What is lost when the list is forbidden. */
  lost?: string;
}

export const CLUSTER_KINDS: readonly KindDef[] = [
  { kind: 'Deployment', apiVersion: 'apps/v1', plural: 'deployments' },
  { kind: 'StatefulSet', apiVersion: 'apps/v1', plural: 'statefulsets' },
  { kind: 'DaemonSet', apiVersion: 'apps/v1', plural: 'daemonsets' },
  { kind: 'ReplicaSet', apiVersion: 'apps/v1', plural: 'replicasets', ownerless: true },
  { kind: 'CronJob', apiVersion: 'batch/v1', plural: 'cronjobs' },
  { kind: 'Job', apiVersion: 'batch/v1', plural: 'jobs', ownerless: true },
  { kind: 'Pod', apiVersion: 'v1', plural: 'pods', ownerless: true },
  { kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v2', plural: 'horizontalpodautoscalers' },
  { kind: 'PodDisruptionBudget', apiVersion: 'policy/v1', plural: 'poddisruptionbudgets' },
  {
    kind: 'Namespace',
    apiVersion: 'v1',
    plural: 'namespaces',
    clusterScoped: true,
    lost: 'the Pod Security levels their pod-security.kubernetes.io labels enforce are not known',
  },
];

export interface ClusterOptions {
  kubeconfig?: string;
  /** A context of the kubeconfig (default: its current context). */
  context?: string;
  /** Namespaces to read; default: the context's namespace (in a pod: the pod's own), else `default`. */
  namespaces?: readonly string[];
  allNamespaces?: boolean;
  /** Per request; default 30 s. */
  timeoutMs?: number;
}

export interface ClusterRead {
  /** The kubeconfig context name (`in-cluster` inside a pod). */
  context: string;
  server: string;
  /** Namespaces read, or undefined for all of them. */
  namespaces: string[] | undefined;
  /** The namespace of the context, used for repository objects that set none. */
  defaultNamespace: string;
  resources: Resource[];
  /** Non-fatal: a kind that could not be listed (403, or not served by this cluster). */
  warnings: string[];
}

const PAGE_SIZE = 500;
const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_PARALLEL = 6;

/** Read the workloads, HPAs and PDBs of a live cluster through the kubeconfig (or the pod's service account). */
export async function readCluster(opts: ClusterOptions): Promise<ClusterRead> {
  const { kc, contextName, defaultNamespace } = await kubeConfig(opts);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new ClusterError(`context "${contextName}" names no cluster in the kubeconfig`);
  const requestOptions: https.RequestOptions = {};
  try {
    try {
      await kc.applyToHTTPSOptions(requestOptions);
    } catch (err) {
      if (!/HTTP protocol is not allowed/.test((err as Error).message)) throw err;
      // kubectl talks plain http to an http:// server (kubectl proxy, a local API server); client-node insists on
      // insecure-skip-tls-verify first, which means nothing without TLS. Apply the user's credentials all the same.
      const { KubeConfig } = await import('@kubernetes/client-node');
      const plain = new KubeConfig();
      plain.loadFromOptions({
        clusters: kc.clusters.map((c) => (c.name === cluster.name ? { ...c, skipTLSVerify: true } : c)),
        users: kc.users,
        contexts: kc.contexts,
        currentContext: kc.getCurrentContext(),
      });
      await plain.applyToHTTPSOptions(requestOptions);
    }
  } catch (err) {
    throw new ClusterError(`cannot get credentials for context "${contextName}": ${firstLine((err as Error).message)}`);
  }
  const namespaces = opts.allNamespaces
    ? undefined
    : [...new Set(opts.namespaces?.length ? opts.namespaces : [defaultNamespace])].sort();
  const client = new ListClient(cluster.server, contextName, requestOptions, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);

  const jobs: { def: KindDef; ns: string | undefined }[] = [];
  for (const ns of namespaces ?? [undefined])
    for (const def of CLUSTER_KINDS) if (!def.clusterScoped) jobs.push({ def, ns });
  for (const def of CLUSTER_KINDS) if (def.clusterScoped) jobs.push({ def, ns: undefined });
  const outcomes = await pool(jobs, MAX_PARALLEL, ({ def, ns }) => client.listAll(def, ns));

  const resources: Resource[] = [];
  const warnings: string[] = [];
  let denied = 0;
  outcomes.forEach((o, i) => {
    const { def, ns } = jobs[i]!;
    if ('skipped' in o) {
      if (o.status === 403) denied++;
      warnings.push(
        `${def.plural}${ns ? ` in namespace "${ns}"` : ''} could not be listed (${o.skipped}): they are left out, and ` +
          `${def.lost ?? 'findings that depend on them (such as a missing PodDisruptionBudget) may be wrong'}`,
      );
      return;
    }
    for (const item of o.items) {
      if (
        def.clusterScoped &&
        namespaces &&
        !namespaces.includes(String(isObject(item.metadata) ? item.metadata.name : ''))
      )
        continue;
      const r = toResource(item, def, contextName);
      if (r) resources.push(r);
    }
  });
  if (denied === jobs.length)
    throw new ClusterError(
      `context "${contextName}" may not list anything shipshape reads${namespaces ? ` in namespace ${namespaces.map((n) => `"${n}"`).join(', ')}` : ''}` +
        ` (403 Forbidden): grant list on ${CLUSTER_KINDS.map((d) => d.plural).join(', ')}`,
    );
  resources.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { context: contextName, server: cluster.server, namespaces, defaultNamespace, resources, warnings };
}

/**
 * Cluster objects for cross-resource rules on repository files: the namespaces the files use (the context's own for
 * objects that set none). An object the repository also defines is left out: the repository is the desired state.
 */
export async function clusterContext(
  own: readonly Resource[],
  opts: ClusterOptions,
): Promise<{ resources: Resource[]; warnings: string[] }> {
  const kube = own.filter((r) => r.platform === 'kubernetes');
  if (kube.length === 0) return { resources: [], warnings: [] };
  const { defaultNamespace } = await kubeConfig(opts);
  const namespaces = [...new Set(kube.map((r) => r.namespace ?? defaultNamespace))];
  const read = await readCluster({ ...opts, namespaces });
  const defined = new Set(kube.map((r) => `${r.kind}/${r.namespace ?? defaultNamespace}/${r.name ?? ''}`));
  return {
    resources: read.resources.filter((r) => !defined.has(`${r.kind}/${r.namespace ?? ''}/${r.name ?? ''}`)),
    warnings: read.warnings,
  };
}

type KubeConfigT = InstanceType<(typeof import('@kubernetes/client-node'))['KubeConfig']>;
const loaded = new Map<string, Promise<{ kc: KubeConfigT; contextName: string; defaultNamespace: string }>>();

/** The kubeconfig, once per process: client-node is imported here only (it costs ~400 ms). */
function kubeConfig(opts: ClusterOptions): Promise<{ kc: KubeConfigT; contextName: string; defaultNamespace: string }> {
  const key = `${opts.kubeconfig ?? ''}\u0000${opts.context ?? ''}`;
  let p = loaded.get(key);
  if (!p) {
    p = loadKubeConfig(opts);
    loaded.set(key, p);
  }
  return p;
}

async function loadKubeConfig(
  opts: ClusterOptions,
): Promise<{ kc: KubeConfigT; contextName: string; defaultNamespace: string }> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  try {
    if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ClusterError(
      `cannot read kubeconfig ${opts.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config'}: ${e.code === 'ENOENT' ? 'no such file' : firstLine(e.message)}`,
    );
  }
  const fallback = kc.getCurrentCluster();
  if (!opts.kubeconfig && fallback?.name === 'cluster' && fallback.server === 'http://localhost:8080')
    throw new ClusterError(
      'no kubeconfig found ($KUBECONFIG, ~/.kube/config) and not running in a pod: pass --kubeconfig',
    );
  if (opts.context) {
    const names = kc.getContexts().map((c) => c.name);
    if (!names.includes(opts.context))
      throw new ClusterError(
        `context "${opts.context}" is not in the kubeconfig${names.length ? ` (it has: ${names.join(', ')})` : ''}`,
      );
    kc.setCurrentContext(opts.context);
  }
  const current = kc.getCurrentContext();
  if (!current) throw new ClusterError('the kubeconfig has no current context: pass --context');
  const ctx = kc.getContextObject(current);
  return {
    kc,
    contextName: current === 'inClusterContext' ? 'in-cluster' : current,
    defaultNamespace: ctx?.namespace?.trim() || 'default',
  };
}

type ListOutcome = { items: JsonObject[] } | { skipped: string; status: number };

/** GET list endpoints page by page (`limit` + `continue`); fatal errors throw one-line ClusterErrors. */
class ListClient {
  constructor(
    private readonly server: string,
    private readonly context: string,
    private readonly options: https.RequestOptions,
    private readonly timeoutMs: number,
  ) {}

  async listAll(def: KindDef, namespace: string | undefined): Promise<ListOutcome> {
    const prefix = def.apiVersion.includes('/') ? `/apis/${def.apiVersion}` : `/api/${def.apiVersion}`;
    const base = `${prefix}${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${def.plural}`;
    const items: JsonObject[] = [];
    let token: string | undefined;
    for (let page = 0; page < 10_000; page++) {
      const query = `limit=${PAGE_SIZE}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
      const { status, body } = await this.get(`${base}?${query}`);
      if (status === 401)
        throw new ClusterError(
          `the Kubernetes API at ${this.server} refused the credentials of context "${this.context}"` +
            ` (401 Unauthorized): log in again or fix the user in the kubeconfig`,
        );
      if (status === 403 || status === 404)
        return { skipped: `${status} ${status === 403 ? 'Forbidden' : 'Not Found'}${apiMessage(body)}`, status };
      if (status !== 200)
        throw new ClusterError(
          `the Kubernetes API at ${this.server} answered ${status} to GET ${base}${apiMessage(body)}`,
        );
      let list: unknown;
      try {
        list = JSON.parse(body);
      } catch {
        throw new ClusterError(`the Kubernetes API at ${this.server} sent a response to GET ${base} that is not JSON`);
      }
      if (!isObject(list) || !Array.isArray(list.items))
        throw new ClusterError(
          `the Kubernetes API at ${this.server} sent a response to GET ${base} that is not a list`,
        );
      for (const item of list.items) if (isObject(item)) items.push(item);
      const meta = isObject(list.metadata) ? list.metadata : {};
      token = typeof meta.continue === 'string' && meta.continue !== '' ? meta.continue : undefined;
      if (!token) return { items };
    }
    throw new ClusterError(`the Kubernetes API at ${this.server} kept paginating ${base}`);
  }

  private get(pathAndQuery: string): Promise<{ status: number; body: string }> {
    let end = this.server.length; // not /\/+$/: quadratic on a long run of slashes
    while (end > 0 && this.server[end - 1] === '/') end--;
    const url = new URL(this.server.slice(0, end) + pathAndQuery);
    const lib = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const req = lib.request(
        url,
        { ...this.options, method: 'GET', headers: { ...(this.options.headers ?? {}), Accept: 'application/json' } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (err) => reject(this.networkError(err)));
        },
      );
      req.setTimeout(this.timeoutMs, () =>
        req.destroy(
          new ClusterError(
            `the Kubernetes API at ${this.server} did not answer within ${Math.round(this.timeoutMs / 100) / 10}s (context "${this.context}")`,
          ),
        ),
      );
      req.on('error', (err) => reject(err instanceof ClusterError ? err : this.networkError(err)));
      req.end();
    });
  }

  private networkError(err: NodeJS.ErrnoException): ClusterError {
    const why =
      err.code === 'ECONNREFUSED'
        ? 'connection refused'
        : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN'
          ? 'host not found'
          : err.code === 'ECONNRESET'
            ? 'connection reset'
            : firstLine(err.message);
    return new ClusterError(`cannot reach the Kubernetes API at ${this.server} (context "${this.context}"): ${why}`);
  }
}

function toResource(item: JsonObject, def: KindDef, context: string): Resource | undefined {
  const meta = isObject(item.metadata) ? { ...item.metadata } : {};
  if (def.ownerless && Array.isArray(meta.ownerReferences) && meta.ownerReferences.length > 0) return undefined;
  delete meta.managedFields; // large, and never looked at
  // List items carry no apiVersion and kind of their own.
  const value: JsonObject = { apiVersion: def.apiVersion, kind: def.kind, ...item, metadata: meta };
  const name = typeof meta.name === 'string' ? meta.name : undefined;
  const namespace = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined;
  const logical = [def.kind, namespace, name].filter(Boolean).join('/');
  return {
    key: `cluster:${context}/${logical}`,
    file: { path: logical, absPath: '' },
    docIndex: 0,
    platform: 'kubernetes',
    apiVersion: def.apiVersion,
    kind: def.kind,
    name,
    namespace,
    value,
    labels: stringMap(meta.labels),
    annotations: stringMap(meta.annotations),
    locator: objectLocator(value),
    cluster: context,
  };
}

/** Objects from the API have no lines: a finding is located by the object itself, `exact` when the path exists. */
function objectLocator(value: JsonObject): Locator {
  return {
    locate(path: Path) {
      let node: unknown = value;
      for (const seg of path) {
        if (Array.isArray(node) && typeof seg === 'number') node = node[seg];
        else if (isObject(node) && typeof seg === 'string') node = node[seg];
        else node = undefined;
        if (node === undefined) break;
      }
      return { range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }, exact: node !== undefined };
    },
  };
}

function apiMessage(body: string): string {
  try {
    const status = JSON.parse(body) as unknown;
    if (isObject(status) && typeof status.message === 'string') return `: ${firstLine(status.message)}`;
  } catch {
    // not a Status object
  }
  return '';
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? s).trim();
}

/** Run `fn` over `items` with at most `limit` at a time; results in input order; the first rejection wins. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!);
      } catch (err) {
        failed = true; // start nothing more: the run is over, and open requests would keep the process alive
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
