/**
 * kube-scheduler with the default plugins, condensed (pkg/scheduler): filters NodeUnschedulable, TaintToleration,
 * NodeAffinity (nodeSelector + required affinity), NodePorts, NodeResourcesFit; scores LeastAllocated,
 * BalancedAllocation, the default PodTopologySpread constraints and PreferNoSchedule taints; binds through the
 * binding subresource's storage write; FitError messages and PostFilter (preemption) text as upstream prints them.
 */
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod, Taint, Toleration } from 'kubernetes-types/core/v1';
import { byKind } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { recorderFor } from './events.ts';
import { keyOf, mutate, splitKey, type Runtime } from './framework.ts';
import { asPod, controllerRef, parseQuantity, podCondition, setPodCondition } from './util.ts';

const PODS = byKind('Pod');
const NODES = byKind('Node');
const RETRY_UNSCHEDULABLE_MS = 5 * 60_000;
const DEFAULT_CPU = 0.1;
const DEFAULT_MEMORY = 200 * 2 ** 20;
const ZONE = 'topology.kubernetes.io/zone';

const asNode = (o: KubeObject) => o as unknown as Node;

export interface SchedulerOptions {
  /** Picks among equally scored nodes (upstream: reservoir sampling); default Math.random. */
  random?: () => number;
}

export function startScheduler(rt: Runtime, opts: SchedulerOptions = {}): void {
  const podInf = rt.informers.for(PODS);
  const nodeInf = rt.informers.for(NODES);
  const record = recorderFor(rt.reg, rt.clock, { component: 'default-scheduler' });
  const queue = rt.queue('scheduler', scheduleOne);
  const unschedulable = new Set<string>();
  const random = opts.random ?? Math.random;

  const wantsScheduling = (o: KubeObject) => {
    const p = asPod(o);
    return !p.spec?.nodeName && !o.metadata.deletionTimestamp && (p.spec?.schedulerName ?? 'default-scheduler') === 'default-scheduler' &&
      p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
  };
  const retryAll = () => {
    for (const k of unschedulable) queue.add(k);
    unschedulable.clear();
  };

  const podsByNode = new PodsByNode();
  podInf.on((type, o, old) => {
    podsByNode.track(type, o);
    if (type !== 'DELETED' && wantsScheduling(o)) {
      // Our own status write (PodScheduled=False) must not retrigger an attempt.
      if (!unschedulable.has(keyOf(o)) || !old) queue.add(keyOf(o));
      return;
    }
    unschedulable.delete(keyOf(o));
    // A pod leaving a node frees room.
    if ((type === 'DELETED' && asPod(o).spec?.nodeName) || (old && asPod(old).spec?.nodeName && !isTerminal(old) && isTerminal(o))) retryAll();
  });
  nodeInf.on((type, o, old) => {
    if (type === 'DELETED') return;
    if (!old || schedulingProps(o) !== schedulingProps(old)) retryAll();
  });

  function scheduleOne(key: string): void {
    const [ns, name] = splitKey(key);
    const pod = podInf.get(ns, name);
    if (!pod || !wantsScheduling(pod)) return;
    const nodes = nodeInf.list();
    const nodeInfos = buildNodeInfos(nodes, podsByNode);
    const p = asPod(pod);
    const feasible: KubeObject[] = [];
    const statuses = new Map<string, { reasons: string[]; unresolvable: boolean }>();
    for (const n of nodes) {
      const st = filter(p, n, nodeInfos.get(n.metadata.name!)!);
      if (st) statuses.set(n.metadata.name!, st);
      else feasible.push(n);
    }
    if (feasible.length === 0) return failed(pod, nodes.length === 0 ? 'no nodes available to schedule pods' : fitError(p, nodes.length, statuses));
    const chosen = pickNode(p, pod, feasible, nodeInfos);
    bind(pod, chosen.metadata.name!);
  }

  function failed(pod: KubeObject, message: string): void {
    unschedulable.add(keyOf(pod));
    const copy = structuredClone(pod) as KubeObject;
    const changed = setPodCondition(asPod(copy), { type: 'PodScheduled', status: 'False', lastProbeTime: null as unknown as string, reason: 'Unschedulable', message }, rt.clock.now());
    if (changed) mutate(rt, PODS, pod, (x) => (x.status = copy.status), true);
    record(pod, 'Warning', 'FailedScheduling', message);
    queue.addAfter(keyOf(pod), RETRY_UNSCHEDULABLE_MS);
  }

  /** BindingREST.assignPod: nodeName and PodScheduled=True in one storage write, refused if already bound. */
  function bind(pod: KubeObject, nodeName: string): void {
    const latest = rt.reg.store.get(PODS, pod.metadata.namespace, pod.metadata.name!);
    if (latest.metadata.uid !== pod.metadata.uid || asPod(latest).spec?.nodeName) return;
    const next = structuredClone(latest) as KubeObject;
    (next.spec as { nodeName?: string }).nodeName = nodeName;
    const prev = podCondition(asPod(next), 'PodScheduled');
    setPodCondition(asPod(next), { type: 'PodScheduled', status: 'True', lastProbeTime: null as unknown as string }, rt.clock.now());
    if (prev) {
      const c = asPod(next).status!.conditions!.find((x) => x.type === 'PodScheduled')! as { reason?: string; message?: string };
      delete c.reason;
      delete c.message;
    }
    const saved = rt.reg.store.update(PODS, next, true);
    podInf.apply(saved);
    unschedulable.delete(keyOf(pod));
    record(saved, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${nodeName}`);
  }

  function pickNode(p: Pod, pod: KubeObject, feasible: KubeObject[], infos: Map<string, NodeInfo>): KubeObject {
    if (feasible.length === 1) return feasible[0];
    const scores = new Map<KubeObject, number>();
    const add = (raw: Map<KubeObject, number>, weight: number) => {
      for (const n of feasible) scores.set(n, (scores.get(n) ?? 0) + (raw.get(n) ?? 0) * weight);
    };
    const [podCpu, podMem] = nonZeroRequests(p);
    const least = new Map<KubeObject, number>();
    const balanced = new Map<KubeObject, number>();
    for (const n of feasible) {
      const info = infos.get(n.metadata.name!)!;
      const cpu = info.nonZeroCpu + podCpu;
      const mem = info.nonZeroMem + podMem;
      const part = (req: number, alloc: number) => (alloc <= 0 || req > alloc ? 0 : ((alloc - req) * 100) / alloc);
      least.set(n, Math.floor((part(cpu, info.allocCpu) + part(mem, info.allocMem)) / 2));
      const fc = info.allocCpu > 0 ? Math.min(1, cpu / info.allocCpu) : 1;
      const fm = info.allocMem > 0 ? Math.min(1, mem / info.allocMem) : 1;
      balanced.set(n, Math.floor((1 - Math.abs(fc - fm) / 2) * 100));
    }
    add(least, 1);
    add(balanced, 1);
    add(spreadScores(pod, feasible, infos), 2);
    add(preferNoScheduleScores(p, feasible), 3);
    add(preferredAffinityScores(p, feasible), 2);
    let best: KubeObject[] = [];
    let top = -Infinity;
    for (const n of feasible) {
      const s = scores.get(n)!;
      if (s > top) [top, best] = [s, [n]];
      else if (s === top) best.push(n);
    }
    return best[Math.floor(random() * best.length)] ?? best[0];
  }

  /** The system default PodTopologySpread: hostname (maxSkew 3) and zone (maxSkew 5), ScheduleAnyway. */
  function spreadScores(pod: KubeObject, feasible: KubeObject[], infos: Map<string, NodeInfo>): Map<KubeObject, number> {
    const ref = controllerRef(pod);
    const out = new Map<KubeObject, number>();
    if (!ref) return out;
    const owner = ownerKey(pod.metadata.namespace, ref.uid);
    const same = (info: NodeInfo) => info.byOwner.get(owner) ?? 0;
    const zoneCounts = new Map<string, number>();
    for (const info of infos.values()) {
      const z = info.node.metadata.labels?.[ZONE];
      if (z) zoneCounts.set(z, (zoneCounts.get(z) ?? 0) + same(info));
    }
    const raw = new Map<KubeObject, number>();
    const hostWeight = Math.log(feasible.length + 2);
    const zoneWeight = Math.log(zoneCounts.size + 2);
    for (const n of feasible) {
      const info = infos.get(n.metadata.name!)!;
      let s = same(info) * hostWeight;
      const z = n.metadata.labels?.[ZONE];
      if (z) s += (zoneCounts.get(z) ?? 0) * zoneWeight;
      raw.set(n, s);
    }
    const max = Math.max(...raw.values());
    const min = Math.min(...raw.values());
    for (const n of feasible) out.set(n, max === 0 ? 100 : Math.floor((100 * (max + min - raw.get(n)!)) / max));
    return out;
  }
}

function isTerminal(o: KubeObject): boolean {
  const ph = asPod(o).status?.phase;
  return ph === 'Succeeded' || ph === 'Failed';
}

/** What a node update must change for unschedulable pods to be worth another try (heartbeats are not). */
function schedulingProps(o: KubeObject): string {
  const n = asNode(o);
  return JSON.stringify([n.spec?.unschedulable, n.spec?.taints, o.metadata.labels, n.status?.allocatable, (n.status?.conditions ?? []).map((c) => [c.type, c.status])]);
}

interface NodeInfo {
  node: KubeObject;
  podCount: number;
  cpu: number;
  mem: number;
  nonZeroCpu: number;
  nonZeroMem: number;
  allocCpu: number;
  allocMem: number;
  allocPods: number;
  /** Host ports in use (a multiset: two pods may hold the same one after a forced bind). */
  hostPorts: Map<string, number>;
  /** Pods per "namespace/controller uid", for the default topology spread. */
  byOwner: Map<string, number>;
}

const ownerKey = (ns: string | undefined, uid: string) => `${ns ?? ''}/${uid}`;

/** What one non-terminal bound pod adds to its node. */
interface PodUsage {
  node: string;
  cpu: number;
  mem: number;
  nonZeroCpu: number;
  nonZeroMem: number;
  ports: string[];
  owner: string | undefined;
}

interface NodeUsage {
  count: number;
  cpu: number;
  mem: number;
  nonZeroCpu: number;
  nonZeroMem: number;
  hostPorts: Map<string, number>;
  byOwner: Map<string, number>;
}

const nano = (cores: number) => Math.round(cores * 1e9);

const bump = (m: Map<string, number>, k: string, by: number) => {
  const v = (m.get(k) ?? 0) + by;
  if (v === 0) m.delete(k);
  else m.set(k, v);
};

/** The scheduler cache's per-node totals, kept up to date from the pod informer instead of rebuilt per attempt. */
class PodsByNode {
  private readonly pods = new Map<string, PodUsage>();
  private readonly nodes = new Map<string, NodeUsage>();

  track(type: string, o: KubeObject): void {
    const key = keyOf(o);
    const prev = this.pods.get(key);
    if (prev) {
      this.pods.delete(key);
      this.account(prev, -1);
    }
    if (type === 'DELETED') return;
    const p = asPod(o);
    if (!p.spec?.nodeName || isTerminal(o)) return;
    const [cpu, mem] = requests(p);
    const [nonZeroCpu, nonZeroMem] = nonZeroRequests(p);
    const ref = controllerRef(o);
    // CPU summed in integer nanocores (upstream sums int64 millicores), so adding and removing pods never drifts.
    const usage: PodUsage = { node: p.spec.nodeName, cpu: nano(cpu), mem, nonZeroCpu: nano(nonZeroCpu), nonZeroMem, ports: hostPorts(p), owner: ref ? ownerKey(o.metadata.namespace, ref.uid) : undefined };
    this.pods.set(key, usage);
    this.account(usage, 1);
  }

  usage(node: string): NodeUsage | undefined {
    return this.nodes.get(node);
  }

  private account(u: PodUsage, sign: 1 | -1): void {
    let n = this.nodes.get(u.node);
    if (!n) this.nodes.set(u.node, (n = { count: 0, cpu: 0, mem: 0, nonZeroCpu: 0, nonZeroMem: 0, hostPorts: new Map(), byOwner: new Map() }));
    n.count += sign;
    n.cpu += sign * u.cpu;
    n.mem += sign * u.mem;
    n.nonZeroCpu += sign * u.nonZeroCpu;
    n.nonZeroMem += sign * u.nonZeroMem;
    for (const port of u.ports) bump(n.hostPorts, port, sign);
    if (u.owner) bump(n.byOwner, u.owner, sign);
    if (n.count === 0) this.nodes.delete(u.node);
  }
}

function buildNodeInfos(nodes: KubeObject[], pods: PodsByNode): Map<string, NodeInfo> {
  const infos = new Map<string, NodeInfo>();
  for (const n of nodes) {
    const alloc = asNode(n).status?.allocatable ?? {};
    const u = pods.usage(n.metadata.name!);
    infos.set(n.metadata.name!, {
      node: n, podCount: u?.count ?? 0, cpu: (u?.cpu ?? 0) / 1e9, mem: u?.mem ?? 0, nonZeroCpu: (u?.nonZeroCpu ?? 0) / 1e9, nonZeroMem: u?.nonZeroMem ?? 0,
      allocCpu: parseQuantity(alloc.cpu), allocMem: parseQuantity(alloc.memory), allocPods: parseQuantity(alloc.pods),
      hostPorts: u?.hostPorts ?? new Map(), byOwner: u?.byOwner ?? new Map(),
    });
  }
  return infos;
}

/** computePodResourceRequest: containers summed, init containers as a maximum, plus overhead. */
function requests(p: Pod): [number, number] {
  let cpu = 0;
  let mem = 0;
  for (const c of p.spec?.containers ?? []) {
    cpu += parseQuantity(c.resources?.requests?.cpu);
    mem += parseQuantity(c.resources?.requests?.memory);
  }
  for (const c of p.spec?.initContainers ?? []) {
    cpu = Math.max(cpu, parseQuantity(c.resources?.requests?.cpu));
    mem = Math.max(mem, parseQuantity(c.resources?.requests?.memory));
  }
  return [cpu + parseQuantity(p.spec?.overhead?.cpu), mem + parseQuantity(p.spec?.overhead?.memory)];
}

/** For scoring, containers without requests count as 100m CPU and 200Mi memory. */
function nonZeroRequests(p: Pod): [number, number] {
  let cpu = 0;
  let mem = 0;
  for (const c of p.spec?.containers ?? []) {
    cpu += c.resources?.requests?.cpu !== undefined ? parseQuantity(c.resources.requests.cpu) : DEFAULT_CPU;
    mem += c.resources?.requests?.memory !== undefined ? parseQuantity(c.resources.requests.memory) : DEFAULT_MEMORY;
  }
  return [cpu, mem];
}

function hostPorts(p: Pod): string[] {
  const out: string[] = [];
  for (const c of p.spec?.containers ?? []) for (const port of c.ports ?? []) if (port.hostPort) out.push(`${port.protocol ?? 'TCP'}/${port.hostIP ?? '0.0.0.0'}/${port.hostPort}`);
  return out;
}

/** v1helper.TolerationsTolerateTaint. */
export function tolerates(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.key && t.key !== taint.key) return false;
    if (!t.key && t.operator !== 'Exists') return false;
    if (t.operator === 'Exists') return true;
    return (t.value ?? '') === (taint.value ?? '');
  });
}

function matchRequirement(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const has = value !== undefined;
  switch (r.operator) {
    case 'In':
      return has && (r.values ?? []).includes(value);
    case 'NotIn':
      return !has || !(r.values ?? []).includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
      return has && Number(value) > Number(r.values?.[0]);
    case 'Lt':
      return has && Number(value) < Number(r.values?.[0]);
  }
  return false;
}

export function termMatches(term: NodeSelectorTerm, node: KubeObject): boolean {
  if (!term.matchExpressions?.length && !term.matchFields?.length) return false;
  return (
    (term.matchExpressions ?? []).every((r) => matchRequirement(r, node.metadata.labels?.[r.key])) &&
    (term.matchFields ?? []).every((r) => r.key === 'metadata.name' && matchRequirement(r, node.metadata.name))
  );
}

function matchesAffinity(p: Pod, node: KubeObject): boolean {
  for (const [k, v] of Object.entries(p.spec?.nodeSelector ?? {})) if (node.metadata.labels?.[k] !== v) return false;
  const req = p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return !req || req.nodeSelectorTerms.some((t) => termMatches(t, node));
}

/** The default filter chain; the first failing plugin decides a node's status. */
function filter(p: Pod, node: KubeObject, info: NodeInfo): { reasons: string[]; unresolvable: boolean } | undefined {
  const n = asNode(node);
  if (n.spec?.unschedulable && !tolerates(p.spec?.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) {
    return { reasons: ['node(s) were unschedulable'], unresolvable: true };
  }
  const taint = (n.spec?.taints ?? []).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(p.spec?.tolerations, t));
  if (taint) return { reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`], unresolvable: true };
  if (!matchesAffinity(p, node)) return { reasons: ["node(s) didn't match Pod's node affinity/selector"], unresolvable: true };
  if (hostPorts(p).some((hp) => info.hostPorts.has(hp))) return { reasons: ["node(s) didn't have free ports for the requested pod ports"], unresolvable: false };
  const reasons: string[] = [];
  if (info.podCount + 1 > info.allocPods) reasons.push('Too many pods');
  const [cpu, mem] = requests(p);
  if (cpu > 0 && cpu > info.allocCpu - info.cpu + 1e-9) reasons.push('Insufficient cpu');
  if (mem > 0 && mem > info.allocMem - info.mem) reasons.push('Insufficient memory');
  return reasons.length ? { reasons, unresolvable: false } : undefined;
}

function histogram(statuses: Iterable<string[]>): string {
  const counts = new Map<string, number>();
  for (const reasons of statuses) for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, c]) => `${c} ${r}`).sort().join(', ');
}

/** FitError.Error() plus DefaultPreemption's PostFilter message. */
function fitError(p: Pod, total: number, statuses: Map<string, { reasons: string[]; unresolvable: boolean }>): string {
  let msg = `0/${total} nodes are available: ${histogram([...statuses.values()].map((s) => s.reasons))}.`;
  if (p.spec?.preemptionPolicy === 'Never') return `${msg} preemption: not eligible due to preemptionPolicy=Never..`;
  const pre = [...statuses.values()].map((s) => [s.unresolvable ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod']);
  msg += ` preemption: 0/${total} nodes are available: ${histogram(pre)}.`;
  return msg;
}

function preferNoScheduleScores(p: Pod, feasible: KubeObject[]): Map<KubeObject, number> {
  const raw = new Map(feasible.map((n) => [n, (asNode(n).spec?.taints ?? []).filter((t) => t.effect === 'PreferNoSchedule' && !tolerates(p.spec?.tolerations, t)).length]));
  const max = Math.max(...raw.values());
  return new Map(feasible.map((n) => [n, max === 0 ? 100 : Math.floor(100 - (100 * raw.get(n)!) / max)]));
}

function preferredAffinityScores(p: Pod, feasible: KubeObject[]): Map<KubeObject, number> {
  const terms = p.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  const raw = new Map(feasible.map((n) => [n, terms.filter((t) => termMatches(t.preference, n)).reduce((s, t) => s + t.weight, 0)]));
  const max = Math.max(...raw.values());
  return new Map(feasible.map((n) => [n, max === 0 ? 0 : Math.floor((100 * raw.get(n)!) / max)]));
}
