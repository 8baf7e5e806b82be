/**
 * The node lifecycle controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go): node health from
 * Leases (kube-node-lease) and the kubelet's Ready heartbeats, checked every nodeMonitorPeriod; conditions set to
 * Unknown after node-monitor-grace-period; NoSchedule taints from conditions and cordoning; NoExecute
 * not-ready/unreachable taints (which the taint eviction controller acts on), withheld when a whole zone is down.
 */
import type { Node, NodeCondition, Taint } from 'kubernetes-types/core/v1';
import { isoTime } from '../clock/clock.ts';
import { isStatusError } from '../api/errors.ts';
import { byKind } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { recorderFor } from './events.ts';
import { mutate, type Runtime } from './framework.ts';
import { asPod, isPodReady, podCondition, setPodCondition } from './util.ts';

const NODES = byKind('Node');
const LEASES = byKind('Lease');
const PODS = byKind('Pod');
const LEASE_NS = 'kube-node-lease';

export const NOT_READY = 'node.kubernetes.io/not-ready';
export const UNREACHABLE = 'node.kubernetes.io/unreachable';
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: NOT_READY, Unknown: UNREACHABLE },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
};
const UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
const MANAGED_NO_SCHEDULE = new Set([...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)), UNSCHEDULABLE]);
const ZONE = 'topology.kubernetes.io/zone';
type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

export interface NodeLifecycleOptions {
  /** --node-monitor-period (5s). */
  monitorPeriodMs?: number;
  /** --node-monitor-grace-period (50s since 1.32). */
  gracePeriodMs?: number;
  /** --unhealthy-zone-threshold (0.55). */
  unhealthyZoneThreshold?: number;
}

const parseTime = (t: string | undefined) => (t ? Date.parse(t.replace(/(\.\d{3})\d+/, '$1')) || 0 : 0);
const asNode = (o: KubeObject) => o as unknown as Node;
const readyOf = (o: KubeObject): NodeCondition | undefined => asNode(o).status?.conditions?.find((c) => c.type === 'Ready');

export function startNodeLifecycleController(rt: Runtime, opts: NodeLifecycleOptions = {}): () => void {
  const period = opts.monitorPeriodMs ?? 5_000;
  const grace = opts.gracePeriodMs ?? 50_000;
  const threshold = opts.unhealthyZoneThreshold ?? 0.55;
  const nodeInf = rt.informers.for(NODES);
  const podInf = rt.informers.for(PODS);
  const record = recorderFor(rt.reg, rt.clock, { component: 'node-controller' });
  const queue = rt.queue('node-lifecycle', syncTaints);
  /** When this controller last saw the node alive (probeTimestamp). */
  const probe = new Map<string, number>();

  /** What was last observed of each node's heartbeats (Lease renewTime, Ready lastHeartbeatTime). */
  const observed = new Map<string, string>();

  /** Zone states depend on every node; one node change re-queues all nodes, so compute them once per change. */
  let zoneCache: Map<string, ZoneState> | undefined;
  nodeInf.on((type, o) => {
    zoneCache = undefined;
    if (type === 'DELETED') {
      probe.delete(o.metadata.name!);
      observed.delete(o.metadata.name!);
    }
    // Zone state depends on every node: re-evaluate all of them.
    for (const n of nodeInf.list()) queue.add(n.metadata.name!);
  });
  // A pod landing on a node that is not Ready is marked not ready too.
  podInf.on((type, o) => {
    const nodeName = asPod(o).spec?.nodeName;
    if (type === 'DELETED' || !nodeName) return;
    const node = nodeInf.get(undefined, nodeName);
    if (node && readyOf(node)?.status === 'Unknown' && isPodReady(asPod(o))) markPodsNotReady([o]);
  });

  const timer = rt.clock.setInterval(monitor, period);
  monitor();

  /** monitorNodeHealth: runs every nodeMonitorPeriod, reading the API (not the watch caches) as the listers would. */
  function monitor(): void {
    const now = rt.clock.now();
    for (const node of rt.reg.list(NODES).items) {
      try {
        checkNode(node, now);
      } catch (e) {
        // A conflicting write: the next period tries again.
        if (!isStatusError(e)) throw e;
      }
    }
    for (const n of nodeInf.list()) queue.add(n.metadata.name!);
  }

  function checkNode(node: KubeObject, now: number): void {
    const name = node.metadata.name!;
    const lease = rt.reg.tryGet(LEASES, LEASE_NS, name);
    const ready = readyOf(node);
    const beat = `${(lease?.spec as { renewTime?: string } | undefined)?.renewTime ?? ''}|${ready?.lastHeartbeatTime ?? ''}`;
    if (!probe.has(name)) probe.set(name, now);
    else if (observed.get(name) !== beat) {
      // Upstream stamps the observation time (clock skew); one cluster clock lets us use the renewal time itself,
      // so "no renewal for 50s" is exact rather than rounded up to the next monitor period.
      const at = Math.max(parseTime((lease?.spec as { renewTime?: string } | undefined)?.renewTime), parseTime(ready?.lastHeartbeatTime));
      probe.set(name, Math.max(probe.get(name)!, Math.min(now, at)));
    }
    observed.set(name, beat);
    if (now - probe.get(name)! < grace || ready?.status === 'Unknown') return;
    const wasReady = ready?.status === 'True';
    const saved = mutate(rt, NODES, node, (x) => {
      const status = (x.status ??= {}) as { conditions?: NodeCondition[] };
      const t = isoTime(now);
      const conds = status.conditions ?? [];
      for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
        if (!conds.some((c) => c.type === type)) {
          conds.push({ type, status: 'Unknown', lastHeartbeatTime: x.metadata.creationTimestamp, lastTransitionTime: t, reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' });
        }
      }
      status.conditions = conds.map((c) =>
        c.status === 'Unknown' ? c : { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: t },
      );
    }, true);
    observed.set(name, `${(lease?.spec as { renewTime?: string } | undefined)?.renewTime ?? ''}|${readyOf(saved)?.lastHeartbeatTime ?? ''}`);
    if (wasReady) {
      record(saved, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      markPodsNotReady(rt.reg.list(PODS).items.filter((p) => asPod(p).spec?.nodeName === name));
    }
  }

  /** nodeutil.MarkPodsNotReady. */
  function markPodsNotReady(pods: KubeObject[]): void {
    for (const pod of pods) {
      const ready = podCondition(asPod(pod), 'Ready');
      if (!ready || ready.status === 'False') continue;
      const copy = structuredClone(pod) as KubeObject;
      setPodCondition(asPod(copy), { ...ready, status: 'False' }, rt.clock.now());
      try {
        mutate(rt, PODS, pod, (x) => (x.status = copy.status), true);
      } catch (e) {
        if (isStatusError(e, 'NotFound') || isStatusError(e, 'Conflict')) continue; // gone or changed: the next pass sees it
        throw e;
      }
      record(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
    }
  }

  function zoneStates(): Map<string, ZoneState> {
    return (zoneCache ??= computeZoneStates());
  }

  function computeZoneStates(): Map<string, ZoneState> {
    const counts = new Map<string, [number, number]>();
    for (const n of nodeInf.list()) {
      const z = n.metadata.labels?.[ZONE] ?? '';
      const c = counts.get(z) ?? [0, 0];
      if (readyOf(n)?.status === 'True') c[0]++;
      else c[1]++;
      counts.set(z, c);
    }
    const out = new Map<string, ZoneState>();
    for (const [z, [ready, notReady]] of counts) {
      out.set(z, ready === 0 && notReady > 0 ? 'FullDisruption' : notReady > 2 && notReady / (ready + notReady) >= threshold ? 'PartialDisruption' : 'Normal');
    }
    return out;
  }

  /** doNoScheduleTaintingPass + doNoExecuteTaintingPass for one node. */
  function syncTaints(name: string): void {
    const node = nodeInf.get(undefined, name);
    if (!node) return;
    const n = asNode(node);
    const now = isoTime(rt.clock.now());
    const wantNoSchedule = new Set<string>();
    for (const c of n.status?.conditions ?? []) {
      const key = CONDITION_TAINTS[c.type]?.[c.status];
      if (key) wantNoSchedule.add(key);
    }
    if (n.spec?.unschedulable) wantNoSchedule.add(UNSCHEDULABLE);
    const ready = readyOf(node)?.status;
    const taints = [...(n.spec?.taints ?? [])] as Taint[];
    const states = zoneStates();
    const allDown = [...states.values()].every((s) => s === 'FullDisruption');
    const zoneState = states.get(node.metadata.labels?.[ZONE] ?? '') ?? 'Normal';
    const hasNoExecute = (k: string) => taints.some((t) => t.key === k && t.effect === 'NoExecute');
    let wantNoExecute: string | undefined = ready === 'Unknown' ? UNREACHABLE : ready === 'False' ? NOT_READY : undefined;
    if (allDown) wantNoExecute = undefined; // "master disruption mode": nothing is evicted
    else if (wantNoExecute && !hasNoExecute(wantNoExecute) && zoneState === 'PartialDisruption' && nodeInf.list().length <= 50) {
      // secondary eviction rate is 0 in small clusters: keep whatever taint is there
      wantNoExecute = [NOT_READY, UNREACHABLE].find(hasNoExecute);
    }
    const next: Taint[] = [];
    for (const t of taints) {
      if (t.effect === 'NoSchedule' && MANAGED_NO_SCHEDULE.has(t.key)) {
        if (wantNoSchedule.delete(t.key)) next.push(t);
        continue;
      }
      if (t.effect === 'NoExecute' && (t.key === NOT_READY || t.key === UNREACHABLE)) {
        if (t.key === wantNoExecute) {
          next.push(t);
          wantNoExecute = undefined;
        }
        continue;
      }
      next.push(t);
    }
    for (const key of wantNoSchedule) next.push({ key, effect: 'NoSchedule', timeAdded: now });
    if (wantNoExecute) next.push({ key: wantNoExecute, effect: 'NoExecute', timeAdded: now });
    if (JSON.stringify(next) === JSON.stringify(taints)) return;
    mutate(rt, NODES, node, (x) => {
      x.spec = { ...(x.spec as object), taints: next.length ? next : undefined };
      if (!next.length) delete (x.spec as { taints?: Taint[] }).taints;
    });
  }

  return () => rt.clock.clearInterval(timer);
}

