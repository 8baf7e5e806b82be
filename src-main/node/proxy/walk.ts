/**
 * Walks the first packet of a connection through a node's tables the way netfilter does for kube-proxy's rules:
 * nat PREROUTING (or OUTPUT for locally generated traffic) -> KUBE-SERVICES -> ... -> KUBE-SEP DNAT, then the filter
 * table (INPUT / FORWARD / OUTPUT) for REJECT/DROP, then nat POSTROUTING -> KUBE-POSTROUTING for the masquerade
 * decision. Counters of every matched rule (and of built-in chain policies) are incremented.
 */
import { cidrContains } from '../../net/ipv4.ts';
import type { Chain, IptTable, Match, NatTable, Proto, Rule, TableName } from './model.ts';

export interface Packet {
  src: string;
  dst: string;
  proto: Proto;
  sport: number;
  dport: number;
  /** Where the packet comes from: a pod on this node, the outside (another node, the laptop), or the node itself. */
  inIface?: 'pod' | 'external' | 'local';
  /** Bytes counted on matched rules; 60 (a TCP SYN) by default. */
  bytes?: number;
}

/** xt_recent lists: list name -> source IP -> timestamps in ms (newest last). */
export type RecentTable = Map<string, Map<string, number[]>>;

export interface WalkState {
  recent: RecentTable;
  /** Milliseconds, from the node's clock. */
  now: number;
  random: () => number;
}

export interface MatchedRule {
  table: TableName;
  chain: string;
  ruleIndex: number;
}

export interface WalkResult {
  verdict: 'DNAT' | 'ACCEPT' | 'REJECT' | 'DROP';
  dnat?: { ip: string; port: number };
  masquerade: boolean;
  matched: MatchedRule[];
  /** The filter rule that rejected or dropped the packet. */
  filteredBy?: MatchedRule;
}

/** xt_recent keeps this many stamps per address by default (ip_pkt_list_tot). */
const RECENT_MAX_STAMPS = 20;
const CT_STATE_BITS = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'] as const;

interface Ctx {
  table: IptTable;
  packet: Packet;
  dst: string;
  dport: number;
  mark: number;
  ctstate: Set<string>;
  local: (ip: string) => boolean;
  state: WalkState;
  matched: MatchedRule[];
  dnat?: { ip: string; port: number };
  masquerade: boolean;
  lastTerminal?: MatchedRule;
}

type Outcome = { kind: 'continue' } | { kind: 'ACCEPT' | 'DROP' | 'REJECT' | 'DNAT' | 'MASQUERADE' };
const CONTINUE: Outcome = { kind: 'continue' };

const localSets = new WeakMap<NatTable, Set<string>>();

export function evaluate(t: NatTable, packet: Packet, state: WalkState): WalkResult {
  let localSet = localSets.get(t);
  if (!localSet) localSets.set(t, (localSet = new Set(t.localAddresses)));
  const local = (ip: string) => localSet.has(ip) || cidrContains('127.0.0.0/8', ip);
  const origin = packet.inIface ?? (local(packet.src) ? 'local' : 'pod');
  const base = { packet, dst: packet.dst, dport: packet.dport, mark: 0, ctstate: new Set(['NEW']), local, state, matched: [] as MatchedRule[], masquerade: false };

  const natCtx: Ctx = { ...base, table: t.nat };
  runBuiltin(natCtx, origin === 'local' ? 'OUTPUT' : 'PREROUTING');
  const dnat = natCtx.dnat;
  const dst = dnat?.ip ?? packet.dst;
  const dport = dnat?.port ?? packet.dport;
  const ctstate = new Set(['NEW', ...(dnat ? ['DNAT'] : [])]);

  const filterChain = origin === 'local' ? 'OUTPUT' : local(dst) ? 'INPUT' : 'FORWARD';
  const filterCtx: Ctx = { ...base, table: t.filter, dst, dport, mark: natCtx.mark, ctstate, matched: natCtx.matched };
  const filtered = runBuiltin(filterCtx, filterChain);
  if (filtered.kind === 'DROP' || filtered.kind === 'REJECT') {
    return { verdict: filtered.kind, dnat, masquerade: false, matched: filterCtx.matched, filteredBy: filterCtx.lastTerminal };
  }

  let masquerade = false;
  if (filterChain !== 'INPUT') {
    const postCtx: Ctx = { ...base, table: t.nat, dst, dport, mark: filterCtx.mark, ctstate, matched: filterCtx.matched };
    runBuiltin(postCtx, 'POSTROUTING');
    masquerade = postCtx.masquerade;
  }
  return { verdict: dnat ? 'DNAT' : 'ACCEPT', dnat, masquerade, matched: filterCtx.matched };
}

function runBuiltin(ctx: Ctx, name: string): Outcome {
  const chain = ctx.table.chains.get(name);
  if (!chain) return { kind: 'ACCEPT' };
  const out = runChain(ctx, chain, 0);
  if (out.kind !== 'continue') return out;
  chain.policyCounters.packets++;
  chain.policyCounters.bytes += ctx.packet.bytes ?? 60;
  return { kind: chain.policy === 'DROP' ? 'DROP' : 'ACCEPT' };
}

function runChain(ctx: Ctx, chain: Chain, depth: number): Outcome {
  if (depth > 32) throw new Error(`iptables: Too many levels of symbolic links (loop at ${chain.name})`);
  for (let i = 0; i < chain.rules.length; i++) {
    const rule = chain.rules[i]!;
    if (!matches(ctx, rule)) continue;
    rule.counters.packets++;
    rule.counters.bytes += ctx.packet.bytes ?? 60;
    const ref: MatchedRule = { table: ctx.table.name, chain: chain.name, ruleIndex: i };
    ctx.matched.push(ref);
    const t = rule.target;
    if (!t) continue;
    switch (t.kind) {
      case 'jump': {
        const next = ctx.table.chains.get(t.chain);
        if (!next) continue;
        const out = runChain(ctx, next, depth + 1);
        if (out.kind !== 'continue') return out;
        continue;
      }
      case 'RETURN':
        return CONTINUE;
      case 'MARK':
        ctx.mark = ((ctx.mark & ~t.mask) ^ t.value) >>> 0;
        continue;
      case 'DNAT':
        ctx.dnat = { ip: t.ip, port: t.port };
        return { kind: 'DNAT' };
      case 'MASQUERADE':
        ctx.masquerade = true;
        return { kind: 'MASQUERADE' };
      case 'ACCEPT':
        return { kind: 'ACCEPT' };
      case 'DROP':
      case 'REJECT':
        ctx.lastTerminal = ref;
        return { kind: t.kind };
    }
  }
  return CONTINUE;
}

function matches(ctx: Ctx, rule: Rule): boolean {
  const p = ctx.packet;
  if (rule.src && cidrContains(rule.src.cidr, p.src) === !!rule.src.negate) return false;
  if (rule.dst && cidrContains(rule.dst.cidr, ctx.dst) === !!rule.dst.negate) return false;
  if (rule.proto && rule.proto !== p.proto) return false;
  for (const m of rule.matches) if (!matchOne(ctx, m)) return false;
  return true;
}

function matchOne(ctx: Ctx, m: Match): boolean {
  const p = ctx.packet;
  switch (m.kind) {
    case 'comment':
      return true;
    case 'proto':
      return p.proto === m.proto && (m.dport === undefined || m.dport === ctx.dport);
    case 'statistic':
      // The kernel compares 31 random bits with the stored u32 probability.
      return Math.floor(ctx.state.random() * 0x80000000) < Math.round(m.probability * 0x80000000);
    case 'addrtype': {
      let ok = true;
      if (m.srcType === 'LOCAL') ok &&= ctx.local(p.src);
      if (m.dstType === 'LOCAL') ok &&= ctx.local(ctx.dst);
      return m.negate ? !ok : ok;
    }
    case 'mark':
      return ((ctx.mark & m.mask) === (m.mark & m.mask)) !== !!m.negate;
    case 'conntrack': {
      const hit = m.ctstate.some((s) => ctx.ctstate.has(s) && (CT_STATE_BITS as readonly string[]).includes(s));
      return hit !== !!m.negate;
    }
    case 'recent':
      return recentMatch(ctx.state, m, p.src);
  }
}

function recentMatch(state: WalkState, m: Extract<Match, { kind: 'recent' }>, src: string): boolean {
  let list = state.recent.get(m.name);
  if (!list) {
    list = new Map();
    state.recent.set(m.name, list);
  }
  if (m.op === 'set') {
    const stamps = list.get(src) ?? [];
    stamps.push(state.now);
    if (stamps.length > RECENT_MAX_STAMPS) stamps.shift();
    list.set(src, stamps);
    return true;
  }
  const stamps = list.get(src);
  if (!stamps || stamps.length === 0) return false;
  if (!m.seconds) return true;
  const since = state.now - m.seconds * 1000;
  const hit = stamps.some((s) => s > since);
  // --reap drops the entry once its newest stamp is older than --seconds.
  if (m.reap && stamps[stamps.length - 1]! <= since) list.delete(src);
  return hit;
}

export function newRecentTable(): RecentTable {
  return new Map();
}
