/** Traffic counters of one node and the traces of its recent connections, published as ~10 Hz frames. */
import type { ConnectionTrace, Counters, TraceStep, TraceSummary } from '../../contract/views.ts';

/** A trace as kept: its steps are rendered (rule text) only when someone asks for them. */
type KeptTrace = Omit<ConnectionTrace, 'steps'> & { steps: () => TraceStep[] };

const KEEP_TRACES = 200;
const MSS = 1448;

export function packetsFor(bytes: number): number {
  return 1 + Math.ceil(bytes / MSS);
}

export class TrafficCounters {
  readonly node: Counters = { connections: 0, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0 };
  readonly podRequests = new Map<string, number>();
  readonly serviceConnections = new Map<string, number>();
  private readonly traces: KeptTrace[] = [];
  private unsent: TraceSummary[] = [];
  private dirtyFlag = false;
  /** Called when the counters move after a frame was taken: whoever publishes frames schedules the next one. */
  onDirty: (() => void) | undefined;

  private get dirty(): boolean {
    return this.dirtyFlag;
  }
  private set dirty(v: boolean) {
    if (v && !this.dirtyFlag) this.onDirty?.();
    this.dirtyFlag = v;
  }

  countIn(bytes: number): void {
    this.node.packetsIn += packetsFor(bytes);
    this.node.bytesIn += bytes;
    this.dirty = true;
  }
  countOut(bytes: number): void {
    this.node.packetsOut += packetsFor(bytes);
    this.node.bytesOut += bytes;
    this.dirty = true;
  }
  connection(service: string | null): void {
    this.node.connections++;
    if (service) this.serviceConnections.set(service, (this.serviceConnections.get(service) ?? 0) + 1);
    this.dirty = true;
  }
  served(podKey: string): void {
    this.podRequests.set(podKey, (this.podRequests.get(podKey) ?? 0) + 1);
    this.dirty = true;
  }

  /** Takes `t` over (it becomes the kept trace); callers pass a fresh object. */
  addTrace(t: Omit<ConnectionTrace, 'steps'>, steps: () => TraceStep[]): void {
    let rendered: TraceStep[] | undefined;
    const kept = t as KeptTrace;
    kept.steps = () => (rendered ??= steps());
    this.traces.push(kept);
    if (this.traces.length > KEEP_TRACES) this.traces.shift();
    this.unsent.push({ id: t.id, from: t.from, to: t.to, entryNode: t.entryNode, service: t.service, pod: t.pod, podNode: t.podNode, result: t.result });
    if (this.unsent.length > KEEP_TRACES) this.unsent.shift();
    this.dirty = true;
  }

  trace(id: number): ConnectionTrace | null {
    const t = this.traces.find((x) => x.id === id);
    return t ? { ...t, steps: t.steps() } : null;
  }
  recentTraces(): ConnectionTrace[] {
    return this.traces.map((t) => ({ ...t, steps: t.steps() }));
  }

  /** The frame to publish, or undefined when nothing moved since the last one. */
  takeFrame(now: number): unknown {
    if (!this.dirty) return undefined;
    this.dirty = false;
    const traces = this.unsent;
    this.unsent = [];
    return {
      now,
      counters: { ...this.node },
      pods: Object.fromEntries(this.podRequests),
      services: Object.fromEntries(this.serviceConnections),
      traces,
    };
  }
}
