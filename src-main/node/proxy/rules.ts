/**
 * buildNatTable: kube-proxy's syncProxyRules (pkg/proxy/iptables/proxier.go, iptables mode) as a pure function of the
 * node and the Service/EndpointSlice objects it sees.
 */
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { cidrContains } from '../../net/ipv4.ts';
import { addBaseFilterRules, addBaseNatRules, addForwardRules, addNodePortsTailRule } from './base-rules.ts';
import { appendRule, comment, ensureChain, jump, newTable, type IptTable, type Match, type NatTable, type Target } from './model.ts';
import {
  categorizeEndpoints,
  endpointsFor,
  slicesByService,
  slicesFor,
  externallyAccessible,
  servicePorts,
  usesClusterEndpoints,
  usesLocalEndpoints,
  type EndpointInfo,
  type ServicePortInfo,
} from './service-ports.ts';

export interface BuildInput {
  nodeName: string;
  nodeIP: string;
  /** Cluster pod CIDR for the local-traffic detector; '' disables the `! -s <cidr>` masquerade rules. */
  clusterCIDR: string;
  services: Service[];
  endpointSlices: EndpointSlice[];
  /** Pod IPs on this node, for endpoints whose slice entry has no nodeName. */
  localPodIPs?: Iterable<string>;
  /** Extra addresses owned by the node (e.g. the cni0 bridge IP) for `addrtype LOCAL`. */
  localAddresses?: string[];
}

const REJECT: Target = { kind: 'REJECT', rejectWith: 'icmp-port-unreachable' };

/** kube-proxy's probability text (`%0.10f` of 1/n), as the number iptables parses. */
export function kubeProxyProbability(n: number): number {
  return Number((1 / n).toFixed(10));
}

const COLLATOR = new Intl.Collator();

export function buildNatTable(input: BuildInput): NatTable {
  const nat = newTable('nat');
  const filter = newTable('filter');
  addBaseNatRules(nat);
  addBaseFilterRules(filter);
  const localPodIPs = new Set(input.localPodIPs ?? []);

  // Same order as sorting with localeCompare (a default Collator is what localeCompare uses), keys computed once.
  const services = input.services.map((svc) => ({ svc, key: keyOf(svc) })).sort((a, b) => COLLATOR.compare(a.key, b.key));
  const slices = slicesByService(input.endpointSlices);
  for (const { svc } of services) {
    for (const info of servicePorts(svc)) {
      const endpoints = endpointsFor(info, slicesFor(slices, info), input.nodeName, localPodIPs);
      writeServicePort(nat, filter, info, endpoints, input);
    }
  }
  addNodePortsTailRule(nat);
  addForwardRules(filter);
  return {
    nodeName: input.nodeName,
    nodeIP: input.nodeIP,
    clusterCIDR: input.clusterCIDR,
    localAddresses: [input.nodeIP, ...(input.localAddresses ?? [])],
    nat,
    filter,
  };
}

function keyOf(s: Service): string {
  return `${s.metadata?.namespace ?? 'default'}/${s.metadata?.name ?? ''}`;
}

function portMatch(info: ServicePortInfo, text: string, port: number, extra: Match[] = []): Match[] {
  return [comment(text), ...extra, { kind: 'proto', proto: info.protocol, dport: port }];
}

/**
 * What syncProxyRules decides for one service port before it writes anything: which policy chain internal and
 * external traffic take, whether each has endpoints, and what the filter table does when it has none.
 */
interface PortPlan {
  s: ServicePortInfo;
  clusterEndpoints: EndpointInfo[];
  localEndpoints: EndpointInfo[];
  allReachable: EndpointInfo[];
  hasAnyEndpoints: boolean;
  usesClusterPolicyChain: boolean;
  usesLocalPolicyChain: boolean;
  internalPolicyChain: string;
  hasInternalEndpoints: boolean;
  externalPolicyChain: string;
  hasExternalEndpoints: boolean;
  usesExternalTrafficChain: boolean;
  usesFWChain: boolean;
  loadBalancerTrafficChain: string;
  internalFilter: Target | undefined;
  externalFilter: Target | undefined;
  internalFilterComment: string;
  externalFilterComment: string;
}

function planServicePort(s: ServicePortInfo, endpoints: EndpointInfo[]): PortPlan {
  const { clusterEndpoints, localEndpoints, allReachable, hasAnyEndpoints } = categorizeEndpoints(endpoints, s);
  const spn = s.spn;
  let internalPolicyChain = s.clusterPolicyChain;
  let hasInternalEndpoints = hasAnyEndpoints;
  if (s.internalPolicyLocal) {
    internalPolicyChain = s.localPolicyChain;
    if (localEndpoints.length === 0) hasInternalEndpoints = false;
  }
  let externalPolicyChain = s.clusterPolicyChain;
  let hasExternalEndpoints = hasAnyEndpoints;
  if (s.externalPolicyLocal) {
    externalPolicyChain = s.localPolicyChain;
    if (localEndpoints.length === 0) hasExternalEndpoints = false;
  }
  const usesFWChain = hasAnyEndpoints && s.loadBalancerVIPs.length > 0 && s.loadBalancerSourceRanges.length > 0;

  let internalFilter: Target | undefined;
  let externalFilter: Target | undefined;
  let internalFilterComment = '';
  let externalFilterComment = '';
  if (!hasAnyEndpoints) {
    internalFilter = externalFilter = REJECT;
    internalFilterComment = externalFilterComment = `${spn} has no endpoints`;
  } else {
    if (!hasInternalEndpoints) {
      internalFilter = { kind: 'DROP' };
      internalFilterComment = `${spn} has no local endpoints`;
    }
    if (!hasExternalEndpoints) {
      externalFilter = { kind: 'DROP' };
      externalFilterComment = `${spn} has no local endpoints`;
    }
  }
  return {
    s,
    clusterEndpoints,
    localEndpoints,
    allReachable,
    hasAnyEndpoints,
    usesClusterPolicyChain: clusterEndpoints.length > 0 && usesClusterEndpoints(s),
    usesLocalPolicyChain: localEndpoints.length > 0 && usesLocalEndpoints(s),
    internalPolicyChain,
    hasInternalEndpoints,
    externalPolicyChain,
    hasExternalEndpoints,
    usesExternalTrafficChain: hasAnyEndpoints && externallyAccessible(s),
    usesFWChain,
    loadBalancerTrafficChain: usesFWChain ? s.firewallChain : s.externalChain,
    internalFilter,
    externalFilter,
    internalFilterComment,
    externalFilterComment,
  };
}

/**
 * One service port, section by section in the proxier's order (each section writes its own chains; the order of the
 * calls is kept because the chain map's insertion order shows in the node's chain listing).
 */
function writeServicePort(nat: IptTable, filter: IptTable, s: ServicePortInfo, endpoints: EndpointInfo[], input: BuildInput): void {
  const p = planServicePort(s, endpoints);
  writeServicesRules(nat, p);
  writeNodePortsRules(nat, p);
  writeFilterRules(filter, p);
  writeInternalTrafficRules(nat, p, input);
  writeExternalChain(nat, p, input);
  writeFirewallChain(nat, p, input);
  if (p.usesClusterPolicyChain) writeServiceToEndpointRules(nat, s, s.clusterPolicyChain, p.clusterEndpoints);
  if (p.usesLocalPolicyChain) writeServiceToEndpointRules(nat, s, s.localPolicyChain, p.localEndpoints);
  writeEndpointChains(nat, p);
}

/** nat KUBE-SERVICES: capture the clusterIP, the external IPs and the load-balancer IPs. */
function writeServicesRules(nat: IptTable, { s, hasAnyEndpoints, hasInternalEndpoints, internalPolicyChain, loadBalancerTrafficChain }: PortPlan): void {
  const { spn, protocol: proto } = s;
  if (hasInternalEndpoints) {
    appendRule(nat, 'KUBE-SERVICES', { dst: s.clusterIP, proto, matches: portMatch(s, `${spn} cluster IP`, s.port), target: jump(internalPolicyChain) });
  }
  if (!hasAnyEndpoints) return;
  for (const ip of s.externalIPs) {
    appendRule(nat, 'KUBE-SERVICES', { dst: ip, proto, matches: portMatch(s, `${spn} external IP`, s.port), target: jump(s.externalChain) });
  }
  for (const ip of s.loadBalancerVIPs) {
    appendRule(nat, 'KUBE-SERVICES', { dst: ip, proto, matches: portMatch(s, `${spn} loadbalancer IP`, s.port), target: jump(loadBalancerTrafficChain) });
  }
}

/** nat KUBE-NODEPORTS: the node port leads to the EXT chain. */
function writeNodePortsRules(nat: IptTable, { s, hasAnyEndpoints }: PortPlan): void {
  if (s.nodePort === 0 || !hasAnyEndpoints) return;
  appendRule(nat, 'KUBE-NODEPORTS', { proto: s.protocol, matches: portMatch(s, s.spn, s.nodePort), target: jump(s.externalChain) });
}

/**
 * The filter table: REJECT (no endpoints) or DROP (no local endpoints) in KUBE-SERVICES and KUBE-EXTERNAL-SERVICES,
 * the load-balancer source-range DROP in KUBE-PROXY-FIREWALL, and the health-check node port ACCEPT.
 */
function writeFilterRules(filter: IptTable, p: PortPlan): void {
  const { s, hasInternalEndpoints, hasExternalEndpoints, internalFilter, externalFilter, internalFilterComment, externalFilterComment } = p;
  const { spn, protocol: proto } = s;
  if (!hasInternalEndpoints) {
    appendRule(filter, 'KUBE-SERVICES', { dst: s.clusterIP, proto, matches: portMatch(s, internalFilterComment, s.port), target: internalFilter });
  }
  if (!hasExternalEndpoints) {
    for (const ip of s.externalIPs) {
      appendRule(filter, 'KUBE-EXTERNAL-SERVICES', { dst: ip, proto, matches: portMatch(s, externalFilterComment, s.port), target: externalFilter });
    }
  }
  if (p.usesFWChain) {
    for (const ip of s.loadBalancerVIPs) {
      appendRule(filter, 'KUBE-PROXY-FIREWALL', {
        dst: ip,
        proto,
        matches: portMatch(s, `${spn} traffic not accepted by ${s.firewallChain}`, s.port),
        target: { kind: 'DROP' },
      });
    }
  }
  if (!hasExternalEndpoints) {
    for (const ip of s.loadBalancerVIPs) {
      appendRule(filter, 'KUBE-EXTERNAL-SERVICES', { dst: ip, proto, matches: portMatch(s, externalFilterComment, s.port), target: externalFilter });
    }
    if (s.nodePort !== 0) {
      appendRule(filter, 'KUBE-EXTERNAL-SERVICES', {
        proto,
        matches: portMatch(s, externalFilterComment, s.nodePort, [{ kind: 'addrtype', dstType: 'LOCAL' }]),
        target: externalFilter,
      });
    }
  }
  if (s.healthCheckNodePort !== 0) {
    appendRule(filter, 'KUBE-NODEPORTS', {
      proto: 'tcp',
      matches: [comment(`${spn} health check node port`), { kind: 'proto', proto: 'tcp', dport: s.healthCheckNodePort }],
      target: { kind: 'ACCEPT' },
    });
  }
}

/** KUBE-SVC-* / KUBE-SVL-* (internal policy chain), first rule: masquerade off-cluster sources reaching the clusterIP. */
function writeInternalTrafficRules(nat: IptTable, { s, hasInternalEndpoints, internalPolicyChain }: PortPlan, input: BuildInput): void {
  if (!hasInternalEndpoints || !input.clusterCIDR) return;
  appendRule(nat, internalPolicyChain, {
    src: { cidr: input.clusterCIDR, negate: true },
    dst: s.clusterIP,
    proto: s.protocol,
    matches: portMatch(s, `${s.spn} cluster IP`, s.port),
    target: jump('KUBE-MARK-MASQ'),
  });
}

/** KUBE-EXT-*: masquerade (Cluster policy) or short-circuit pod and node-local sources (Local policy), then the policy chain. */
function writeExternalChain(nat: IptTable, { s, usesExternalTrafficChain, hasExternalEndpoints, externalPolicyChain }: PortPlan, input: BuildInput): void {
  if (!usesExternalTrafficChain) return;
  const spn = s.spn;
  const ext = s.externalChain;
  ensureChain(nat, ext);
  if (!s.externalPolicyLocal) {
    appendRule(nat, ext, { matches: [comment(`masquerade traffic for ${spn} external destinations`)], target: jump('KUBE-MARK-MASQ') });
  } else {
    if (input.clusterCIDR) {
      appendRule(nat, ext, { src: input.clusterCIDR, matches: [comment(`pod traffic for ${spn} external destinations`)], target: jump(s.clusterPolicyChain) });
    }
    appendRule(nat, ext, {
      matches: [comment(`masquerade LOCAL traffic for ${spn} external destinations`), { kind: 'addrtype', srcType: 'LOCAL' }],
      target: jump('KUBE-MARK-MASQ'),
    });
    appendRule(nat, ext, {
      matches: [comment(`route LOCAL traffic for ${spn} external destinations`), { kind: 'addrtype', srcType: 'LOCAL' }],
      target: jump(s.clusterPolicyChain),
    });
  }
  if (hasExternalEndpoints) appendRule(nat, ext, { target: jump(externalPolicyChain) });
}

/** KUBE-FW-*: loadBalancerSourceRanges (and the VIPs themselves when a range holds the node) go on to KUBE-EXT. */
function writeFirewallChain(nat: IptTable, { s, usesFWChain }: PortPlan, input: BuildInput): void {
  if (!usesFWChain) return;
  const fw = s.firewallChain;
  ensureChain(nat, fw);
  const lbComment = comment(`${s.spn} loadbalancer IP`);
  let allowFromNode = false;
  for (const cidr of s.loadBalancerSourceRanges) {
    appendRule(nat, fw, { src: cidr, matches: [lbComment], target: jump(s.externalChain) });
    if (cidrContains(cidr, input.nodeIP)) allowFromNode = true;
  }
  if (allowFromNode) {
    for (const ip of s.loadBalancerVIPs) appendRule(nat, fw, { src: ip, matches: [lbComment], target: jump(s.externalChain) });
  }
  appendRule(nat, fw, { matches: [comment(`other traffic to ${s.spn} will be dropped by KUBE-PROXY-FIREWALL`)] });
}

/** KUBE-SEP-*: hairpin masquerade, then the DNAT to the endpoint (recording it for ClientIP affinity). */
function writeEndpointChains(nat: IptTable, { s, allReachable }: PortPlan): void {
  const { spn, protocol: proto } = s;
  for (const ep of allReachable) {
    ensureChain(nat, ep.chain);
    appendRule(nat, ep.chain, { src: ep.ip, matches: [comment(spn)], target: jump('KUBE-MARK-MASQ') });
    const matches: Match[] = [comment(spn)];
    if (s.sessionAffinityClientIP) matches.push({ kind: 'recent', op: 'set', name: ep.chain });
    matches.push({ kind: 'proto', proto });
    appendRule(nat, ep.chain, { proto, matches, target: { kind: 'DNAT', ip: ep.ip, port: ep.port } });
  }
}

/** KUBE-SVC-* / KUBE-SVL-*: affinity checks, then one jump per endpoint with kube-proxy's falling probabilities. */
function writeServiceToEndpointRules(nat: IptTable, s: ServicePortInfo, chain: string, endpoints: EndpointInfo[]): void {
  ensureChain(nat, chain);
  if (s.sessionAffinityClientIP) {
    for (const ep of endpoints) {
      appendRule(nat, chain, {
        matches: [
          comment(`${s.spn} -> ${ep.endpoint}`),
          { kind: 'recent', op: 'rcheck', name: ep.chain, seconds: s.stickyMaxAgeSeconds, reap: true },
        ],
        target: jump(ep.chain),
      });
    }
  }
  const n = endpoints.length;
  endpoints.forEach((ep, i) => {
    const matches: Match[] = [comment(`${s.spn} -> ${ep.endpoint}`)];
    if (i < n - 1) matches.push({ kind: 'statistic', probability: kubeProxyProbability(n - i) });
    appendRule(nat, chain, { matches, target: jump(ep.chain) });
  });
}
