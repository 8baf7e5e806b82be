/** The ReplicaSet controller (pkg/controller/replicaset/replica_set.go). */
import type { Pod } from 'kubernetes-types/core/v1';
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import { byKind } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { labelSelectorMatcher } from '../store/selectors.ts';
import { recorderFor } from './events.ts';
import { createObject, deleteObject, keyOf, mutate, splitKey, type Runtime } from './framework.ts';
import { asPod, claim, controllerRef, isPodActive, isPodAvailable, isPodReady, newControllerRef, podCondition } from './util.ts';

const RS = byKind('ReplicaSet');
const PODS = byKind('Pod');
/** burstReplicas: at most this many creations or deletions per sync. */
const BURST = 500;

const asRS = (o: KubeObject) => o as unknown as ReplicaSet;

export function startReplicaSetController(rt: Runtime): void {
  const rsInf = rt.informers.for(RS);
  const podInf = rt.informers.for(PODS);
  const record = recorderFor(rt.reg, rt.clock, { component: 'replicaset-controller' });
  const queue = rt.queue('replicaset', sync);

  rsInf.on((_t, o) => queue.add(keyOf(o)));
  podInf.on((type, o, old) => {
    const ref = controllerRef(o);
    const oldRef = old && controllerRef(old);
    if (oldRef && oldRef.uid !== ref?.uid && oldRef.kind === 'ReplicaSet') queue.add(`${o.metadata.namespace}/${oldRef.name}`);
    if (ref) {
      if (ref.kind === 'ReplicaSet') queue.add(`${o.metadata.namespace}/${ref.name}`);
      return;
    }
    if (type === 'DELETED') return;
    // An orphan: every ReplicaSet whose selector matches may adopt it.
    for (const rs of rsInf.list(o.metadata.namespace)) {
      if (labelSelectorMatcher(asRS(rs).spec?.selector)(o.metadata.labels)) queue.add(keyOf(rs));
    }
  });

  function sync(key: string): void {
    const [ns, name] = splitKey(key);
    const obj = rsInf.get(ns, name);
    if (!obj) return;
    const rs = asRS(obj);
    const now = rt.clock.now();
    const candidates = podInf.list(ns).filter((p) => isPodActive(asPod(p)));
    const pods = claim(rt, obj, rs.spec?.selector, candidates, PODS);
    const desired = rs.spec?.replicas ?? 1;
    if (!obj.metadata.deletionTimestamp) manageReplicas(obj, pods, desired);
    const active = podInf.list(ns).filter((p) => isPodActive(asPod(p)) && controllerRef(p)?.uid === obj.metadata.uid);
    updateStatus(obj, active, now);
  }

  function manageReplicas(obj: KubeObject, pods: KubeObject[], desired: number): void {
    const diff = pods.length - desired;
    if (diff < 0) {
      const template = asRS(obj).spec?.template ?? {};
      for (let i = 0; i < Math.min(-diff, BURST); i++) {
        const pod = {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            generateName: `${obj.metadata.name}-`,
            namespace: obj.metadata.namespace,
            labels: { ...(template.metadata?.labels ?? {}) },
            ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
            ...(template.metadata?.finalizers ? { finalizers: [...template.metadata.finalizers] } : {}),
            ownerReferences: [newControllerRef(obj)],
          },
          spec: structuredClone(template.spec ?? { containers: [] }),
        } as unknown as KubeObject;
        try {
          const created = createObject(rt, PODS, obj.metadata.namespace, pod);
          record(obj, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
        } catch (e) {
          record(obj, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`);
          throw e;
        }
      }
    } else if (diff > 0) {
      for (const p of podsToDelete(pods, Math.min(diff, BURST), rt.clock.now())) {
        deleteObject(rt, PODS, p);
        record(obj, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
      }
    }
  }

  function updateStatus(obj: KubeObject, pods: KubeObject[], now: number): void {
    const rs = asRS(obj);
    const minReady = rs.spec?.minReadySeconds ?? 0;
    const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
    let fully = 0;
    let ready = 0;
    let available = 0;
    let nextAvailableCheck = Infinity;
    for (const p of pods) {
      const pod = asPod(p);
      if (Object.entries(templateLabels).every(([k, v]) => p.metadata.labels?.[k] === v)) fully++;
      if (isPodReady(pod)) {
        ready++;
        if (isPodAvailable(pod, minReady, now)) available++;
        else {
          const t = Date.parse(podCondition(pod, 'Ready')?.lastTransitionTime ?? '') + minReady * 1000;
          if (t > now) nextAvailableCheck = Math.min(nextAvailableCheck, t - now);
        }
      }
    }
    const status: Record<string, unknown> = { replicas: pods.length };
    if (fully) status.fullyLabeledReplicas = fully;
    if (ready) status.readyReplicas = ready;
    if (available) status.availableReplicas = available;
    status.observedGeneration = obj.metadata.generation;
    const conds = (obj.status as { conditions?: unknown[] } | undefined)?.conditions;
    if (conds?.length) status.conditions = conds;
    if (JSON.stringify(status) !== JSON.stringify(obj.status ?? {})) mutate(rt, RS, obj, (x) => (x.status = status), true);
    if (nextAvailableCheck < Infinity) queue.addAfter(keyOf(obj), nextAvailableCheck);
  }
}

/**
 * getPodsToDelete / ActivePodsWithRanks: unscheduled before scheduled, Pending before Unknown before Running,
 * not ready before ready, lower deletion cost, more pods of the set on the same node, ready for less time
 * (log2 buckets), more restarts, newer (log2 buckets), then UID.
 */
export function podsToDelete(pods: KubeObject[], count: number, now: number): KubeObject[] {
  if (count >= pods.length) return [...pods];
  const perNode = new Map<string, number>();
  for (const p of pods) {
    const n = asPod(p).spec?.nodeName;
    if (n) perNode.set(n, (perNode.get(n) ?? 0) + 1);
  }
  const phaseRank = (p: Pod) => ({ Pending: 0, Unknown: 1, Running: 2 })[p.status?.phase ?? 'Pending'] ?? 0;
  const cost = (p: KubeObject) => Number(p.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost'] ?? 0) || 0;
  const bucket = (t: string | undefined) => (t ? Math.floor(Math.log2(Math.max(1, (now - Date.parse(t)) * 1e6))) : -1);
  const readySince = (p: Pod) => (isPodReady(p) ? podCondition(p, 'Ready')?.lastTransitionTime : undefined);
  const restarts = (p: Pod) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
  const sorted = [...pods].sort((ka, kb) => {
    const a = asPod(ka);
    const b = asPod(kb);
    const sa = a.spec?.nodeName ? 1 : 0;
    const sb = b.spec?.nodeName ? 1 : 0;
    if (sa !== sb) return sa - sb;
    if (phaseRank(a) !== phaseRank(b)) return phaseRank(a) - phaseRank(b);
    if (isPodReady(a) !== isPodReady(b)) return isPodReady(a) ? 1 : -1;
    if (cost(ka) !== cost(kb)) return cost(ka) - cost(kb);
    const ra = perNode.get(a.spec?.nodeName ?? '') ?? 0;
    const rb = perNode.get(b.spec?.nodeName ?? '') ?? 0;
    if (ra !== rb) return rb - ra;
    if (isPodReady(a) && isPodReady(b)) {
      const d = bucket(readySince(a)) - bucket(readySince(b));
      if (readySince(a) !== readySince(b)) return d !== 0 ? d : ka.metadata.uid! < kb.metadata.uid! ? -1 : 1;
    }
    if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
    const ca = ka.metadata.creationTimestamp;
    const cb = kb.metadata.creationTimestamp;
    if (ca !== cb) {
      const d = bucket(ca) - bucket(cb);
      if (d !== 0) return d;
    }
    return ka.metadata.uid! < kb.metadata.uid! ? -1 : 1;
  });
  return sorted.slice(0, count);
}
