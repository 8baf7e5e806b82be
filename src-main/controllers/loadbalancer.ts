/**
 * A built-in load-balancer controller, the role MetalLB (layer 2) or cloud-provider-kind play on a local cluster:
 * every Service of type LoadBalancer (without a foreign spec.loadBalancerClass) gets an address from the pool
 * 192.168.56.240-250 in `status.loadBalancer.ingress: [{ip, ipMode: VIP}]`; spec.loadBalancerIP is honoured when the
 * pool has it; the address is freed when the Service goes or stops being a LoadBalancer. Switched off, nothing is
 * assigned and EXTERNAL-IP stays `<pending>`, as on a cluster without such a controller. Which node answers for an
 * address is the network's side (src-main/cluster/network.ts).
 */
import type { Service } from 'kubernetes-types/core/v1';
import type { Clock } from '../clock/clock.ts';
import { byKind } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import type { Registry } from '../registry/registry.ts';
import { LoadBalancerIPPool } from '../net/addresses.ts';
import { recorderFor } from './events.ts';
import { Informers, WorkQueue, keyOf, mutate, splitKey, type Runtime } from './framework.ts';

const SERVICES = byKind('Service');
const asSvc = (o: KubeObject) => o as unknown as Service;

export interface LoadBalancerController {
  setEnabled(on: boolean): void;
  readonly enabled: boolean;
  /** True while a reconcile is queued (for Cluster.settle-style idle checks). */
  readonly busy: boolean;
  /** Addresses held, by `namespace/name`. */
  assigned(): Map<string, string>;
  stop(): void;
}

export interface LoadBalancerOptions {
  enabled?: boolean;
  pool?: LoadBalancerIPPool;
}

export function startLoadBalancerController(reg: Registry, clock: Clock, opts: LoadBalancerOptions = {}): LoadBalancerController {
  let enabled = opts.enabled ?? true;
  const pool = opts.pool ?? new LoadBalancerIPPool();
  const held = new Map<string, string>();
  const informers = new Informers(reg);
  const queues: WorkQueue[] = [];
  const rt: Runtime = {
    reg,
    clock,
    informers,
    queue: (name, reconcile) => {
      const q = new WorkQueue(name, clock, reconcile);
      queues.push(q);
      return q;
    },
  };
  const record = recorderFor(reg, clock, { component: 'metallb-controller' });
  const services = informers.for(SERVICES);
  const queue = rt.queue('loadbalancer', reconcile);

  const isOurs = (s: Service) => s.spec?.type === 'LoadBalancer' && !s.spec.loadBalancerClass;
  const ingressIPs = (s: Service) => (s.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : []));

  // A restarted controller adopts what it assigned before (the pool lives in the controller, status in the API).
  for (const o of services.list()) {
    const s = asSvc(o);
    if (!isOurs(s)) continue;
    for (const ip of ingressIPs(s)) if (pool.allocate(ip)) held.set(keyOf(o), ip);
  }

  function release(key: string): void {
    const ip = held.get(key);
    if (ip === undefined) return;
    pool.release(ip);
    held.delete(key);
  }

  function writeIngress(o: KubeObject, ip: string | undefined): void {
    const want = ip ? [{ ip, ipMode: 'VIP' as const }] : [];
    const have = asSvc(o).status?.loadBalancer?.ingress ?? [];
    if (JSON.stringify(have) === JSON.stringify(want)) return;
    mutate(rt, SERVICES, o, (n) => {
      (n as { status?: unknown }).status = { ...(asSvc(n).status ?? {}), loadBalancer: want.length ? { ingress: want } : {} };
    }, true);
  }

  function reconcile(key: string): void {
    const o = services.get(...splitKey(key));
    if (!o || o.metadata.deletionTimestamp) return release(key);
    const s = asSvc(o);
    if (!isOurs(s)) {
      const had = held.has(key);
      release(key);
      if (had && !s.spec?.loadBalancerClass) writeIngress(o, undefined);
      return;
    }
    if (!enabled) return;
    const requested = s.spec?.loadBalancerIP || undefined;
    const current = held.get(key);
    if (current && (!requested || requested === current)) return writeIngress(o, current);
    release(key);
    const ip = pool.allocate(requested);
    if (!ip) {
      const why = requested ? `["${requested}"] is not allowed in config or already in use` : 'no available IPs';
      record(o, 'Warning', 'AllocationFailed', `Failed to allocate IP for "${key}": ${why}`);
      return writeIngress(o, undefined);
    }
    held.set(key, ip);
    writeIngress(o, ip);
    record(o, 'Normal', 'IPAllocated', `Assigned IP ["${ip}"]`);
  }

  services.on((type, o) => {
    if (type === 'DELETED') release(keyOf(o));
    queue.add(keyOf(o));
  });

  return {
    setEnabled(on: boolean) {
      if (on === enabled) return;
      enabled = on;
      if (on) for (const o of services.list()) queue.add(keyOf(o));
    },
    get enabled() {
      return enabled;
    },
    get busy() {
      return queues.some((q) => q.busy);
    },
    assigned: () => new Map(held),
    stop() {
      for (const q of queues) q.stop();
      informers.stop();
    },
  };
}
