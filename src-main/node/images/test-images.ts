/** Small Go test servers used in networking labs: http-echo, agnhost, echo-server, hello-app. */
import { busybox, effectiveArgv, flagValue, goResponse, header, makeProgram, nginxTime, splitPath } from './program.ts';
import { runMainCommand } from './run-command.ts';
import type { ContainerContext, HttpRequest, ImageProgram, Protocol, RunningProgram } from './types.ts';

/** Go's log package prefix: 2026/01/01 00:00:00 */
function goLog(ctx: ContainerContext, msg: string, stream: 'stdout' | 'stderr' = 'stderr'): void {
  ctx.log(stream, `${nginxTime(ctx.clock.now())} ${msg}`);
}

function portOf(listen: string | undefined, fallback: number): number {
  if (!listen) return fallback;
  const n = Number(listen.slice(listen.lastIndexOf(':') + 1));
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** A Go program that died at start-up: logs and exits on the next tick, like a process that returns at once. */
function failAtStart(ctx: ContainerContext, lines: string[], code: number): RunningProgram {
  for (const l of lines) ctx.log('stderr', l);
  ctx.clock.setTimeout(() => ctx.exit(code), 0);
  return makeProgram(ctx, { sigtermExit: 2 });
}

export const httpEchoImage: ImageProgram = {
  start(ctx) {
    const argv = effectiveArgv(ctx, ['/http-echo'], []);
    const text = flagValue(argv, 'text') ?? ctx.env.ECHO_TEXT;
    if (text === undefined) return failAtStart(ctx, [`${nginxTime(ctx.clock.now())} [ERR] no text specified!`], 127);
    const listen = flagValue(argv, 'listen') ?? ':5678';
    const port = portOf(listen, 5678);
    const statusCode = Number(flagValue(argv, 'status-code') ?? 200);
    goLog(ctx, `[INFO] server is listening on ${listen}`);
    const handleHttp = (req: HttpRequest, conn: { clientIP: string; clientPort: number }) => {
      const { pathname } = splitPath(req.path);
      const health = pathname === '/health';
      const body = health ? '{"status":"ok"}\n' : `${text}\n`;
      const res = goResponse(ctx.clock.now(), health ? 200 : statusCode, body, health ? 'application/json' : 'text/plain; charset=utf-8',
        [['X-App-Name', 'http-echo'], ['X-App-Version', '1.0.0']]);
      goLog(ctx, `${header(req, 'host') ?? ''} ${conn.clientIP}:${conn.clientPort} "${req.method} ${req.path} ${req.httpVersion}" ${res.status} ${Buffer.byteLength(body)} "${header(req, 'user-agent') ?? ''}" 25.3µs`);
      return res;
    };
    return makeProgram(ctx, {
      listens: [{ port, protocol: 'TCP' }], handleHttp, sigtermExit: 0,
      onSigterm: () => goLog(ctx, '[INFO] server is shutting down'),
    });
  },
};

/** Go's time.Time String(): 2026-01-01 00:00:00.123456789 +0000 UTC m=+12.345678901 */
function goNow(ms: number, startedAt: number): string {
  const d = new Date(ms);
  const frac = String(d.getUTCMilliseconds()).padStart(3, '0') + '000000';
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)}.${frac} +0000 UTC m=+${((ms - startedAt) / 1000).toFixed(9)}`;
}

function netexec(ctx: ContainerContext, argv: string[]): RunningProgram {
  const httpPort = Number(flagValue(argv, 'http-port') ?? 8080);
  const udpPort = Number(flagValue(argv, 'udp-port') ?? 8081);
  const startedAt = ctx.clock.now();
  if (udpPort !== -1) goLog(ctx, `Started UDP server on port  ${udpPort}`);
  goLog(ctx, `Started HTTP server on port ${httpPort}`);
  let exiting = false;
  const handleHttp = (req: HttpRequest, conn: { clientIP: string; clientPort: number }) => {
    const now = ctx.clock.now();
    const { pathname, query } = splitPath(req.path);
    const ok = (body: string, status = 200) => goResponse(now, status, body);
    switch (pathname) {
      case '/clientip': goLog(ctx, 'GET /clientip'); return ok(`${conn.clientIP}:${conn.clientPort}`);
      case '/hostname': case '/hostName': goLog(ctx, `GET ${pathname}`); return ok(ctx.hostname);
      case '/healthz': goLog(ctx, 'GET /healthz'); return goResponse(now, 200, '', 'text/plain; charset=utf-8');
      case '/echo': {
        const msg = query.get('msg') ?? '';
        const code = query.get('code') ?? '';
        goLog(ctx, `GET /echo?msg=${msg}&code=${code}`);
        return ok(msg, code && Number.isInteger(Number(code)) ? Number(code) : 200);
      }
      case '/exit': case '/shutdown': {
        const code = Number(query.get('code') ?? 0) || 0;
        goLog(ctx, pathname === '/exit' ? `GET /exit?code=${query.get('code') ?? ''}&timeout=&wait=` : 'GET /shutdown');
        if (!exiting) { exiting = true; ctx.clock.setTimeout(() => ctx.exit(code), 0); }
        return ok('');
      }
      default:
        goLog(ctx, 'GET /');
        return ok(`NOW: ${goNow(now, startedAt)}`);
    }
  };
  const handleUdp = (data: Uint8Array, conn: { clientIP: string; clientPort: number }) => {
    const cmd = Buffer.from(data).toString('utf8').trim();
    let reply = '';
    if (cmd === 'hostname' || cmd === 'hostName') reply = ctx.hostname;
    else if (cmd.startsWith('echo ')) reply = cmd.slice(5);
    else if (cmd === 'clientip') reply = `${conn.clientIP}:${conn.clientPort}`;
    return new Uint8Array(Buffer.from(reply));
  };
  const listens: Array<{ port: number; protocol: Protocol }> = [{ port: httpPort, protocol: 'TCP' }];
  if (udpPort !== -1) listens.push({ port: udpPort, protocol: 'UDP' });
  return makeProgram(ctx, { listens, handleHttp, handleUdp, applets: busybox(), sigtermExit: 2 });
}

function serveHostname(ctx: ContainerContext, argv: string[]): RunningProgram {
  const port = Number(flagValue(argv, 'port') ?? 9376);
  goLog(ctx, `Serving on port ${port}.`);
  return makeProgram(ctx, {
    listens: [{ port, protocol: 'TCP' }],
    handleHttp: () => goResponse(ctx.clock.now(), 200, ctx.hostname),
    applets: busybox(),
    sigtermExit: 2,
  });
}

export const agnhostImage: ImageProgram = {
  start(ctx) {
    const argv = effectiveArgv(ctx, ['/agnhost'], ['pause']);
    // A command that is not agnhost itself (sh -c ..., sleep ...) runs with the image's busybox.
    if (!argv[0]?.endsWith('agnhost')) return runMainCommand(ctx, argv, busybox());
    const sub = argv[1];
    const rest = argv.slice(2);
    if (sub === 'netexec') return netexec(ctx, rest);
    if (sub === 'serve-hostname') return serveHostname(ctx, rest);
    if (sub === 'pause' || sub === undefined) {
      ctx.log('stdout', 'Paused');
      return makeProgram(ctx, { applets: busybox(), sigtermExit: 0, onSigterm: () => ctx.log('stdout', 'Shutting down, got signal') });
    }
    return failAtStart(ctx, [`Error: unknown command "${sub}" for "app"`, "Run 'app --help' for usage."], 1);
  },
};

export const echoServerImage: ImageProgram = {
  start(ctx) {
    const port = Number(ctx.env.PORT ?? 8080);
    ctx.log('stdout', `Echo server listening on port ${port}.`);
    const handleHttp = (req: HttpRequest) => {
      const lines = [`Request served by ${ctx.hostname}`, '', `${req.method} ${req.path} ${req.httpVersion}`, ''];
      const headers = [...req.headers].sort(([a], [b]) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
      for (const [k, v] of headers) lines.push(`${k}: ${v}`);
      const body = lines.join('\n') + '\n' + (req.body ? `\n${req.body}` : '');
      return goResponse(ctx.clock.now(), 200, body);
    };
    // Built FROM scratch: there is nothing to exec.
    return makeProgram(ctx, { listens: [{ port, protocol: 'TCP' }], handleHttp, sigtermExit: 2 });
  },
};

export function helloAppImage(version: string): ImageProgram {
  return { start(ctx) {
    const port = Number(ctx.env.PORT ?? 8080);
    goLog(ctx, `Server listening on port ${port}`);
    const handleHttp = (req: HttpRequest) => {
      goLog(ctx, `Serving request: ${splitPath(req.path).pathname}`);
      return goResponse(ctx.clock.now(), 200, `Hello, world!\nVersion: ${version}\nHostname: ${ctx.hostname}\n`);
    };
    return makeProgram(ctx, { listens: [{ port, protocol: 'TCP' }], handleHttp, sigtermExit: 2 });
  } };
}
