/**
 * Where a connection starts: on a node (a shell there), in a pod, or on the laptop outside the cluster. The laptop
 * reaches only the node network (node IPs, load-balancer IPs); ClusterIPs and pod IPs are not routed to it.
 */
import { byKind } from '../api/resources.ts';
import type { EndpointSlice, Pod, Service } from '../api/types.ts';
import type { Registry } from '../registry/registry.ts';
import type { NodeHandle } from './node-handle.ts';
import type { AppRequest, ConnectResult, Peer } from '../node/netstack/types.ts';
import { LAPTOP_IP } from '../host/laptop.ts';

export type Origin = { node: string } | { pod: { namespace: string; name: string } } | 'laptop';

export interface ConnectSpec {
  dst: { ip: string; port: number };
  proto: 'tcp' | 'udp' | 'icmp';
  payload: AppRequest;
  /** The client's source port (a UDP socket kept open sends from one port); ephemeral when missing. */
  sport?: number;
}

export class ClusterNetwork {
  constructor(
    private readonly registry: Registry,
    private readonly handles: () => NodeHandle[],
  ) {}

  private running(name: string): NodeHandle | undefined {
    return this.handles().find((h) => h.name === name && h.running);
  }

  /** The source a connection from `origin` has, and the node where its first packet is processed. */
  locate(origin: Origin, dstIP: string): { from: Peer; node: NodeHandle | undefined } {
    if (origin === 'laptop') {
      const from: Peer = { kind: 'laptop', name: 'laptop', ip: LAPTOP_IP };
      return { from, node: this.handles().find((h) => h.running && h.plan.ip === dstIP) ?? this.loadBalancerNode(dstIP) };
    }
    if ('node' in origin) {
      const h = this.handles().find((x) => x.name === origin.node);
      return { from: { kind: 'node', name: origin.node, ip: h?.plan.ip ?? '' }, node: h?.running ? h : undefined };
    }
    const pod = this.registry.tryGet(byKind('Pod'), origin.pod.namespace, origin.pod.name) as unknown as Pod | undefined;
    const name = `${origin.pod.namespace}/${origin.pod.name}`;
    if (!pod?.spec?.nodeName || !pod.status?.podIP) return { from: { kind: 'pod', name, ip: '' }, node: undefined };
    return { from: { kind: 'pod', name, ip: pod.status.podIP }, node: this.running(pod.spec.nodeName) };
  }

  /**
   * MetalLB-style L2: one running node answers ARP for the address (externalIPs are routed to a node by the admin;
   * the same choice is made). Nodes labelled exclude-from-external-load-balancers do not announce; with
   * externalTrafficPolicy Local only nodes holding a ready endpoint do (MetalLB's speaker rule).
   */
  private loadBalancerNode(ip: string): NodeHandle | undefined {
    const services = this.registry.list(byKind('Service')).items as unknown as Service[];
    const svc = services.find((s) => s.status?.loadBalancer?.ingress?.some((i) => i.ip === ip) || s.spec?.externalIPs?.includes(ip));
    if (!svc) return undefined;
    const excluded = new Set(
      this.registry
        .list(byKind('Node'))
        .items.filter((n) => n.metadata.labels?.['node.kubernetes.io/exclude-from-external-load-balancers'] !== undefined)
        .map((n) => n.metadata.name!),
    );
    let candidates = this.handles().filter((h) => h.running && !excluded.has(h.name));
    if (svc.spec?.externalTrafficPolicy === 'Local') {
      const withEndpoints = this.readyEndpointNodes(svc);
      candidates = candidates.filter((h) => withEndpoints.has(h.name));
    }
    return candidates.sort((a, b) => a.plan.index - b.plan.index)[0];
  }

  private readyEndpointNodes(svc: Service): Set<string> {
    const slices = this.registry.list(byKind('EndpointSlice'), { namespace: svc.metadata?.namespace }).items as unknown as EndpointSlice[];
    const nodes = new Set<string>();
    for (const sl of slices) {
      if (sl.metadata?.labels?.['kubernetes.io/service-name'] !== svc.metadata?.name) continue;
      for (const ep of sl.endpoints ?? []) if ((ep.conditions?.ready ?? true) && ep.nodeName) nodes.add(ep.nodeName);
    }
    return nodes;
  }

  async connect(origin: Origin, spec: ConnectSpec): Promise<ConnectResult> {
    const { from, node } = this.locate(origin, spec.dst.ip);
    if (!node) return { ok: false, error: origin === 'laptop' ? 'timeout' : 'unreachable', traceId: 0 };
    return node.call<ConnectResult>('connect', { from, dst: spec.dst, proto: spec.proto, payload: spec.payload, sport: spec.sport });
  }
}
