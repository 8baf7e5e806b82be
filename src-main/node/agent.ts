/**
 * One node, as it lives in its worker thread: heartbeats (Lease), status, and the kubelet, kube-proxy and network
 * stack that the rest of the node folder implements. Thread-agnostic: messages in through receive(), out through send.
 */
import type { MessagePort } from 'node:worker_threads';
import { ManualClock, RealClock, type Clock } from '../clock/clock.ts';
import type { KubeObject } from '../api/types.ts';
import type { HostToNode, NodeToHost, WorkerInit } from './protocol.ts';
import { clockFromSpec } from './worker-clock.ts';
import { nodeStatus } from './node-status.ts';
import { NodeRuntime } from './runtime.ts';
import { runNodeCall } from './calls.ts';

/** kubelet's node lease renew interval: 25% of the 40 s lease duration. */
export const LEASE_RENEW_MS = 10_000;

export class NodeAgent {
  readonly clock: Clock;
  private leaseTimer = 0;
  readonly runtime: NodeRuntime;

  constructor(
    readonly init: WorkerInit,
    readonly send: (msg: NodeToHost, transfer?: Transferable[]) => void,
  ) {
    this.clock = clockFromSpec(init.clock);
    this.runtime = new NodeRuntime(init.node, this.clock, send);
  }

  start(): void {
    this.send({ t: 'nodeStatus', status: nodeStatus(this.init.node, this.clock.now(), this.init.bootId) });
    this.renew();
    this.leaseTimer = this.clock.setInterval(() => this.renew(), LEASE_RENEW_MS);
    this.send({ t: 'ready' });
  }

  private renew(): void {
    this.send({ t: 'lease', renewTime: this.clock.now() });
  }

  receive(msg: HostToNode): void {
    switch (msg.t) {
      case 'clock':
        if (this.clock instanceof ManualClock) this.clock.set(Math.max(msg.now, this.clock.now()));
        this.send({ t: 'ack', seq: msg.seq });
        return;
      case 'sync':
        this.send({ t: 'ack', seq: msg.seq });
        return;
      case 'speed':
        if (this.clock instanceof RealClock && msg.clock.kind === 'real') this.clock.adopt(msg.clock);
        return;
      case 'watch':
        this.runtime.watchEvent(msg.kind, msg.type, JSON.parse(msg.json) as KubeObject);
        return;
      case 'peer':
        this.runtime.addPeer(msg.peer, msg.port as MessagePort);
        return;
      case 'peerGone':
        this.runtime.removePeer(msg.name);
        return;
      case 'call':
        void this.call(msg.id, msg.method, msg.args);
        return;
      case 'stop':
        this.clock.clearInterval(this.leaseTimer);
        this.runtime.stop();
        return;
    }
  }

  private async call(id: number, method: string, args: unknown[]): Promise<void> {
    try {
      const value = await runNodeCall(this.runtime, method, args);
      this.send({ t: 'result', id, ok: true, value });
    } catch (e) {
      this.send({ t: 'result', id, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }
}
