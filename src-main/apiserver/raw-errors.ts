/**
 * Answers the HTTP parser cannot hand to a request handler, written on the socket as Go's net/http and
 * kube-apiserver write them: a malformed request line (400), an HTTP method Node's parser does not know (which Go
 * accepts and routes: 401/403 by credentials, then 405 from go-restful), CONNECT, and oversized headers (431).
 */
import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { errors, type Status } from '../api/errors.ts';
import { anonymousForbidden, identify } from './auth.ts';
import { requestInfoOf } from './request-info.ts';
import { parseRequestTarget } from './request-target.ts';

const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request';
const HEADERS_TOO_LARGE = 'HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n431 Request Header Fields Too Large';
const REASONS: Record<number, string> = { 200: 'OK', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed' };

export function rawStatusResponse(status: Status): string {
  const body = JSON.stringify(status);
  return `HTTP/1.1 ${status.code} ${REASONS[status.code] ?? ''}\r\nCache-Control: no-cache, private\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

interface RawHead {
  method: string;
  url: string;
  headers: Record<string, string>;
}

function parseHead(packet: Buffer | undefined): RawHead | undefined {
  if (!packet) return undefined;
  const text = packet.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const lines = (end < 0 ? text : text.slice(0, end)).split('\r\n');
  const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/1\.[01]$/.exec(lines[0] ?? '');
  if (!m) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { method: m[1], url: m[2], headers };
}

/** What kube-apiserver answers a method Node cannot parse (any token is a method to Go). */
export function answerForUnknownMethod(head: RawHead, token: string): string {
  const target = parseRequestTarget(head.url);
  if (!target) return BAD_REQUEST;
  const who = identify({ headers: { authorization: head.headers.authorization } } as IncomingMessage, token);
  if (who === 'invalid') return rawStatusResponse(errors.unauthorized().status);
  const info = requestInfoOf(head.method, target.path, target.query);
  if (who === 'anonymous') return rawStatusResponse(anonymousForbidden(info));
  const path = target.path.replace(/\/+$/, '') || '/';
  if (path === '/healthz' || path === '/livez' || path === '/readyz') {
    return 'HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok';
  }
  return rawStatusResponse(errors.methodNotAllowed().status);
}

export function clientErrorHandler(token: string): (err: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex) => void {
  return (err, socket) => {
    if (!socket.writable) return void socket.destroy();
    let answer = BAD_REQUEST;
    if (err.code === 'HPE_HEADER_OVERFLOW') answer = HEADERS_TOO_LARGE;
    else if (err.code === 'HPE_INVALID_METHOD') {
      const head = parseHead(err.rawPacket);
      if (head) answer = answerForUnknownMethod(head, token);
    } else if (err.code === 'ECONNRESET' || err.code === 'HPE_CLOSED_CONNECTION') return void socket.destroy();
    socket.end(answer);
  };
}

/** CONNECT reaches Go's mux with an authority-form target; no route takes it. */
export function connectHandler(token: string): (req: IncomingMessage, socket: Duplex) => void {
  return (req, socket) => {
    const who = identify(req, token);
    if (who === 'invalid') return void socket.end(rawStatusResponse(errors.unauthorized().status));
    if (who === 'anonymous') return void socket.end(rawStatusResponse(errors.forbiddenPath('User "system:anonymous" cannot connect path ""').status));
    socket.end(rawStatusResponse(errors.methodNotAllowed().status));
  };
}
