/**
 * The renderer's view of the cluster: the latest snapshot (from `cluster.snapshot`, then `cluster.changed`), traffic
 * counters (`traffic.frame`) and the traces of the last moments for the map's animation and the trace list.
 */
import type { HostApi } from '../../../src-main/contract/contract.ts';
import type { ClusterSnapshot, TraceSummary, TrafficFrame } from '../../../src-main/contract/views.ts';
import { addInto, deltas, mergeInto, podRequestTotals, serviceConnectionTotals, type Totals } from '../traffic/counters.ts';
import { reuseUnchanged } from './reuse.ts';

export interface LiveTrace extends TraceSummary {
  /** performance.now() when it arrived, for the animation. */
  seenAt: number;
}

export const TRACE_ANIMATION_MS = 1200;
const RECENT_TRACES = 30;
/** At most this many trace animations at once, whatever the traffic. */
const MAX_ANIMATING = 12;

export class ClusterStore {
  /** Replaced whole on each snapshot, never mutated: raw, so reading 500 pods goes through no proxies. */
  snapshot = $state.raw<ClusterSnapshot | null>(null);
  /** performance.now() when the snapshot arrived, to run the clock on from (see clock.ts). */
  snapshotAt = $state(0);
  /** The last frame as it came (only the entries that changed); the running figures are below. */
  traffic = $state.raw<TrafficFrame | null>(null);
  recent = $state.raw<TraceSummary[]>([]);
  animating = $state.raw<LiveTrace[]>([]);
  error = $state<string | null>(null);
  /**
   * Running totals kept here from the frames' increases (see traffic/counters.ts). Deep `$state`, changed in place:
   * each key is its own signal, so a frame re-renders only the boxes whose figure moved.
   */
  podRequestCounts = $state<Totals>({});
  serviceConnectionCounts = $state<Totals>({});
  /** Connections each node worker counted since it started, from the frames' node counters. */
  nodeConnectionCounts = $state<Totals>({});
  private readonly lastPods: Totals = {};
  private readonly lastServices: Totals = {};
  private offs: Array<() => void> = [];
  /** Traffic that stops sends no more frames: this timer takes the last traces off the map (it runs only then). */
  private expiryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(readonly api: HostApi) {}

  start(): void {
    this.offs.push(
      this.api.subscribe('cluster.changed', (snapshot) => this.setSnapshot(snapshot)),
      this.api.subscribe('traffic.frame', (frame) => this.onFrame(frame)),
    );
    this.refresh();
  }

  refresh(): void {
    this.api.request('cluster.snapshot', {}).then(
      (snapshot) => {
        this.setSnapshot(snapshot);
        this.error = null;
      },
      (error: Error) => {
        this.error = error.message;
      },
    );
  }

  private setSnapshot(snapshot: ClusterSnapshot): void {
    this.snapshot = reuseUnchanged(this.snapshot, snapshot);
    this.snapshotAt = performance.now();
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
  }

  podRequests(namespace: string, name: string): number {
    return this.podRequestCounts[`${namespace}/${name}`] ?? 0;
  }

  serviceConnections(namespace: string, name: string): number {
    return this.serviceConnectionCounts[`${namespace}/${name}`] ?? 0;
  }

  nodeConnections(node: string): number {
    return this.nodeConnectionCounts[node] ?? 0;
  }

  private onFrame(frame: TrafficFrame): void {
    this.traffic = frame;
    const pods = podRequestTotals(frame);
    const services = serviceConnectionTotals(frame);
    addInto(this.podRequestCounts, deltas(this.lastPods, pods));
    addInto(this.serviceConnectionCounts, deltas(this.lastServices, services));
    mergeInto(this.lastPods, pods);
    mergeInto(this.lastServices, services);
    for (const [node, counters] of Object.entries(frame.nodes)) {
      if (this.nodeConnectionCounts[node] !== counters.connections) this.nodeConnectionCounts[node] = counters.connections;
    }
    if (frame.traces.length === 0) {
      if (this.animating.length > 0) this.expire();
      return;
    }
    const now = performance.now();
    this.recent = [...frame.traces.slice().reverse(), ...this.recent].slice(0, RECENT_TRACES);
    // A page nobody sees (minimised window, background tab) animates nothing; the trace list still fills.
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
    this.animating = [
      ...this.animating.filter((trace) => now - trace.seenAt < TRACE_ANIMATION_MS),
      ...frame.traces.map((trace) => ({ ...trace, seenAt: now })),
    ].slice(-MAX_ANIMATING);
    this.scheduleExpiry();
  }

  private scheduleExpiry(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = setTimeout(() => {
      this.expiryTimer = null;
      this.expire();
    }, TRACE_ANIMATION_MS);
  }

  private expire(): void {
    const now = performance.now();
    const left = this.animating.filter((trace) => now - trace.seenAt < TRACE_ANIMATION_MS);
    if (left.length !== this.animating.length) this.animating = left;
    if (left.length) this.scheduleExpiry();
  }
}
