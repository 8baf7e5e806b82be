/**
 * traceroute 2.1.5 (Dmitry Butskoy's "modern traceroute for Linux", Ubuntu's package) from the laptop: UDP probes
 * to ports 33434+, 16 in flight, 5 s per unanswered probe, hop names by reverse lookup unless -n. The path is the
 * laptop's routing table (laptop/network.ts): the host-only link reaches the nodes directly (one hop; an address no
 * one answers ARP for is `!H` from the laptop itself after the ARP probes), everything else leaves through the
 * workshop's access point and is lost beyond it.
 */
import type { CommandContext } from '../../userland/command.ts';
import { isIPv4 } from '../../net/ipv4.ts';
import type { ClusterCommandDeps } from './deps.ts';
import { HOST_ONLY, isLaptopAddress, onHostOnlyLink, synthesizedName, WIFI } from './laptop/network.ts';
import { connectFrom, RESOLVER_GIVE_UP_MS, resolveWaiting, wait } from './net-client.ts';

const VERSION = 'Modern traceroute for Linux, version 2.1.5\nCopyright (c) 2016  Dmitry Butskoy,   License: GPL v2 or any later\n';
const USAGE = `Usage:
  traceroute [ -46dFITnreAUDV ] [ -f first_ttl ] [ -g gate,... ] [ -i device ] [ -m max_ttl ] [ -N squeries ] [ -p port ] [ -t tos ] [ -l flow_label ] [ -w MAX,HERE,NEAR ] [ -q nqueries ] [ -s src_addr ] [ -z sendwait ] [ --fwmark=num ] host [ packetlen ]
Options:
  -4                          Use IPv4
  -6                          Use IPv6
  -d  --debug                 Enable socket level debugging
  -F  --dont-fragment         Do not fragment packets
  -f first_ttl  --first=first_ttl
                              Start from the first_ttl hop (instead from 1)
  -I  --icmp                  Use ICMP ECHO for tracerouting
  -T  --tcp                   Use TCP SYN for tracerouting (default port is 80)
  -m max_ttl  --max-hops=max_ttl
                              Set the max number of hops (max TTL to be
                              reached). Default is 30
  -n                          Do not resolve IP addresses to their domain names
  -q nqueries  --queries=nqueries
                              Set the number of probes per each hop. Default is
                              3
  -w MAX,HERE,NEAR  --wait=MAX,HERE,NEAR
                              Wait for a probe no more than HERE (default 3)
                              times longer than a response from the same hop,
                              or no more than NEAR (default 10) times than some
                              next hop, or MAX (default 5.0) seconds (float
                              point values allowed too)
  -V  --version               Print version info and exit
  --help                      Read this help and exit

Arguments:
+     host          The host to traceroute to
      packetlen     The full packet length (default is the length of an IP
                    header plus 40). Can be ignored or increased to a minimal
                    allowed value
`;
const FLAGS = '46dFIrnUDeAV';
const WITH_VALUE = 'fgimNptlwqsz';
const LONG_WITH_VALUE: Record<string, string> = { '--first': 'f', '--max-hops': 'm', '--queries': 'q', '--wait': 'w', '--port': 'p', '--sim-queries': 'N' };
const LONG_FLAGS: Record<string, string> = { '--icmp': 'I', '--tcp': 'T', '--debug': 'd', '--dont-fragment': 'F', '--version': 'V' };
const SIM_PROBES = 16;

interface Options { host: string; position: number; argc: number; numeric: boolean; icmp: boolean; first: number; max: number; queries: number; waitMs: number }
type Parsed = Options | { out?: string; err?: string; status: number };

function uint(v: string): number | undefined {
  return /^\d+$/.test(v) ? Number(v) : undefined;
}

export function parseTracerouteArgs(args: string[]): Parsed {
  const o = { numeric: false, icmp: false, first: 1, max: 30, queries: 3, waitMs: 5000 };
  const operands: Array<{ value: string; argc: number }> = [];
  const bad = (a: string, argc: number) => ({ err: `Bad option \`${a}' (argc ${argc})\n`, status: 2 });
  const set = (c: string, v: string, a: string, argc: number): Parsed | undefined => {
    const n = uint(v);
    if (c === 'w') {
      const secs = Number(v.split(',')[0]);
      if (!Number.isFinite(secs) || v === '') return bad(a, argc);
      o.waitMs = secs * 1000;
    } else if ('fmqNpt'.includes(c)) {
      if (n === undefined) return bad(a, argc);
      if (c === 'f') o.first = n;
      if (c === 'm') o.max = n;
      if (c === 'q') o.queries = n;
    }
    return undefined;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const argc = i + 1;
    if (a === '--help') return { out: USAGE, status: 0 };
    if (a.startsWith('--') && a.length > 2) {
      const [name, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      if (LONG_FLAGS[name] && inline === undefined) {
        const c = LONG_FLAGS[name];
        if (c === 'V') return { out: VERSION, status: 0 };
        if (c === 'T') return { err: 'You do not have enough privileges to use this traceroute method.\nsocket: Operation not permitted\n', status: 1 };
        if (c === 'I') o.icmp = true;
        continue;
      }
      const c = LONG_WITH_VALUE[name];
      const v = inline ?? args[++i];
      if (!c || v === undefined) return bad(a, argc);
      const e = set(c, v, a, argc);
      if (e) return e;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (c === 'T') return { err: 'You do not have enough privileges to use this traceroute method.\nsocket: Operation not permitted\n', status: 1 };
        if (c === 'V') return { out: VERSION, status: 0 };
        if (WITH_VALUE.includes(c)) {
          const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (v === undefined) return bad(a, argc);
          const e = set(c, v, a, argc);
          if (e) return e;
          break;
        }
        if (!FLAGS.includes(c)) return bad(j === 1 ? a : `-${c}`, argc);
        if (c === 'n') o.numeric = true;
        if (c === 'I') o.icmp = true;
      }
      continue;
    }
    operands.push({ value: a, argc });
  }
  if (!operands.length) return { err: USAGE, status: 2 };
  if (operands.length > 2) return { err: `Extra arg \`${operands[2]!.value}' (position 3, argc ${operands[2]!.argc})\n`, status: 2 };
  if (operands[1] && uint(operands[1].value) === undefined) {
    return { err: `Cannot handle "packetlen" cmdline arg \`${operands[1].value}' on position 2 (argc ${operands[1].argc})\n`, status: 2 };
  }
  if (!o.first || o.first > o.max) return { err: 'first hop out of range\n', status: 2 };
  if (o.max > 255) return { err: 'max hops cannot be more than 255\n', status: 2 };
  if (!o.queries || o.queries > 10) return { err: 'no more than 10 probes per hop\n', status: 2 };
  if (o.waitMs < 0) return { err: `bad wait specifications \`${o.waitMs / 1000},3,10' used\n`, status: 2 };
  return { ...o, host: operands[0]!.value, position: 1, argc: operands[0]!.argc };
}

/** One hop as traceroute prints it: who answered (or nobody), the round trips, and an ICMP error mark. */
interface Hop { from?: string; rttMs?: number; mark?: string; final: boolean }

/** Where the laptop's probes go for `ip`: the hops that answer, then silence until max_ttl. */
async function laptopPath(deps: ClusterCommandDeps, ip: string, icmp: boolean): Promise<Hop[]> {
  if (isLaptopAddress(ip)) return [{ from: ip, rttMs: 0.03, final: true }];
  if (!onHostOnlyLink(ip)) return [{ from: WIFI.gateway, rttMs: 2.1, final: false }];
  const node = deps.cluster.nodes().find((h) => h.plan.ip === ip && h.running);
  if (node) return [{ from: ip, rttMs: 0.45, final: true }];
  const announcer = deps.cluster.network.locate('laptop', ip).node;
  if (!announcer) return [{ from: HOST_ONLY.ip, rttMs: 3069.5, mark: '!H', final: true }];
  // A load-balancer address: the announcing node takes the frame (ARP) but does not own the address in iptables
  // mode; a UDP probe is not DNATed, so the node forwards it and its TTL runs out there. An ICMP echo is answered as
  // a ping to that address is.
  if (icmp) {
    const r = await connectFrom(deps.cluster, deps.place, { dst: { ip, port: 0 }, proto: 'icmp', payload: { kind: 'icmp' } });
    if (r.ok) return [{ from: ip, rttMs: 0.5, final: true }];
  }
  return [{ from: announcer.plan.ip, rttMs: 0.5, final: false }];
}

/** A stable spread of round trips around `base`, as three probes of one hop show (up to 15 %, at most 0.08 ms). */
function spread(base: number, hop: number, probe: number): number {
  return base + ((((hop * 7 + probe * 13) % 11) - 5) / 5) * Math.min(base * 0.15, 0.08);
}

export async function traceroute(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const parsed = parseTracerouteArgs(ctx.argv.slice(1));
  if (!('host' in parsed)) {
    if (parsed.out) await ctx.stdout.write(parsed.out);
    if (parsed.err) await ctx.stderr.write(parsed.err);
    return parsed.status;
  }
  const o = parsed;
  const found = await resolveWaiting(ctx, deps.cluster, deps.place, o.host);
  if (!found) return 130;
  if (!found.ok) {
    const why = found.error === 'timeout' ? 'Temporary failure in name resolution' : 'Name or service not known';
    await ctx.stderr.write(`${o.host}: ${why}\nCannot handle "host" cmdline arg \`${o.host}' on position ${o.position} (argc ${o.argc})\n`);
    return 2;
  }
  const ip = found.ip;
  await ctx.stdout.write(`traceroute to ${o.host} (${ip}), ${o.max} hops max, 60 byte packets\n`);
  const hops = await laptopPath(deps, ip, o.icmp);
  const names = new Map<string, string>();
  const nameOf = async (addr: string): Promise<string | null> => {
    if (o.numeric) return addr;
    const known = names.get(addr) ?? synthesizedName(addr);
    if (known) return known;
    // getnameinfo asks the resolver, which on the offline laptop never answers: the numeric form after the wait.
    if (!isIPv4(addr) || !(await wait(ctx, RESOLVER_GIVE_UP_MS))) return ctx.signal.aborted ? null : addr;
    names.set(addr, addr);
    return addr;
  };
  const started = ctx.now();
  const perBatch = Math.max(1, Math.floor(SIM_PROBES / o.queries));
  for (let ttl = o.first; ttl <= o.max; ttl++) {
    const hop = hops[ttl - 1];
    if (hop?.from) {
      const rtts = Array.from({ length: o.queries }, (_, p) => spread(hop.rttMs ?? 1, ttl, p));
      if (!(await wait(ctx, Math.max(...rtts)))) return 130;
      const name = await nameOf(hop.from);
      if (name === null) return 130;
      const who = o.numeric ? ` ${hop.from}` : ` ${name} (${hop.from})`;
      await ctx.stdout.write(`${String(ttl).padStart(2)} ${who}${rtts.map((t) => `  ${t.toFixed(3)} ms${hop.mark ? ` ${hop.mark}` : ''}`).join('')}\n`);
      if (hop.final) return 0;
      continue;
    }
    // Unanswered probes go out SIM_PROBES at a time; each batch of hops is printed when its probes expire.
    const batch = Math.ceil((ttl - o.first + 1) / perBatch);
    if (!(await wait(ctx, started + batch * o.waitMs - ctx.now()))) return 130;
    await ctx.stdout.write(`${String(ttl).padStart(2)}  ${Array(o.queries).fill('*').join(' ')}\n`);
  }
  return 0;
}
