/** What a stub resolver does with /etc/resolv.conf: search list and ndots (resolv.conf(5)). */
import type { ClusterView, ResolveOptions } from './resolve.ts';
import { resolve } from './resolve.ts';
import type { DnsResponse, QType } from './types.ts';

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  ndots: number;
}

/** The resolv.conf the kubelet gives a dnsPolicy: ClusterFirst pod. */
export function podResolvConf(namespace: string, clusterDNS = '10.96.0.10', zone = 'cluster.local'): ResolvConf {
  return { nameservers: [clusterDNS], search: [`${namespace}.svc.${zone}`, `svc.${zone}`, zone], ndots: 5 };
}

export function formatResolvConf(c: ResolvConf): string {
  const lines = [];
  if (c.search.length) lines.push(`search ${c.search.join(' ')}`);
  for (const ns of c.nameservers) lines.push(`nameserver ${ns}`);
  if (c.ndots !== 1) lines.push(`options ndots:${c.ndots}`);
  return lines.join('\n') + '\n';
}

/**
 * The names tried, in order: an absolute name (trailing dot) only as is; a name with at least `ndots` dots as is
 * first, then with each search domain; otherwise the search domains first and the bare name last.
 */
export function candidates(name: string, conf: Pick<ResolvConf, 'search' | 'ndots'>): string[] {
  if (name.endsWith('.')) return [name];
  const dots = name.split('.').length - 1;
  const searched = conf.search.map((d) => `${name}.${d}.`);
  return dots >= conf.ndots ? [`${name}.`, ...searched] : [...searched, `${name}.`];
}

export interface SearchResult {
  /** The candidate that produced `response`. */
  name: string;
  response: DnsResponse;
  /** Every query sent, in order (what tcpdump on the DNS pod would show). */
  tried: Array<{ name: string; rcode: DnsResponse['rcode']; answers: number }>;
}

/** Like glibc res_search: keep going on NXDOMAIN and empty answers; return the first answer, else the last reply. */
export function resolveWithSearch(name: string, type: QType, view: ClusterView, conf: Pick<ResolvConf, 'search' | 'ndots'>, opts?: ResolveOptions): SearchResult {
  const tried: SearchResult['tried'] = [];
  let last: SearchResult | undefined;
  let nodata: SearchResult | undefined;
  for (const c of candidates(name, conf)) {
    const response = resolve({ name: c, type }, view, opts);
    tried.push({ name: c, rcode: response.rcode, answers: response.answer.length });
    last = { name: c, response, tried };
    if (response.rcode === 'NOERROR' && response.answer.length > 0) return last;
    if (response.rcode === 'NOERROR' && !nodata) nodata = last;
    if (response.rcode !== 'NOERROR' && response.rcode !== 'NXDOMAIN') return last;
  }
  return nodata ?? last!;
}
