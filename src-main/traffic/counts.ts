/**
 * Counter snapshots of the cluster's data path and their differences: what `kubelab traffic` prints is always
 * "now minus a baseline" (a mark taken when a lesson step began, a sample of some seconds ago, or nothing).
 */
import type { FlowCount } from '../node/netstack/counters.ts';

export type { FlowCount };

/** One node's cumulative connection counts, as its `flows` call answers. */
export interface NodeFlows {
  node: string;
  /** The worker thread that counted them: a restarted node starts again from zero under a new id. */
  threadId: number;
  flows: FlowCount[];
}

export interface RuleCount {
  table: 'nat' | 'filter';
  chain: string;
  /** 1-based rule number; 0 is a built-in chain's policy. */
  index: number;
  packets: number;
  bytes: number;
  /** The rule as iptables-save prints it (`-A CHAIN ...`), or `:CHAIN POLICY` for the policy. */
  text: string;
  /** The jump target chain or the target's name (DNAT, MASQUERADE, ...); null for a counting-only rule. */
  target: string | null;
}

export interface NodeRules {
  node: string;
  threadId: number;
  /** Every chain, empty ones too. */
  chains: Array<{ table: 'nat' | 'filter'; name: string }>;
  rules: RuleCount[];
}

/** A snapshot of every running node's counters at one instant of the cluster clock. */
export interface Mark {
  at: number;
  flows: Map<string, NodeFlows>;
  rules: Map<string, NodeRules>;
}

export function flowKey(f: FlowCount): string {
  return `${f.client.ip} ${f.client.name} ${f.seenAs} ${f.entryNode} ${f.service} ${f.dst} ${f.target} ${f.pod} ${f.result}`;
}

/** The connections counted on one node since `base` (a restarted node's counts are all new). */
export function flowsSince(current: NodeFlows, base: NodeFlows | undefined): FlowCount[] {
  if (!base || base.threadId !== current.threadId) return current.flows.filter((f) => f.count > 0);
  const before = new Map(base.flows.map((f) => [flowKey(f), f.count]));
  const out: FlowCount[] = [];
  for (const f of current.flows) {
    const prior = before.get(flowKey(f)) ?? 0;
    // Counters only grow within one worker; anything else means they were reset: count what is there.
    const count = f.count >= prior ? f.count - prior : f.count;
    if (count > 0) out.push({ ...f, count });
  }
  return out;
}

/** Rules are identified by table, chain and text (kube-proxy carries counters over by text when it rewrites). */
function ruleKeys(rules: RuleCount[]): string[] {
  const seen = new Map<string, number>();
  return rules.map((r) => {
    const k = `${r.table} ${r.chain} ${r.text}`;
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    return `${k} #${n}`;
  });
}

export function rulesSince(current: NodeRules, base: NodeRules | undefined): RuleCount[] {
  if (!base || base.threadId !== current.threadId) return current.rules.map((r) => ({ ...r }));
  const keys = ruleKeys(base.rules);
  const before = new Map(base.rules.map((r, i) => [keys[i]!, r]));
  return ruleKeys(current.rules).map((k, i) => {
    const r = current.rules[i]!;
    const b = before.get(k);
    // `iptables -Z` zeroes counters: what they show since is all new.
    if (!b || r.packets < b.packets) return { ...r };
    return { ...r, packets: r.packets - b.packets, bytes: r.bytes - b.bytes };
  });
}

/** Go's time.ParseDuration for the units a learner types (h, m, s, ms); null when it is not one. */
export function parseDuration(text: string): number | null {
  if (!/^(\d+(\.\d+)?(h|m|s|ms))+$/.test(text)) return null;
  let ms = 0;
  for (const [, n, , unit] of text.matchAll(/(\d+(\.\d+)?)(ms|h|m|s)/g)) {
    ms += Number(n) * (unit === 'h' ? 3_600_000 : unit === 'm' ? 60_000 : unit === 's' ? 1000 : 1);
  }
  return ms;
}
