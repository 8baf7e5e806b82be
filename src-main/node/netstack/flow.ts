/** A connection on its entry node, from its first packet until its answer. */
import type { ConntrackEntry } from '../proxy/conntrack.ts';
import type { NatTable } from '../proxy/model.ts';
import type { WalkResult } from '../proxy/walk.ts';
import type { ConnectRequest, ConnectResult, DeliveryResult } from './types.ts';

/** What waits for an answer from another node: a connection (Flow) or a routed packet. */
export interface Waiter {
  peer: string;
  done(result: DeliveryResult): void;
}

/** The node a flow belongs to: it updates conntrack and writes the trace when the answer arrives. */
export interface FlowOwner {
  track(entry: ConntrackEntry, result: DeliveryResult): void;
  finish(flow: Flow, result: DeliveryResult, crossed: readonly string[]): ConnectResult;
}

/**
 * What a connection's trace and result are made of. One forwarded to another node waits (a Waiter) for the peer's
 * answer; the others are finished where they are.
 */
export class Flow implements Waiter {
  resolve!: (r: ConnectResult) => void;
  /** Set when the connection is forwarded: the peer it waits on and the hops it crossed. */
  peer = '';
  crossed: readonly string[] = [];
  constructor(
    readonly owner: FlowOwner,
    readonly req: ConnectRequest,
    readonly traceId: number,
    readonly started: number,
    readonly walk: WalkResult | undefined,
    readonly table: NatTable | undefined,
    readonly service: string | null,
    public entry: ConntrackEntry | undefined,
    public snat: { ip: string; port: number } | null,
    readonly target: { ip: string; port: number },
  ) {}

  done(result: DeliveryResult): void {
    this.owner.track(this.entry!, result);
    this.resolve(this.owner.finish(this, result, this.crossed));
  }
}

/** new Promise() without a closure per call: the executor hands its resolve function over through here. */
let captured: ((r: ConnectResult) => void) | undefined;
const capture = (resolve: (r: ConnectResult) => void) => {
  captured = resolve;
};

/** The promise the flow's client awaits, settled by done(). */
export function newFlowPromise(flow: Flow): Promise<ConnectResult> {
  const p = new Promise<ConnectResult>(capture);
  flow.resolve = captured!;
  captured = undefined;
  return p;
}
