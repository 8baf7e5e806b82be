/**
 * pods/exec and pods/attach over WebSocket with the channel.k8s.io subprotocols kubectl 1.30+ speaks (v5, v4):
 * every message starts with a channel byte (0 stdin, 1 stdout, 2 stderr, 3 error Status, 4 resize, 255 close).
 * The command runs in the pod runtime; its exit becomes the final Status on channel 3. SPDY upgrades (kubectl ≤ 1.29)
 * are served by exec-spdy.ts with the same validation and the same final Status.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { PassThrough, Writable } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { errors, StatusError, type Status } from '../api/errors.ts';
import { byKind } from '../api/resources.ts';
import type { Pod } from '../api/types.ts';
import type { ServerContext } from './context.ts';
import type { TerminalSize } from './pod-runtime.ts';
import { acceptSpdyExec } from './exec-spdy.ts';
import { parseResourcePath } from './routes.ts';
import { parseRequestTarget } from './request-target.ts';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
const CLOSE = 255;

function refuse(socket: Duplex, status: Status): void {
  const body = JSON.stringify(status);
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' }[status.code] ?? 'Error';
  socket.end(`HTTP/1.1 ${status.code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

class ResizeQueue implements AsyncIterable<TerminalSize> {
  private items: TerminalSize[] = [];
  private waiting: Array<(r: IteratorResult<TerminalSize>) => void> = [];
  private ended = false;
  push(s: TerminalSize): void {
    const w = this.waiting.shift();
    if (w) w({ value: s, done: false });
    else this.items.push(s);
  }
  end(): void {
    this.ended = true;
    for (const w of this.waiting.splice(0)) w({ value: undefined, done: true });
  }
  [Symbol.asyncIterator](): AsyncIterator<TerminalSize> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item) return Promise.resolve({ value: item, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => this.waiting.push(resolve));
      },
    };
  }
}

function exitStatus(code: number, argv: string[]): Record<string, unknown> {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

export function execUpgradeHandler(ctx: ServerContext): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  return (req, socket, head) => {
    try {
      const target = parseRequestTarget(req.url ?? '/');
      if (!target) throw errors.badRequest('Upgrade request required');
      const p = parseResourcePath(target.path);
      if (p.kind !== 'resource' || p.r.kind !== 'Pod' || (p.subresource !== 'exec' && p.subresource !== 'attach')) {
        throw errors.badRequest('Upgrade request required');
      }
      const upgrade = (req.headers.upgrade ?? '').toLowerCase();
      if (upgrade !== 'websocket' && upgrade !== 'spdy/3.1') throw errors.badRequest('Upgrade request required');
      const pod = ctx.registry.get(byKind('Pod'), p.namespace, p.name!) as unknown as Pod;
      const q = target.query;
      const names = (pod.spec?.containers ?? []).map((c) => c.name);
      const container = q.get('container') || (names.length === 1 ? names[0] : '');
      if (!container) throw errors.badRequest(`a container name must be specified for pod ${p.name}, choose one of: [${names.join(' ')}]`);
      if (!names.includes(container) && !(pod.spec?.initContainers ?? []).some((c) => c.name === container)) {
        throw errors.badRequest(`container ${container} is not valid for pod ${p.name}`);
      }
      const argv = q.getAll('command');
      const runtime = ctx.podRuntime;
      if (!runtime) throw errors.badRequest(`unable to upgrade connection: container not found ("${container}")`);
      const wantStdin = q.get('stdin') === 'true' || q.get('stdin') === '1';
      const tty = q.get('tty') === 'true' || q.get('tty') === '1';
      const wantStdout = q.get('stdout') !== 'false' && q.get('stdout') !== '0';
      const wantStderr = (q.get('stderr') === 'true' || q.get('stderr') === '1') && !tty;
      const finalStatus = (code: Promise<number>) =>
        code.then(
          (c) => exitStatus(c, argv),
          (e: unknown) => ({ metadata: {}, status: 'Failure', message: e instanceof Error ? e.message : String(e), reason: 'InternalError' }),
        );
      if (upgrade === 'spdy/3.1') {
        const stdin = wantStdin ? new PassThrough() : undefined;
        const resize = new ResizeQueue();
        acceptSpdyExec(
          req,
          socket,
          head,
          {
            stdin,
            stdout: wantStdout,
            stderr: wantStderr,
            tty,
            onResize: (s) => resize.push(s),
            onClose: () => {
              stdin?.end();
              resize.end();
            },
          },
          (out) =>
            finalStatus(runtime.exec(p.namespace!, p.name!, container, argv, { stdin, stdout: out.stdout, stderr: out.stderr, tty, resize: tty ? resize : undefined })).finally(() => resize.end()),
        );
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
        const channel = (n: number) =>
          new Writable({
            write(chunk: Buffer, _enc, cb) {
              if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([n]), chunk]), cb);
              else cb();
            },
          });
        const stdin = new PassThrough();
        const resize = new ResizeQueue();
        ws.on('message', (data: Buffer) => {
          const buf = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
          if (buf.length === 0) return;
          const ch = buf[0];
          if (ch === STDIN) stdin.write(buf.subarray(1));
          else if (ch === RESIZE) {
            try {
              const s = JSON.parse(buf.subarray(1).toString()) as { Width: number; Height: number };
              resize.push({ width: s.Width, height: s.Height });
            } catch {
              /* a malformed resize is ignored, as the kubelet does */
            }
          } else if (ch === CLOSE && buf[1] === STDIN) stdin.end();
        });
        ws.on('close', () => {
          stdin.end();
          resize.end();
        });
        finalStatus(
          runtime.exec(p.namespace!, p.name!, container, argv, {
            stdin: wantStdin ? stdin : undefined,
            stdout: wantStdout ? channel(STDOUT) : undefined,
            stderr: wantStderr ? channel(STDERR) : undefined,
            tty,
            resize: tty ? resize : undefined,
          }),
        ).then((status) => {
          if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([ERROR]), Buffer.from(JSON.stringify(status))]));
          ws.close(1000);
          resize.end();
        });
      });
    } catch (e) {
      refuse(socket, e instanceof StatusError ? e.status : errors.internal(String(e)).status);
    }
  };
}
