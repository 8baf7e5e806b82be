/**
 * Programs of container images that a node has no copy of: busybox's `ps` (the container's own processes), `nc`
 * over the virtual network, glibc/musl `getent hosts` (getaddrinfo with the pod's resolv.conf) and `which`.
 */
import type { HttpRequest, HttpResponse } from '../../../node/images/types.ts';
import type { CommandContext } from '../../../userland/command.ts';
import type { ClusterCommandDeps } from '../deps.ts';
import { connectFrom, lookupHost, searchQuery, wait } from '../net-client.ts';
import { hostsEntries } from '../place.ts';
import { isIPv4 } from '../../../net/ipv4.ts';
import { mainCommand, userlandOf } from './image.ts';

/** The exec'd processes above PID 1 (`sh` for an interactive shell), for `ps`. */
export interface ProcessTable {
  execs: string[][];
}

/** busybox ps (CONFIG_DESKTOP: `-o pid,user,time,args`): PID 1 the container's command, then the exec'd ones. */
export async function ps(ctx: CommandContext, deps: ClusterCommandDeps, table: ProcessTable): Promise<number> {
  const rows: Array<[number, string]> = [[1, mainCommand(deps).join(' ')]];
  let pid = 7;
  for (const argv of table.execs) rows.push([pid, argv.join(' ')]), (pid += 6);
  rows.push([pid, ctx.argv.join(' ')]);
  const line = (p: number | string, cmd: string, header = false) =>
    header ? `PID   USER     TIME  COMMAND\n` : `${String(p).padStart(5)} ${'root'.padEnd(8)} ${'0:00'.padStart(5)} ${cmd}\n`;
  await ctx.stdout.write(line('', '', true) + rows.map(([p, c]) => line(p, c)).join(''));
  return 0;
}

const NC_USAGE = `BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

Usage: nc [OPTIONS] HOST PORT  - connect
nc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen

\t-e PROG\tRun PROG after connect (must be last)
\t-l\tListen mode, for inbound connects
\t-lk\tWith -e, provides persistent server
\t-p PORT\tLocal port
\t-s ADDR\tLocal address
\t-w SEC\tTimeout for connects and final net reads
\t-i SEC\tDelay interval for lines sent
\t-n\tDon't do DNS resolution
\t-u\tUDP mode
\t-b\tAllow broadcasts
\t-v\tVerbose
\t-o FILE\tHex dump traffic
\t-z\tZero-I/O mode (scanning)
`;

function parseRequest(text: string): HttpRequest | undefined {
  const m = /^([A-Z]+) (\S+) HTTP\/(1\.[01])\r?\n([\s\S]*?)\r?\n\r?\n([\s\S]*)$/.exec(text);
  if (!m) return undefined;
  const headers = m[4]!.split(/\r?\n/).filter(Boolean).map((l): [string, string] => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]);
  return { method: m[1]!, path: m[2]!, httpVersion: m[3]!, headers, body: m[5]! };
}

const responseText = (r: HttpResponse) => `HTTP/1.1 ${r.status} ${r.reason}\r\n${r.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${r.body}`;

/** busybox nc (NC_110_COMPAT): `-z` probes a port, otherwise stdin is sent and the reply printed. */
export async function nc(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const words: string[] = [];
  let zero = false;
  let verbose = false;
  let timeoutMs: number | undefined;
  const args = ctx.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (/^-[zvnu]+$/.test(a)) { zero ||= a.includes('z'); verbose ||= a.includes('v'); continue; }
    if (a === '-w') { timeoutMs = Number(args[++i]) * 1000; continue; }
    if (a === '-l' || a.startsWith('-')) return (await ctx.stderr.write(a === '-l' ? 'nc: listening is not available in kubelab pods\n' : NC_USAGE), 1);
    words.push(a);
  }
  const [host, portText] = words;
  const port = Number(portText);
  if (!host || !portText) return (await ctx.stderr.write(NC_USAGE), 1);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return (await ctx.stderr.write(`nc: bad port '${portText}'\n`), 1);
  const found = await lookupHost(deps.cluster, deps.place, host);
  if (!found.ok) return (await ctx.stderr.write(`nc: bad address '${host}'\n`), 1);
  const where = `${host} (${found.ip}:${port})`;
  const stdin = zero ? '' : await ctx.stdin.readAll();
  const request = stdin ? parseRequest(stdin) : undefined;
  const connecting = connectFrom(deps.cluster, deps.place, { dst: { ip: found.ip, port }, proto: 'tcp', payload: request ? { kind: 'http', request } : { kind: 'connect' } });
  const r = timeoutMs === undefined ? await connecting : await Promise.race([connecting, wait(ctx, timeoutMs).then(() => undefined)]);
  if (ctx.signal.aborted) return 130;
  if (!r || (!r.ok && r.error === 'timeout')) return (await ctx.stderr.write(`nc: ${where}: Connection timed out\n`), 1);
  if (!r.ok) return (await ctx.stderr.write(`nc: ${where}: ${r.error === 'refused' ? 'Connection refused' : 'No route to host'}\n`), 1);
  if (verbose) await ctx.stderr.write(`${where} open\n`);
  if (r.response.kind === 'http') await ctx.stdout.write(responseText(r.response.response));
  return 0;
}

/** getent hosts/ahosts NAME: getaddrinfo's answer and canonical name, as glibc and musl print it. */
export async function getent(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const [db, ...keys] = ctx.argv.slice(1);
  if (!db) return (await ctx.stderr.write("getent: wrong number of arguments\nTry 'getent --help' or 'getent --usage' for more information.\n"), 1);
  if (!['hosts', 'ahosts', 'ahostsv4'].includes(db)) return (await ctx.stderr.write(`Unknown database: ${db}\nTry 'getent --help' or 'getent --usage' for more information.\n`), 1);
  let status = 0;
  for (const key of keys) {
    const hit = await resolveCanonical(deps, key);
    if (!hit) { status = 2; continue; }
    const [ip, name] = hit;
    if (db === 'hosts') await ctx.stdout.write(`${ip.padEnd(15)} ${name}\n`);
    else await ctx.stdout.write(`${ip.padEnd(15)} STREAM ${name}\n${ip.padEnd(15)} DGRAM  \n${ip.padEnd(15)} RAW    \n`);
  }
  return status;
}

async function resolveCanonical(deps: ClusterCommandDeps, key: string): Promise<[string, string] | undefined> {
  if (isIPv4(key)) return [key, key];
  for (const [ip, names] of hostsEntries(deps.cluster, deps.place)) if (isIPv4(ip) && names.includes(key.toLowerCase())) return [ip, names[0]!];
  const r = await searchQuery(deps.cluster, deps.place, key, 'A');
  if (r === 'timeout') return undefined;
  const a = r.response.answer.find((x) => x.data.type === 'A');
  if (!a || a.data.type !== 'A') return undefined;
  return [a.data.address, a.name.replace(/\.$/, '')];
}

/** which: busybox's applets live in /bin; Debian's programs in /usr/bin. */
export async function which(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const userland = userlandOf(deps);
  const dir = userland?.bin ?? '/usr/bin';
  let status = 0;
  for (const name of ctx.argv.slice(1).filter((a) => !a.startsWith('-'))) {
    if (userland?.executables.includes(name)) await ctx.stdout.write(`${dir}/${name}\n`);
    else status = 1;
  }
  return status;
}
