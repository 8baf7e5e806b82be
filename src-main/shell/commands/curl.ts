/**
 * curl 8.5.0 (the nodes' Ubuntu 24.04) over the virtual network, http only: the flags a lab uses, curl's own error
 * texts and exit codes (lib/connect.c, lib/multi.c, lib/strerror.c), `-v` traces and `-w` variables. Timeouts are sat
 * out on the cluster clock and Ctrl-C cuts them short.
 */
import type { HttpResponse } from '../../node/images/types.ts';
import type { CommandContext } from '../../userland/command.ts';
import type { ClusterCommandDeps } from './deps.ts';
import { connectFrom, lookupHost, RESOLVER_GIVE_UP_MS, wait } from './net-client.ts';

export const CURL_VERSION = '8.5.0';
/** Linux gives up on an unanswered SYN after 6 retries (tcp_syn_retries): about 130 s. */
export const KERNEL_CONNECT_TIMEOUT_MS = 130_000;
/** Three unanswered ARP probes a second apart, then EHOSTUNREACH. */
export const ARP_GIVE_UP_MS = 3_070;

export interface CurlOptions {
  url?: string;
  silent: boolean;
  showError: boolean;
  fail: boolean;
  verbose: boolean;
  head: boolean;
  include: boolean;
  output?: string;
  headers: string[];
  method?: string;
  data?: string;
  maxTimeMs?: number;
  connectTimeoutMs?: number;
  location: boolean;
  writeOut?: string;
}

export type CurlParse = { ok: true; options: CurlOptions } | { ok: false; message: string; code: number };

const TRY = "curl: try 'curl --help' or 'curl --manual' for more information";
const SHORT_WITH_ARG = new Set(['o', 'H', 'X', 'd', 'm', 'w']);
const LONG: Record<string, string> = {
  '--silent': 's', '--show-error': 'S', '--fail': 'f', '--verbose': 'v', '--head': 'I', '--include': 'i', '--output': 'o',
  '--header': 'H', '--request': 'X', '--data': 'd', '--data-raw': 'd', '--max-time': 'm', '--location': 'L', '--write-out': 'w',
  '--connect-timeout': 'connect-timeout',
};

function seconds(v: string, flag: string): number | string {
  const n = Number(v);
  if (v === '' || !Number.isFinite(n) || n < 0) return `curl: option ${flag}: expected a proper numerical parameter\n${TRY}`;
  return Math.round(n * 1000);
}

export function parseCurlArgs(args: string[]): CurlParse {
  const o: CurlOptions = { silent: false, showError: false, fail: false, verbose: false, head: false, include: false, headers: [], location: false };
  const apply = (flag: string, value: string | undefined, shown: string): string | undefined => {
    switch (flag) {
      case 's': o.silent = true; break;
      case 'S': o.showError = true; break;
      case 'f': o.fail = true; break;
      case 'v': o.verbose = true; break;
      case 'I': o.head = true; break;
      case 'i': o.include = true; break;
      case 'L': o.location = true; break;
      case 'o': o.output = value; break;
      case 'H': o.headers.push(value!); break;
      case 'X': o.method = value; break;
      case 'd': o.data = o.data === undefined ? value : `${o.data}&${value}`; break;
      case 'w': o.writeOut = value; break;
      case 'm': case 'connect-timeout': {
        const ms = seconds(value!, shown);
        if (typeof ms === 'string') return ms;
        if (flag === 'm') o.maxTimeMs = ms;
        else o.connectTimeoutMs = ms;
        break;
      }
      default: return `curl: option ${shown}: is unknown\n${TRY}`;
    }
    return undefined;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    let err: string | undefined;
    if (a.startsWith('--')) {
      const flag = LONG[a];
      if (!flag) return { ok: false, message: `curl: option ${a}: is unknown\n${TRY}`, code: 2 };
      const takes = SHORT_WITH_ARG.has(flag) || flag === 'connect-timeout';
      if (takes && i + 1 >= args.length) return { ok: false, message: `curl: option ${a}: requires parameter\n${TRY}`, code: 2 };
      err = apply(flag, takes ? args[++i] : undefined, a);
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (SHORT_WITH_ARG.has(c)) {
          const value = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (value === undefined) return { ok: false, message: `curl: option -${c}: requires parameter\n${TRY}`, code: 2 };
          err = apply(c, value, `-${c}`);
          break;
        }
        err = apply(c, undefined, `-${c}`);
        if (err) break;
      }
    } else o.url = a;
    if (err) return { ok: false, message: err, code: 2 };
  }
  if (!o.url) return { ok: false, message: `curl: no URL specified!\n${TRY}`, code: 2 };
  return { ok: true, options: o };
}

/** `-w`: curl's variables and backslash escapes. */
export function formatWriteOut(format: string, vars: Record<string, string | number>): string {
  return format
    .replace(/%\{([a-z_]+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m))
    .replace(/\\([nrt\\])/g, (_m, c: string) => ({ n: '\n', r: '\r', t: '\t', '\\': '\\' })[c]!);
}

/** The progress meter curl prints to stderr when the body does not go to a terminal and -s is not given. */
export function progressMeter(bytes: number): string {
  const size = (n: number) => (n < 100_000 ? String(n) : `${Math.round(n / 1024)}k`);
  const b = size(bytes).padStart(5);
  return '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n' +
    '                                 Dload  Upload   Total   Spent    Left  Speed\n' +
    `\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\r100 ${b}  100 ${b}    0     0   ${b}      0 --:--:-- --:--:-- --:--:-- ${b}\n`;
}

export function splitUrl(raw: string): { scheme: string; host: string; port: number; path: string; hostHeader: string } | undefined {
  const withScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(raw) ? raw : `http://${raw}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return undefined;
  }
  const scheme = u.protocol.slice(0, -1);
  const port = Number(u.port || (scheme === 'https' ? 443 : 80));
  return { scheme, host: u.hostname, port, path: `${u.pathname || '/'}${u.search}`, hostHeader: u.port ? `${u.hostname}:${u.port}` : u.hostname };
}

export async function curl(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const parsed = parseCurlArgs(ctx.argv.slice(1));
  if (!parsed.ok) {
    await ctx.stderr.write(parsed.message + '\n');
    return parsed.code;
  }
  const o = parsed.options;
  const errOut = async (code: number, message: string): Promise<number> => {
    // failf() also prints its message as an info line under -v.
    if (o.verbose) await ctx.stderr.write(`* ${message}\n* Closing connection\n`);
    if (!o.silent || o.showError) await ctx.stderr.write(`curl: (${code}) ${message}\n`);
    if (o.writeOut) await ctx.stdout.write(formatWriteOut(o.writeOut, { http_code: '000', response_code: 0, remote_ip: '', remote_port: '', size_download: 0, time_total: '0.000000', url_effective: o.url!, num_redirects: 0, content_type: '' }));
    return code;
  };
  const started = ctx.now();
  let url = o.url!;
  let redirects = 0;
  for (;;) {
    const target = splitUrl(url);
    if (!target) return errOut(3, 'URL using bad/illegal format or missing URL');
    if (target.scheme !== 'http' && target.scheme !== 'https') return errOut(1, `Protocol "${target.scheme}" not supported or disabled in libcurl`);
    const budget = [o.maxTimeMs, o.connectTimeoutMs].filter((x): x is number => x !== undefined);
    const found = await lookupHost(deps.cluster, deps.place, target.host);
    if (!found.ok) {
      if (found.error === 'timeout') {
        const limit = Math.min(RESOLVER_GIVE_UP_MS, ...budget);
        if (!(await wait(ctx, Math.max(0, limit - (ctx.now() - started))))) return 130;
        if (limit < RESOLVER_GIVE_UP_MS) return errOut(28, `Resolving timed out after ${ctx.now() - started + 1} milliseconds`);
      }
      return errOut(6, `Could not resolve host: ${target.host}`);
    }
    const ip = found.ip;
    if (o.verbose) await ctx.stderr.write(`*   Trying ${ip}:${target.port}...\n`);
    const method = o.method ?? (o.head ? 'HEAD' : o.data !== undefined ? 'POST' : 'GET');
    const headers: Array<[string, string]> = [['Host', target.hostHeader], ['User-Agent', `curl/${CURL_VERSION}`], ['Accept', '*/*']];
    for (const h of o.headers) {
      const colon = h.indexOf(':');
      if (colon < 0) continue;
      const name = h.slice(0, colon).trim();
      const value = h.slice(colon + 1).trim();
      const at = headers.findIndex(([k]) => k.toLowerCase() === name.toLowerCase());
      if (at >= 0) headers.splice(at, 1);
      if (value !== '') headers.push([name, value]);
    }
    if (o.data !== undefined) headers.push(['Content-Length', String(Buffer.byteLength(o.data))], ['Content-Type', 'application/x-www-form-urlencoded']);
    const result = await connectFrom(deps.cluster, deps.place, {
      dst: { ip, port: target.port }, proto: 'tcp',
      payload: { kind: 'http', request: { method, path: target.path, httpVersion: 'HTTP/1.1', headers, body: o.data ?? '' } },
    });
    if (!result.ok) {
      if (result.error === 'refused' || result.error === 'unreachable') {
        const errno = result.error === 'refused' ? 'Connection refused' : 'Network is unreachable';
        if (o.verbose) await ctx.stderr.write(`* connect to ${ip} port ${target.port} failed: ${errno}\n`);
        return errOut(7, `Failed to connect to ${target.host} port ${target.port} after 0 ms: Couldn't connect to server`);
      }
      if (result.error === 'reset') return errOut(56, 'Recv failure: Connection reset by peer');
      // No ARP answer: EHOSTUNREACH after three probes a second apart; an unanswered SYN: the kernel's ETIMEDOUT.
      const osLimit = result.error === 'no-route' ? ARP_GIVE_UP_MS : KERNEL_CONNECT_TIMEOUT_MS;
      const limit = Math.min(osLimit, ...budget);
      if (!(await wait(ctx, Math.max(0, limit - (ctx.now() - started))))) return 130;
      const after = ctx.now() - started + 1;
      const failed = `Failed to connect to ${target.host} port ${target.port} after ${after} ms`;
      // An OS error fails the attempt with CURLE_COULDNT_CONNECT's text (exit 28 only for ETIMEDOUT); -m is checked at
      // the top of multi_runsingle, before the connect filter's own --connect-timeout check.
      if (limit === osLimit) return errOut(result.error === 'no-route' ? 7 : 28, `${failed}: Couldn't connect to server`);
      if (limit === o.maxTimeMs) return errOut(28, `Connection timed out after ${after} milliseconds`);
      return errOut(28, `${failed}: Timeout was reached`);
    }
    if (target.scheme === 'https') return errOut(35, 'OpenSSL/3.0.13: error:0A00010B:SSL routines::wrong version number');
    if (result.response.kind !== 'http') return errOut(52, 'Empty reply from server');
    const res: HttpResponse = result.response.response;
    if (o.verbose) {
      await ctx.stderr.write(`* Connected to ${target.host} (${ip}) port ${target.port}\n`);
      await ctx.stderr.write(headers.map(([k, v]) => `> ${k}: ${v}\n`).join('').replace(/^/, `> ${method} ${target.path} HTTP/1.1\n`) + '> \n');
      await ctx.stderr.write(`< HTTP/1.1 ${res.status} ${res.reason}\n` + res.headers.map(([k, v]) => `< ${k}: ${v}\n`).join('') + '< \n');
    }
    const location = res.headers.find(([k]) => k.toLowerCase() === 'location')?.[1];
    if (o.location && location && res.status >= 300 && res.status < 400 && redirects < 50) {
      if (o.verbose) await ctx.stderr.write(`* Connection #0 to host ${target.host} left intact\n* Issue another request to this URL: '${new URL(location, `http://${target.hostHeader}${target.path}`).href}'\n`);
      url = new URL(location, `http://${target.hostHeader}${target.path}`).href;
      redirects++;
      continue;
    }
    if (o.fail && res.status >= 400) return errOut(22, `The requested URL returned error: ${res.status}`);
    const head = `HTTP/1.1 ${res.status} ${res.reason}\r\n${res.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
    const body = (o.include || o.head ? head : '') + (o.head || method === 'HEAD' ? '' : res.body);
    const toFile = o.output !== undefined && o.output !== '-';
    if (!o.silent && !o.verbose && (toFile || !ctx.terminal.isTTY)) await ctx.stderr.write(progressMeter(Buffer.byteLength(body)));
    if (toFile) {
      if (o.output !== '/dev/null') ctx.fs.writeFile(ctx.fs.resolve(ctx.cwd, o.output!), body);
    } else await ctx.stdout.write(body);
    // tool_cb_dbg.c notes the body it does not show unless it went to the terminal itself.
    const bodyBytes = Buffer.byteLength(o.head || method === 'HEAD' ? '' : res.body);
    if (o.verbose && bodyBytes > 0 && (toFile || !ctx.terminal.isTTY)) await ctx.stderr.write(`{ [${bodyBytes} bytes data]\n`);
    if (o.verbose) await ctx.stderr.write(`* Connection #0 to host ${target.host} left intact\n`);
    if (o.writeOut) {
      const total = ((ctx.now() - started) / 1000).toFixed(6);
      await ctx.stdout.write(formatWriteOut(o.writeOut, {
        http_code: String(res.status).padStart(3, '0'), response_code: res.status, remote_ip: ip, remote_port: target.port,
        size_download: Buffer.byteLength(res.body), time_total: total, url_effective: url, num_redirects: redirects,
        content_type: res.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '',
      }));
    }
    return 0;
  }
}
