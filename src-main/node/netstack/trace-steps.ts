/** Turns the rules a packet matched into the steps a learner reads in a trace. */
import type { NatTable, Rule } from '../proxy/model.ts';
import type { WalkResult } from '../proxy/walk.ts';
import { saveRule } from '../proxy/rule-text.ts';
import type { TraceStep } from '../../contract/views.ts';

function ruleAt(t: NatTable, table: 'nat' | 'filter', chain: string, index: number): Rule | undefined {
  return t[table].chains.get(chain)?.rules[index];
}

/** A rule's `iptables-save` text, once per rule (rules never change once built; their counters are not in it). */
const ruleTexts = new WeakMap<Rule, string>();
function ruleText(chain: string, rule: Rule): string {
  let text = ruleTexts.get(rule);
  if (text === undefined) ruleTexts.set(rule, (text = saveRule(chain, rule)));
  return text;
}

export function describeSteps(node: string, t: NatTable, walk: WalkResult): TraceStep[] {
  return walk.matched.map((m) => {
    const rule = ruleAt(t, m.table, m.chain, m.ruleIndex);
    return {
      node,
      table: m.table,
      chain: m.chain,
      rule: rule ? ruleText(m.chain, rule) : `${m.chain} policy`,
      action: rule?.target ? (rule.target.kind === 'jump' ? rule.target.chain : rule.target.kind) : 'ACCEPT',
    };
  });
}

const FILTER_COMMENT = / (has no endpoints|has no local endpoints|traffic not accepted by KUBE-FW-\w+)$/;

/** The service a rule's comment names, per rule (rules are immutable once built; the regexes run once per rule). */
const filterServices = new WeakMap<Rule, string | null>();
const jumpServices = new WeakMap<Rule, string | null>();

function filterService(rule: Rule): string | null {
  let s = filterServices.get(rule);
  if (s === undefined) {
    const c = rule.matches.find((x) => x.kind === 'comment');
    s = c && c.kind === 'comment' && FILTER_COMMENT.test(c.comment) ? c.comment.replace(FILTER_COMMENT, '').replace(/:[^/]*$/, '') : null;
    filterServices.set(rule, s);
  }
  return s;
}

function jumpService(rule: Rule): string | null {
  let s = jumpServices.get(rule);
  if (s === undefined) {
    const c = rule.matches.find((x) => x.kind === 'comment');
    s =
      c && c.kind === 'comment' && rule.target?.kind === 'jump' && rule.target.chain !== 'KUBE-NODEPORTS'
        ? c.comment.replace(/ (cluster IP|external IP|loadbalancer IP)$/, '').replace(/:[^/]*$/, '')
        : null;
    jumpServices.set(rule, s);
  }
  return s;
}

/**
 * `namespace/name` of the service whose KUBE-SVC/KUBE-EXT chain the packet went through, or whose filter rule
 * (no endpoints, no local endpoints, source ranges) rejected or dropped it.
 */
export function serviceOf(t: NatTable, walk: WalkResult): string | null {
  if (walk.filteredBy) {
    const rule = ruleAt(t, walk.filteredBy.table, walk.filteredBy.chain, walk.filteredBy.ruleIndex);
    const s = rule ? filterService(rule) : null;
    if (s !== null) return s;
  }
  const matched = walk.matched;
  for (let i = 0; i < matched.length; i++) {
    const m = matched[i]!;
    if (m.table !== 'nat' || (m.chain !== 'KUBE-SERVICES' && m.chain !== 'KUBE-NODEPORTS')) continue;
    const rule = ruleAt(t, 'nat', m.chain, m.ruleIndex);
    const s = rule ? jumpService(rule) : null;
    if (s !== null) return s;
  }
  return null;
}
