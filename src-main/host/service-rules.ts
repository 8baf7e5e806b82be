/**
 * The Rules tab of a Service: the iptables rules kube-proxy wrote for it on one node, picked out of the node's rule
 * counters. A rule is the Service's when its comment names it (`"default/web:http cluster IP"`, `"masquerade traffic
 * for default/web external destinations"`) or when it sits in one of the Service's own chains (KUBE-SVC-, KUBE-SEP-,
 * KUBE-EXT-, KUBE-FW-, KUBE-SVL- reached from such a rule), as `-A KUBE-EXT-X -j KUBE-SVC-X` names nothing.
 */
import type { RuleLine } from '../contract/views.ts';

/** What the node's `ruleCounters` call answers per rule (chains' policy counters are index 0). */
export interface CountedRule extends RuleLine {
  target: string | null;
}

const OWN_CHAIN = /^KUBE-(SVC|SEP|EXT|FW|SVL)-/;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function serviceRuleLines(rules: CountedRule[], namespace: string, name: string): RuleLine[] {
  const names = new RegExp(`--comment "?(?:[^"]*\\s)?${escape(`${namespace}/${name}`)}(?::|\\s|"|$)`);
  const chains = new Set<string>();
  const byChain = new Map<string, CountedRule[]>();
  for (const r of rules) {
    if (r.index === 0) continue;
    let list = byChain.get(`${r.table} ${r.chain}`);
    if (!list) byChain.set(`${r.table} ${r.chain}`, (list = []));
    list.push(r);
  }
  const follow = (table: string, chain: string): void => {
    if (chains.has(`${table} ${chain}`)) return;
    chains.add(`${table} ${chain}`);
    for (const r of byChain.get(`${table} ${chain}`) ?? []) if (r.target && OWN_CHAIN.test(r.target)) follow(table, r.target);
  };
  const named = rules.filter((r) => r.index > 0 && names.test(r.text));
  for (const r of named) {
    if (OWN_CHAIN.test(r.chain)) follow(r.table, r.chain);
    if (r.target && OWN_CHAIN.test(r.target)) follow(r.table, r.target);
  }
  const picked = new Set<CountedRule>(named);
  for (const key of chains) for (const r of byChain.get(key) ?? []) picked.add(r);
  // iptables-save order: the tables, then the rules as the node holds them.
  return rules
    .filter((r) => picked.has(r))
    .map(({ table, chain, index, packets, bytes, text }) => ({ table, chain, index, packets, bytes, text }));
}

