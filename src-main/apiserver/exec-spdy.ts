/**
 * pods/exec and pods/attach over a raw SPDY/3.1 upgrade, as kubectl 1.27–1.29 (and the fallback of newer ones) speak
 * it to the kubelet: `POST` with `Upgrade: SPDY/3.1` and the offered `X-Stream-Protocol-Version`s; we answer with
 * v4.channel.k8s.io. The client then opens one stream per channel, named by its `streamType` header (error, stdin,
 * stdout, stderr, resize). Once every stream the query asked for is there, the command runs; its output streams
 * are half-closed when it exits and the final Status is written to the error stream (remotecommand v4), after which
 * the connection is closed, as the kubelet does.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex, PassThrough } from 'node:stream';
import { Writable } from 'node:stream';
import { errors } from '../api/errors.ts';
import type { TerminalSize } from './pod-runtime.ts';
import { SpdySession, type SpdyStream } from '../spdy/session.ts';

export const SPDY_EXEC_PROTOCOL = 'v4.channel.k8s.io';
/** How long the kubelet waits for the client's streams (DefaultStreamCreationTimeout). */
const STREAM_CREATION_TIMEOUT_MS = 30_000;

export interface SpdyExecRequest {
  /** The command's stdin; the stdin stream's bytes go here (absent: no stdin stream expected). */
  stdin?: PassThrough;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  onResize(size: TerminalSize): void;
  onClose(): void;
}

export interface SpdyExecOutput {
  stdout?: Writable;
  stderr?: Writable;
}

function streamWriter(s: SpdyStream): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      s.write(Buffer.from(chunk));
      cb();
    },
  });
}

/** Accepts the upgrade (or throws a BadRequest Status) and runs `run` once the client's streams are open. */
export function acceptSpdyExec(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  want: SpdyExecRequest,
  run: (out: SpdyExecOutput) => Promise<Record<string, unknown>>,
): void {
  const offered = String(req.headers['x-stream-protocol-version'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!offered.includes(SPDY_EXEC_PROTOCOL)) {
    throw errors.badRequest(`unable to upgrade connection: unable to negotiate protocol: client supports ${JSON.stringify(offered)}, server supports ["${SPDY_EXEC_PROTOCOL}"]`);
  }
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${SPDY_EXEC_PROTOCOL}\r\n\r\n`);
  const session = new SpdySession((b) => !socket.destroyed && socket.write(b), 'server');
  const expected = new Set(['error']);
  if (want.stdin) expected.add('stdin');
  if (want.stdout) expected.add('stdout');
  if (want.stderr && !want.tty) expected.add('stderr');
  if (want.tty) expected.add('resize');
  const streams = new Map<string, SpdyStream>();
  let started = false;
  const timer = setTimeout(() => {
    if (!started) session.goAway();
  }, STREAM_CREATION_TIMEOUT_MS);

  const start = () => {
    started = true;
    clearTimeout(timer);
    const stdinStream = streams.get('stdin');
    if (stdinStream && want.stdin) {
      const sink = want.stdin;
      stdinStream.onData((d) => sink.write(d));
      stdinStream.onEnd(() => sink.end());
    }
    const resize = streams.get('resize');
    if (resize) {
      let pending = '';
      resize.onData((d) => {
        // Each resize is one JSON object ({"Width":80,"Height":24}); they arrive back to back.
        pending += d.toString('utf8');
        let at: number;
        while ((at = pending.indexOf('}')) >= 0) {
          const text = pending.slice(0, at + 1);
          pending = pending.slice(at + 1);
          try {
            const s = JSON.parse(text) as { Width: number; Height: number };
            want.onResize({ width: s.Width, height: s.Height });
          } catch {
            /* a malformed resize is ignored, as the kubelet does */
          }
        }
      });
    }
    const stdout = streams.get('stdout');
    const stderr = streams.get('stderr');
    const error = streams.get('error')!;
    void run({ stdout: stdout && streamWriter(stdout), stderr: stderr && streamWriter(stderr) }).then((status) => {
      stdout?.end();
      stderr?.end();
      error.write(Buffer.from(JSON.stringify(status)));
      error.end();
      socket.end();
    });
  };

  session.onStream((s) => {
    const type = s.headers.streamtype ?? '';
    if (started || !expected.has(type) || streams.has(type)) return s.reset();
    streams.set(type, s);
    if (streams.size === expected.size) start();
  });
  session.onClose(() => {
    clearTimeout(timer);
    want.onClose();
    if (!socket.destroyed) socket.end();
  });
  socket.on('data', (d: Buffer) => session.receive(d));
  socket.on('close', () => session.shutdown());
  socket.on('error', () => session.shutdown());
  if (head.length) session.receive(head);
}
