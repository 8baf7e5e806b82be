/**
 * getaddrinfo for programs inside a pod (a busybox loop's wget, a curl image): an address as is, the container's
 * /etc/hosts, then A queries to the nameserver of its /etc/resolv.conf over the virtual network (to CoreDNS through
 * kube-proxy), walking the search list as ndots says.
 */
import { candidates } from '../net/dns/search.ts';
import type { DnsResponse } from '../net/dns/types.ts';
import { isIPv4 } from '../net/ipv4.ts';
import type { Netstack } from './netstack/netstack.ts';
import type { Peer } from './netstack/types.ts';

export type Lookup = { ok: true; ip: string } | { ok: false; error: 'notfound' | 'timeout' };

interface ResolvConf {
  nameservers: string[];
  search: string[];
  ndots: number;
}

export function parseResolvConf(text: string): ResolvConf {
  const conf: ResolvConf = { nameservers: [], search: [], ndots: 1 };
  for (const line of text.split('\n')) {
    const [key, ...rest] = line.trim().split(/\s+/);
    if (key === 'nameserver' && rest[0]) conf.nameservers.push(rest[0]);
    else if (key === 'search') conf.search = rest.filter((d) => d !== '.');
    else if (key === 'options') for (const o of rest) if (/^ndots:\d+$/.test(o)) conf.ndots = Math.min(15, Number(o.slice(6)));
  }
  return conf;
}

export function hostsLookup(text: string, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const line of text.split('\n')) {
    const [ip, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (ip && isIPv4(ip) && names.some((n) => n.toLowerCase() === want)) return ip;
  }
  return undefined;
}

/** Resolves `name` as a program in the container whose files are `files` would. */
export async function podLookup(net: Netstack, from: Peer, files: Map<string, string> | undefined, name: string): Promise<Lookup> {
  if (isIPv4(name)) return { ok: true, ip: name };
  const fromHosts = hostsLookup(files?.get('/etc/hosts') ?? '', name);
  if (fromHosts) return { ok: true, ip: fromHosts };
  const conf = parseResolvConf(files?.get('/etc/resolv.conf') ?? '');
  const server = conf.nameservers[0];
  if (!server) return { ok: false, error: 'notfound' };
  for (const candidate of candidates(name, conf)) {
    const r = await net.connect({ from, dst: { ip: server, port: 53 }, proto: 'udp', payload: { kind: 'dns', question: { name: candidate, type: 'A' } } });
    if (!r.ok || r.response.kind !== 'dns') return { ok: false, error: 'timeout' };
    const answer = r.response.answer as DnsResponse;
    const a = answer.answer.find((x) => x.data.type === 'A');
    if (answer.rcode === 'NOERROR' && a && a.data.type === 'A') return { ok: true, ip: a.data.address };
    if (answer.rcode !== 'NOERROR' && answer.rcode !== 'NXDOMAIN') return { ok: false, error: 'notfound' };
  }
  return { ok: false, error: 'notfound' };
}
