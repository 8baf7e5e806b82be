/**
 * A built-in load-balancer controller, the role MetalLB (layer 2) or cloud-provider-kind play on a local cluster:
 * every Service of type LoadBalancer (without a foreign spec.loadBalancerClass) gets an address from the pool
 * 192.168.56.240-250 in `status.loadBalancer.ingress: [{ip, ipMode: VIP}]`; spec.loadBalancerIP is honoured when the
 * pool has it; the address is freed when the Service goes or stops being a LoadBalancer. Switched off, nothing is
 * assigned and EXTERNAL-IP stays `<pending>`, as on a cluster without such a controller. Which node answers for an
 * address is the network's side (src-main/cluster/network.ts). It runs on the shared informers and work queues like the
 * other controllers (controllers/index.ts), so `idle()` waits for its assignments too.
 */
import type { Service } from 'kubernetes-types/core/v1';
import { byKind } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { LoadBalancerIPPool } from '../net/addresses.ts';
import { recorderFor } from './events.ts';
import { keyOf, mutate, splitKey, type Runtime } from './framework.ts';

const SERVICES = byKind('Service');
const asSvc = (o: KubeObject) => o as unknown as Service;

export interface LoadBalancerController {
  setEnabled(on: boolean): void;
  readonly enabled: boolean;
  /** Addresses held, by `namespace/name`. */
  assigned(): Map<string, string>;
}

export interface LoadBalancerOptions {
  enabled?: boolean;
  pool?: LoadBalancerIPPool;
}

export function startLoadBalancerController(rt: Runtime, opts: LoadBalancerOptions = {}): LoadBalancerController {
  let enabled = opts.enabled ?? true;
  const pool = opts.pool ?? new LoadBalancerIPPool();
  const held = new Map<string, string>();
  const record = recorderFor(rt.reg, rt.clock, { component: 'metallb-controller' });
  const services = rt.informers.for(SERVICES);
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

  /** Writes status.loadBalancer; false when it already said so. */
  function writeIngress(o: KubeObject, ip: string | undefined): boolean {
    const want = ip ? [{ ip, ipMode: 'VIP' as const }] : [];
    const have = asSvc(o).status?.loadBalancer?.ingress ?? [];
    if (JSON.stringify(have) === JSON.stringify(want)) return false;
    mutate(rt, SERVICES, o, (n) => {
      (n as { status?: unknown }).status = { ...(asSvc(n).status ?? {}), loadBalancer: want.length ? { ingress: want } : {} };
    }, true);
    return true;
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
    let ip = held.get(key);
    if (!ip || (requested && requested !== ip)) {
      release(key);
      ip = pool.allocate(requested);
      if (!ip) {
        const why = requested ? `["${requested}"] is not allowed in config or already in use` : 'no available IPs';
        record(o, 'Warning', 'AllocationFailed', `Failed to allocate IP for "${key}": ${why}`);
        writeIngress(o, undefined);
        return;
      }
      held.set(key, ip);
    }
    // Recorded once the status says so: a write that lost a race (Conflict) is retried with the address already held.
    if (writeIngress(o, ip)) record(o, 'Normal', 'IPAllocated', `Assigned IP ["${ip}"]`);
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
    assigned: () => new Map(held),
  };
}
