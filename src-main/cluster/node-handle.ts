/**
 * The control plane's side of one node worker: starts and stops the thread, feeds it the watches a kubelet and a
 * kube-proxy make, and turns what the node reports (pod status, leases, events) into API writes.
 */
import { Worker, type MessagePort } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { microTime, type ClockSpec } from '../clock/clock.ts';
import { byKind } from '../api/resources.ts';
import { isStatusError } from '../api/errors.ts';
import type { KubeObject } from '../api/types.ts';
import type { Registry } from '../registry/registry.ts';
import type { Watch } from '../store/store.ts';
import type { HostToNode, NodeToHost, PeerInfo, PodEventReport, WatchedKind } from '../node/protocol.ts';
import { nodeStatus } from '../node/node-status.ts';
import type { NodeCallArgs, NodeCallName, NodeCallResult } from '../node/calls.ts';
import { nodeWorkerEntry } from './worker-entry.ts';
import { MessageBatcher } from '../node/message-batcher.ts';
import type { NodePlan } from './topology.ts';
import { CLUSTER_CIDR } from './topology.ts';

const PODS = byKind('Pod');
const NODES = byKind('Node');
const LEASES = byKind('Lease');

/** Stored objects are frozen: one JSON text each, however many nodes watch it (every Service and EndpointSlice). */
const jsonTexts = new WeakMap<object, string>();
function jsonOf(o: KubeObject): string {
  let text = jsonTexts.get(o);
  if (text === undefined) {
    text = JSON.stringify(o);
    if (Object.isFrozen(o)) jsonTexts.set(o, text);
  }
  return text;
}

export interface NodeHandleHooks {
  event(involved: PodEventReport['involved'], type: string, reason: string, message: string, source: { component: string; host?: string }): void;
  traffic(node: string, frame: unknown): void;
}

export class NodeHandle {
  private worker: Worker | undefined;
  private outbox: MessageBatcher<HostToNode> | undefined;
  /** resourceVersions of this kubelet's own pod status writes, whose watch echo is not forwarded. */
  private readonly ownStatusWrites = new Set<string>();
  private watches: Watch[] = [];
  private pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private nextId = 1;
  private readyWaiters: Array<() => void> = [];
  readonly bootId = randomUUID();

  constructor(
    readonly plan: NodePlan,
    private readonly registry: Registry,
    private readonly hooks: NodeHandleHooks,
  ) {}

  get name(): string {
    return this.plan.name;
  }
  get running(): boolean {
    return this.worker !== undefined;
  }
  peerInfo(): PeerInfo {
    return { name: this.plan.name, ip: this.plan.ip, podCIDR: this.plan.podCIDR };
  }

  /**
   * What the kubelet's registration (initialNode) carries: capacity, allocatable, addresses and nodeInfo, so the
   * scheduler can place DaemonSet pods at once; the conditions follow with the first status update.
   */
  registrationStatus(now: number): object {
    const { conditions: _, ...status } = nodeStatus(this.identity(), now, this.bootId) as { conditions: unknown };
    return status;
  }

  private identity() {
    return { name: this.plan.name, ip: this.plan.ip, podCIDR: this.plan.podCIDR, clusterCIDR: CLUSTER_CIDR, controlPlane: this.plan.controlPlane };
  }

  /** Starts the worker thread; resolves once the node has registered its status and first lease. */
  async start(clock: ClockSpec, youngGenerationMb?: number): Promise<void> {
    if (this.worker) return;
    const entry = nodeWorkerEntry();
    const worker = new Worker(entry, {
      // A bundled worker needs no loader: without this it inherits e.g. tsx's --import and its source maps (~8 MB each).
      execArgv: entry.pathname.endsWith('.mjs') ? undefined : [],
      workerData: { node: this.identity(), clock, bootId: this.bootId },
      name: `node ${this.plan.name}`,
      resourceLimits: youngGenerationMb ? { maxYoungGenerationSizeMb: youngGenerationMb } : undefined,
    });
    this.worker = worker;
    this.outbox = new MessageBatcher<HostToNode>((msgs, transfer) => worker.postMessage(msgs, transfer as never));
    worker.on('message', (msgs: NodeToHost[]) => {
      for (const m of msgs) this.onMessage(m);
    });
    worker.on('error', (e) => {
      console.error(`node ${this.plan.name} worker failed:`, e);
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.detach();
    });
    await new Promise<void>((resolve) => this.readyWaiters.push(resolve));
    this.subscribe();
  }

  /** Terminates the thread: heartbeats stop for real, so the node lifecycle controller notices. */
  async stop(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.detach();
    await w.terminate();
  }

  private detach(): void {
    for (const w of this.watches) w.stop();
    this.watches = [];
    this.ownStatusWrites.clear();
    this.worker = undefined;
    this.outbox?.clear();
    this.outbox = undefined;
    for (const p of this.pending.values()) p.reject(new Error(`node ${this.plan.name} is not running`));
    this.pending.clear();
  }

  post(msg: HostToNode, transfer?: MessagePort[]): void {
    if (this.worker) this.outbox?.post(msg, transfer);
  }

  /** Runs one of the node's calls (node/calls.ts) in its worker; the table gives the arguments and result type. */
  call<M extends NodeCallName>(method: M, ...args: NodeCallArgs<M>): Promise<NodeCallResult<M>> {
    if (!this.worker) return Promise.reject(new Error(`node ${this.plan.name} is not running`));
    const id = this.nextId++;
    return new Promise<NodeCallResult<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.post({ t: 'call', id, method, args });
    });
  }

  /** Round trip to the worker: everything it sent before the answer has been handled here. */
  private syncSeq = 1;
  private syncWaiters = new Map<number, () => void>();
  sync(msg?: { now: number }): Promise<void> {
    if (!this.worker) return Promise.resolve();
    const seq = this.syncSeq++;
    return new Promise((resolve) => {
      this.syncWaiters.set(seq, resolve);
      this.post(msg ? { t: 'clock', now: msg.now, seq } : { t: 'sync', seq });
    });
  }

  private subscribe(): void {
    const forward = (kind: WatchedKind) => (ev: { type: string; object: KubeObject }) => {
      if (ev.type === 'BOOKMARK') return;
      // The echo of the kubelet's own status write tells it nothing it does not know (a real kubelet gets it and
      // finds it equal to what it posted); at 100 pods a node that is most of its watch traffic.
      if (kind === 'Pod' && ev.type === 'MODIFIED' && this.ownStatusWrites.delete(ev.object.metadata.resourceVersion!)) return;
      this.post({ t: 'watch', kind, type: ev.type as 'ADDED', json: jsonOf(ev.object) });
    };
    this.watches.push(this.registry.watch(PODS, { fieldSelector: `spec.nodeName=${this.plan.name}` }, forward('Pod')));
    this.watches.push(this.registry.watch(byKind('Service'), {}, forward('Service')));
    this.watches.push(this.registry.watch(byKind('EndpointSlice'), {}, forward('EndpointSlice')));
  }

  private onMessage(m: NodeToHost): void {
    switch (m.t) {
      case 'ready':
        for (const r of this.readyWaiters.splice(0)) r();
        return;
      case 'ack':
        this.syncWaiters.get(m.seq)?.();
        this.syncWaiters.delete(m.seq);
        return;
      case 'result': {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.ok) p?.resolve(m.value);
        else p?.reject(new Error(m.error));
        return;
      }
      case 'lease':
        return this.renewLease(m.renewTime);
      case 'nodeStatus':
        return this.writeNodeStatus(m.status);
      case 'podStatus':
        return this.writePodStatus(m.namespace, m.name, m.uid, m.json);
      case 'podTerminated': {
        const pod = this.registry.tryGet(PODS, m.namespace, m.name);
        if (pod && pod.metadata.uid === m.uid) this.registry.finalizeDelete(PODS, m.namespace, m.name);
        return;
      }
      case 'event':
        this.hooks.event(m.event.involved, m.event.type, m.event.reason, m.event.message, { component: 'kubelet', host: this.plan.name });
        return;
      case 'traffic':
        this.hooks.traffic(this.plan.name, m.frame);
        return;
    }
  }

  private renewLease(renewTime: number): void {
    const existing = this.registry.tryGet(LEASES, 'kube-node-lease', this.plan.name);
    const spec = { holderIdentity: this.plan.name, leaseDurationSeconds: 40, renewTime: microTime(renewTime) };
    if (!existing) {
      const node = this.registry.tryGet(NODES, undefined, this.plan.name);
      this.registry.create(LEASES, 'kube-node-lease', {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name: this.plan.name,
          namespace: 'kube-node-lease',
          ownerReferences: node ? [{ apiVersion: 'v1', kind: 'Node', name: this.plan.name, uid: node.metadata.uid! }] : undefined,
        },
        spec,
      });
    } else {
      this.registry.update(LEASES, { ...existing, spec: { ...(existing.spec as object), ...spec } });
    }
    this.restoreNodeStatus(renewTime);
  }

  /**
   * The kubelet's node status loop (every nodeStatusUpdateFrequency, 10 s like the lease): when the API shows a Ready
   * condition other than the kubelet's own (the node lifecycle controller set Unknown after a late renewal), the
   * kubelet posts its status again, with new transition times.
   */
  private restoreNodeStatus(now: number): void {
    const node = this.registry.tryGet(NODES, undefined, this.plan.name);
    const ready = (node?.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions?.find((c) => c.type === 'Ready');
    if (!node || !ready || ready.status === 'True') return;
    this.writeNodeStatus(nodeStatus(this.identity(), now, this.bootId));
  }

  private writeNodeStatus(status: unknown): void {
    const node = this.registry.tryGet(NODES, undefined, this.plan.name);
    if (!node) return;
    this.registry.update(NODES, { ...node, status: status as object }, { subresource: 'status' });
  }

  private writePodStatus(ns: string, name: string, uid: string, json: string): void {
    const pod = this.registry.tryGet(PODS, ns, name);
    if (!pod || pod.metadata.uid !== uid) return;
    try {
      // The parsed status is this call's own: the registry may keep it instead of copying it.
      const saved = this.registry.update(PODS, { ...pod, status: JSON.parse(json) as object }, { subresource: 'status', owned: true });
      if (this.watches.length) this.ownStatusWrites.add(saved.metadata.resourceVersion!);
    } catch (e) {
      if (!isStatusError(e, 'NotFound')) throw e;
    }
  }
}
