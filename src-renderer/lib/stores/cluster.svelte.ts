/**
 * The renderer's view of the cluster: the latest snapshot (from `cluster.snapshot`, then `cluster.changed`), traffic
 * counters (`traffic.frame`) and the traces of the last moments for the map's animation and the trace list.
 */
import type { HostApi } from '../../../src-main/contract/contract.ts';
import type { ClusterSnapshot, TraceSummary, TrafficFrame } from '../../../src-main/contract/views.ts';
import { accumulate, deltas, podRequestTotals, serviceConnectionTotals, type Totals } from '../traffic/counters.ts';

export interface LiveTrace extends TraceSummary {
  /** performance.now() when it arrived, for the animation. */
  seenAt: number;
}

export const TRACE_ANIMATION_MS = 1200;
const RECENT_TRACES = 30;

export class ClusterStore {
  snapshot = $state<ClusterSnapshot | null>(null);
  /** performance.now() when the snapshot arrived, to run the clock on from (see clock.ts). */
  snapshotAt = $state(0);
  traffic = $state<TrafficFrame | null>(null);
  recent = $state<TraceSummary[]>([]);
  animating = $state<LiveTrace[]>([]);
  error = $state<string | null>(null);
  /** Running totals kept here from the frames' increases (see traffic/counters.ts). */
  podRequestCounts = $state<Totals>({});
  serviceConnectionCounts = $state<Totals>({});
  private lastPods: Totals | null = null;
  private lastServices: Totals | null = null;
  private offs: Array<() => void> = [];

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
    this.snapshot = snapshot;
    this.snapshotAt = performance.now();
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
  }

  podRequests(namespace: string, name: string): number {
    return this.podRequestCounts[`${namespace}/${name}`] ?? 0;
  }

  serviceConnections(namespace: string, name: string): number {
    return this.serviceConnectionCounts[`${namespace}/${name}`] ?? 0;
  }

  private onFrame(frame: TrafficFrame): void {
    this.traffic = frame;
    const pods = podRequestTotals(frame);
    const services = serviceConnectionTotals(frame);
    this.podRequestCounts = accumulate(this.podRequestCounts, deltas(this.lastPods, pods));
    this.serviceConnectionCounts = accumulate(this.serviceConnectionCounts, deltas(this.lastServices, services));
    this.lastPods = pods;
    this.lastServices = services;
    if (frame.traces.length === 0) {
      if (this.animating.length > 0) this.expire();
      return;
    }
    const now = performance.now();
    this.recent = [...frame.traces.slice().reverse(), ...this.recent].slice(0, RECENT_TRACES);
    this.animating = [
      ...this.animating.filter((trace) => now - trace.seenAt < TRACE_ANIMATION_MS),
      ...frame.traces.map((trace) => ({ ...trace, seenAt: now })),
    ];
  }

  private expire(): void {
    const now = performance.now();
    this.animating = this.animating.filter((trace) => now - trace.seenAt < TRACE_ANIMATION_MS);
  }
}
