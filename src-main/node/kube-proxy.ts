/**
 * kube-proxy of one node: keeps the Services and EndpointSlices it is told about and rewrites the node's tables
 * after every change (as its iptables mode does on each sync), carrying rule counters over by rule text.
 */
import { monotonicMs } from '../clock/clock.ts';
import type { EndpointSlice, KubeObject, Service } from '../api/types.ts';
import { buildNatTable } from './proxy/rules.ts';
import type { ConntrackFlush, IptTable, NatTable } from './proxy/model.ts';
import { saveRule } from './proxy/rule-text.ts';
import { categorizeEndpoints, endpointsFor, servicePorts, slicesByService, slicesFor } from './proxy/service-ports.ts';

/** What conntrack cleanup needs to know of one UDP service port after a sync. */
interface UdpPortState {
  ips: string[];
  port: number;
  nodePort: number;
  /** `ip:port` of the endpoints traffic can be DNATed to. */
  endpoints: Set<string>;
}

export class KubeProxy {
  private readonly services = new Map<string, Service>();
  private readonly slices = new Map<string, EndpointSlice>();
  private scheduled = false;
  private udpState = new Map<string, UdpPortState>();
  syncs = 0;
  lastSyncMs = 0;

  constructor(
    /** `localAddresses`: the node's other addresses (cni0, flannel.1), which `addrtype LOCAL` matches too. */
    private readonly node: { name: string; ip: string; clusterCIDR: string; localAddresses?: string[] },
    private readonly localPodIPs: () => Iterable<string>,
    private readonly install: (t: NatTable) => void,
    private readonly current: () => NatTable | undefined,
  ) {}

  onService(type: string, o: KubeObject): void {
    this.apply(this.services, type, o);
  }
  onEndpointSlice(type: string, o: KubeObject): void {
    this.apply(this.slices, type, o);
  }

  private apply<T>(m: Map<string, T>, type: string, o: KubeObject): void {
    const key = `${o.metadata.namespace}/${o.metadata.name}`;
    if (type === 'DELETED') m.delete(key);
    else m.set(key, o as unknown as T);
    this.schedule();
  }

  /** Coalesces a burst of watch events into one sync. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.sync();
    });
  }

  sync(): NatTable {
    const started = monotonicMs();
    const table = buildNatTable({
      nodeName: this.node.name,
      nodeIP: this.node.ip,
      clusterCIDR: this.node.clusterCIDR,
      services: [...this.services.values()],
      endpointSlices: [...this.slices.values()],
      localPodIPs: this.localPodIPs(),
      localAddresses: this.node.localAddresses,
    });
    table.conntrackFlush = this.staleUdpFlows();
    const old = this.current();
    if (old) {
      carryCounters(old.nat, table.nat);
      carryCounters(old.filter, table.filter);
    }
    this.install(table);
    this.syncs++;
    this.lastSyncMs = monotonicMs() - started;
    return table;
  }

  /**
   * kube-proxy's conntrack cleanup (pkg/proxy/conntrack/cleanup.go): UDP flows DNATed to an endpoint that is gone
   * would keep going there, and flows to a service that had no endpoints keep missing the new ones; both are deleted.
   */
  private staleUdpFlows(): ConntrackFlush[] {
    const next = new Map<string, UdpPortState>();
    const slices = slicesByService(this.slices.values());
    for (const svc of this.services.values()) {
      for (const info of servicePorts(svc)) {
        if (info.protocol !== 'udp') continue;
        const { allReachable } = categorizeEndpoints(endpointsFor(info, slicesFor(slices, info), this.node.name), info);
        next.set(`${info.spn}/udp`, {
          ips: [info.clusterIP, ...info.externalIPs, ...info.loadBalancerVIPs],
          port: info.port,
          nodePort: info.nodePort,
          endpoints: new Set(allReachable.map((e) => e.endpoint)),
        });
      }
    }
    const flush: ConntrackFlush[] = [];
    for (const [key, old] of this.udpState) {
      const now = next.get(key);
      for (const ep of old.endpoints) {
        if (now?.endpoints.has(ep)) continue;
        const [ip, port] = [ep.slice(0, ep.lastIndexOf(':')), Number(ep.slice(ep.lastIndexOf(':') + 1))];
        for (const svcIP of old.ips) flush.push({ proto: 'udp', origDst: svcIP, origDport: old.port, replySrc: ip, replySport: port });
        if (old.nodePort) flush.push({ proto: 'udp', origDport: old.nodePort, replySrc: ip, replySport: port });
      }
    }
    for (const [key, now] of next) {
      if (now.endpoints.size === 0 || (this.udpState.get(key)?.endpoints.size ?? 0) > 0) continue;
      for (const svcIP of now.ips) flush.push({ proto: 'udp', origDst: svcIP, origDport: now.port });
      if (now.nodePort) flush.push({ proto: 'udp', origDport: now.nodePort });
    }
    this.udpState = next;
    return flush;
  }

  serviceList(): Service[] {
    return [...this.services.values()];
  }
  sliceList(): EndpointSlice[] {
    return [...this.slices.values()];
  }
}

function carryCounters(from: IptTable, to: IptTable): void {
  const seen = new Map<string, { packets: number; bytes: number }>();
  for (const c of from.chains.values()) {
    c.rules.forEach((r) => seen.set(saveRule(c.name, r), r.counters));
  }
  for (const c of to.chains.values()) {
    const old = from.chains.get(c.name);
    if (old && c.builtin) c.policyCounters = { ...old.policyCounters };
    for (const r of c.rules) {
      const prev = seen.get(saveRule(c.name, r));
      if (prev) r.counters = { ...prev };
    }
  }
}
