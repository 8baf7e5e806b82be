/**
 * A whole cluster in one process: the control plane on this thread (store, registry, controllers) and one worker
 * thread per node. This is what `kubelab serve`, the desktop app and the tests start.
 */
import { MessageChannel } from 'node:worker_threads';
import { ManualClock, RealClock, type Clock, type ClockSpec } from '../clock/clock.ts';
import { byKind } from '../api/resources.ts';
import { Store } from '../store/store.ts';
import { Registry } from '../registry/registry.ts';
import { NodeHandle } from './node-handle.ts';
import { nodeObject, planNode, type NodePlan } from './topology.ts';
import { bootstrapObjects } from './bootstrap.ts';
import { EventSink } from './event-sink.ts';
import { TrafficHub } from './traffic-hub.ts';
import { ClusterNetwork } from './network.ts';

const NODES = byKind('Node');

/**
 * Young-generation cap per node worker. V8 lets each isolate's nursery grow to tens of MB under allocation bursts,
 * harmless for 3 nodes and a gigabyte for 50; the nodes share a budget instead (a small nursery only means more,
 * cheaper scavenges).
 */
const YOUNG_GENERATION_BUDGET_MB = 100;
export function youngGenerationMb(nodes: number): number | undefined {
  const share = Math.floor(YOUNG_GENERATION_BUDGET_MB / Math.max(1, nodes));
  return share >= 16 ? undefined : Math.max(2, share);
}

export interface ClusterOptions {
  nodes?: number;
  /** A ManualClock makes every timing deterministic (tests); default: real time at 1x. */
  clock?: RealClock | ManualClock;
  store?: Store;
  /** Start the control-plane controllers (default true). */
  controllers?: boolean;
  startControllers?: (registry: Registry, clock: Clock) => { stop(): void; idle?(): Promise<void> };
}

export class Cluster {
  readonly clock: RealClock | ManualClock;
  readonly store: Store;
  readonly registry: Registry;
  readonly events: EventSink;
  readonly traffic = new TrafficHub();
  readonly network: ClusterNetwork;
  private readonly handles = new Map<string, NodeHandle>();
  private controllers: { stop(): void; idle?(): Promise<void> } | undefined;
  private nextIndex = 0;

  private constructor(opts: ClusterOptions) {
    this.clock = opts.clock ?? new RealClock(1);
    this.store = opts.store ?? new Store(this.clock);
    this.registry = new Registry(this.store, this.clock);
    this.events = new EventSink(this.registry, this.clock);
    this.network = new ClusterNetwork(this.registry, () => this.nodes());
  }

  static async start(opts: ClusterOptions = {}): Promise<Cluster> {
    const c = new Cluster(opts);
    bootstrapObjects(c.registry);
    if (opts.controllers !== false && opts.startControllers) c.controllers = opts.startControllers(c.registry, c.clock);
    const existing = c.registry.list(NODES).items.map((n) => n.metadata.name!);
    const count = Math.max(opts.nodes ?? 3, existing.length);
    const plans: NodePlan[] = [];
    for (let i = 0; i < count; i++) plans.push(planNode(i, existing[i]));
    c.nextIndex = count;
    await Promise.all(plans.map((p) => c.startHandle(p)));
    return c;
  }

  nodes(): NodeHandle[] {
    return [...this.handles.values()];
  }
  node(name: string): NodeHandle {
    const h = this.handles.get(name);
    if (!h) throw new Error(`node "${name}" not found`);
    return h;
  }

  clockSpec(): ClockSpec {
    return this.clock instanceof ManualClock ? { kind: 'manual', now: this.clock.now() } : { kind: 'real', ...this.clock.params() };
  }

  private async startHandle(plan: NodePlan): Promise<NodeHandle> {
    let h = this.handles.get(plan.name);
    if (!h) {
      h = new NodeHandle(plan, this.registry, {
        event: (involved, type, reason, message, source) => this.events.record(involved, type as 'Normal', reason, message, source),
        traffic: (node, frame) => this.traffic.ingest(node, frame),
      });
      this.handles.set(plan.name, h);
    }
    if (!this.registry.tryGet(NODES, undefined, plan.name)) this.registry.create(NODES, undefined, { ...nodeObject(plan), status: h.registrationStatus(this.clock.now()) } as never);
    await h.start(this.clockSpec(), youngGenerationMb(this.handles.size));
    this.connectMesh(h);
    return h;
  }

  /** The virtual network: a MessagePort pair between this node and every other running node. */
  private connectMesh(h: NodeHandle): void {
    for (const other of this.handles.values()) {
      if (other === h || !other.running) continue;
      const { port1, port2 } = new MessageChannel();
      h.post({ t: 'peer', peer: other.peerInfo(), port: port1 }, [port1]);
      other.post({ t: 'peer', peer: h.peerInfo(), port: port2 }, [port2]);
    }
  }

  async addNode(name?: string): Promise<NodeHandle> {
    const plan = planNode(this.nextIndex++, name);
    if (this.handles.has(plan.name)) throw new Error(`node "${plan.name}" already exists`);
    return this.startHandle(plan);
  }

  /** Stops the node's thread; the Node object stays and goes NotReady/Unknown as in a real outage. */
  async stopNode(name: string): Promise<void> {
    const h = this.node(name);
    await h.stop();
    for (const other of this.handles.values()) other.post({ t: 'peerGone', name });
  }

  async startNode(name: string): Promise<void> {
    await this.startHandle(this.node(name).plan);
  }

  async removeNode(name: string): Promise<void> {
    await this.stopNode(name);
    this.handles.delete(name);
    try {
      this.registry.delete(NODES, undefined, name);
    } catch {
      /* already gone */
    }
  }

  /** Real clock only: pause (0), 1x, 10x, 60x, or faster while booting. Node workers follow at once. */
  setSpeed(speed: number): void {
    if (!(this.clock instanceof RealClock)) throw new Error('the clock is under test control');
    this.clock.setSpeed(speed);
    for (const h of this.nodes()) h.post({ t: 'speed', clock: this.clockSpec() });
  }

  /** Manual clock only: moves time in steps of at most `step` ms, letting every node and controller keep up. */
  async advance(ms: number, step = 1000): Promise<void> {
    if (!(this.clock instanceof ManualClock)) throw new Error('advance() needs a ManualClock');
    const target = this.clock.now() + ms;
    while (this.clock.now() < target) {
      const next = Math.min(target, this.clock.now() + step);
      this.clock.set(next);
      await Promise.all(this.nodes().map((h) => h.sync({ now: next })));
      await this.settle();
    }
  }

  /** Waits until nodes and controllers have handled everything sent so far. */
  async settle(maxRounds = 50): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      const before = this.store.resourceVersion;
      await new Promise((r) => setImmediate(r));
      await Promise.all(this.nodes().map((h) => h.sync()));
      await this.controllers?.idle?.();
      await new Promise((r) => setImmediate(r));
      if (this.store.resourceVersion === before && i > 0) return;
    }
  }

  async close(): Promise<void> {
    this.controllers?.stop();
    await Promise.all(this.nodes().map((h) => h.stop()));
  }
}
