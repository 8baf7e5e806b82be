/** wget over the virtual network: GNU Wget 1.21.4 on nodes (Ubuntu 24.04), BusyBox wget in pods, with their messages and exit codes. */
import type { HttpResponse } from '../../node/images/types.ts';
import type { CommandContext } from '../../userland/command.ts';
import type { ClusterCommandDeps } from './deps.ts';
import { KERNEL_CONNECT_TIMEOUT_MS, splitUrl } from './curl.ts';
import { connectFrom, resolveWaiting, wait } from './net-client.ts';

export interface WgetOptions { url?: string; quiet: boolean; output?: string; timeoutMs?: number; tries: number; spider: boolean; headers: string[] }

/** `-t 0` and `inf` retry for ever. */
const triesOf = (v: string): number => (v === '0' || v === 'inf' ? Infinity : Number(v) || 20);

export function parseWgetArgs(args: string[]): WgetOptions | string {
  const o: WgetOptions = { quiet: false, tries: 20, spider: false, headers: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--spider') o.spider = true;
    else if (a === '--quiet') o.quiet = true;
    else if (a === '--header') o.headers.push(args[++i] ?? '');
    else if (a.startsWith('--timeout=') || a.startsWith('--tries=') || a.startsWith('--output-document=')) {
      const [k, v] = [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)];
      if (k === 'timeout') o.timeoutMs = Number(v) * 1000;
      else if (k === 'tries') o.tries = triesOf(v);
      else o.output = v;
    } else if (/^-[a-zA-Z]/.test(a)) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (c === 'q') o.quiet = true;
        else if ('OTt'.includes(c)) {
          const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (v === undefined) return `wget: option requires an argument -- '${c}'`;
          if (c === 'O') o.output = v;
          else if (c === 'T') o.timeoutMs = Number(v) * 1000;
          else o.tries = triesOf(v);
          break;
        } else if (c !== 'S') return `wget: invalid option -- '${c}'`;
      }
    } else o.url = a;
  }
  return o;
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function lengthLine(res: HttpResponse): string {
  const type = res.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1]?.split(';')[0];
  const n = Buffer.byteLength(res.body);
  return `Length: ${n}${type ? ` [${type}]` : ''}`;
}

export async function wget(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const busybox = deps.place.kind === 'pod';
  const parsed = parseWgetArgs(ctx.argv.slice(1));
  if (typeof parsed === 'string' || !parsed.url) {
    await ctx.stderr.write(typeof parsed === 'string' ? `${parsed}\nUsage: wget [OPTION]... [URL]...\n\nTry \`wget --help' for more options.\n` : busybox
      ? 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n'
      : "wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n");
    return busybox ? 1 : typeof parsed === 'string' ? 2 : 1;
  }
  const o = parsed;
  const t = splitUrl(o.url!);
  if (!t || t.scheme !== 'http') {
    await ctx.stderr.write(busybox ? `wget: not an http or ftp url: ${o.url}\n` : `${o.url}: Unsupported scheme.\n`);
    return 1;
  }
  const full = `http://${t.hostHeader}${t.path}`;
  const say = async (s: string) => { if (!o.quiet) await ctx.stderr.write(s); };
  if (!busybox) await say(`--${stamp(ctx.now())}--  ${full}\n`);
  const found = await resolveWaiting(ctx, deps.cluster, deps.place, t.host, o.timeoutMs);
  if (!found) return 130;
  if (!found.ok) {
    if (busybox) await ctx.stderr.write(`wget: bad address '${t.host}'\n`);
    else {
      await say(`Resolving ${t.host} (${t.host})... failed: ${found.error === 'timeout' ? 'Temporary failure in name resolution' : 'Name or service not known'}.\n`);
      await ctx.stderr.write(`wget: unable to resolve host address ‘${t.host}’\n`);
    }
    return busybox ? 1 : 4;
  }
  const ip = found.ip;
  const named = ip !== t.host;
  if (!busybox && named) await say(`Resolving ${t.host} (${t.host})... ${ip}\n`);
  const headers: Array<[string, string]> = busybox
    ? [['Host', t.hostHeader], ['User-Agent', 'Wget'], ['Connection', 'close']]
    : [['User-Agent', 'Wget/1.21.4'], ['Accept', '*/*'], ['Accept-Encoding', 'identity'], ['Host', t.hostHeader], ['Connection', 'Keep-Alive']];
  for (const h of o.headers) { const c = h.indexOf(':'); if (c > 0) headers.push([h.slice(0, c).trim(), h.slice(c + 1).trim()]); }
  for (let attempt = 1; ; attempt++) {
    if (busybox) await say(`Connecting to ${t.hostHeader} (${ip}:${t.port})\n`);
    else await say(`Connecting to ${named ? `${t.host} (${t.host})|${ip}|` : ip}:${t.port}... `);
    const r = await connectFrom(deps.cluster, deps.place, {
      dst: { ip, port: t.port }, proto: 'tcp',
      payload: { kind: 'http', request: { method: o.spider ? 'HEAD' : 'GET', path: t.path, httpVersion: 'HTTP/1.1', headers, body: '' } },
    });
    if (!r.ok || r.response.kind !== 'http') {
      const error = r.ok ? 'reset' : r.error;
      if (error === 'refused' || error === 'unreachable' || error === 'no-route') {
        const errno = error === 'refused' ? 'Connection refused' : error === 'unreachable' ? 'Network is unreachable' : 'No route to host';
        // No ARP answer takes three probes; a refusal or a missing route is immediate. None is retried by default.
        if (error === 'no-route' && !(await wait(ctx, 3_070))) return 130;
        if (busybox) { await ctx.stderr.write(`wget: can't connect to remote host (${ip}): ${errno}\n`); return 1; }
        await say(`failed: ${errno}.\n`);
        return 4;
      }
      if (error === 'timeout') {
        const limit = Math.min(o.timeoutMs ?? Infinity, KERNEL_CONNECT_TIMEOUT_MS);
        if (!(await wait(ctx, limit))) return 130;
        if (busybox) {
          // -T arms an alarm around connect; without it the kernel's ETIMEDOUT ends the attempt.
          await ctx.stderr.write(limit === o.timeoutMs ? 'wget: download timed out\n' : `wget: can't connect to remote host (${ip}): Connection timed out\n`);
          return 1;
        }
        await say('failed: Connection timed out.\n');
        if (attempt >= o.tries) {
          await say('Giving up.\n\n');
          return 4;
        }
        await say('Retrying.\n\n');
        // --waitretry=10: one second more before each new try, at most ten.
        if (!(await wait(ctx, Math.min(attempt, 10) * 1000))) return 130;
        await say(`--${stamp(ctx.now())}--  (try:${String(attempt + 1).padStart(2)})  ${full}\n`);
        continue;
      }
      if (busybox) await ctx.stderr.write('wget: error getting response: Connection reset by peer\n');
      else await say('connected.\nHTTP request sent, awaiting response... Read error (Connection reset by peer) in headers.\n');
      return busybox ? 1 : 4;
    }
    const res = r.response.response;
    if (busybox) {
      if (res.status >= 400) { await ctx.stderr.write(`wget: server returned error: HTTP/1.1 ${res.status} ${res.reason}\n`); return 1; }
      if (o.spider) { await say('remote file exists\n'); return 0; }
      const file = o.output ?? (t.path.split('?')[0]!.split('/').pop() || 'index.html');
      const toStdout = file === '-';
      await say(toStdout ? 'writing to stdout\n' : `saving to '${file}'\n`);
      if (toStdout) await ctx.stdout.write(res.body);
      else ctx.fs.writeFile(ctx.fs.resolve(ctx.cwd, file), res.body);
      await say(`${(toStdout ? '-' : file).padEnd(20)} 100% |${'*'.repeat(31)}|  ${String(Buffer.byteLength(res.body)).padStart(4)}  0:00:00 ETA\n`);
      await say(toStdout ? 'written to stdout\n' : `'${file}' saved\n`);
      return 0;
    }
    await say(`connected.\nHTTP request sent, awaiting response... ${res.status} ${res.reason}\n`);
    if (res.status >= 400) {
      await say(`${stamp(ctx.now())} ERROR ${res.status}: ${res.reason}.\n\n`);
      return 8;
    }
    await say(`${lengthLine(res)}\n`);
    if (o.spider) { await say('Remote file exists and could contain further links,\nbut recursion is disabled -- not retrieving.\n\n'); return 0; }
    const file = o.output ?? (t.path.split('?')[0]!.split('/').pop() || 'index.html');
    const n = Buffer.byteLength(res.body);
    await say(file === '-' ? 'Saving to: ‘STDOUT’\n\n' : `Saving to: ‘${file}’\n\n`);
    if (file === '-') await ctx.stdout.write(res.body);
    else ctx.fs.writeFile(ctx.fs.resolve(ctx.cwd, file), res.body);
    const label = (file === '-' ? '-' : file).slice(0, 19).padEnd(19);
    await say(`${label} 100%[===================>] ${String(n).padStart(7)}  --.-KB/s    in 0s      \n\n`);
    await say(`${stamp(ctx.now())} (${(n / 1024 / 0.0001 / 1024).toFixed(1)} MB/s) - ${file === '-' ? 'written to stdout' : `‘${file}’ saved`} [${n}/${n}]\n\n`);
    return 0;
  }
}
