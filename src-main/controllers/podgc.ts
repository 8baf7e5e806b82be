/**
 * The pod garbage collector (pkg/controller/podgc/gc_controller.go): every gcCheckPeriod it force-deletes
 * (grace 0) pods nobody else will finish: terminated pods past terminated-pod-gc-threshold (evicted, then oldest
 * first), terminating pods on NotReady nodes tainted out-of-service, pods bound to nodes that are still gone after
 * a quarantine, and terminating pods never scheduled. A pod not yet terminal is first patched to Failed (orphans
 * with a DisruptionTarget condition), since no kubelet will ever do it. It records no Events.
 */
import type { Node, PodCondition } from 'kubernetes-types/core/v1';
import { isStatusError } from '../api/errors.ts';
import { byKind } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { deleteObject, mutate, type Runtime } from './framework.ts';
import { asPod, byCreation, setPodCondition } from './util.ts';

const NODES = byKind('Node');
const PODS = byKind('Pod');
const OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';

export interface PodGCOptions {
  /** --terminated-pod-gc-threshold (12500); 0 or less turns the terminated-pod pass off. */
  terminatedPodThreshold?: number;
  /** gcCheckPeriod (20s). */
  checkPeriodMs?: number;
  /** quarantineTime (40s): how long a missing node may take to show up before its pods are orphans. */
  quarantineMs?: number;
}

const phaseOf = (p: KubeObject) => asPod(p).status?.phase;
const isTerminated = (p: KubeObject) => !['Pending', 'Running', 'Unknown'].includes(phaseOf(p) as string);
const isEvicted = (p: KubeObject) => phaseOf(p) === 'Failed' && asPod(p).status?.reason === 'Evicted';
/** byEvictionAndCreationTimestamp. */
const byEvictionAndCreation = (a: KubeObject, b: KubeObject) => Number(isEvicted(b)) - Number(isEvicted(a)) || byCreation(a, b);

/** nodeutil.IsNodeReady: no Ready condition counts as not ready. */
function isNodeReady(node: KubeObject): boolean {
  return (node as unknown as Node).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

export function startPodGC(rt: Runtime, opts: PodGCOptions = {}): () => void {
  const threshold = opts.terminatedPodThreshold ?? 12_500;
  const quarantine = opts.quarantineMs ?? 40_000;
  const podInf = rt.informers.for(PODS);
  const nodeInf = rt.informers.for(NODES);
  /** The orphaned_pods_nodes delaying queue: node name -> when it is ready to be checked. */
  const quarantined = new Map<string, number>();
  // One key: a pass runs after the watch events of the moment are in, and idle() waits for it.
  const queue = rt.queue('pod-garbage-collector', gc);
  const timer = rt.clock.setInterval(() => queue.add('gc'), opts.checkPeriodMs ?? 20_000);
  queue.add('gc');

  function gc(): void {
    const pods = podInf.list();
    const nodes = nodeInf.list();
    if (threshold > 0) gcTerminated(pods);
    gcTerminating(pods);
    gcOrphaned(pods, nodes);
    gcUnscheduledTerminating(pods);
  }

  function gcTerminated(pods: KubeObject[]): void {
    const terminated = pods.filter(isTerminated);
    const count = terminated.length - threshold;
    if (count <= 0) return;
    for (const pod of terminated.sort(byEvictionAndCreation).slice(0, count)) markFailedAndDelete(pod);
  }

  function gcTerminating(pods: KubeObject[]): void {
    const stuck = pods.filter((pod) => {
      if (!pod.metadata.deletionTimestamp) return false;
      const node = nodeInf.get(undefined, asPod(pod).spec?.nodeName ?? '');
      return !!node && !isNodeReady(node) && !!(node as unknown as Node).spec?.taints?.some((t) => t.key === OUT_OF_SERVICE);
    });
    for (const pod of stuck.sort(byEvictionAndCreation)) markFailedAndDelete(pod);
  }

  function gcOrphaned(pods: KubeObject[], nodes: KubeObject[]): void {
    const now = rt.clock.now();
    const existing = new Set(nodes.map((n) => n.metadata.name!));
    for (const pod of pods) {
      const nodeName = asPod(pod).spec?.nodeName;
      // AddAfter keeps the earliest time for a node already waiting.
      if (nodeName && !existing.has(nodeName) && !quarantined.has(nodeName)) quarantined.set(nodeName, now + quarantine);
    }
    // discoverDeletedNodes: nodes out of quarantine, still missing from the cache, confirmed gone with a GET.
    const deleted = new Set<string>();
    for (const [name, readyAt] of quarantined) {
      if (readyAt > now) continue;
      quarantined.delete(name);
      if (!existing.has(name) && !rt.reg.tryGet(NODES, undefined, name)) deleted.add(name);
    }
    const condition: PodCondition = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' };
    for (const pod of pods) if (deleted.has(asPod(pod).spec?.nodeName ?? '')) markFailedAndDelete(pod, condition);
  }

  function gcUnscheduledTerminating(pods: KubeObject[]): void {
    for (const pod of pods) if (pod.metadata.deletionTimestamp && !asPod(pod).spec?.nodeName) markFailedAndDelete(pod);
  }

  /** markFailedAndDeletePodWithCondition; a failure is only logged upstream (HandleError): the next pass retries. */
  function markFailedAndDelete(pod: KubeObject, condition?: PodCondition): void {
    try {
      let latest = pod;
      const phase = phaseOf(pod);
      if (phase !== 'Succeeded' && phase !== 'Failed') {
        // PatchPodStatus: a patch with a UID precondition, applied to whatever status is stored now.
        const current = rt.reg.get(PODS, pod.metadata.namespace, pod.metadata.name!);
        if (current.metadata.uid !== pod.metadata.uid) return;
        latest = mutate(rt, PODS, current, (x) => {
          ((x.status ??= {}) as { phase?: string }).phase = 'Failed';
          if (condition) setPodCondition(asPod(x), condition, rt.clock.now());
        }, true);
      }
      deleteObject(rt, PODS, latest, { gracePeriodSeconds: 0 });
    } catch (e) {
      if (!isStatusError(e)) throw e;
    }
  }

  return () => rt.clock.clearInterval(timer);
}
