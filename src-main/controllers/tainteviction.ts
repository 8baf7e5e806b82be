/**
 * The taint eviction controller (pkg/controller/tainteviction): pods on nodes with NoExecute taints they do not
 * tolerate are deleted at once; tolerated ones are deleted when the shortest tolerationSeconds runs out, counted
 * from when the controller saw the taint; a taint going away cancels the pending deletion.
 */
import type { Taint, Toleration } from 'kubernetes-types/core/v1';
import type { TimerId } from '../clock/clock.ts';
import { byKind } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { recorderFor } from './events.ts';
import { deleteObject, keyOf, mutate, splitKey, type Runtime } from './framework.ts';
import { tolerates } from './scheduler.ts';
import { asPod, setPodCondition } from './util.ts';

const NODES = byKind('Node');
const PODS = byKind('Pod');

interface Scheduled {
  uid: string;
  createdAt: number;
  fireAt: number;
  timer: TimerId;
}

export function startTaintEvictionController(rt: Runtime): () => void {
  const nodeInf = rt.informers.for(NODES);
  const podInf = rt.informers.for(PODS);
  const record = recorderFor(rt.reg, rt.clock, { component: 'taint-eviction-controller' });
  const pending = new Map<string, Scheduled>();
  const due = new Set<string>();
  const queue = rt.queue('taint-eviction', processPod);

  nodeInf.on((type, o, old) => {
    const now = noExecute(o);
    if (type !== 'DELETED' && old && JSON.stringify(now) === JSON.stringify(noExecute(old))) return;
    for (const p of podInf.list()) if (asPod(p).spec?.nodeName === o.metadata.name) queue.add(keyOf(p));
  });
  podInf.on((type, o) => {
    if (type === 'DELETED') return cancel(keyOf(o), false);
    if (asPod(o).spec?.nodeName) queue.add(keyOf(o));
  });

  function noExecute(node: KubeObject): Taint[] {
    return ((node.spec as { taints?: Taint[] } | undefined)?.taints ?? []).filter((t) => t.effect === 'NoExecute');
  }

  function cancel(key: string, withEvent: boolean, pod?: KubeObject): void {
    const s = pending.get(key);
    if (!s) return;
    rt.clock.clearTimeout(s.timer);
    pending.delete(key);
    if (withEvent && pod) record(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
  }

  function processPod(key: string): void {
    const [ns, name] = splitKey(key);
    const pod = podInf.get(ns, name);
    if (!pod || pod.metadata.deletionTimestamp) return cancel(key, false);
    if (due.delete(key)) return evict(key, pod.metadata.uid!);
    const node = nodeInf.get(undefined, asPod(pod).spec?.nodeName ?? '');
    const taints = node ? noExecute(node) : [];
    if (taints.length === 0) return cancel(key, true, pod);
    const tolerations = asPod(pod).spec?.tolerations ?? [];
    const used: Toleration[] = [];
    for (const t of taints) {
      const match = tolerations.find((tol) => tolerates([tol], t));
      if (!match) {
        cancel(key, false);
        return evict(key, pod.metadata.uid!);
      }
      used.push(match);
    }
    // getMinTolerationTime: no tolerationSeconds anywhere means forever.
    const seconds = used.filter((t) => t.tolerationSeconds !== undefined && t.tolerationSeconds !== null).map((t) => Math.max(0, t.tolerationSeconds!));
    if (seconds.length === 0) return cancel(key, true, pod);
    const min = Math.min(...seconds);
    const now = rt.clock.now();
    const existing = pending.get(key);
    const createdAt = existing && existing.uid === pod.metadata.uid ? existing.createdAt : now;
    const fireAt = createdAt + min * 1000;
    if (existing && existing.uid === pod.metadata.uid && existing.fireAt <= fireAt) return;
    if (existing) rt.clock.clearTimeout(existing.timer);
    const uid = pod.metadata.uid!;
    const timer = rt.clock.setTimeout(() => {
      pending.delete(key);
      try {
        evict(key, uid);
      } catch {
        due.add(key); // a conflicting write: the queue retries, and the pod is due now
        queue.add(key);
      }
    }, Math.max(0, fireAt - now));
    pending.set(key, { uid, createdAt, fireAt, timer });
  }

  function evict(key: string, uid: string): void {
    const [ns, name] = splitKey(key);
    const pod = rt.reg.tryGet(PODS, ns, name);
    if (!pod || pod.metadata.uid !== uid || pod.metadata.deletionTimestamp) return;
    record(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    const copy = structuredClone(pod) as KubeObject;
    const changed = setPodCondition(
      asPod(copy),
      { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' },
      rt.clock.now(),
    );
    const latest = changed ? mutate(rt, PODS, pod, (x) => (x.status = copy.status), true) : pod;
    deleteObject(rt, PODS, latest);
  }

  return () => {
    for (const s of pending.values()) rt.clock.clearTimeout(s.timer);
    pending.clear();
  };
}
