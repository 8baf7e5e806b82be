/**
 * nslookup, dig and host. Queries travel as UDP connections to the place's name server (10.96.0.10 from pods, so
 * through kube-proxy to a CoreDNS pod); with CoreDNS down they time out like the real tools do. Nodes ask
 * systemd-resolved, which does not know cluster.local, unless a server is given (`nslookup svc 10.96.0.10`).
 */
import type { CommandResult } from '../../contract/command-result.ts';
import { formatDig, formatHost, formatNslookup, toolQuery } from '../../net/dns/format.ts';
import type { QType } from '../../net/dns/types.ts';
import type { CommandContext } from '../../userland/command.ts';
import type { ClusterCommandDeps } from './deps.ts';
import { dnsQuery, searchQuery, wait } from './net-client.ts';
import { resolvConfOf } from './place.ts';
import { isBusyboxTool } from './pod/image.ts';

/** bind9's tools try 3 times with a 5 s timeout; busybox nslookup waits 5 s twice. */
const BIND_GIVE_UP_MS = 15_000;
const BUSYBOX_GIVE_UP_MS = 10_000;
/** bind9-dnsutils on the nodes' Ubuntu 24.04. */
const DIG_VERSION = '9.18.30-0ubuntu0.24.04.2-Ubuntu';
const QTYPES = new Set(['A', 'AAAA', 'SRV', 'PTR', 'CNAME', 'ANY', 'SOA', 'NS']);

/** Sits out what is left of a tool's give-up time since `started` (the queries themselves took some). */
const waitUntil = (ctx: CommandContext, started: number, giveUpMs: number) => wait(ctx, giveUpMs - (ctx.now() - started));

async function emit(ctx: CommandContext, out: CommandResult): Promise<number> {
  if (out.stdout) await ctx.stdout.write(out.stdout);
  if (out.stderr) await ctx.stderr.write(out.stderr);
  return out.code;
}

export async function nslookup(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const style = isBusyboxTool(deps, 'nslookup') ? 'busybox' : 'bind';
  const args = ctx.argv.slice(1);
  let type: QType | undefined;
  const words: string[] = [];
  for (const a of args) {
    const m = /^-(?:type|query|q)=(\w+)$/i.exec(a);
    if (m) type = m[1]!.toUpperCase() as QType;
    else if (!a.startsWith('-')) words.push(a);
  }
  if (!words.length) {
    if (style === 'busybox') return emit(ctx, { stdout: '', stderr: 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n', code: 1 });
    return emit(ctx, { stdout: '', stderr: 'nslookup: interactive mode is not available in kubelab; give a name\n', code: 1 });
  }
  const server = words[1] ?? resolvConfOf(deps.cluster, deps.place).nameservers[0]!;
  const q = toolQuery(words[0]!, type);
  const started = ctx.now();
  const result = await searchQuery(deps.cluster, deps.place, q.name, q.type, server);
  if (result === 'timeout') {
    if (!(await waitUntil(ctx, started, style === 'bind' ? BIND_GIVE_UP_MS : BUSYBOX_GIVE_UP_MS))) return 130;
    return emit(ctx, { stdout: ';; connection timed out; no servers could be reached\n\n', stderr: '', code: 1 });
  }
  return emit(ctx, formatNslookup(style, server, result));
}

export async function host(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const args = ctx.argv.slice(1);
  let type: QType | undefined;
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-t') type = (args[++i] ?? 'A').toUpperCase() as QType;
    else if (!args[i]!.startsWith('-')) words.push(args[i]!);
  }
  if (!words.length) return emit(ctx, { stdout: '', stderr: 'Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n            [-R number] [-m flag] [-p port] hostname [server]\n', code: 1 });
  const q = toolQuery(words[0]!, type);
  const started = ctx.now();
  const result = await searchQuery(deps.cluster, deps.place, q.name, q.type, words[1]);
  if (result === 'timeout') {
    if (!(await waitUntil(ctx, started, BIND_GIVE_UP_MS))) return 130;
    return emit(ctx, { stdout: ';; connection timed out; no servers could be reached\n', stderr: '', code: 1 });
  }
  return emit(ctx, formatHost(result, words[1]));
}

export async function dig(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const args = ctx.argv.slice(1);
  let server: string | undefined;
  let name: string | undefined;
  let type: QType = 'A';
  let short = false;
  let search = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('@')) server = a.slice(1);
    else if (a === '+short') short = true;
    else if (a === '+search') search = true;
    else if (a === '-t') type = (args[++i] ?? 'A').toUpperCase() as QType;
    else if (a === '-x') { const q = toolQuery(args[++i] ?? ''); name = q.name; type = 'PTR'; }
    else if (a.startsWith('+') || a.startsWith('-')) continue;
    else if (name !== undefined && QTYPES.has(a.toUpperCase())) type = a.toUpperCase() as QType;
    else name = a;
  }
  const ns = server ?? resolvConfOf(deps.cluster, deps.place).nameservers[0]!;
  const qname = name ?? '.';
  const started = ctx.now();
  let response;
  if (search) {
    const r = await searchQuery(deps.cluster, deps.place, qname, type, ns);
    response = r === 'timeout' ? undefined : r.response;
  } else {
    const r = await dnsQuery(deps.cluster, deps.place, ns, qname.endsWith('.') ? qname : `${qname}.`, type);
    response = r.ok ? r.response : undefined;
  }
  if (!response) {
    if (!(await waitUntil(ctx, started, BIND_GIVE_UP_MS))) return 130;
    const banner = short ? '' : `\n; <<>> DiG ${DIG_VERSION} <<>> ${args.join(' ')}\n;; global options: +cmd\n`;
    return emit(ctx, { stdout: `${banner};; communications error to ${ns}#53: timed out\n;; communications error to ${ns}#53: timed out\n;; communications error to ${ns}#53: timed out\n${short ? '' : '\n'};; no servers could be reached\n${short ? '' : '\n'}`, stderr: '', code: 9 });
  }
  return emit(ctx, formatDig(response, { version: DIG_VERSION, server: ns, args: args.join(' '), when: new Date(ctx.now()), short, queryTimeMs: ctx.now() - started }));
}
