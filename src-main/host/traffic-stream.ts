/**
 * Folds the node workers' frames into the contract's TrafficFrame, published at most every 100 ms and only while
 * something moves (no timer at rest). A frame carries only the entries that changed since the previous one and the
 * latest few traces; `fullFrame()` is every entry, for a new subscriber, and every KEYFRAME_MS one full frame is sent
 * so a client that missed a frame (a congested socket skips them) catches up.
 */
import { MAX_TRACES_PER_FRAME, type Counters, type TrafficFrame, type TraceSummary } from '../contract/views.ts';
import type { Cluster } from '../cluster/cluster.ts';

interface NodeFrame {
  now: number;
  counters: Counters;
  pods: Record<string, number>;
  services: Record<string, number>;
  traces: TraceSummary[];
}

const PERIOD_MS = 100;
const KEYFRAME_MS = 5000;

export interface TrafficStream {
  /** Every entry as of the last published frame, or null before any traffic. */
  fullFrame(): TrafficFrame | null;
  stop(): void;
}

type Totals = { nodes: Record<string, Counters>; pods: Record<string, number>; services: Record<string, number> };

const sameCounters = (a: Counters | undefined, b: Counters): boolean =>
  !!a && a.connections === b.connections && a.packetsIn === b.packetsIn && a.packetsOut === b.packetsOut && a.bytesIn === b.bytesIn && a.bytesOut === b.bytesOut;

export function trafficStream(cluster: Cluster, emit: (f: TrafficFrame) => void, now: () => number = () => performance.now()): TrafficStream {
  const latest = new Map<string, NodeFrame>();
  let traces: TraceSummary[] = [];
  let dropped = 0;
  let sent: Totals | null = null;
  let lastKeyframe = 0;
  let timer: NodeJS.Timeout | undefined;

  const totals = (): Totals => {
    // A removed node's last frame would otherwise be counted forever.
    const present = new Set(cluster.nodes().map((h) => h.name));
    for (const node of [...latest.keys()]) if (!present.has(node)) latest.delete(node);
    const t: Totals = { nodes: {}, pods: {}, services: {} };
    for (const [node, f] of latest) {
      t.nodes[node] = f.counters;
      for (const [pod, n] of Object.entries(f.pods)) t.pods[pod] = (t.pods[pod] ?? 0) + n;
      for (const [svc, n] of Object.entries(f.services)) t.services[svc] = (t.services[svc] ?? 0) + n;
    }
    return t;
  };

  const frameOf = (t: Totals, previous: Totals | null, extra: Pick<TrafficFrame, 'traces' | 'tracesDropped'>): TrafficFrame => {
    const out: TrafficFrame = { now: cluster.clock.now(), nodes: {}, pods: {}, services: {}, ...extra };
    if (!previous) out.full = true;
    for (const [node, c] of Object.entries(t.nodes)) if (!sameCounters(previous?.nodes[node], c)) out.nodes[node] = c;
    for (const [pod, n] of Object.entries(t.pods)) if (previous?.pods[pod] !== n) out.pods[pod] = { requests: n };
    for (const [svc, n] of Object.entries(t.services)) if (previous?.services[svc] !== n) out.services[svc] = { connections: n };
    return out;
  };

  const publish = (): void => {
    timer = undefined;
    const t = totals();
    const keyframe = now() - lastKeyframe >= KEYFRAME_MS;
    const out = frameOf(t, keyframe ? null : sent, { traces, ...(dropped ? { tracesDropped: dropped } : {}) });
    if (keyframe) lastKeyframe = now();
    traces = [];
    dropped = 0;
    sent = t;
    const empty = !out.traces.length && !Object.keys(out.nodes).length && !Object.keys(out.pods).length && !Object.keys(out.services).length;
    if (!empty) emit(out);
  };

  const unsub = cluster.traffic.subscribe((node, frame) => {
    const f = frame as NodeFrame;
    latest.set(node, f);
    // Keep only the latest few: the map animates a handful, and 100 traces a frame would cost the page its frame rate.
    for (const trace of f.traces) {
      traces.push(trace);
      if (traces.length > MAX_TRACES_PER_FRAME) {
        traces.shift();
        dropped++;
      }
    }
    if (!timer) {
      timer = setTimeout(publish, PERIOD_MS);
      timer.unref();
    }
  });

  return {
    fullFrame() {
      if (!sent) return null;
      return frameOf(sent, null, { traces: [] });
    },
    stop() {
      unsub();
      clearTimeout(timer);
    },
  };
}
