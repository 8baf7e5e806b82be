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

function writeServicePort(nat: IptTable, filter: IptTable, s: ServicePortInfo, endpoints: EndpointInfo[], input: BuildInput): void {
  const { clusterEndpoints, localEndpoints, allReachable, hasAnyEndpoints } = categorizeEndpoints(endpoints, s);
  const spn = s.spn;
  const proto = s.protocol;
  const usesClusterPolicyChain = clusterEndpoints.length > 0 && usesClusterEndpoints(s);
  const usesLocalPolicyChain = localEndpoints.length > 0 && usesLocalEndpoints(s);

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
  const usesExternalTrafficChain = hasAnyEndpoints && externallyAccessible(s);
  const usesFWChain = hasAnyEndpoints && s.loadBalancerVIPs.length > 0 && s.loadBalancerSourceRanges.length > 0;
  const loadBalancerTrafficChain = usesFWChain ? s.firewallChain : s.externalChain;

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

  // Capture the clusterIP.
  if (hasInternalEndpoints) {
    appendRule(nat, 'KUBE-SERVICES', { dst: s.clusterIP, proto, matches: portMatch(s, `${spn} cluster IP`, s.port), target: jump(internalPolicyChain) });
  } else {
    appendRule(filter, 'KUBE-SERVICES', { dst: s.clusterIP, proto, matches: portMatch(s, internalFilterComment, s.port), target: internalFilter });
  }

  for (const ip of s.externalIPs) {
    if (hasAnyEndpoints) {
      appendRule(nat, 'KUBE-SERVICES', { dst: ip, proto, matches: portMatch(s, `${spn} external IP`, s.port), target: jump(s.externalChain) });
    }
    if (!hasExternalEndpoints) {
      appendRule(filter, 'KUBE-EXTERNAL-SERVICES', { dst: ip, proto, matches: portMatch(s, externalFilterComment, s.port), target: externalFilter });
    }
  }

  for (const ip of s.loadBalancerVIPs) {
    if (hasAnyEndpoints) {
      appendRule(nat, 'KUBE-SERVICES', { dst: ip, proto, matches: portMatch(s, `${spn} loadbalancer IP`, s.port), target: jump(loadBalancerTrafficChain) });
    }
    if (usesFWChain) {
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
  }

  if (s.nodePort !== 0) {
    if (hasAnyEndpoints) {
      appendRule(nat, 'KUBE-NODEPORTS', { proto, matches: portMatch(s, spn, s.nodePort), target: jump(s.externalChain) });
    }
    if (!hasExternalEndpoints) {
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

  // Internal traffic: masquerade off-cluster sources reaching the clusterIP.
  if (hasInternalEndpoints && input.clusterCIDR) {
    appendRule(nat, internalPolicyChain, {
      src: { cidr: input.clusterCIDR, negate: true },
      dst: s.clusterIP,
      proto,
      matches: portMatch(s, `${spn} cluster IP`, s.port),
      target: jump('KUBE-MARK-MASQ'),
    });
  }

  if (usesExternalTrafficChain) {
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

  if (usesFWChain) {
    const fw = s.firewallChain;
    ensureChain(nat, fw);
    const lbComment = comment(`${spn} loadbalancer IP`);
    let allowFromNode = false;
    for (const cidr of s.loadBalancerSourceRanges) {
      appendRule(nat, fw, { src: cidr, matches: [lbComment], target: jump(s.externalChain) });
      if (cidrContains(cidr, input.nodeIP)) allowFromNode = true;
    }
    if (allowFromNode) {
      for (const ip of s.loadBalancerVIPs) appendRule(nat, fw, { src: ip, matches: [lbComment], target: jump(s.externalChain) });
    }
    appendRule(nat, fw, { matches: [comment(`other traffic to ${spn} will be dropped by KUBE-PROXY-FIREWALL`)] });
  }

  if (usesClusterPolicyChain) writeServiceToEndpointRules(nat, s, s.clusterPolicyChain, clusterEndpoints);
  if (usesLocalPolicyChain) writeServiceToEndpointRules(nat, s, s.localPolicyChain, localEndpoints);

  for (const ep of allReachable) {
    ensureChain(nat, ep.chain);
    appendRule(nat, ep.chain, { src: ep.ip, matches: [comment(spn)], target: jump('KUBE-MARK-MASQ') });
    const matches: Match[] = [comment(spn)];
    if (s.sessionAffinityClientIP) matches.push({ kind: 'recent', op: 'set', name: ep.chain });
    matches.push({ kind: 'proto', proto });
    appendRule(nat, ep.chain, { proto, matches, target: { kind: 'DNAT', ip: ep.ip, port: ep.port } });
  }
}

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
