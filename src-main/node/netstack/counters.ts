/** Traffic counters of one node and the traces of its recent connections, published as ~10 Hz frames. */
import { threadId } from 'node:worker_threads';
import type { ConnectionTrace, Counters, TraceStep, TraceSummary } from '../../contract/views.ts';
import type { NatTable } from '../proxy/model.ts';
import type { WalkResult } from '../proxy/walk.ts';
import { describeSteps } from './trace-steps.ts';

/** A trace as kept: its steps are rendered (rule text) from the walk only when someone asks for them. */
export type TraceRecord = Omit<ConnectionTrace, 'steps'>;

const KEEP_TRACES = 200;
const MSS = 1448;

interface FlowEntry {
  flow: FlowCount;
  pod: string | null;
  result: TraceRecord['result'];
  entryNode: string;
  name: string;
  snat: string | null;
  toIp: string;
  toPort: number;
  dnatIp: string | null;
  dnatPort: number;
}
/** Distinct flow keys kept per node; past it new keys are only counted in `flowsDropped`. */
const MAX_FLOWS = 5000;

/** Connections by client, entry node, service, endpoint and result, counted since the node started (`kubelab traffic`). */
export interface FlowCount {
  client: { kind: 'node' | 'pod' | 'laptop'; name: string; ip: string };
  /** The source address the endpoint saw (after SNAT). */
  seenAs: string;
  entryNode: string;
  service: string | null;
  /** `ip:port` the client sent to. */
  dst: string;
  /** `ip:port` the connection went to after DNAT (the original destination when nothing rewrote it). */
  target: string;
  pod: string | null;
  podNode: string | null;
  result: TraceRecord['result'];
  count: number;
}

export function packetsFor(bytes: number): number {
  return 1 + Math.ceil(bytes / MSS);
}

export class TrafficCounters {
  readonly node: Counters = { connections: 0, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0 };
  readonly podRequests = new Map<string, number>();
  readonly serviceConnections = new Map<string, number>();
  /** Flow counts by service, then client address; each list is short (endpoints x results), matched field by field. */
  private readonly flowIndex = new Map<string | null, Map<string, FlowEntry[]>>();
  private readonly flowList: FlowCount[] = [];
  flowsDropped = 0;
  /** The last KEEP_TRACES traces in a ring (oldest at `head` once full), with what renders their steps. */
  private readonly ring: TraceRecord[] = [];
  private readonly ringTable: Array<NatTable | undefined> = [];
  private readonly ringWalk: Array<WalkResult | undefined> = [];
  private readonly ringSteps: Array<TraceStep[] | undefined> = [];
  /** Steps another node reported (its own walk of the connection), after this node's. */
  private readonly ringMoreSteps: Array<TraceStep[] | undefined> = [];
  private head = 0;
  /** Traces added since the last frame (their summaries go out with it; at most KEEP_TRACES). */
  private unsent = 0;
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

  /**
   * Takes `t` over (callers pass a fresh object); its steps are the walk's matched rules in `table`, if it walked,
   * then `moreSteps` (those of the node the connection was sent on to).
   */
  addTrace(t: TraceRecord, table?: NatTable, walk?: WalkResult, moreSteps?: TraceStep[]): void {
    this.countFlow(t);
    let i: number;
    if (this.ring.length < KEEP_TRACES) i = this.ring.length;
    else {
      i = this.head;
      this.head = (this.head + 1) % KEEP_TRACES;
    }
    this.ring[i] = t;
    this.ringTable[i] = table;
    this.ringWalk[i] = walk;
    this.ringSteps[i] = undefined;
    this.ringMoreSteps[i] = moreSteps;
    if (this.unsent < KEEP_TRACES) this.unsent++;
    this.dirty = true;
  }

  /** Every flow counted so far (the live objects: copy before keeping them). */
  flows(): readonly FlowCount[] {
    return this.flowList;
  }

  private countFlow(t: TraceRecord): void {
    let bySvc = this.flowIndex.get(t.service);
    if (!bySvc) this.flowIndex.set(t.service, (bySvc = new Map()));
    let list = bySvc.get(t.from.ip);
    if (!list) bySvc.set(t.from.ip, (list = []));
    const dnat = t.dnat;
    for (const e of list) {
      if (e.pod === t.pod && e.result === t.result && e.entryNode === t.entryNode && e.name === t.from.name && e.snat === t.snat && e.toIp === t.to.ip && e.toPort === t.to.port && e.dnatIp === (dnat?.ip ?? null) && e.dnatPort === (dnat?.port ?? 0)) {
        e.flow.count++;
        return;
      }
    }
    if (this.flowList.length >= MAX_FLOWS) {
      this.flowsDropped++;
      return;
    }
    const dst = `${t.to.ip}:${t.to.port}`;
    const flow: FlowCount = {
      client: { kind: t.from.kind, name: t.from.name, ip: t.from.ip }, seenAs: t.snat ?? t.from.ip, entryNode: t.entryNode, service: t.service, dst,
      target: dnat ? `${dnat.ip}:${dnat.port}` : dst, pod: t.pod, podNode: t.podNode, result: t.result, count: 1,
    };
    list.push({ flow, pod: t.pod, result: t.result, entryNode: t.entryNode, name: t.from.name, snat: t.snat, toIp: t.to.ip, toPort: t.to.port, dnatIp: dnat?.ip ?? null, dnatPort: dnat?.port ?? 0 });
    this.flowList.push(flow);
  }

  private steps(i: number): TraceStep[] {
    const table = this.ringTable[i];
    const walk = this.ringWalk[i];
    const more = this.ringMoreSteps[i];
    return (this.ringSteps[i] ??= [...(table && walk ? describeSteps(this.ring[i]!.entryNode, table, walk) : []), ...(more ?? [])]);
  }

  /** Ring indexes from the oldest kept trace to the newest, the last `n` of them. */
  private order(n = this.ring.length): number[] {
    const len = this.ring.length;
    const out: number[] = [];
    for (let k = len - n; k < len; k++) out.push((this.head + k) % len);
    return out;
  }

  trace(id: number): ConnectionTrace | null {
    const i = this.ring.findIndex((x) => x.id === id);
    return i < 0 ? null : { ...this.ring[i]!, steps: this.steps(i) };
  }
  recentTraces(): ConnectionTrace[] {
    return this.order().map((i) => ({ ...this.ring[i]!, steps: this.steps(i) }));
  }

  /** The frame to publish, or undefined when nothing moved since the last one. */
  takeFrame(now: number): unknown {
    if (!this.dirty) return undefined;
    this.dirty = false;
    const traces: TraceSummary[] = this.order(this.unsent).map((i) => {
      const t = this.ring[i]!;
      return { id: t.id, from: t.from, to: t.to, entryNode: t.entryNode, service: t.service, pod: t.pod, podNode: t.podNode, result: t.result };
    });
    this.unsent = 0;
    return {
      now,
      counters: { ...this.node },
      pods: Object.fromEntries(this.podRequests),
      services: Object.fromEntries(this.serviceConnections),
      flows: this.flowList,
      threadId,
      traces,
    };
  }
}
