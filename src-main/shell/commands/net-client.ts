/**
 * What the shell's network tools share: connections from the shell's place, DNS queries sent as real UDP connections
 * (to CoreDNS through kube-proxy), the stub resolver's search-list walk, /etc/hosts, and clock-based waits for the
 * timeouts a real client sits out.
 */
import type { Cluster } from '../../cluster/cluster.ts';
import type { ConnectSpec } from '../../cluster/network.ts';
import type { ConnectResult } from '../../node/netstack/types.ts';
import { candidates } from '../../net/dns/search.ts';
import type { SearchResult } from '../../net/dns/search.ts';
import type { DnsResponse, QType, ResourceRecord } from '../../net/dns/types.ts';
import { isIPv4 } from '../../net/ipv4.ts';
import type { CommandContext } from '../../userland/command.ts';
import { GATEWAY_NAME, isLaptopAddress, onHostOnlyLink, synthesizedName, WIFI } from './laptop/network.ts';
import { hostsEntries, LAPTOP_HOSTNAME, NODE_STUB_RESOLVER, originOf, resolvConfOf, type ShellPlace } from './place.ts';

export type DnsOutcome = { ok: true; response: DnsResponse } | { ok: false; error: 'timeout' };

/**
 * One DNS query from `place` to `server`:53/UDP. systemd-resolved's stub answers what its upstream does: on a node
 * NXDOMAIN for every cluster name; on the offline laptop nothing (see laptop/network.ts) but what it synthesizes.
 */
export async function dnsQuery(cluster: Cluster, place: ShellPlace, server: string, name: string, type: QType): Promise<DnsOutcome> {
  if (server === NODE_STUB_RESOLVER) {
    const q = name.endsWith('.') ? name.toLowerCase() : `${name.toLowerCase()}.`;
    const response: DnsResponse = { question: { name: q, type }, rcode: 'NXDOMAIN', authoritative: false, answer: [], authority: [], additional: [] };
    if (place.kind !== 'laptop') return { ok: true, response };
    const answer = laptopStubAnswer(q, type);
    return answer ? { ok: true, response: { ...response, rcode: 'NOERROR', answer: [answer] } } : { ok: false, error: 'timeout' };
  }
  const r = await connectFrom(cluster, place, { dst: { ip: server, port: 53 }, proto: 'udp', payload: { kind: 'dns', question: { name, type: type as 'A' } } });
  if (!r.ok || r.response.kind !== 'dns') return { ok: false, error: 'timeout' };
  return { ok: true, response: r.response.answer as DnsResponse };
}

/** The names systemd-resolved answers itself on the laptop: `_gateway` and the local hostname, forward and reverse. */
function laptopStubAnswer(q: string, type: QType): ResourceRecord | undefined {
  const record = (data: ResourceRecord['data']): ResourceRecord => ({ name: q, ttl: 0, class: 'IN', data });
  if (type === 'A' && q === `${GATEWAY_NAME}.`) return record({ type: 'A', address: WIFI.gateway });
  if (type === 'A' && q === `${LAPTOP_HOSTNAME}.`) return record({ type: 'A', address: WIFI.ip });
  const reverse = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa\.$/.exec(q);
  const name = type === 'PTR' && reverse ? synthesizedName(reverse.slice(1).reverse().join('.')) : undefined;
  return name ? record({ type: 'PTR', target: `${name}.` }) : undefined;
}

/**
 * A connection from `place` over the virtual network. From the laptop an address on the host-only link that no
 * machine answers ARP for (a stopped node, an unused address) fails as the kernel fails it: EHOSTUNREACH after the
 * ARP probes, rather than a lost packet.
 */
export async function connectFrom(cluster: Cluster, place: ShellPlace, spec: ConnectSpec): Promise<ConnectResult> {
  const r = await cluster.network.connect(originOf(place), spec);
  if (place.kind === 'laptop' && !r.ok && r.error === 'timeout' && onHostOnlyLink(spec.dst.ip) && !isLaptopAddress(spec.dst.ip) && !cluster.network.locate('laptop', spec.dst.ip).node) {
    return { ...r, error: 'no-route' };
  }
  return r;
}

/** res_search over the network: like resolveWithSearch, each candidate is its own query. */
export async function searchQuery(cluster: Cluster, place: ShellPlace, name: string, type: QType, server?: string): Promise<SearchResult | 'timeout'> {
  const conf = resolvConfOf(cluster, place);
  const ns = server ?? conf.nameservers[0]!;
  const search = conf.search.filter((d) => d !== '.');
  const tried: SearchResult['tried'] = [];
  let last: SearchResult | undefined;
  let nodata: SearchResult | undefined;
  for (const c of candidates(name, { search, ndots: conf.ndots })) {
    const out = await dnsQuery(cluster, place, ns, c, type);
    if (!out.ok) return 'timeout';
    const response = out.response;
    tried.push({ name: c, rcode: response.rcode, answers: response.answer.length });
    last = { name: c, response, tried };
    if (response.rcode === 'NOERROR' && response.answer.length > 0) return last;
    if (response.rcode === 'NOERROR' && !nodata) nodata = last;
    if (response.rcode !== 'NOERROR' && response.rcode !== 'NXDOMAIN') return last;
  }
  return nodata ?? last!;
}

export type HostLookup = { ok: true; ip: string } | { ok: false; error: 'notfound' | 'timeout' };

/** getaddrinfo: an address as is, /etc/hosts, then DNS A records. */
export async function lookupHost(cluster: Cluster, place: ShellPlace, host: string): Promise<HostLookup> {
  if (isIPv4(host)) return { ok: true, ip: host };
  const lower = host.toLowerCase();
  for (const [ip, names] of hostsEntries(cluster, place)) if (isIPv4(ip) && names.includes(lower)) return { ok: true, ip };
  const r = await searchQuery(cluster, place, host, 'A');
  if (r === 'timeout') return { ok: false, error: 'timeout' };
  const a = r.response.answer.find((x) => x.data.type === 'A');
  return a && a.data.type === 'A' ? { ok: true, ip: a.data.address } : { ok: false, error: 'notfound' };
}

/**
 * getaddrinfo as a tool sees it: an unanswered query returns only once the resolver gives up (or after `limitMs`, a
 * tool's own DNS timeout). Null when Ctrl-C cut the wait short.
 */
export async function resolveWaiting(ctx: CommandContext, cluster: Cluster, place: ShellPlace, host: string, limitMs = RESOLVER_GIVE_UP_MS): Promise<HostLookup | null> {
  const started = ctx.now();
  const found = await lookupHost(cluster, place, host);
  const left = Math.min(limitMs, RESOLVER_GIVE_UP_MS) - (ctx.now() - started);
  if (!found.ok && found.error === 'timeout' && !(await wait(ctx, left))) return null;
  return found;
}

/** Waits on the cluster clock; false when Ctrl-C cut it short. */
export async function wait(ctx: CommandContext, ms: number): Promise<boolean> {
  if (ms > 0) await ctx.sleep(ms, ctx.signal).catch(() => undefined);
  return !ctx.signal.aborted;
}

/** glibc's resolver gives up after `timeout:5 attempts:2` per name server. */
export const RESOLVER_GIVE_UP_MS = 10_000;
