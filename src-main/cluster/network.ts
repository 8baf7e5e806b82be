/**
 * Where a connection starts: on a node (a shell there), in a pod, or on the laptop outside the cluster. The laptop
 * reaches only the node network (node IPs, load-balancer IPs); ClusterIPs and pod IPs are not routed to it.
 */
import { byKind } from '../api/resources.ts';
import type { Pod, Service } from '../api/types.ts';
import type { Registry } from '../registry/registry.ts';
import type { NodeHandle } from './node-handle.ts';
import type { AppRequest, ConnectResult, Peer } from '../node/netstack/types.ts';
import { LAPTOP_IP } from '../host/laptop.ts';

export type Origin = { node: string } | { pod: { namespace: string; name: string } } | 'laptop';

export interface ConnectSpec {
  dst: { ip: string; port: number };
  proto: 'tcp' | 'udp' | 'icmp';
  payload: AppRequest;
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

  /** MetalLB-style L2: the first running node that could answer for the address announces it. */
  private loadBalancerNode(ip: string): NodeHandle | undefined {
    const services = this.registry.list(byKind('Service')).items as unknown as Service[];
    const owned = services.some((s) => s.status?.loadBalancer?.ingress?.some((i) => i.ip === ip) || s.spec?.externalIPs?.includes(ip));
    if (!owned) return undefined;
    return this.handles().find((h) => h.running && !h.plan.controlPlane) ?? this.handles().find((h) => h.running);
  }

  async connect(origin: Origin, spec: ConnectSpec): Promise<ConnectResult> {
    const { from, node } = this.locate(origin, spec.dst.ip);
    if (!node) return { ok: false, error: origin === 'laptop' ? 'timeout' : 'unreachable', traceId: 0 };
    return node.call<ConnectResult>('connect', { from, dst: spec.dst, proto: spec.proto, payload: spec.payload });
  }
}
