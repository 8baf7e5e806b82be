/**
 * CoreDNS's kubernetes plugin (kubeadm Corefile: `kubernetes cluster.local in-addr.arpa ip6.arpa { pods insecure;
 * fallthrough in-addr.arpa ip6.arpa; ttl 30 }`) answering per the Kubernetes DNS specification
 * (kubernetes/dns docs/specification.md). The plugin's own default TTL is 5s; kubeadm configures 30.
 */
import type { Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { dashed, isIPv4 } from '../ipv4.ts';
import { fqdn, type DnsQuery, type DnsResponse, type QType, type ResourceRecord, type RData } from './types.ts';

export interface ClusterView {
  services: Service[];
  endpointSlices: EndpointSlice[];
  pods: Pod[];
}

export interface ResolveOptions {
  zone?: string;
  ttl?: number;
  /** SOA serial; CoreDNS uses the time of the last change it saw (unix seconds). */
  serial?: number;
  /** Names outside the cluster zone (the `forward . /etc/resolv.conf` upstream); NXDOMAIN when absent. */
  upstream?: (q: DnsQuery) => DnsResponse | undefined;
}

export const DEFAULT_TTL = 30;
export const COREDNS_PLUGIN_DEFAULT_TTL = 5;

interface Ctx {
  view: ClusterView;
  zone: string;
  ttl: number;
  serial: number;
  upstream?: ResolveOptions['upstream'];
}

export function resolve(query: DnsQuery, view: ClusterView, opts: ResolveOptions = {}): DnsResponse {
  const ctx: Ctx = { view, zone: (opts.zone ?? 'cluster.local').toLowerCase(), ttl: opts.ttl ?? DEFAULT_TTL, serial: opts.serial ?? 1, upstream: opts.upstream };
  const name = fqdn(query.name);
  const zoneDot = `${ctx.zone}.`;
  if (name.endsWith('.in-addr.arpa.')) return reverse(ctx, query.type, name);
  if (name !== zoneDot && !name.endsWith(`.${zoneDot}`)) {
    return ctx.upstream?.(query) ?? response(query.type, name, 'NXDOMAIN', false);
  }
  const labels = name === zoneDot ? [] : name.slice(0, -(zoneDot.length + 1)).split('.');
  return inZone(ctx, query.type, name, labels);
}

function response(type: QType, name: string, rcode: DnsResponse['rcode'], authoritative: boolean): DnsResponse {
  return { question: { name, type }, rcode, authoritative, answer: [], authority: [], additional: [] };
}

function soa(ctx: Ctx, zone = ctx.zone): ResourceRecord {
  return rr(ctx, `${zone}.`, {
    type: 'SOA',
    mname: `ns.dns.${zone}.`,
    rname: `hostmaster.${zone}.`,
    serial: ctx.serial,
    refresh: 7200,
    retry: 1800,
    expire: 86400,
    minimum: ctx.ttl,
  });
}

function rr(ctx: Ctx, name: string, data: RData): ResourceRecord {
  return { name, ttl: ctx.ttl, class: 'IN', data };
}

function nx(ctx: Ctx, type: QType, name: string): DnsResponse {
  return { ...response(type, name, 'NXDOMAIN', true), authority: [soa(ctx)] };
}

/** NOERROR without answers (NODATA): the name exists, the type does not. */
function nodata(ctx: Ctx, type: QType, name: string): DnsResponse {
  return { ...response(type, name, 'NOERROR', true), authority: [soa(ctx)] };
}

function answer(type: QType, name: string, answer: ResourceRecord[], additional: ResourceRecord[] = []): DnsResponse {
  return { ...response(type, name, 'NOERROR', true), answer, additional };
}

function findService(ctx: Ctx, ns: string, name: string): Service | undefined {
  return ctx.view.services.find((s) => (s.metadata?.namespace ?? 'default') === ns && s.metadata?.name === name);
}

function namespaceExists(ctx: Ctx, ns: string): boolean {
  return ctx.view.services.some((s) => (s.metadata?.namespace ?? 'default') === ns) || ctx.view.pods.some((p) => (p.metadata?.namespace ?? 'default') === ns);
}

function isHeadless(s: Service): boolean {
  return s.spec?.clusterIP === 'None';
}

interface ReadyEndpoint {
  ip: string;
  hostname: string;
  ports: Array<{ name: string; protocol: string; port: number }>;
}

/** Ready IPv4 endpoints of a service; hostname is the endpoint's hostname or the dashed IP (CoreDNS endpointHostname). */
function readyEndpoints(ctx: Ctx, s: Service): ReadyEndpoint[] {
  const ns = s.metadata?.namespace ?? 'default';
  const byIP = new Map<string, ReadyEndpoint>();
  for (const sl of ctx.view.endpointSlices) {
    if (sl.addressType !== 'IPv4' || (sl.metadata?.namespace ?? 'default') !== ns) continue;
    if (sl.metadata?.labels?.['kubernetes.io/service-name'] !== s.metadata?.name) continue;
    for (const ep of sl.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue;
      for (const ip of ep.addresses ?? []) {
        const e = byIP.get(ip) ?? { ip, hostname: ep.hostname || dashed(ip), ports: [] };
        for (const p of sl.ports ?? []) if (p.port != null) e.ports.push({ name: p.name ?? '', protocol: (p.protocol ?? 'TCP').toLowerCase(), port: p.port });
        byIP.set(ip, e);
      }
    }
  }
  return [...byIP.values()];
}

function srvWeight(n: number): number {
  return Math.max(1, Math.floor(100 / n));
}

function inZone(ctx: Ctx, type: QType, name: string, labels: string[], chain = 0): DnsResponse {
  const n = labels.length;
  if (n === 0) {
    if (type === 'SOA') return answer(type, name, [soa(ctx)]);
    if (type === 'NS') return answer(type, name, [rr(ctx, name, { type: 'NS', target: `ns.dns.${ctx.zone}.` })]);
    return nodata(ctx, type, name);
  }
  const kind = labels[n - 1];
  if (kind === 'pod') return podRecord(ctx, type, name, labels);
  if (kind !== 'svc') return nx(ctx, type, name);
  if (n === 1) return nodata(ctx, type, name);
  const ns = labels[n - 2]!;
  if (n === 2) return namespaceExists(ctx, ns) ? nodata(ctx, type, name) : nx(ctx, type, name);
  const svc = findService(ctx, ns, labels[n - 3]!);
  if (!svc) return nx(ctx, type, name);
  const svcName = `${labels[n - 3]}.${ns}.svc.${ctx.zone}.`;
  if (n === 3) return serviceRecord(ctx, type, name, svc, svcName, chain);
  if (n === 4) return endpointRecord(ctx, type, name, svc, svcName, labels[0]!);
  if (n === 5 && labels[0]!.startsWith('_') && labels[1]!.startsWith('_')) {
    return srvRecord(ctx, type, name, svc, svcName, labels[0]!.slice(1), labels[1]!.slice(1));
  }
  return nx(ctx, type, name);
}

/** CoreDNS follows at most this many CNAMEs of its own zone (plugin/backend_lookup.go: `len(previousRecords) > 7`). */
const MAX_CNAME_CHAIN = 8;

function serviceRecord(ctx: Ctx, type: QType, name: string, svc: Service, svcName: string, chain = 0): DnsResponse {
  if (svc.spec?.type === 'ExternalName') {
    const target = fqdn(svc.spec.externalName ?? '');
    if (type === 'SRV' || type === 'PTR') return nodata(ctx, type, name);
    const cname = rr(ctx, name, { type: 'CNAME', target });
    const zoneDot = `${ctx.zone}.`;
    if (type !== 'CNAME' && (target === zoneDot || target.endsWith(`.${zoneDot}`))) {
      // A target in the cluster zone is answered here, CNAME and addresses together ("clients expect a complete
      // answer"); a target without addresses of that type (or a loop) leaves the CNAME out too: NODATA.
      if (target === name || chain >= MAX_CNAME_CHAIN) return nodata(ctx, type, name);
      const labels = target === zoneDot ? [] : target.slice(0, -(zoneDot.length + 1)).split('.');
      const next = inZone(ctx, type === 'ANY' ? 'A' : type, target, labels, chain + 1);
      return next.answer.length ? answer(type, name, [cname, ...next.answer]) : nodata(ctx, type, name);
    }
    const res = answer(type, name, [cname]);
    if (type !== 'CNAME' && ctx.upstream) {
      const chased = ctx.upstream({ name: target, type: type === 'ANY' ? 'A' : type });
      if (chased) res.answer.push(...chased.answer);
    }
    return res;
  }
  if (type === 'SRV') return srvAll(ctx, name, svc, svcName);
  if (type !== 'A' && type !== 'ANY') return nodata(ctx, type, name);
  if (isHeadless(svc)) {
    const eps = readyEndpoints(ctx, svc);
    if (eps.length === 0) return nx(ctx, type, name);
    return answer(type, name, eps.map((e) => rr(ctx, name, { type: 'A', address: e.ip })));
  }
  const ip = svc.spec?.clusterIP;
  if (!ip || !isIPv4(ip)) return nodata(ctx, type, name);
  return answer(type, name, [rr(ctx, name, { type: 'A', address: ip })]);
}

/** SRV on the bare service name: every port, like CoreDNS. */
function srvAll(ctx: Ctx, name: string, svc: Service, svcName: string): DnsResponse {
  if (isHeadless(svc)) {
    const eps = readyEndpoints(ctx, svc);
    const records = eps.flatMap((e) => e.ports.map((p) => ({ e, p })));
    if (records.length === 0) return nx(ctx, 'SRV', name);
    const w = srvWeight(records.length);
    return answer(
      'SRV',
      name,
      records.map(({ e, p }) => rr(ctx, name, { type: 'SRV', priority: 0, weight: w, port: p.port, target: `${e.hostname}.${svcName}` })),
      eps.map((e) => rr(ctx, `${e.hostname}.${svcName}`, { type: 'A', address: e.ip })),
    );
  }
  const ports = svc.spec?.ports ?? [];
  const w = srvWeight(ports.length);
  return answer(
    'SRV',
    name,
    ports.map((p) => rr(ctx, name, { type: 'SRV', priority: 0, weight: w, port: p.port, target: svcName })),
    [rr(ctx, svcName, { type: 'A', address: svc.spec!.clusterIP! })],
  );
}

function srvRecord(ctx: Ctx, type: QType, name: string, svc: Service, svcName: string, portName: string, proto: string): DnsResponse {
  if (svc.spec?.type === 'ExternalName') return nx(ctx, type, name);
  if (isHeadless(svc)) {
    const hits = readyEndpoints(ctx, svc).flatMap((e) => e.ports.filter((p) => p.name === portName && p.protocol === proto).map((p) => ({ e, p })));
    if (hits.length === 0) return nx(ctx, type, name);
    if (type !== 'SRV' && type !== 'ANY') return nodata(ctx, type, name);
    const w = srvWeight(hits.length);
    return answer(
      type,
      name,
      hits.map(({ e, p }) => rr(ctx, name, { type: 'SRV', priority: 0, weight: w, port: p.port, target: `${e.hostname}.${svcName}` })),
      hits.map(({ e }) => rr(ctx, `${e.hostname}.${svcName}`, { type: 'A', address: e.ip })),
    );
  }
  const port = (svc.spec?.ports ?? []).find((p) => p.name === portName && (p.protocol ?? 'TCP').toLowerCase() === proto);
  if (!port) return nx(ctx, type, name);
  if (type !== 'SRV' && type !== 'ANY') return nodata(ctx, type, name);
  return answer(type, name, [rr(ctx, name, { type: 'SRV', priority: 0, weight: 100, port: port.port, target: svcName })], [
    rr(ctx, svcName, { type: 'A', address: svc.spec!.clusterIP! }),
  ]);
}

function endpointRecord(ctx: Ctx, type: QType, name: string, svc: Service, _svcName: string, host: string): DnsResponse {
  const eps = readyEndpoints(ctx, svc).filter((e) => e.hostname === host);
  if (eps.length === 0) return nx(ctx, type, name);
  if (type !== 'A' && type !== 'ANY') return nodata(ctx, type, name);
  return answer(type, name, eps.map((e) => rr(ctx, name, { type: 'A', address: e.ip })));
}

/** `pods insecure`: any well-formed a-b-c-d.<ns>.pod.<zone> answers a.b.c.d. */
function podRecord(ctx: Ctx, type: QType, name: string, labels: string[]): DnsResponse {
  if (labels.length !== 3) return labels.length === 2 && namespaceExists(ctx, labels[0]!) ? nodata(ctx, type, name) : nx(ctx, type, name);
  const ip = labels[0]!.replaceAll('-', '.');
  if (!isIPv4(ip)) return nx(ctx, type, name);
  if (type !== 'A' && type !== 'ANY') return nodata(ctx, type, name);
  return answer(type, name, [rr(ctx, name, { type: 'A', address: ip })]);
}

/** PTR: a service's cluster or external IP, else an endpoint address (`<hostname>.<svc>.<ns>.svc.<zone>`). */
function reverse(ctx: Ctx, type: QType, name: string): DnsResponse {
  const octets = name.slice(0, -'.in-addr.arpa.'.length).split('.');
  const ip = octets.reverse().join('.');
  const miss = () => ctx.upstream?.({ name, type }) ?? { ...response(type, name, 'NXDOMAIN', false), authority: [soa(ctx, 'in-addr.arpa')] };
  if (octets.length !== 4 || !isIPv4(ip)) return miss();
  const targets: string[] = [];
  for (const s of ctx.view.services) {
    const ips = [s.spec?.clusterIP, ...(s.spec?.externalIPs ?? [])];
    if (ips.includes(ip)) targets.push(`${s.metadata?.name}.${s.metadata?.namespace ?? 'default'}.svc.${ctx.zone}.`);
  }
  if (targets.length === 0) {
    for (const s of ctx.view.services) {
      for (const e of readyEndpoints(ctx, s)) {
        if (e.ip === ip) targets.push(`${e.hostname}.${s.metadata?.name}.${s.metadata?.namespace ?? 'default'}.svc.${ctx.zone}.`);
      }
    }
  }
  if (targets.length === 0) return miss();
  if (type !== 'PTR' && type !== 'ANY') return nodata(ctx, type, name);
  return answer(type, name, [...new Set(targets)].map((t) => rr(ctx, name, { type: 'PTR', target: t })));
}
