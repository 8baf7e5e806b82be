/** Shared pieces of the simulated images: the RunningProgram skeleton, HTTP helpers, log time formats. */
import { busyboxApplets } from './container-sh/coreutils.ts';
import { type CommandFn, Shell, toCommandIO } from './container-sh/shell.ts';
import type { Connection, ContainerContext, ExecIO, HttpRequest, HttpResponse, Protocol, RunningProgram, Signal } from './types.ts';

export interface ProgramSpec {
  listens?: Array<{ port: number; protocol: Protocol }>;
  handleHttp?: (req: HttpRequest, conn: Connection) => HttpResponse | Promise<HttpResponse>;
  handleTcp?: RunningProgram['handleTcp'];
  handleUdp?: RunningProgram['handleUdp'];
  /** Executables present in the image; undefined = none (scratch/distroless images). */
  applets?: Record<string, CommandFn>;
  /** What SIGTERM does: exit with this code, or null when PID 1 ignores it (sh, sleep). */
  sigtermExit?: number | null;
  /** Lines printed when the program handles SIGTERM, before it exits. */
  onSigterm?: () => void;
  /** Called once when the container dies (any reason), to drop timers. */
  onKill?: () => void;
}

const MS_IN_DELAY = 0;

/** Builds a RunningProgram from a spec; exec runs in a fresh Shell over the container's files and env. */
export function makeProgram(ctx: ContainerContext, spec: ProgramSpec): RunningProgram {
  const execShells = new Set<Shell>();
  const applets = spec.applets ? new Map(Object.entries(spec.applets)) : new Map<string, CommandFn>();
  let dead = false;
  return {
    listens: () => (dead ? [] : (spec.listens ?? [])),
    handleHttp: spec.handleHttp,
    handleTcp: spec.handleTcp,
    handleUdp: spec.handleUdp,
    async exec(argv: string[], io: ExecIO): Promise<number> {
      const sh = new Shell(ctx, applets);
      execShells.add(sh);
      try {
        return await sh.runArgv(argv, toCommandIO(io));
      } finally {
        execShells.delete(sh);
      }
    },
    stop(signal: Signal): void {
      if (dead) return;
      if (signal === 'SIGKILL' || spec.sigtermExit !== null) {
        if (signal === 'SIGTERM') spec.onSigterm?.();
        dead = true;
        for (const s of execShells) s.kill();
        spec.onKill?.();
        if (signal === 'SIGTERM') ctx.clock.setTimeout(() => ctx.exit(spec.sigtermExit ?? 0), MS_IN_DELAY);
      }
    },
  };
}

export function busybox(extra: Record<string, CommandFn> = {}): Record<string, CommandFn> {
  return { ...busyboxApplets, ...extra };
}

/** RFC 7231 date: Thu, 01 Jan 2026 00:00:00 GMT */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** Common log time: 01/Jan/2026:00:00:00 +0000 */
export function clfTime(ms: number): string {
  const d = new Date(ms);
  const mon = d.toUTCString().slice(8, 11);
  return `${String(d.getUTCDate()).padStart(2, '0')}/${mon}/${d.getUTCFullYear()}:${d.toISOString().slice(11, 19)} +0000`;
}

/** nginx error-log time: 2026/01/01 00:00:00 */
export function nginxTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace(/-/g, '/').replace('T', ' ');
}

export function header(req: HttpRequest, name: string): string | undefined {
  const n = name.toLowerCase();
  return req.headers.find(([k]) => k.toLowerCase() === n)?.[1];
}

export function splitPath(path: string): { pathname: string; query: URLSearchParams } {
  const q = path.indexOf('?');
  return q < 0 ? { pathname: path, query: new URLSearchParams() } : { pathname: path.slice(0, q), query: new URLSearchParams(path.slice(q + 1)) };
}

export const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified',
  400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function response(status: number, headers: Array<[string, string]>, body: string, reason = REASONS[status] ?? ''): HttpResponse {
  return { status, reason, headers, body };
}

export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** A Go net/http reply: Content-Type, Date, Content-Length in Go's order. */
export function goResponse(now: number, status: number, body: string, contentType = 'text/plain; charset=utf-8', extra: Array<[string, string]> = []): HttpResponse {
  return response(status, [...extra, ['Content-Type', contentType], ['Date', httpDate(now)], ['Content-Length', String(byteLength(body))]], body);
}

/** Entrypoint and arguments the container actually runs: command replaces the image ENTRYPOINT, args its CMD. */
export function effectiveArgv(ctx: ContainerContext, entrypoint: string[], cmd: string[]): string[] {
  if (ctx.command?.length) return [...ctx.command, ...(ctx.args ?? [])];
  return [...entrypoint, ...(ctx.args?.length ? ctx.args : cmd)];
}

/** Go flag package style lookup: -name=value, --name=value, -name value. */
export function flagValue(argv: string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    for (const p of [`-${name}`, `--${name}`]) {
      if (a === p) return argv[i + 1];
      if (a.startsWith(`${p}=`)) return a.slice(p.length + 1);
    }
  }
  return undefined;
}
