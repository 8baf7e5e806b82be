/**
 * kube-proxy of one node: keeps the Services and EndpointSlices it is told about and rewrites the node's tables
 * after every change (as its iptables mode does on each sync), carrying rule counters over by rule text.
 */
import type { EndpointSlice, KubeObject, Service } from '../api/types.ts';
import { buildNatTable } from './proxy/rules.ts';
import type { IptTable, NatTable } from './proxy/model.ts';
import { saveRule } from './proxy/rule-text.ts';

export class KubeProxy {
  private readonly services = new Map<string, Service>();
  private readonly slices = new Map<string, EndpointSlice>();
  private scheduled = false;
  syncs = 0;
  lastSyncMs = 0;

  constructor(
    private readonly node: { name: string; ip: string; clusterCIDR: string },
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
    const started = performance.now();
    const table = buildNatTable({
      nodeName: this.node.name,
      nodeIP: this.node.ip,
      clusterCIDR: this.node.clusterCIDR,
      services: [...this.services.values()],
      endpointSlices: [...this.slices.values()],
      localPodIPs: this.localPodIPs(),
    });
    const old = this.current();
    if (old) {
      carryCounters(old.nat, table.nat);
      carryCounters(old.filter, table.filter);
    }
    this.install(table);
    this.syncs++;
    this.lastSyncMs = performance.now() - started;
    return table;
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
