/** Folds the node workers' frames into the contract's TrafficFrame, published at most every 100 ms. */
import type { Counters, TrafficFrame, TraceSummary } from '../contract/views.ts';
import type { Cluster } from '../cluster/cluster.ts';

interface NodeFrame {
  now: number;
  counters: Counters;
  pods: Record<string, number>;
  services: Record<string, number>;
  traces: TraceSummary[];
}

const PERIOD_MS = 100;

export function trafficStream(cluster: Cluster, emit: (f: TrafficFrame) => void): () => void {
  const latest = new Map<string, NodeFrame>();
  let traces: TraceSummary[] = [];
  let dirty = false;
  const unsub = cluster.traffic.subscribe((node, frame) => {
    const f = frame as NodeFrame;
    latest.set(node, f);
    traces.push(...f.traces);
    dirty = true;
  });
  const timer = setInterval(() => {
    if (!dirty) return;
    dirty = false;
    const out: TrafficFrame = { now: cluster.clock.now(), nodes: {}, pods: {}, services: {}, traces };
    traces = [];
    // A removed node's last frame would otherwise be counted forever.
    const present = new Set(cluster.nodes().map((h) => h.name));
    for (const node of [...latest.keys()]) if (!present.has(node)) latest.delete(node);
    for (const [node, f] of latest) {
      out.nodes[node] = f.counters;
      for (const [pod, n] of Object.entries(f.pods)) out.pods[pod] = { requests: (out.pods[pod]?.requests ?? 0) + n };
      for (const [svc, n] of Object.entries(f.services)) out.services[svc] = { connections: (out.services[svc]?.connections ?? 0) + n };
    }
    emit(out);
  }, PERIOD_MS);
  timer.unref();
  return () => {
    unsub();
    clearInterval(timer);
  };
}
