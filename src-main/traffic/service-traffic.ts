/**
 * One Service's traffic over a window: per endpoint (who answered, how often, for which clients, entering where) and
 * per client (which endpoints answered it: pinned to one pod under sessionAffinity ClientIP).
 */
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { byKind } from '../api/resources.ts';
import type { Registry } from '../registry/registry.ts';
import type { FlowCount } from './counts.ts';

export interface EndpointTraffic {
  /** `ip:port`, or `<none>` for connections no rule sent to an endpoint (no endpoints: REJECT). */
  endpoint: string;
  pod: string | null;
  node: string | null;
  /** Whether the endpoint is in the Service's EndpointSlices now. */
  current: boolean;
  answered: number;
  failed: number;
  clients: string[];
  entryNodes: string[];
  seenAs: string[];
  /** The addresses clients sent to (ClusterIP:port, node:nodePort...). */
  via: string[];
}

export interface ClientTraffic {
  /** `node/master`, `pod/default/web-1`, `laptop`. */
  client: string;
  ip: string;
  answered: number;
  failed: number;
  /** Endpoints (`ip:port`) that answered this client, and their pods. */
  endpoints: string[];
  pods: string[];
  entryNodes: string[];
  seenAs: string[];
}

export interface ServiceTraffic {
  namespace: string;
  name: string;
  exists: boolean;
  endpoints: EndpointTraffic[];
  clients: ClientTraffic[];
}

export type Registryish = Pick<Registry, 'tryGet' | 'list'>;

const NONE = '<none>';
const sorted = (s: Set<string>) => [...s].sort();

export function clientLabel(c: FlowCount['client']): string {
  return c.kind === 'laptop' ? 'laptop' : `${c.kind}/${c.name}`;
}

/** The Service's endpoints now, as `ip:port` with their pod and node. */
function currentEndpoints(reg: Registryish, ns: string, name: string): Map<string, { pod: string | null; node: string | null }> {
  const out = new Map<string, { pod: string | null; node: string | null }>();
  const slices = reg.list(byKind('EndpointSlice'), { namespace: ns, labelSelector: `kubernetes.io/service-name=${name}` }).items as unknown as EndpointSlice[];
  for (const s of slices) {
    for (const e of s.endpoints ?? []) {
      if (e.conditions?.ready === false) continue;
      for (const p of s.ports ?? []) {
        for (const ip of e.addresses) out.set(`${ip}:${p.port}`, { pod: e.targetRef?.kind === 'Pod' ? e.targetRef.name ?? null : null, node: e.nodeName ?? null });
      }
    }
  }
  return out;
}

export function serviceTraffic(reg: Registryish, ns: string, name: string, flows: FlowCount[]): ServiceTraffic {
  const key = `${ns}/${name}`;
  const svc = reg.tryGet(byKind('Service'), ns, name) as { spec?: { clusterIP?: string } } | undefined;
  const exists = !!svc;
  const now = currentEndpoints(reg, ns, name);
  // A headless Service has no rules: its traffic is the connections that went straight to one of its endpoints'
  // addresses (what a client that looked the name up connects to).
  const headlessIPs = svc?.spec?.clusterIP === 'None' ? new Set([...now.keys()].map((ep) => ep.slice(0, ep.lastIndexOf(':')))) : undefined;
  const mine = flows.filter((f) => f.service === key || (headlessIPs && f.service === null && f.target === f.dst && headlessIPs.has(f.dst.slice(0, f.dst.lastIndexOf(':')))));
  type Acc = Omit<EndpointTraffic, 'clients' | 'entryNodes' | 'seenAs' | 'via'> & { clients: Set<string>; entryNodes: Set<string>; seenAs: Set<string>; via: Set<string> };
  const rows = new Map<string, Acc>();
  const row = (endpoint: string, pod: string | null, node: string | null, current: boolean): Acc => {
    let r = rows.get(endpoint);
    if (!r) rows.set(endpoint, (r = { endpoint, pod, node, current, answered: 0, failed: 0, clients: new Set(), entryNodes: new Set(), seenAs: new Set(), via: new Set() }));
    return r;
  };
  // A connection to an endpoint's address on another port (a wrong targetPort) is still that pod's.
  const byIP = new Map([...now].map(([ep, info]) => [ep.slice(0, ep.lastIndexOf(':')), info]));
  for (const [ep, info] of now) row(ep, info.pod, info.node, true);
  const podName = (k: string | null) => (k ? k.slice(k.indexOf('/') + 1) : null);
  for (const f of mine) {
    const endpoint = f.target === f.dst && !f.pod && f.service !== null ? NONE : f.target;
    const known = now.get(endpoint);
    const sameIP = known ?? byIP.get(endpoint.slice(0, endpoint.lastIndexOf(':')));
    const r = row(endpoint, sameIP?.pod ?? podName(f.pod) ?? podAt(reg, ns, endpoint), sameIP?.node ?? f.podNode, !!known);
    if (!r.pod && f.pod) r.pod = podName(f.pod);
    if (!r.node && f.podNode) r.node = f.podNode;
    if (f.result === 'ok') r.answered += f.count;
    else r.failed += f.count;
    r.clients.add(f.client.ip);
    r.entryNodes.add(f.entryNode);
    r.seenAs.add(f.seenAs);
    r.via.add(f.dst);
  }
  const endpoints = [...rows.values()]
    .map((r) => ({ ...r, clients: sorted(r.clients), entryNodes: sorted(r.entryNodes), seenAs: sorted(r.seenAs), via: sorted(r.via) }))
    .sort((a, b) => (a.endpoint === NONE ? 1 : b.endpoint === NONE ? -1 : (a.pod ?? a.endpoint).localeCompare(b.pod ?? b.endpoint)));

  const byClient = new Map<string, { client: string; ip: string; answered: number; failed: number; endpoints: Set<string>; pods: Set<string>; entryNodes: Set<string>; seenAs: Set<string> }>();
  for (const f of mine) {
    const id = `${clientLabel(f.client)} ${f.client.ip}`;
    let c = byClient.get(id);
    if (!c) byClient.set(id, (c = { client: clientLabel(f.client), ip: f.client.ip, answered: 0, failed: 0, endpoints: new Set(), pods: new Set(), entryNodes: new Set(), seenAs: new Set() }));
    c.entryNodes.add(f.entryNode);
    c.seenAs.add(f.seenAs);
    if (f.result !== 'ok') {
      c.failed += f.count;
      continue;
    }
    c.answered += f.count;
    c.endpoints.add(f.target);
    const p = podName(f.pod);
    if (p) c.pods.add(p);
  }
  const clients = [...byClient.values()]
    .map((c) => ({ ...c, endpoints: sorted(c.endpoints), pods: sorted(c.pods), entryNodes: sorted(c.entryNodes), seenAs: sorted(c.seenAs) }))
    .sort((a, b) => a.client.localeCompare(b.client) || a.ip.localeCompare(b.ip));
  return { namespace: ns, name, exists, endpoints, clients };
}

/** The pod holding `ip` in `ns`, for an endpoint that failed before it answered (wrong targetPort). */
function podAt(reg: Registryish, ns: string, endpoint: string): string | null {
  if (endpoint === NONE) return null;
  const ip = endpoint.slice(0, endpoint.lastIndexOf(':'));
  const pods = reg.list(byKind('Pod'), { namespace: ns }).items as unknown as Pod[];
  return pods.find((p) => p.status?.podIP === ip)?.metadata?.name ?? null;
}

/** Every Service that carried connections in the window, with totals (`kubelab traffic svc`). */
export function servicesTraffic(flows: FlowCount[], namespace: string | undefined): Array<{ namespace: string; name: string; answered: number; failed: number; endpoints: number; clients: number }> {
  const acc = new Map<string, { answered: number; failed: number; endpoints: Set<string>; clients: Set<string> }>();
  for (const f of flows) {
    if (!f.service) continue;
    const ns = f.service.slice(0, f.service.indexOf('/'));
    if (namespace !== undefined && ns !== namespace) continue;
    let a = acc.get(f.service);
    if (!a) acc.set(f.service, (a = { answered: 0, failed: 0, endpoints: new Set(), clients: new Set() }));
    if (f.result === 'ok') {
      a.answered += f.count;
      a.endpoints.add(f.target);
    } else a.failed += f.count;
    a.clients.add(f.client.ip);
  }
  return [...acc.entries()]
    .map(([k, a]) => ({ namespace: k.slice(0, k.indexOf('/')), name: k.slice(k.indexOf('/') + 1), answered: a.answered, failed: a.failed, endpoints: a.endpoints.size, clients: a.clients.size }))
    .sort((x, y) => x.namespace.localeCompare(y.namespace) || x.name.localeCompare(y.name));
}
