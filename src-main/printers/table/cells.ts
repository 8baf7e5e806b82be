/** Row cells for every kind but Pod (pod-cells.ts), following pkg/printers/internalversion/printers.go. */
import type { ConfigMap, Endpoints, Event, Namespace, Node, Service } from 'kubernetes-types/core/v1';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { Container } from 'kubernetes-types/core/v1';
import { timestampMs, translateTimestampSince, type AgeWindow, type Timestamp } from '../duration.ts';
import { formatLabels, selectorString } from '../labels.ts';
import type { Cell } from './types.ts';

const LOAD_BALANCER_WIDTH = 16;

function age(o: { metadata?: { creationTimestamp?: Timestamp } }, now: number, window?: AgeWindow): string {
  return translateTimestampSince(o.metadata?.creationTimestamp, now, window);
}

/** net.JoinHostPort */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function layoutContainerCells(containers: Container[]): [string, string] {
  return [containers.map((c) => c.name).join(','), containers.map((c) => c.image ?? '').join(',')];
}

function loadBalancerStatusString(svc: Service, wide: boolean): string {
  const set = new Set<string>();
  for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
    if (ing.ip) set.add(ing.ip);
    else if (ing.hostname) set.add(ing.hostname);
  }
  let r = [...set].sort().join(',');
  if (!wide && r.length > LOAD_BALANCER_WIDTH) r = r.slice(0, LOAD_BALANCER_WIDTH - 3) + '...';
  return r;
}

function serviceExternalIP(svc: Service, wide: boolean): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerStatusString(svc, wide);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
  }
  return '<unknown>';
}

/** The apiserver generates rows with Wide set, so these always include every column. */
export function serviceCells(svc: Service, now: number, window?: AgeWindow): Cell[] {
  const clusterIPs = svc.spec?.clusterIPs ?? [];
  const internalIP = clusterIPs.length > 0 ? clusterIPs[0] : '<none>';
  const ports = (svc.spec?.ports ?? [])
    .map((p) => (p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? ''}` : `${p.port}/${p.protocol ?? ''}`))
    .join(',');
  return [
    svc.metadata?.name ?? '',
    svc.spec?.type ?? '',
    internalIP,
    serviceExternalIP(svc, true),
    ports || '<none>',
    age(svc, now, window),
    formatLabels(svc.spec?.selector),
  ];
}

export function deploymentCells(d: Deployment, now: number, window?: AgeWindow): Cell[] {
  const [containers, images] = layoutContainerCells(d.spec?.template?.spec?.containers ?? []);
  const selector = selectorString(d.spec?.selector) ?? '<invalid>';
  return [
    d.metadata?.name ?? '',
    `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
    d.status?.updatedReplicas ?? 0,
    d.status?.availableReplicas ?? 0,
    age(d, now, window),
    containers,
    images,
    selector,
  ];
}

export function replicaSetCells(rs: ReplicaSet, now: number, window?: AgeWindow): Cell[] {
  const [containers, images] = layoutContainerCells(rs.spec?.template?.spec?.containers ?? []);
  const selector = selectorString(rs.spec?.selector) ?? '<invalid>';
  return [
    rs.metadata?.name ?? '',
    rs.spec?.replicas ?? 0,
    rs.status?.replicas ?? 0,
    rs.status?.readyReplicas ?? 0,
    age(rs, now, window),
    containers,
    images,
    selector,
  ];
}

function listWithMore(list: string[], more: boolean, count: number, max: number, empty: string): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret === '' ? empty : ret;
}

/** formatEndpoints: ready addresses only, `ip:port` per port, at most 3. Not-ready-only subsets give "". */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    if (!ss.ports || ss.ports.length === 0) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const port of ss.ports) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(a.ip, port.port));
      }
    }
  }
  return listWithMore(list, more, count, max, '');
}

export function endpointsCells(ep: Endpoints, now: number, window?: AgeWindow): Cell[] {
  return [ep.metadata?.name ?? '', formatEndpoints(ep), age(ep, now, window)];
}

export function endpointSliceCells(s: EndpointSlice, now: number, window?: AgeWindow): Cell[] {
  const max = 3;
  const ports: string[] = [];
  let portCount = 0;
  let portsMore = false;
  for (const p of s.ports ?? []) {
    if (ports.length < max) ports.push(p.port !== undefined && p.port !== null ? String(p.port) : (p.name ?? '*'));
    else if (ports.length === max) portsMore = true;
    portCount++;
  }
  const addrs: string[] = [];
  let addrCount = 0;
  let addrMore = false;
  for (const e of s.endpoints ?? []) {
    for (const a of e.addresses ?? []) {
      if (addrs.length < max) addrs.push(a);
      else if (addrs.length === max) addrMore = true;
      addrCount++;
    }
  }
  return [
    s.metadata?.name ?? '',
    s.addressType ?? '',
    listWithMore(ports, portsMore, portCount, max, '<unset>'),
    listWithMore(addrs, addrMore, addrCount, max, '<unset>'),
    age(s, now, window),
  ];
}

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';

export function findNodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith(NODE_ROLE_PREFIX)) {
      const role = k.slice(NODE_ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  return [...roles].sort();
}

function nodeAddress(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
}

export function nodeCells(node: Node, now: number, window?: AgeWindow): Cell[] {
  const status: string[] = [];
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (status.length === 0) status.push('Unknown');
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  const info = node.status?.nodeInfo;
  return [
    node.metadata?.name ?? '',
    status.join(','),
    findNodeRoles(node).join(',') || '<none>',
    age(node, now, window),
    info?.kubeletVersion ?? '',
    nodeAddress(node, 'InternalIP'),
    nodeAddress(node, 'ExternalIP'),
    info?.osImage || '<unknown>',
    info?.kernelVersion || '<unknown>',
    info?.containerRuntimeVersion || '<unknown>',
  ];
}

export function namespaceCells(ns: Namespace, now: number, window?: AgeWindow): Cell[] {
  return [ns.metadata?.name ?? '', ns.status?.phase ?? '', age(ns, now, window)];
}

function formatEventSource(e: Event): string {
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  if (!component) return '<unknown>';
  return instance ? `${component}, ${instance}` : component;
}

export function eventCells(e: Event, now: number, window?: AgeWindow): Cell[] {
  let firstSeen = translateTimestampSince(e.firstTimestamp, now, window);
  if (timestampMs(e.firstTimestamp) === undefined) firstSeen = translateTimestampSince(e.eventTime, now, window);
  let lastSeen = translateTimestampSince(e.lastTimestamp, now, window);
  if (timestampMs(e.lastTimestamp) === undefined) lastSeen = firstSeen;
  let count = e.count ?? 0;
  if (e.series) {
    lastSeen = translateTimestampSince(e.series.lastObservedTime, now, window);
    count = e.series.count ?? 0;
  } else if (count === 0) count = 1; // singleton events from the events.k8s.io API carry no count
  const io = e.involvedObject;
  const target = io?.name ? `${(io.kind ?? '').toLowerCase()}/${io.name}` : (io?.kind ?? '').toLowerCase();
  return [lastSeen, e.type ?? '', e.reason ?? '', target, io?.fieldPath ?? '', formatEventSource(e), (e.message ?? '').trim(), firstSeen, count, e.metadata?.name ?? ''];
}

export function leaseCells(l: Lease, now: number, window?: AgeWindow): Cell[] {
  return [l.metadata?.name ?? '', l.spec?.holderIdentity ?? '', age(l, now, window)];
}

export function configMapCells(cm: ConfigMap, now: number, window?: AgeWindow): Cell[] {
  return [cm.metadata?.name ?? '', Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, age(cm, now, window)];
}
