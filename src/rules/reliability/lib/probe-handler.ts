import { isObject, strings } from '../../../model/json.js';
import type { Container, JsonObject, Probe } from '../../../model/types.js';
import { valueAt as dig } from '../../../model/path.js';

/** A port as Kubernetes resolves it for a probe: numbers (and numeric strings) as is, names through the container's own ports. */
export function resolvePort(port: unknown, c: Container): number | string | undefined {
  if (typeof port === 'number') return port;
  if (typeof port !== 'string') return undefined;
  if (/^\d+$/.test(port)) return Number(port);
  return c.ports.find((p) => p.name === port)?.containerPort ?? port;
}

/** What a probe checks, with named ports resolved, so `port: http` and `port: 8080` compare equal. */
export function handlerKey(resource: JsonObject, p: Probe, c: Container): string | undefined {
  const raw = dig(resource, p.path);
  if (!isObject(raw)) return undefined;
  const s = (v: unknown): string => (typeof v === 'string' ? v : '');
  if (isObject(raw.httpGet)) {
    const h = raw.httpGet;
    const headers = Array.isArray(h.httpHeaders) ? JSON.stringify(h.httpHeaders) : '';
    return JSON.stringify([
      'http',
      s(h.scheme).toUpperCase() || 'HTTP',
      s(h.host),
      resolvePort(h.port, c),
      s(h.path) || '/',
      headers,
    ]);
  }
  if (isObject(raw.tcpSocket))
    return JSON.stringify(['tcp', s(raw.tcpSocket.host), resolvePort(raw.tcpSocket.port, c)]);
  if (isObject(raw.grpc)) return JSON.stringify(['grpc', resolvePort(raw.grpc.port, c), s(raw.grpc.service)]);
  if (isObject(raw.exec)) return JSON.stringify(['exec', strings(raw.exec.command)]);
  return undefined;
}

/** `httpGet /healthz on port 8080`, for messages. */
export function describeHandler(resource: JsonObject, p: Probe): string {
  const raw = dig(resource, p.path);
  if (!isObject(raw)) return 'the same handler';
  if (isObject(raw.httpGet))
    return `httpGet ${typeof raw.httpGet.path === 'string' ? raw.httpGet.path : '/'} on port ${String(raw.httpGet.port)}`;
  if (isObject(raw.tcpSocket)) return `tcpSocket on port ${String(raw.tcpSocket.port)}`;
  if (isObject(raw.grpc)) return `grpc on port ${String(raw.grpc.port)}`;
  if (isObject(raw.exec)) {
    const cmd = strings(raw.exec.command).join(' ');
    return `exec "${cmd.length > 60 ? `${cmd.slice(0, 57)}…` : cmd}"`;
  }
  return 'the same handler';
}
