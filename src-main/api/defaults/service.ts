/**
 * Service defaults (SetDefaults_Service) plus what kube-apiserver's service REST storage settles before validation
 * in a single-stack IPv4 cluster: clusterIPs mirrored from clusterIP (NormalizeClusterIPs), ipFamilyPolicy and
 * ipFamilies (initIPFamilyFields), and on update the values a client left out (patchAllocatedValues).
 */

import type { Service, ServiceSpec } from 'kubernetes-types/core/v1';

const needsClusterIP = (svc: Service) => svc.spec?.type !== 'ExternalName';
const needsNodePort = (svc: Service) => svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer';
const needsHCNodePort = (svc: Service) => svc.spec?.type === 'LoadBalancer' && svc.spec?.externalTrafficPolicy === 'Local';

export function serviceExternallyAccessible(svc: Service): boolean {
  const s: ServiceSpec = svc.spec ?? {};
  return s.type === 'LoadBalancer' || s.type === 'NodePort' || (s.type === 'ClusterIP' && (s.externalIPs ?? []).length > 0);
}

/** SetDefaults_Service. */
export function defaultServiceSpec(svc: Service): void {
  svc.spec ??= {};
  const s = svc.spec;
  if (!s.sessionAffinity) s.sessionAffinity = 'None';
  if (s.sessionAffinity === 'None') delete s.sessionAffinityConfig;
  if (s.sessionAffinity === 'ClientIP' && (s.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? null) === null)
    s.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  if (!s.type) s.type = 'ClusterIP';
  for (const p of s.ports ?? []) {
    if (!p.protocol) p.protocol = 'TCP';
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (serviceExternallyAccessible(svc) && !s.externalTrafficPolicy) s.externalTrafficPolicy = 'Cluster';
  if ((s.internalTrafficPolicy ?? null) === null && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(s.type)) s.internalTrafficPolicy = 'Cluster';
  if (s.type === 'LoadBalancer' && (s.allocateLoadBalancerNodePorts ?? null) === null) s.allocateLoadBalancerNodePorts = true;
  if (s.type === 'LoadBalancer')
    for (const ing of svc.status?.loadBalancer?.ingress ?? []) if (ing.ip && !ing.ipMode) ing.ipMode = 'VIP';
}

/** ipFamilyPolicy / ipFamilies for a single-stack IPv4 cluster; nothing for ExternalName. */
function initIPFamilyFields(svc: Service): void {
  const s = svc.spec!;
  if (s.type === 'ExternalName') return;
  const headlessSelectorless = (s.clusterIPs ?? [])[0] === 'None' && Object.keys(s.selector ?? {}).length === 0;
  if ((s.ipFamilyPolicy ?? null) === null) s.ipFamilyPolicy = headlessSelectorless ? 'RequireDualStack' : 'SingleStack';
  if (!(s.ipFamilies ?? []).length) s.ipFamilies = ['IPv4'];
}

/** Create: defaults, then clusterIPs from a lone clusterIP, then IP families. */
export function defaultService(svc: Service): void {
  defaultServiceSpec(svc);
  const s = svc.spec!;
  if (s.clusterIP && !(s.clusterIPs ?? []).length) s.clusterIPs = [s.clusterIP];
  initIPFamilyFields(svc);
}

const sameIPs = (a: Service, b: Service) => JSON.stringify(a.spec?.clusterIPs ?? []) === JSON.stringify(b.spec?.clusterIPs ?? []);

/** Update (after defaultServiceSpec on the new object): patchAllocatedValues, NormalizeClusterIPs, families. */
export function prepareServiceForUpdate(svc: Service, old: Service): void {
  const s = svc.spec!;
  const o: ServiceSpec = old.spec ?? {};
  if (needsClusterIP(old) && needsClusterIP(svc)) {
    if (!s.clusterIP) s.clusterIP = o.clusterIP;
    if (!(s.clusterIPs ?? []).length && o.clusterIPs?.length) s.clusterIPs = [...o.clusterIPs];
    if ((s.ipFamilyPolicy ?? null) === null && o.ipFamilyPolicy) s.ipFamilyPolicy = o.ipFamilyPolicy;
    if (!(s.ipFamilies ?? []).length && o.ipFamilies?.length) s.ipFamilies = [...o.ipFamilies];
  }
  if (needsNodePort(old) && needsNodePort(svc)) {
    const usedByBoth = new Set((o.ports ?? []).map((p) => p.nodePort).filter((np) => (s.ports ?? []).some((q) => q.nodePort === np)));
    const byName = new Map((o.ports ?? []).map((p) => [p.name ?? '', p.nodePort]));
    for (const p of s.ports ?? []) {
      const oldVal = byName.get(p.name ?? '');
      if (!p.nodePort && oldVal && !usedByBoth.has(oldVal)) p.nodePort = oldVal;
    }
  }
  if (needsHCNodePort(old) && needsHCNodePort(svc) && !s.healthCheckNodePort) s.healthCheckNodePort = o.healthCheckNodePort;
  // NormalizeClusterIPs
  if ((o.clusterIPs ?? []).length && !(s.clusterIPs ?? []).length && o.clusterIP === s.clusterIP) s.clusterIPs = o.clusterIPs;
  if (o.clusterIP !== s.clusterIP) {
    if (o.clusterIP && !s.clusterIP && sameIPs(old, svc)) delete s.clusterIPs;
    if (s.clusterIP && sameIPs(old, svc)) s.clusterIPs = [s.clusterIP];
  }
  if (s.type === 'ExternalName') {
    // dropTypeDependentFields: moving to ExternalName releases the IP fields the client did not change.
    if (s.clusterIP === o.clusterIP) delete s.clusterIP;
    if (sameIPs(old, svc)) delete s.clusterIPs;
    if (s.ipFamilyPolicy === o.ipFamilyPolicy) delete s.ipFamilyPolicy;
    if (JSON.stringify(s.ipFamilies ?? []) === JSON.stringify(o.ipFamilies ?? [])) delete s.ipFamilies;
  } else initIPFamilyFields(svc);
}
