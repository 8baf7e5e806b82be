/** What the control plane (shells, the UI, the API server) may ask of a node, by name. */
import { threadId } from 'node:worker_threads';
import type { NatRuleView } from '../contract/views.ts';
import type { CommandResult } from '../contract/command-result.ts';
import { iptablesList, iptablesRules, iptablesSave, zeroCounters, type ListOptions, type SaveOptions } from './proxy/views.ts';
import { conntrackList, type ConntrackFilter } from './proxy/conntrack-list.ts';
import { saveRule } from './proxy/rule-text.ts';
import type { ConnectRequest } from './netstack/types.ts';
import type { NodeRuntime } from './runtime.ts';
import type { LogOptions } from './kubelet/index.ts';
import { loadTest, type LoadSpec } from './load-test.ts';

type Call = (rt: NodeRuntime, ...args: never[]) => unknown;


function table(rt: NodeRuntime) {
  if (!rt.net.table) throw new Error('kube-proxy has not synced yet');
  return rt.net.table;
}

export const nodeCalls = {
  connect: (rt, req: ConnectRequest) => rt.net.connect(req),
  iptablesSave: (rt, opts: Omit<SaveOptions, 'at'> & { at?: number } = {}) =>
    iptablesSave(table(rt), { ...opts, at: opts.at === undefined ? undefined : new Date(opts.at) }),
  iptablesList: (rt, opts: ListOptions = {}) => iptablesList(table(rt), opts),
  iptablesRules: (rt, opts: { table?: 'nat' | 'filter'; chain?: string } = {}) => iptablesRules(table(rt), opts),
  iptablesZero: (rt, t?: 'nat' | 'filter') => zeroCounters(table(rt), t),
  conntrack: (rt, filter: ConntrackFilter = {}) => conntrackList(rt.net.conntrack, filter),
  natRules: (rt): NatRuleView[] =>
    [...table(rt).nat.chains.values()].flatMap((c) =>
      c.rules.map((r, i) => ({ chain: c.name, index: i + 1, packets: r.counters.packets, bytes: r.counters.bytes, text: saveRule(c.name, r) })),
    ),
  /** Cumulative connection counts since this worker started; `threadId` tells a restarted node from a running one. */
  flows: (rt) => ({ threadId, now: rt.clock.now(), flows: rt.net.counters.flows(), dropped: rt.net.counters.flowsDropped }),
  /** Every rule's counters in both tables (chains' policy counters as index 0), keyed by rule text for marks. */
  ruleCounters: (rt) => ({
    threadId,
    chains: (['nat', 'filter'] as const).flatMap((t) => [...table(rt)[t].chains.keys()].map((name) => ({ table: t, name }))),
    rules: (['nat', 'filter'] as const).flatMap((t) =>
      [...table(rt)[t].chains.values()].flatMap((c) => [
        ...(c.builtin ? [{ table: t, chain: c.name, index: 0, packets: c.policyCounters.packets, bytes: c.policyCounters.bytes, text: `:${c.name} ${c.policy}`, target: c.policy ?? null }] : []),
        ...c.rules.map((r, i) => ({ table: t, chain: c.name, index: i + 1, packets: r.counters.packets, bytes: r.counters.bytes, text: saveRule(c.name, r), target: r.target ? (r.target.kind === 'jump' ? r.target.chain : r.target.kind) : null })),
      ]),
    ),
  }),
  trace: (rt, id: number) => rt.net.counters.trace(id),
  traces: (rt) => rt.net.counters.recentTraces(),
  pods: (rt) => rt.kubelet.pods(),
  hostPorts: (rt) => rt.kubelet.hostPorts(),
  logs: (rt, ns: string, name: string, container: string | undefined, opts: LogOptions = {}) => rt.kubelet.logs(ns, name, container, { ...opts, follow: false }).text,
  exec: async (rt, ns: string, name: string, container: string | undefined, argv: string[], stdin?: string): Promise<CommandResult> => {
    let stdout = '';
    let stderr = '';
    const code = await rt.kubelet.exec(ns, name, container, argv, { stdout: (d) => (stdout += d), stderr: (d) => (stderr += d), stdin });
    return { code, stdout, stderr };
  },
  containerView: (rt, ns: string, name: string, container: string | undefined) => rt.kubelet.containerView(ns, name, container),
  writeFiles: (rt, ns: string, name: string, container: string | undefined, set: Record<string, string>, removed: string[]) =>
    rt.kubelet.writeFiles(ns, name, container, set, removed),
  proxyStats: (rt) => ({ syncs: rt.proxy.syncs, lastSyncMs: rt.proxy.lastSyncMs }),
  load: (rt, spec: LoadSpec) => loadTest(rt.net, spec),
  ping: (rt) => ({ node: rt.node.name, threadId }),
  /** Live heap after a full collection (benchmarks: memory flatness without the GC saw-tooth). */
  liveHeap: async () => {
    // Loaded here, not at start-up: node:v8 brings a dozen internal modules every node worker would pay for.
    const [{ setFlagsFromString }, { runInNewContext }] = await Promise.all([import('node:v8'), import('node:vm')]);
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    return process.memoryUsage().heapUsed;
  },
} satisfies Record<string, Call>;

/** The calls by name: `NodeHandle.call` takes its method, arguments and result type from here. */
export type NodeCalls = typeof nodeCalls;
export type NodeCallName = keyof NodeCalls;
export type NodeCallArgs<M extends NodeCallName> = Parameters<NodeCalls[M]> extends [NodeRuntime, ...infer A] ? A : [];
export type NodeCallResult<M extends NodeCallName> = Awaited<ReturnType<NodeCalls[M]>>;

/** Runs a call that arrived by name over the worker's port (the names are checked at the host's call sites). */
export function runNodeCall(rt: NodeRuntime, method: string, args: unknown[]): Promise<unknown> {
  const fn = Object.hasOwn(nodeCalls, method) ? (nodeCalls[method as NodeCallName] as (rt: NodeRuntime, ...a: unknown[]) => unknown) : undefined;
  if (!fn) return Promise.reject(new Error(`unknown node call ${method}`));
  return Promise.resolve(fn(rt, ...args));
}
