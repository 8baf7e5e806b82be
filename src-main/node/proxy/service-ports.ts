/**
 * What kube-proxy's change trackers make of Services and EndpointSlices (pkg/proxy/serviceport.go, endpoint.go,
 * endpointslicecache.go) and how it splits endpoints by traffic policy (pkg/proxy/topology.go CategorizeEndpoints).
 */
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { isIPv4, parseCidr, formatCidr } from '../../net/ipv4.ts';
import { servicePortName, svcChain, svlChain, extChain, fwChain, sepChain } from './chain-names.ts';
import type { Proto } from './model.ts';

export const DEFAULT_STICKY_SECONDS = 10800;
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface ServicePortInfo {
  namespace: string;
  name: string;
  portName: string;
  /** `ns/svc[:port]` */
  spn: string;
  /** Lower case, as used in rules and hashes. */
  protocol: Proto;
  clusterIP: string;
  port: number;
  nodePort: number;
  externalIPs: string[];
  loadBalancerVIPs: string[];
  loadBalancerSourceRanges: string[];
  sessionAffinityClientIP: boolean;
  stickyMaxAgeSeconds: number;
  externalPolicyLocal: boolean;
  internalPolicyLocal: boolean;
  healthCheckNodePort: number;
  clusterPolicyChain: string;
  localPolicyChain: string;
  externalChain: string;
  firewallChain: string;
}

export interface EndpointInfo {
  ip: string;
  port: number;
  /** `ip:port` */
  endpoint: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  isLocal: boolean;
  nodeName?: string;
  chain: string;
}

export function externallyAccessible(s: ServicePortInfo): boolean {
  return s.nodePort !== 0 || s.loadBalancerVIPs.length > 0 || s.externalIPs.length > 0;
}
export function usesClusterEndpoints(s: ServicePortInfo): boolean {
  return !s.internalPolicyLocal || (externallyAccessible(s) && !s.externalPolicyLocal);
}
export function usesLocalEndpoints(s: ServicePortInfo): boolean {
  return s.internalPolicyLocal || (s.externalPolicyLocal && externallyAccessible(s));
}

/** Headless, ExternalName and IP-less services are not proxied: they yield no ports. */
export function servicePorts(svc: Service): ServicePortInfo[] {
  const spec = svc.spec ?? {};
  const clusterIP = spec.clusterIP ?? '';
  if (!clusterIP || clusterIP === 'None' || spec.type === 'ExternalName' || !isIPv4(clusterIP)) return [];
  const type = spec.type ?? 'ClusterIP';
  const namespace = svc.metadata?.namespace ?? 'default';
  const name = svc.metadata?.name ?? '';
  const externalIPs = (spec.externalIPs ?? []).filter(isIPv4);
  const svcExternallyAccessible = type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && externalIPs.length > 0);
  const externalPolicyLocal = svcExternallyAccessible && spec.externalTrafficPolicy === 'Local';
  const lbVIPs = (svc.status?.loadBalancer?.ingress ?? [])
    .filter((i) => i.ip && isIPv4(i.ip) && (i.ipMode === undefined || i.ipMode === 'VIP'))
    .map((i) => i.ip!);
  const ranges = (spec.loadBalancerSourceRanges ?? []).map((r) => r.trim()).filter((r) => r && isIPv4(r.split('/')[0]!)).map((r) => formatCidr(parseCidr(r)));
  const clientIP = spec.sessionAffinity === 'ClientIP';
  return (spec.ports ?? []).map((p) => {
    const protocol = (p.protocol ?? 'TCP').toLowerCase() as Proto;
    const portName = p.name ?? '';
    const spn = servicePortName(namespace, name, portName);
    return {
      namespace,
      name,
      portName,
      spn,
      protocol,
      clusterIP,
      port: p.port,
      nodePort: p.nodePort ?? 0,
      externalIPs,
      loadBalancerVIPs: lbVIPs,
      loadBalancerSourceRanges: ranges,
      sessionAffinityClientIP: clientIP,
      stickyMaxAgeSeconds: clientIP ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_STICKY_SECONDS) : 0,
      externalPolicyLocal,
      internalPolicyLocal: spec.internalTrafficPolicy === 'Local',
      healthCheckNodePort: type === 'LoadBalancer' && externalPolicyLocal ? (spec.healthCheckNodePort ?? 0) : 0,
      clusterPolicyChain: svcChain(spn, protocol),
      localPolicyChain: svlChain(spn, protocol),
      externalChain: extChain(spn, protocol),
      firewallChain: fwChain(spn, protocol),
    };
  });
}

/**
 * Endpoints of one service port from the service's IPv4 slices, merged by `ip:port` and sorted by that string.
 * The slice port is matched by name and protocol, which is how a named targetPort reaches the proxy already resolved.
 */
/**
 * EndpointSlices grouped by `namespace/service-name` (their kubernetes.io/service-name label), so a sync over many
 * services looks at each service's own slices rather than at every slice of the cluster.
 */
export function slicesByService(slices: Iterable<EndpointSlice>): Map<string, EndpointSlice[]> {
  const out = new Map<string, EndpointSlice[]>();
  for (const slice of slices) {
    const name = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (name === undefined) continue;
    const key = `${slice.metadata?.namespace ?? 'default'}/${name}`;
    const list = out.get(key);
    if (list) list.push(slice);
    else out.set(key, [slice]);
  }
  return out;
}

/** The slices of one service port's service, from slicesByService(). */
export function slicesFor(index: Map<string, EndpointSlice[]>, info: { namespace: string; name: string }): EndpointSlice[] {
  return index.get(`${info.namespace}/${info.name}`) ?? [];
}

export function endpointsFor(
  info: ServicePortInfo,
  slices: EndpointSlice[],
  nodeName: string,
  localPodIPs?: ReadonlySet<string>,
): EndpointInfo[] {
  const byKey = new Map<string, EndpointInfo>();
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4') continue;
    if ((slice.metadata?.namespace ?? 'default') !== info.namespace) continue;
    if (slice.metadata?.labels?.[SERVICE_NAME_LABEL] !== info.name) continue;
    for (const sp of slice.ports ?? []) {
      if (sp.port === undefined || sp.port === null) continue;
      if ((sp.name ?? '') !== info.portName || (sp.protocol ?? 'TCP').toLowerCase() !== info.protocol) continue;
      for (const ep of slice.endpoints ?? []) {
        const ip = ep.addresses?.[0];
        if (!ip) continue;
        const ready = ep.conditions?.ready ?? true;
        const endpoint = `${ip}:${sp.port}`;
        if (byKey.has(endpoint)) continue;
        byKey.set(endpoint, {
          ip,
          port: sp.port,
          endpoint,
          ready,
          serving: ep.conditions?.serving ?? ready,
          terminating: ep.conditions?.terminating ?? false,
          isLocal: ep.nodeName !== undefined ? ep.nodeName === nodeName : (localPodIPs?.has(ip) ?? false),
          nodeName: ep.nodeName,
          chain: sepChain(info.spn, info.protocol, endpoint),
        });
      }
    }
  }
  return [...byKey.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
}

export interface Categorized {
  clusterEndpoints: EndpointInfo[];
  localEndpoints: EndpointInfo[];
  allReachable: EndpointInfo[];
  hasAnyEndpoints: boolean;
}

/** CategorizeEndpoints without topology hints: ready endpoints, else serving-and-terminating ones. */
export function categorizeEndpoints(endpoints: EndpointInfo[], svc: ServicePortInfo): Categorized {
  let clusterEndpoints: EndpointInfo[] = [];
  let localEndpoints: EndpointInfo[] = [];
  let hasAnyEndpoints = false;
  if (usesClusterEndpoints(svc)) {
    clusterEndpoints = endpoints.filter((e) => e.ready);
    if (clusterEndpoints.length === 0) clusterEndpoints = endpoints.filter((e) => e.serving && e.terminating);
    if (clusterEndpoints.length > 0) hasAnyEndpoints = true;
  }
  if (!usesLocalEndpoints(svc)) return { clusterEndpoints, localEndpoints, allReachable: clusterEndpoints, hasAnyEndpoints };

  let localReady = false;
  let localServingTerminating = false;
  for (const e of endpoints) {
    if (e.ready) {
      hasAnyEndpoints = true;
      if (e.isLocal) localReady = true;
    } else if (e.serving && e.terminating) {
      hasAnyEndpoints = true;
      if (e.isLocal) localServingTerminating = true;
    }
  }
  let usesServingTerminating = false;
  if (localReady) localEndpoints = endpoints.filter((e) => e.isLocal && e.ready);
  else if (localServingTerminating) {
    usesServingTerminating = true;
    localEndpoints = endpoints.filter((e) => e.isLocal && e.serving && e.terminating);
  }
  if (!usesClusterEndpoints(svc)) return { clusterEndpoints, localEndpoints, allReachable: localEndpoints, hasAnyEndpoints };
  if (!usesServingTerminating) return { clusterEndpoints, localEndpoints, allReachable: clusterEndpoints, hasAnyEndpoints };
  const merged = new Map<string, EndpointInfo>();
  for (const e of [...clusterEndpoints, ...localEndpoints]) merged.set(e.endpoint, e);
  return { clusterEndpoints, localEndpoints, allReachable: [...merged.values()], hasAnyEndpoints };
}
