/**
 * How our kubectl talks to the API server. `ApiClient` is deliberately small: a plain request, a streamed request
 * (watch, `logs -f`) and a channel upgrade (exec, port-forward). In the app it is backed by an in-process call into
 * the API server's handler; `httpApiClient` speaks real HTTP to it with the bearer token.
 */
import http from 'node:http';
import https from 'node:https';

export type Query = Record<string, string | string[] | undefined>;

export interface ApiRequest {
  method: string;
  /** Absolute path, e.g. `/api/v1/namespaces/default/pods`. */
  path: string;
  query?: Query;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
}

export interface ApiResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
}

export interface ApiStreamResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as it arrives (decoded UTF-8 chunks, arbitrary boundaries). Ends when the server closes. */
  chunks: AsyncIterable<string>;
  close(): void;
}

/**
 * A multiplexed stream as `v5.channel.k8s.io` (exec) and `portforward.k8s.io` carry it: channel 0 stdin,
 * 1 stdout, 2 stderr, 3 error (a Status as JSON), 4 resize; port-forward uses 2 channels per port (data, error).
 */
export interface ChannelConnection {
  /** The subprotocol the server accepted. */
  protocol: string;
  send(channel: number, data: Uint8Array | string): void;
  onMessage(handler: (channel: number, data: Uint8Array) => void): void;
  onClose(handler: () => void): void;
  close(): void;
}

/** A raw byte stream to the server after an upgrade (port-forward's SPDY session). */
export interface ByteTunnel {
  protocol: string;
  send(data: Uint8Array): void;
  onData(handler: (data: Buffer) => void): void;
  onClose(handler: () => void): void;
  close(): void;
}

export interface ApiClient {
  request(req: ApiRequest): Promise<ApiResponse>;
  stream(req: ApiRequest): Promise<ApiStreamResponse>;
  /** Upgrade to a channel connection (WebSocket in HTTP). Rejects with an ApiResponse-bearing error when refused. */
  upgrade?(req: ApiRequest & { protocols: string[] }): Promise<ChannelConnection>;
  /** Upgrade the connection to `upgrade` (e.g. SPDY/3.1) and hand over its bytes. Rejects with UpgradeRefused. */
  tunnel?(req: ApiRequest & { upgrade: string }): Promise<ByteTunnel>;
  /** The server URL, for `cluster-info`. */
  readonly baseUrl?: string;
}

export class UpgradeRefused extends Error {
  constructor(readonly response: ApiResponse) {
    super(`error upgrading connection: ${response.body}`);
  }
}

export function encodeQuery(q: Query | undefined): string {
  if (!q) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue;
    for (const x of Array.isArray(v) ? v : [v]) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(x)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function flatHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/**
 * Real HTTP(S) to the API server with a bearer token. `ca` (PEM) verifies the server; without it the server's
 * certificate is not checked (our own API server on 127.0.0.1 with a self-signed certificate).
 */
export function httpApiClient(baseUrl: string, token: string, opts: { ca?: string } = {}): ApiClient {
  const tlsOpts = opts.ca ? { ca: opts.ca } : { rejectUnauthorized: false };
  const base = new URL(baseUrl);
  const lib = base.protocol === 'https:' ? https : http;
  const userAgent = 'kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07';
  // Connections are kept and reused across requests and runs, as client-go's transport does: no TLS handshake per
  // request. Idle sockets do not keep the process alive.
  const agent = new lib.Agent({ keepAlive: true, ...tlsOpts });

  function send(req: ApiRequest): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const body = req.body === undefined ? undefined : typeof req.body === 'string' ? Buffer.from(req.body) : Buffer.from(req.body);
      const headers: Record<string, string> = { 'User-Agent': userAgent, Authorization: `Bearer ${token}`, Accept: 'application/json, */*', ...req.headers };
      if (body) headers['Content-Length'] = String(body.length);
      const r = lib.request(
        { protocol: base.protocol, hostname: base.hostname, port: base.port, method: req.method, path: base.pathname.replace(/\/$/, '') + req.path + encodeQuery(req.query), headers, signal: req.signal, agent, ...tlsOpts },
        resolve,
      );
      r.on('error', reject);
      r.end(body);
    });
  }

  return {
    baseUrl: base.origin + base.pathname.replace(/\/$/, ''),
    async request(req) {
      const res = await send(req);
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      return { status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body: Buffer.concat(chunks).toString('utf8') };
    },
    async stream(req) {
      const res = await send(req);
      res.setEncoding('utf8');
      return {
        status: res.statusCode ?? 0,
        headers: flatHeaders(res.headers),
        chunks: (async function* () {
          try {
            for await (const c of res) yield c as string;
          } catch {
            /* aborted: the stream just ends */
          }
        })(),
        close: () => res.destroy(),
      };
    },
    async upgrade(req) {
      const ws = await openWebSocket(req);
      return {
        protocol: ws.protocol,
        send: (channel, data) => ws.send(Buffer.concat([Buffer.from([channel]), typeof data === 'string' ? Buffer.from(data) : Buffer.from(data)])),
        onMessage: (h) => ws.on('message', (d: Buffer) => h(d[0], new Uint8Array(d.subarray(1)))),
        onClose: (h) => ws.on('close', h),
        close: () => ws.close(),
      };
    },
    tunnel(req) {
      // An HTTP/1.1 upgrade rather than kubectl 1.31+'s WebSocket tunnel: `SPDY/3.1+portforward.k8s.io` is not a
      // subprotocol token ws accepts. The server speaks the same SPDY session on both.
      return new Promise<ByteTunnel>((resolve, reject) => {
        const headers: Record<string, string> = { 'User-Agent': userAgent, Authorization: `Bearer ${token}`, Connection: 'Upgrade', Upgrade: req.upgrade, 'Content-Length': '0', ...req.headers };
        const r = lib.request({ protocol: base.protocol, hostname: base.hostname, port: base.port, method: req.method, path: base.pathname.replace(/\/$/, '') + req.path + encodeQuery(req.query), headers, agent: false, ...tlsOpts });
        r.on('upgrade', (res, socket, head) => {
          socket.setNoDelay(true);
          const pending = head.length ? [head] : [];
          resolve({
            protocol: String(res.headers['x-stream-protocol-version'] ?? ''),
            send: (data) => void (!socket.destroyed && socket.write(data)),
            onData: (h) => {
              for (const d of pending.splice(0)) h(d);
              socket.on('data', h);
            },
            onClose: (h) => socket.on('close', h),
            close: () => socket.destroy(),
          });
        });
        r.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => reject(new UpgradeRefused({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body: Buffer.concat(chunks).toString('utf8') })));
        });
        r.on('error', reject);
        r.end();
      });
    },
  };

  async function openWebSocket(req: ApiRequest & { protocols: string[] }): Promise<import('ws').WebSocket> {
    const { default: WebSocket } = await import('ws');
    const url = base.origin.replace(/^http/, 'ws') + base.pathname.replace(/\/$/, '') + req.path + encodeQuery(req.query);
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, req.protocols, { headers: { Authorization: `Bearer ${token}`, 'User-Agent': userAgent }, ...tlsOpts });
      ws.on('unexpected-response', (_r, res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => reject(new UpgradeRefused({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body: Buffer.concat(chunks).toString('utf8') })));
      });
      ws.on('error', reject);
      ws.on('open', () => resolve(ws));
    });
  }
}
