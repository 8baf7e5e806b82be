/**
 * The renderer's view of the cluster: the latest snapshot (from `cluster.snapshot`, then `cluster.changed`), traffic
 * counters (`traffic.frame`) and the traces of the last moments for the map's animation and the trace list.
 */
import type { HostApi } from '../../../src-main/contract/contract.ts';
import type { ClusterSnapshot, TraceSummary, TrafficFrame } from '../../../src-main/contract/views.ts';

export interface LiveTrace extends TraceSummary {
  /** performance.now() when it arrived, for the animation. */
  seenAt: number;
}

export const TRACE_ANIMATION_MS = 1200;
const RECENT_TRACES = 30;

export class ClusterStore {
  snapshot = $state<ClusterSnapshot | null>(null);
  traffic = $state<TrafficFrame | null>(null);
  recent = $state<TraceSummary[]>([]);
  animating = $state<LiveTrace[]>([]);
  error = $state<string | null>(null);
  private offs: Array<() => void> = [];

  constructor(readonly api: HostApi) {}

  start(): void {
    this.offs.push(
      this.api.subscribe('cluster.changed', (snapshot) => {
        this.snapshot = snapshot;
      }),
      this.api.subscribe('traffic.frame', (frame) => this.onFrame(frame)),
    );
    this.refresh();
  }

  refresh(): void {
    this.api.request('cluster.snapshot', {}).then(
      (snapshot) => {
        this.snapshot = snapshot;
        this.error = null;
      },
      (error: Error) => {
        this.error = error.message;
      },
    );
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
  }

  podRequests(namespace: string, name: string): number {
    return this.traffic?.pods[`${namespace}/${name}`]?.requests ?? 0;
  }

  serviceConnections(namespace: string, name: string): number {
    return this.traffic?.services[`${namespace}/${name}`]?.connections ?? 0;
  }

  private onFrame(frame: TrafficFrame): void {
    this.traffic = frame;
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
