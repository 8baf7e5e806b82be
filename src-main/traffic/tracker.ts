/**
 * The cluster's data-path counters for `kubelab traffic` and lesson checks: the current counts (asked of every node
 * worker, so a request that just finished is counted), named marks (a snapshot: "since the step began"), and a
 * short history of samples taken from the traffic frames nodes publish while traffic flows ("in the last 30s").
 */
import type { Clock } from '../clock/clock.ts';
import type { NodeHandle } from '../cluster/node-handle.ts';
import type { TrafficHub } from '../cluster/traffic-hub.ts';
import type { FlowCount, Mark, NodeFlows, NodeRules, RuleCount } from './counts.ts';

/** What the tracker needs of the cluster. */
export interface TrafficCluster {
  clock: Clock;
  traffic: TrafficHub;
  nodes(): NodeHandle[];
}

/** What `kubelab traffic` asks (implemented by TrafficTracker; the shell gets it through LabControls). */
export interface TrafficQueries {
  now(): number;
  /** Every running node's counts now; `missing` names nodes that are not running. */
  flows(): Promise<{ nodes: NodeFlows[]; missing: string[] }>;
  rules(node: string): Promise<NodeRules>;
  /** Snapshots every node's counters under `name` (replacing an older mark of that name). */
  mark(name: string): Promise<Mark>;
  getMark(name: string): Mark | undefined;
  /** Per node, the latest sample taken at or before `at` (none: the node had counted nothing yet). */
  baselineAt(at: number): Map<string, NodeFlows>;
}

interface Sample {
  at: number;
  threadId: number;
  flows: FlowCount[];
}

/** Samples per node are kept at least this far apart (the last one is refreshed in between), for this long. */
const SAMPLE_SPACING_MS = 1000;
const HISTORY_MS = 30 * 60_000;

interface FrameWithFlows {
  now: number;
  threadId?: number;
  flows?: FlowCount[];
}

export class TrafficTracker implements TrafficQueries {
  private readonly marks = new Map<string, Mark>();
  private readonly history = new Map<string, Sample[]>();
  private readonly unsubscribe: () => void;

  constructor(private readonly cluster: TrafficCluster) {
    this.unsubscribe = cluster.traffic.subscribe((node, frame) => this.sample(node, frame as FrameWithFlows));
  }

  now(): number {
    return this.cluster.clock.now();
  }

  async flows(): Promise<{ nodes: NodeFlows[]; missing: string[] }> {
    const nodes: NodeFlows[] = [];
    const missing: string[] = [];
    await Promise.all(
      this.cluster.nodes().map(async (h) => {
        if (!h.running) return void missing.push(h.name);
        try {
          const r = await h.call('flows');
          nodes.push({ node: h.name, threadId: r.threadId, flows: [...r.flows] });
        } catch {
          missing.push(h.name);
        }
      }),
    );
    return { nodes: nodes.sort((a, b) => a.node.localeCompare(b.node)), missing: missing.sort() };
  }

  async rules(node: string): Promise<NodeRules> {
    const h = this.cluster.nodes().find((n) => n.name === node);
    if (!h) throw new Error(`nodes "${node}" not found`);
    const r = await h.call('ruleCounters');
    return { node, threadId: r.threadId, chains: r.chains, rules: r.rules };
  }

  async mark(name: string): Promise<Mark> {
    const at = this.now();
    const { nodes } = await this.flows();
    const rules = await Promise.all(nodes.map((n) => this.rules(n.node).catch(() => undefined)));
    const mark: Mark = {
      at,
      flows: new Map(nodes.map((n) => [n.node, n])),
      rules: new Map(rules.filter((r): r is NodeRules => !!r).map((r) => [r.node, r])),
    };
    this.marks.set(name, mark);
    return mark;
  }

  getMark(name: string): Mark | undefined {
    return this.marks.get(name);
  }

  baselineAt(at: number): Map<string, NodeFlows> {
    const out = new Map<string, NodeFlows>();
    for (const [node, samples] of this.history) {
      let best: Sample | undefined;
      for (const s of samples) if (s.at <= at) best = s;
      if (best) out.set(node, { node, threadId: best.threadId, flows: best.flows });
    }
    return out;
  }

  private sample(node: string, frame: FrameWithFlows): void {
    if (!frame.flows || frame.threadId === undefined) return;
    let samples = this.history.get(node) ?? [];
    // A restarted worker counts from zero: the old worker's samples say nothing about the new one's counts.
    if (samples.length && samples[0]!.threadId !== frame.threadId) samples = [];
    this.history.set(node, samples);
    const s: Sample = { at: frame.now, threadId: frame.threadId, flows: frame.flows };
    const previous = samples.at(-2);
    if (previous && frame.now - previous.at < SAMPLE_SPACING_MS) samples[samples.length - 1] = s;
    else samples.push(s);
    while (samples.length > 1 && samples[0]!.at < frame.now - HISTORY_MS) samples.shift();
  }

  stop(): void {
    this.unsubscribe();
  }
}
