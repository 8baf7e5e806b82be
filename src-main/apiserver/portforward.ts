/**
 * pods/portforward as the kubelet serves it behind kube-apiserver: SPDY/3.1 streams, tunnelled in WebSocket binary
 * messages for kubectl 1.31+ (`Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io`) or on the raw upgraded
 * connection for older clients (`POST`, `Upgrade: SPDY/3.1`, `X-Stream-Protocol-Version: portforward.k8s.io`).
 * Every forwarded connection is a pair of streams with the same `requestid`: `streamtype: error` (the server
 * writes a message there when forwarding fails) and `streamtype: data` (the bytes, to PodRuntime.portForward).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { errors, StatusError, type Status } from '../api/errors.ts';
import { byKind } from '../api/resources.ts';
import type { Pod } from '../api/types.ts';
import type { ServerContext } from './context.ts';
import { parseResourcePath } from './routes.ts';
import { parseRequestTarget } from './request-target.ts';
import { SpdySession, type SpdyStream } from '../spdy/session.ts';

export const PORTFORWARD_PROTOCOL = 'portforward.k8s.io';
export const TUNNEL_PROTOCOL = `SPDY/3.1+${PORTFORWARD_PROTOCOL}`;

function refuse(socket: Duplex, status: Status): void {
  const body = JSON.stringify(status);
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' }[status.code] ?? 'Error';
  socket.end(`HTTP/1.1 ${status.code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Serves one session's streams: pairs them by requestid and forwards each pair to the pod's port. */
export function servePortForward(ctx: ServerContext, session: SpdySession, namespace: string, name: string): void {
  const pairs = new Map<string, { data?: SpdyStream; error?: SpdyStream }>();
  session.onStream((s) => {
    const id = s.headers.requestid ?? '';
    const type = s.headers.streamtype;
    if (type !== 'data' && type !== 'error') return s.reset();
    const pair = pairs.get(id) ?? {};
    pair[type] = s;
    pairs.set(id, pair);
    if (!pair.data || !pair.error) return;
    pairs.delete(id);
    forward(ctx, namespace, name, s.headers.port ?? '', pair.data, pair.error);
  });
}

function forward(ctx: ServerContext, namespace: string, name: string, portText: string, data: SpdyStream, error: SpdyStream): void {
  const port = Number(portText);
  const fail = (message: string) => {
    error.write(Buffer.from(message));
    error.end();
    data.end();
  };
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) return fail(`invalid port: "${portText}"`);
  const runtime = ctx.podRuntime;
  const pod = ctx.registry.tryGet(byKind('Pod'), namespace, name) as unknown as Pod | undefined;
  if (!runtime || !pod) return fail(`pod ${name} not found`);
  let upstream: Duplex;
  try {
    upstream = runtime.portForward(namespace, name, port);
  } catch (e) {
    return fail(portError(pod, port, e));
  }
  let done = false;
  const finish = (failure?: unknown) => {
    if (done) return;
    done = true;
    if (failure !== undefined) error.write(Buffer.from(portError(pod, port, failure)));
    error.end();
    data.end();
  };
  data.onData((d) => upstream.write(d));
  data.onEnd(() => upstream.end());
  upstream.on('data', (d: Buffer) => data.write(Buffer.from(d)));
  upstream.on('end', () => finish());
  upstream.on('error', (e) => finish(e));
}

/** The kubelet's message when the pod's port cannot be reached (pkg/kubelet/cri/streaming/portforward). */
function portError(pod: Pod, port: number, e: unknown): string {
  const why = e instanceof Error ? e.message : String(e);
  return `error forwarding port ${port} to pod ${pod.metadata?.uid ?? ''}, uid : ${why}`;
}

export function portForwardUpgradeHandler(ctx: ServerContext): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  // `SPDY/3.1+portforward.k8s.io` is not an RFC 6455 token (`/`), which ws refuses to parse: the offer is checked
  // here, taken off the request, and the answer put back into the handshake's headers.
  const wss = new WebSocketServer({ noServer: true });
  wss.on('headers', (headers: string[]) => headers.push(`Sec-WebSocket-Protocol: ${TUNNEL_PROTOCOL}`));
  return (req, socket, head) => {
    try {
      const target = parseRequestTarget(req.url ?? '/');
      if (!target) throw errors.badRequest('Upgrade request required');
      const p = parseResourcePath(target.path);
      if (p.kind !== 'resource' || p.r.kind !== 'Pod' || p.subresource !== 'portforward' || !p.name) throw errors.badRequest('Upgrade request required');
      const pod = ctx.registry.get(byKind('Pod'), p.namespace, p.name) as unknown as Pod;
      const namespace = p.namespace ?? 'default';
      const name = pod.metadata!.name!;
      const upgrade = (req.headers.upgrade ?? '').toLowerCase();
      if (upgrade === 'websocket') {
        const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
        if (!offered.includes(TUNNEL_PROTOCOL)) throw errors.badRequest(`unable to upgrade: no supported subprotocol in ${JSON.stringify(offered)}`);
        delete req.headers['sec-websocket-protocol'];
        wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
          const session = new SpdySession((b) => ws.readyState === ws.OPEN && ws.send(b, { binary: true }), 'server');
          ws.on('message', (d: Buffer) => session.receive(Buffer.isBuffer(d) ? d : Buffer.from(d as ArrayBuffer)));
          ws.on('close', () => session.shutdown());
          ws.on('error', () => session.shutdown());
          session.onClose(() => ws.readyState === ws.OPEN && ws.close(1000));
          servePortForward(ctx, session, namespace, name);
        });
        return;
      }
      if (upgrade === 'spdy/3.1') {
        const version = String(req.headers['x-stream-protocol-version'] ?? '').split(',').map((s) => s.trim());
        if (!version.includes(PORTFORWARD_PROTOCOL)) throw errors.badRequest(`unable to upgrade: unable to negotiate protocol: client supports ${JSON.stringify(version)}, server supports ["${PORTFORWARD_PROTOCOL}"]`);
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${PORTFORWARD_PROTOCOL}\r\n\r\n`);
        const session = new SpdySession((b) => !socket.destroyed && socket.write(b), 'server');
        socket.on('data', (d: Buffer) => session.receive(d));
        socket.on('close', () => session.shutdown());
        socket.on('error', () => session.shutdown());
        session.onClose(() => socket.end());
        if (head.length) session.receive(head);
        servePortForward(ctx, session, namespace, name);
        return;
      }
      throw errors.badRequest('Upgrade request required');
    } catch (e) {
      refuse(socket, e instanceof StatusError ? e.status : errors.internal(String(e)).status);
    }
  };
}
