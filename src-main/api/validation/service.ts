/**
 * Service validation (pkg/apis/core/validation/validation.go ValidateService, validateServicePort,
 * ValidateServiceClusterIPsRelatedFields, validateUpgradeDowngradeClusterIPs, traffic policies). Static checks only:
 * "already allocated" and range checks belong to the allocators (see nodePortRangeErrors for the message).
 */
import { type FieldError, field } from '../field-errors.ts';
import type { ObjectMeta } from '../types.ts';
import { isQualifiedName, isValidPortNum, nameIsDNS1035Label } from '../names.ts';
import { goServicePortKey, goStrings } from './go-values.ts';
import { isIPv6, isValidCIDRErrors, isValidIPErrors, validateNonSpecialIP } from './ip.ts';
import { validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './meta.ts';
import { dns1123LabelErrors, dns1123SubdomainErrors, validatePortNumOrName } from './pod.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = any;

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const AFFINITIES = ['ClientIP', 'None'];
const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const MAX_AFFINITY_SECONDS = 86400;

export function isHeadless(svc: Obj): boolean {
  const ips = svc.spec?.clusterIPs ?? [];
  return ips.length === 1 && ips[0] === 'None';
}

export function externallyAccessible(svc: Obj): boolean {
  const s = svc.spec ?? {};
  return s.type === 'LoadBalancer' || s.type === 'NodePort' || (s.type === 'ClusterIP' && (s.externalIPs ?? []).length > 0);
}

function needsHealthCheck(svc: Obj): boolean {
  return svc.spec?.type === 'LoadBalancer' && svc.spec?.externalTrafficPolicy === 'Local';
}

function validateServicePort(sp: Obj, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !sp.name) errs.push(field.required(`${path}.name`));
  else if (sp.name) {
    errs.push(...dns1123LabelErrors(sp.name, `${path}.name`));
    if (names.has(sp.name)) errs.push(field.duplicate(`${path}.name`, sp.name));
    else names.add(sp.name);
  }
  for (const m of isValidPortNum(sp.port ?? 0)) errs.push(field.invalid(`${path}.port`, sp.port ?? 0, m));
  if (!sp.protocol) errs.push(field.required(`${path}.protocol`));
  else if (!PORT_PROTOCOLS.includes(sp.protocol)) errs.push(field.notSupported(`${path}.protocol`, sp.protocol, PORT_PROTOCOLS));
  errs.push(...validatePortNumOrName(sp.targetPort ?? 0, `${path}.targetPort`));
  if (sp.appProtocol !== undefined && sp.appProtocol !== null)
    for (const m of isQualifiedName(sp.appProtocol)) errs.push(field.invalid(`${path}.appProtocol`, sp.appProtocol, m));
  return errs;
}

function validateClientIPAffinity(cfg: Obj, path: string): FieldError[] {
  const why = 'when session affinity type is ClientIP';
  if (!cfg) return [field.required(path, why)];
  if (!cfg.clientIP) return [field.required(`${path}.clientIP`, why)];
  const t = cfg.clientIP.timeoutSeconds;
  if (t === undefined || t === null) return [field.required(`${path}.clientIP.timeoutSeconds`, why)];
  if (t <= 0 || t > MAX_AFFINITY_SECONDS)
    return [field.invalid(`${path}.clientIP.timeoutSeconds`, t, `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`)];
  return [];
}

function validateClusterIPsRelated(svc: Obj): FieldError[] {
  const s = svc.spec ?? {};
  if (s.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ips: string[] = s.clusterIPs ?? [];
  const p = 'spec.clusterIPs';
  if (s.clusterIP) {
    if (ips.length === 0) errs.push(field.required(p));
    else if (ips[0] !== s.clusterIP) errs.push(field.invalid(p, goStrings(ips), 'first value must match `clusterIP`'));
  } else if (ips.length) {
    errs.push(field.invalid(p, goStrings(ips), 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  (s.ipFamilies ?? []).forEach((f: string, i: number) => {
    if (!IP_FAMILIES.includes(f)) errs.push(field.notSupported(`spec.ipFamilies[${i}]`, f, IP_FAMILIES));
    if (seen.has(f)) errs.push(field.duplicate(`spec.ipFamilies[${i}]`, f));
    seen.add(f);
  });
  if (s.ipFamilyPolicy !== undefined && s.ipFamilyPolicy !== null && !IP_FAMILY_POLICIES.includes(s.ipFamilyPolicy))
    errs.push(field.notSupported('spec.ipFamilyPolicy', s.ipFamilyPolicy, IP_FAMILY_POLICIES));
  let invalid = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        invalid = true;
        errs.push(field.invalid(p, goStrings(ips), "'None' must be the first and only value"));
      }
      return;
    }
    const e = isValidIPErrors(`${p}[${i}]`, ip);
    if (e.length) invalid = true;
    errs.push(...e);
  });
  if (ips.length > 2) errs.push(field.invalid(p, goStrings(ips), 'may only hold up to 2 values'));
  if (invalid) return errs;
  if (ips.length > 1 && isIPv6(ips[0]) === isIPv6(ips[1]))
    errs.push(field.invalid(p, goStrings(ips), 'may specify no more than one IP for each IP family'));
  const families: string[] = s.ipFamilies ?? [];
  if (!isHeadless(svc) && families.length)
    ips.forEach((ip, i) => {
      if (i > families.length - 1) return;
      if (families[i] === 'IPv4' && isIPv6(ip)) errs.push(field.invalid(`${p}[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (families[i] === 'IPv6' && !isIPv6(ip)) errs.push(field.invalid(`${p}[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  return errs;
}

/** ValidateService, error for error in upstream order. */
export function validateService(svc: Obj): FieldError[] {
  const errs = validateObjectMeta(svc.metadata as ObjectMeta, true, nameIsDNS1035Label);
  const s = svc.spec ?? {};
  const ports: Obj[] = s.ports ?? [];
  const headless = isHeadless(svc);
  if (ports.length === 0 && !headless && s.type !== 'ExternalName') errs.push(field.required('spec.ports'));
  if (s.type === 'LoadBalancer' && headless)
    errs.push(field.invalid('spec.clusterIPs[0]', s.clusterIPs[0], "may not be set to 'None' for LoadBalancer services"));
  if (s.type === 'NodePort' && headless) errs.push(field.invalid('spec.clusterIPs[0]', s.clusterIPs[0], "may not be set to 'None' for NodePort services"));
  if (s.type === 'ExternalName') {
    const forbid = 'may not be set for ExternalName services';
    if ((s.clusterIPs ?? []).length) errs.push(field.forbidden('spec.clusterIPs', forbid));
    if ((s.ipFamilies ?? []).length) errs.push(field.forbidden('spec.ipFamilies', forbid));
    if (s.ipFamilyPolicy !== undefined && s.ipFamilyPolicy !== null) errs.push(field.forbidden('spec.ipFamilyPolicy', forbid));
    const cname = String(s.externalName ?? '').replace(/\.$/, '');
    if (cname) errs.push(...dns1123SubdomainErrors(cname, 'spec.externalName'));
    else errs.push(field.required('spec.externalName'));
  }
  const names = new Set<string>();
  ports.forEach((sp, i) => errs.push(...validateServicePort(sp, ports.length > 1, names, `spec.ports[${i}]`)));
  if (s.selector !== undefined && s.selector !== null) errs.push(...validateLabels(s.selector, 'spec.selector'));
  if (!s.sessionAffinity) errs.push(field.required('spec.sessionAffinity'));
  else if (!AFFINITIES.includes(s.sessionAffinity)) errs.push(field.notSupported('spec.sessionAffinity', s.sessionAffinity, AFFINITIES));
  if (s.sessionAffinity === 'ClientIP') errs.push(...validateClientIPAffinity(s.sessionAffinityConfig, 'spec.sessionAffinityConfig'));
  else if (s.sessionAffinity === 'None' && s.sessionAffinityConfig)
    errs.push(field.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  errs.push(...validateClusterIPsRelated(svc));
  (s.externalIPs ?? []).forEach((ip: string, i: number) => {
    const e = isValidIPErrors(`spec.externalIPs[${i}]`, ip);
    errs.push(...(e.length ? e : validateNonSpecialIP(ip, `spec.externalIPs[${i}]`)));
  });
  if (!s.type) errs.push(field.required('spec.type'));
  else if (!SERVICE_TYPES.includes(s.type)) errs.push(field.notSupported('spec.type', s.type, SERVICE_TYPES));
  if (s.type === 'ClusterIP')
    ports.forEach((sp, i) => {
      if (sp.nodePort) errs.push(field.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  const nodePorts = new Set<string>();
  ports.forEach((sp, i) => {
    if (!sp.nodePort) return;
    const key = `${sp.protocol}/${sp.nodePort}`;
    if (nodePorts.has(key)) errs.push(field.duplicate(`spec.ports[${i}].nodePort`, sp.nodePort));
    nodePorts.add(key);
  });
  const portKeys = new Set<string>();
  ports.forEach((sp, i) => {
    const key = `${sp.protocol ?? ''}/${sp.port ?? 0}`;
    if (portKeys.has(key)) errs.push(field.duplicate(`spec.ports[${i}]`, goServicePortKey(sp.protocol ?? '', sp.port ?? 0)));
    portKeys.add(key);
  });
  const ranges: string[] = s.loadBalancerSourceRanges ?? [];
  if (ranges.length) {
    const p = 'spec.LoadBalancerSourceRanges'; // sic: upstream's path is capitalised
    if (s.type !== 'LoadBalancer') errs.push(field.forbidden(p, "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((r, i) => errs.push(...isValidCIDRErrors(`${p}[${i}]`, r.trim())));
  } else if (svc.metadata?.annotations?.['service.beta.kubernetes.io/load-balancer-source-ranges'] !== undefined) {
    const key = 'service.beta.kubernetes.io/load-balancer-source-ranges';
    const p = `metadata.annotations[${key}]`;
    if (s.type !== 'LoadBalancer') errs.push(field.forbidden(p, "may only be used when `type` is 'LoadBalancer'"));
    const val = String(svc.metadata.annotations[key]).trim();
    if (val) for (const r of val.split(',')) errs.push(...isValidCIDRErrors(p, r.trim()));
  }
  if (s.allocateLoadBalancerNodePorts !== undefined && s.allocateLoadBalancerNodePorts !== null && s.type !== 'LoadBalancer')
    errs.push(field.forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  if (s.type === 'LoadBalancer' && (s.allocateLoadBalancerNodePorts === undefined || s.allocateLoadBalancerNodePorts === null))
    errs.push(field.required('allocateLoadBalancerNodePorts')); // sic: upstream path has no "spec."
  if (s.loadBalancerClass !== undefined && s.loadBalancerClass !== null) {
    if (s.type !== 'LoadBalancer') errs.push(field.forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
    else for (const m of isQualifiedName(s.loadBalancerClass)) errs.push(field.invalid('spec.loadBalancerClass', s.loadBalancerClass, m));
  }
  errs.push(...validateTrafficPolicies(svc));
  return errs;
}

function validateTrafficPolicies(svc: Obj): FieldError[] {
  const s = svc.spec ?? {};
  const errs: FieldError[] = [];
  if (!externallyAccessible(svc)) {
    if (s.externalTrafficPolicy)
      errs.push(field.invalid('spec.externalTrafficPolicy', s.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else if (!s.externalTrafficPolicy) errs.push(field.required('spec.externalTrafficPolicy'));
  else if (!['Cluster', 'Local'].includes(s.externalTrafficPolicy))
    errs.push(field.notSupported('spec.externalTrafficPolicy', s.externalTrafficPolicy, ['Cluster', 'Local']));
  if (!needsHealthCheck(svc)) {
    if (s.healthCheckNodePort)
      errs.push(field.invalid('spec.healthCheckNodePort', s.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (!s.healthCheckNodePort) errs.push(field.required('spec.healthCheckNodePort'));
  if (s.internalTrafficPolicy === undefined || s.internalTrafficPolicy === null) {
    if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(s.type)) errs.push(field.required('spec.internalTrafficPolicy'));
  } else if (!['Cluster', 'Local'].includes(s.internalTrafficPolicy)) {
    errs.push(field.notSupported('spec.internalTrafficPolicy', s.internalTrafficPolicy, ['Cluster', 'Local']));
  }
  if (s.trafficDistribution !== undefined && s.trafficDistribution !== null && s.trafficDistribution !== 'PreferClose')
    errs.push(field.notSupported('spec.trafficDistribution', s.trafficDistribution, ['PreferClose']));
  return errs;
}

function upgradeDowngradeClusterIPs(old: Obj, svc: Obj): FieldError[] {
  if (svc.spec?.type === 'ExternalName' || old.spec?.type === 'ExternalName') return [];
  if (isHeadless(old) && isHeadless(svc)) return [];
  const o: string[] = old.spec?.clusterIPs ?? [];
  const n: string[] = svc.spec?.clusterIPs ?? [];
  const errs: FieldError[] = [];
  const changed = (i: number) => field.invalid(`spec.clusterIPs[${i}]`, goStrings(n), 'may not change once set');
  if (o.length === n.length) o.forEach((ip, i) => ip !== n[i] && errs.push(changed(i)));
  else if (o.length > n.length) {
    if (n.length === 0) errs.push(field.invalid('spec.clusterIPs[0]', goStrings(n), 'primary clusterIP can not be unset'));
    if (o.length > 0 && n.length > 0 && n[0] !== o[0]) errs.push(changed(0));
    if (n.length === 1 && svc.spec?.ipFamilyPolicy !== 'SingleStack')
      errs.push(field.invalid('spec.clusterIPs[0]', goStrings(n), "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP"));
  } else if (o.length > 0 && n[0] !== o[0]) errs.push(changed(0));
  return errs;
}

function upgradeDowngradeIPFamilies(old: Obj, svc: Obj): FieldError[] {
  if (svc.spec?.type === 'ExternalName' || old.spec?.type === 'ExternalName') return [];
  if (isHeadless(old) !== isHeadless(svc) || isHeadless(svc)) return [];
  const o: string[] = old.spec?.ipFamilies ?? [];
  const n: string[] = svc.spec?.ipFamilies ?? [];
  const errs: FieldError[] = [];
  if (o.length === n.length) {
    o.forEach((f, i) => f !== n[i] && errs.push(field.invalid('spec.ipFamilies[0]', goStrings(n), 'may not change once set')));
  } else if (o.length > 0 && n.length > 0 && n[0] !== o[0]) {
    errs.push(field.invalid('spec.ipFamilies[0]', goStrings(n), 'may not change once set'));
  }
  return errs;
}

export function validateServiceUpdate(svc: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(svc.metadata, old.metadata);
  errs.push(...upgradeDowngradeClusterIPs(old, svc));
  errs.push(...upgradeDowngradeIPFamilies(old, svc));
  const oc = old.spec?.loadBalancerClass;
  if (oc && old.spec?.type === 'LoadBalancer' && svc.spec?.type === 'LoadBalancer' && oc !== svc.spec?.loadBalancerClass)
    errs.push(field.invalid('spec.loadBalancerClass', svc.spec?.loadBalancerClass ?? null, 'may not change once set'));
  if (needsHealthCheck(old) && needsHealthCheck(svc) && old.spec?.healthCheckNodePort !== svc.spec?.healthCheckNodePort)
    errs.push(field.forbidden('spec.healthCheckNodePort', 'field is immutable'));
  errs.push(...validateService(svc));
  return errs;
}

/** The node-port allocator's range check (pkg/registry/core/service/portallocator), for whoever allocates. */
export function nodePortRangeErrors(svc: Obj, min = 30000, max = 32767): FieldError[] {
  const errs: FieldError[] = [];
  (svc.spec?.ports ?? []).forEach((sp: Obj, i: number) => {
    if (sp.nodePort && (sp.nodePort < min || sp.nodePort > max))
      errs.push(field.invalid(`spec.ports[${i}].nodePort`, sp.nodePort, `provided port is not in the valid range. The range of valid ports is ${min}-${max}`));
  });
  return errs;
}
