import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * A stand-in for the Kubernetes API on 127.0.0.1: the list endpoints shipshape reads, answered with recorded
 * list responses (test/integration/cluster/<plural>.json, as `kubectl get --raw` returns them: items without
 * kind and apiVersion, managedFields included), paginated with `limit` / `continue` like the real server.
 */
export interface FakeKubeOptions {
  /** Answer every request with 401. */
  unauthorized?: boolean;
  /** Plurals answered with 403 Forbidden. */
  forbidden?: readonly string[];
  /** Accept connections and never answer. */
  hang?: boolean;
  /** Items per page, whatever `limit` asks (forces pagination). */
  pageSize?: number;
  /** Bearer token the server expects (401 otherwise). */
  token?: string;
}

export interface FakeKube {
  url: string;
  /** Every request path with its query, in order. */
  requests: string[];
  close(): Promise<void>;
}

const LIST_RE = /^\/apis?\/(?:([^/]+)\/)?(v[0-9a-z]+)\/(?:namespaces\/([^/]+)\/)?([a-z]+)$/;

export async function startFakeKube(fixtureDir: string, opts: FakeKubeOptions = {}): Promise<FakeKube> {
  const lists = new Map<string, { apiVersion: string; kind: string; items: Record<string, unknown>[] }>();
  for (const f of readdirSync(fixtureDir).filter((n) => n.endsWith('.json'))) {
    lists.set(f.replace(/\.json$/, ''), JSON.parse(readFileSync(path.join(fixtureDir, f), 'utf8')));
  }
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    if (opts.hang) return; // the socket stays open until the client gives up
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const status = (code: number, reason: string, message: string): void =>
      send(code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
    if (opts.unauthorized || (opts.token && req.headers.authorization !== `Bearer ${opts.token}`))
      return status(401, 'Unauthorized', 'Unauthorized');
    const m = LIST_RE.exec(url.pathname);
    if (!m) return status(404, 'NotFound', 'the server could not find the requested resource');
    const [, group, version, namespace, plural] = m;
    if (opts.forbidden?.includes(plural!)) {
      return status(
        403,
        'Forbidden',
        `${plural} is forbidden: User "system:serviceaccount:shop:shipshape" cannot list resource "${plural}" in API group "${group ?? ''}" in the namespace "${namespace ?? ''}"`,
      );
    }
    const list = lists.get(plural!);
    const apiVersion = group ? `${group}/${version}` : version!;
    const all = (list?.items ?? []).filter(
      (i) => !namespace || (i.metadata as { namespace?: string }).namespace === namespace,
    );
    const limit = opts.pageSize ?? Number(url.searchParams.get('limit') ?? all.length);
    const start = Number(
      url.searchParams.get('continue') ? Buffer.from(url.searchParams.get('continue')!, 'base64').toString() : 0,
    );
    const page = all.slice(start, start + limit);
    const next = start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64') : undefined;
    send(200, {
      kind: list?.kind ?? `${plural}List`,
      apiVersion,
      metadata: {
        resourceVersion: '481516',
        ...(next ? { continue: next, remainingItemCount: all.length - start - limit } : {}),
      },
      items: page,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A kubeconfig with one context for the server: plain http needs insecure-skip-tls-verify, or client-node refuses it. */
export function writeKubeconfig(
  file: string,
  server: string,
  opts: { namespace?: string; token?: string; context?: string } = {},
): string {
  const context = opts.context ?? 'fake';
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      `current-context: ${context}`,
      'clusters:',
      `  - name: ${context}-cluster`,
      '    cluster:',
      `      server: ${server}`,
      '      insecure-skip-tls-verify: true',
      'users:',
      `  - name: ${context}-user`,
      '    user:',
      `      token: ${opts.token ?? 'test-token'}`,
      'contexts:',
      `  - name: ${context}`,
      '    context:',
      `      cluster: ${context}-cluster`,
      `      user: ${context}-user`,
      ...(opts.namespace ? [`      namespace: ${opts.namespace}`] : []),
      '',
    ].join('\n'),
  );
  return file;
}
