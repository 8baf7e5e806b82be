/**
 * Against DNS rebinding: a web page on evil.example can make its own name resolve to 127.0.0.1 and then talk to
 * our ports from the learner's browser, but its requests still say `Host: evil.example`. Both servers (API and UI)
 * answer only requests addressed to 127.0.0.1, localhost or [::1] with the port they came in on; kubectl sends
 * `Host: 127.0.0.1:<port>`, browsers the address-bar host. Others get 403.
 */
import type { IncomingMessage } from 'node:http';
import type { Status } from '../api/errors.ts';

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

export function hostAllowed(req: IncomingMessage): boolean {
  const host = req.headers.host?.toLowerCase();
  const port = req.socket.localPort;
  return host !== undefined && port !== undefined && allowedHosts(port).includes(host);
}

/** The words of the refusal, the same on both servers. */
export function hostRefusal(req: IncomingMessage): string {
  const given = req.headers.host === undefined ? 'no Host header' : `Host "${req.headers.host}"`;
  const [a, b, c] = allowedHosts(req.socket.localPort ?? 0);
  return `${given} is not allowed: this server answers only to ${a}, ${b} and ${c}`;
}

/** As kube-apiserver's own 403 for a non-resource path (`forbidden: User "..." cannot get path "/"`). */
export function hostForbiddenStatus(req: IncomingMessage): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `forbidden: ${hostRefusal(req)}`, reason: 'Forbidden', details: {}, code: 403 };
}

/** For an upgrade (WebSocket, SPDY) refused before it starts: the raw 403 on the socket. */
export function refuseUpgrade(socket: import('node:stream').Duplex, req: IncomingMessage, json: boolean): void {
  const body = json ? JSON.stringify(hostForbiddenStatus(req)) : `${hostRefusal(req)}\n`;
  const type = json ? 'application/json' : 'text/plain; charset=utf-8';
  socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
