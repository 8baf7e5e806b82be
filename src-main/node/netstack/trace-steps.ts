/** Turns the rules a packet matched into the steps a learner reads in a trace. */
import type { NatTable, Rule } from '../proxy/model.ts';
import type { WalkResult } from '../proxy/walk.ts';
import { saveRule } from '../proxy/rule-text.ts';
import type { TraceStep } from '../../contract/views.ts';

function ruleAt(t: NatTable, table: 'nat' | 'filter', chain: string, index: number): Rule | undefined {
  return t[table].chains.get(chain)?.rules[index];
}

export function describeSteps(node: string, t: NatTable, walk: WalkResult): TraceStep[] {
  return walk.matched.map((m) => {
    const rule = ruleAt(t, m.table, m.chain, m.ruleIndex);
    return {
      node,
      table: m.table,
      chain: m.chain,
      rule: rule ? saveRule(m.chain, rule) : `${m.chain} policy`,
      action: rule?.target ? (rule.target.kind === 'jump' ? rule.target.chain : rule.target.kind) : 'ACCEPT',
    };
  });
}

const FILTER_COMMENT = / (has no endpoints|has no local endpoints|traffic not accepted by KUBE-FW-\w+)$/;

/**
 * `namespace/name` of the service whose KUBE-SVC/KUBE-EXT chain the packet went through, or whose filter rule
 * (no endpoints, no local endpoints, source ranges) rejected or dropped it.
 */
export function serviceOf(t: NatTable, walk: WalkResult): string | null {
  if (walk.filteredBy) {
    const rule = ruleAt(t, walk.filteredBy.table, walk.filteredBy.chain, walk.filteredBy.ruleIndex);
    const c = rule?.matches.find((x) => x.kind === 'comment');
    if (c && c.kind === 'comment' && FILTER_COMMENT.test(c.comment)) return c.comment.replace(FILTER_COMMENT, '').replace(/:[^/]*$/, '');
  }
  for (const m of walk.matched) {
    if (m.table !== 'nat' || m.chain !== 'KUBE-SERVICES' && m.chain !== 'KUBE-NODEPORTS') continue;
    const rule = ruleAt(t, 'nat', m.chain, m.ruleIndex);
    const c = rule?.matches.find((x) => x.kind === 'comment');
    if (c && c.kind === 'comment' && rule?.target?.kind === 'jump' && rule.target.chain !== 'KUBE-NODEPORTS') {
      return c.comment.replace(/ (cluster IP|external IP|loadbalancer IP)$/, '').replace(/:[^/]*$/, '');
    }
  }
  return null;
}
