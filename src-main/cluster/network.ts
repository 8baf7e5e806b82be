/**
 * Where a connection starts: on a node (a shell there), in a pod, or on the laptop outside the cluster. The laptop
 * reaches only the node network (node IPs, load-balancer IPs); ClusterIPs and pod IPs are not routed to it.
 */
import { createHash } from 'node:crypto';
import { byKind } from '../api/resources.ts';
import type { EndpointSlice, Pod, Service } from '../api/types.ts';
import type { Registry } from '../registry/registry.ts';
import type { NodeHandle } from './node-handle.ts';
import type { AppRequest, ConnectResult, Peer } from '../node/netstack/types.ts';
import { LAPTOP_IP } from '../net/addresses.ts';
import { cidrContains, HOST_NETWORK } from '../net/addresses.ts';

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
   * MetalLB-style L2 (speaker/layer2_controller.go ShouldAnnounce): one running node answers ARP for the address
   * (externalIPs are routed to a node by the admin; the same choice is made). Nobody announces a service without an
   * endpoint that can serve; nodes labelled exclude-from-external-load-balancers never do; with externalTrafficPolicy
   * Local only nodes holding such an endpoint do. Of the candidates, the first by sha256(node + "#" + ip) wins.
   */
  loadBalancerNode(ip: string): NodeHandle | undefined {
    const services = this.registry.list(byKind('Service')).items as unknown as Service[];
    const svc = services.find((s) => s.status?.loadBalancer?.ingress?.some((i) => i.ip === ip) || s.spec?.externalIPs?.includes(ip));
    if (!svc) return undefined;
    const excluded = new Set(
      this.registry
        .list(byKind('Node'))
        .items.filter((n) => n.metadata.labels?.['node.kubernetes.io/exclude-from-external-load-balancers'] !== undefined)
        .map((n) => n.metadata.name!),
    );
    const serving = this.servingEndpointNodes(svc);
    if (!serving.any) return undefined;
    let candidates = this.handles().filter((h) => h.running && !excluded.has(h.name));
    if (svc.spec?.externalTrafficPolicy === 'Local') candidates = candidates.filter((h) => serving.nodes.has(h.name));
    const rank = (h: NodeHandle) => createHash('sha256').update(`${h.name}#${ip}`).digest();
    return candidates.map((h) => ({ h, key: rank(h) })).sort((a, b) => Buffer.compare(a.key, b.key))[0]?.h;
  }

  /** Whether the service has an endpoint that can serve (epslices.EndpointCanServe: ready, or serving), and where. */
  private servingEndpointNodes(svc: Service): { any: boolean; nodes: Set<string> } {
    const slices = this.registry.list(byKind('EndpointSlice'), { namespace: svc.metadata?.namespace }).items as unknown as EndpointSlice[];
    const nodes = new Set<string>();
    let any = false;
    for (const sl of slices) {
      if (sl.metadata?.labels?.['kubernetes.io/service-name'] !== svc.metadata?.name) continue;
      for (const ep of sl.endpoints ?? []) {
        if (!((ep.conditions?.ready ?? true) || ep.conditions?.serving === true)) continue;
        any = true;
        if (ep.nodeName) nodes.add(ep.nodeName);
      }
    }
    return { any, nodes };
  }

  async connect(origin: Origin, spec: ConnectSpec): Promise<ConnectResult> {
    const { from, node } = this.locate(origin, spec.dst.ip);
    if (!node) {
      if (origin !== 'laptop') return { ok: false, error: 'unreachable', traceId: 0 };
      // The laptop's ARP for an address of its own network that nobody announces goes unanswered: EHOSTUNREACH.
      // Anything else (ClusterIPs, pod IPs) follows its default route and is lost.
      return cidrContains(HOST_NETWORK, spec.dst.ip) ? { ok: false, error: 'no-route', detail: 'No route to host', traceId: 0 } : { ok: false, error: 'timeout', traceId: 0 };
    }
    return node.call('connect', { from, dst: spec.dst, proto: spec.proto, payload: spec.payload, sport: spec.sport });
  }
}
