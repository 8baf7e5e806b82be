/**
 * Walks the first packet of a connection through a node's tables the way netfilter does for kube-proxy's rules:
 * nat PREROUTING (or OUTPUT for locally generated traffic) -> KUBE-SERVICES -> ... -> KUBE-SEP DNAT, then the filter
 * table (INPUT / FORWARD / OUTPUT) for REJECT/DROP, then nat POSTROUTING -> KUBE-POSTROUTING for the masquerade
 * decision. Counters of every matched rule (and of built-in chain policies) are incremented.
 */
import { cidrContains } from '../../net/ipv4.ts';
import type { Chain, IptTable, Match, NatTable, Proto, Rule } from './model.ts';
import { newRecorder, walkCacheOf, type WalkCache, type Frame, type MatchedRule, type OutcomeKind, type PassRecord, type Recorder } from './walk-cache.ts';

export type { MatchedRule };

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
/** The conntrack states a first packet can be in, as bits: NEW always, DNAT once the nat table rewrote it. */
const CT_NEW = 1;
const CT_DNAT = 2;
/** States a first packet is never in (INVALID, RELATED, ESTABLISHED, UNTRACKED, SNAT) have no bit: they never match. */
const CT_BIT: Record<string, number> = { NEW: CT_NEW, DNAT: CT_DNAT };

interface Ctx {
  table: IptTable;
  packet: Packet;
  bytes: number;
  dst: string;
  dport: number;
  mark: number;
  ctstate: number;
  localSet: Set<string>;
  state: WalkState;
  matched: MatchedRule[];
  dnat?: { ip: string; port: number };
  masquerade: boolean;
  lastTerminal?: MatchedRule;
  cache: WalkCache;
  /** The pass being recorded, until it reaches a statistic/recent match. */
  rec: Recorder | undefined;
}

const localSets = new WeakMap<NatTable, Set<string>>();

const isLocal = (localSet: Set<string>, ip: string) => localSet.has(ip) || cidrContains('127.0.0.0/8', ip);

export function evaluate(t: NatTable, packet: Packet, state: WalkState): WalkResult {
  let localSet = localSets.get(t);
  if (!localSet) localSets.set(t, (localSet = new Set(t.localAddresses)));
  const origin = packet.inIface ?? (isLocal(localSet, packet.src) ? 'local' : 'pod');
  // One context for the three passes: each pass sees the packet as the previous one left it.
  const ctx: Ctx = {
    table: t.nat,
    packet,
    bytes: packet.bytes ?? 60,
    dst: packet.dst,
    dport: packet.dport,
    mark: 0,
    ctstate: CT_NEW,
    localSet,
    state,
    matched: [],
    dnat: undefined,
    masquerade: false,
    lastTerminal: undefined,
    cache: walkCacheOf(t),
    rec: undefined,
  };

  runBuiltin(ctx, origin === 'local' ? 'OUTPUT' : 'PREROUTING');
  const dnat = ctx.dnat;
  const dst = dnat?.ip ?? packet.dst;
  ctx.dst = dst;
  ctx.dport = dnat?.port ?? packet.dport;
  ctx.ctstate = dnat ? CT_NEW | CT_DNAT : CT_NEW;
  ctx.masquerade = false;

  const filterChain = origin === 'local' ? 'OUTPUT' : isLocal(localSet, dst) ? 'INPUT' : 'FORWARD';
  ctx.table = t.filter;
  ctx.lastTerminal = undefined;
  const filtered = runBuiltin(ctx, filterChain);
  if (filtered === 'DROP' || filtered === 'REJECT') {
    return { verdict: filtered, dnat, masquerade: false, matched: ctx.matched, filteredBy: ctx.lastTerminal };
  }

  let masquerade = false;
  if (filterChain !== 'INPUT') {
    ctx.table = t.nat;
    ctx.masquerade = false;
    ctx.dnat = dnat;
    runBuiltin(ctx, 'POSTROUTING');
    masquerade = ctx.masquerade;
  }
  return { verdict: dnat ? 'DNAT' : 'ACCEPT', dnat, masquerade, matched: ctx.matched };
}

/** One pass: from the memo when this table has walked the same packet before, recording it otherwise. */
function runBuiltin(ctx: Ctx, name: string): OutcomeKind {
  const chain = ctx.table.chains.get(name);
  if (!chain) return 'ACCEPT';
  const { proto, src } = ctx.packet;
  const { dst, dport, mark, ctstate } = ctx;
  const known = ctx.cache.get(chain, proto, dst, dport, mark, ctstate, src);
  if (known) return replay(ctx, chain, known);

  const rec = newRecorder(ctx.mark);
  const { dnat, masquerade, lastTerminal } = ctx;
  ctx.rec = rec;
  let out = runChain(ctx, chain, 0, 0);
  const complete = ctx.rec === rec;
  ctx.rec = undefined;
  const fellOff = out === 'continue';
  if (fellOff) out = takePolicy(ctx, chain);
  const record = rec.record;
  if (complete) {
    record.mark = ctx.mark;
    record.outcome = out;
    if (fellOff) record.policy = true;
    // Shared by every replay's result: frozen, so no reader can change what later packets get.
    if (ctx.dnat !== dnat) record.dnat = ctx.dnat && Object.freeze(ctx.dnat);
    if (ctx.masquerade !== masquerade) record.masquerade = ctx.masquerade;
    if (ctx.lastTerminal !== lastTerminal) record.lastTerminal = ctx.lastTerminal;
  }
  ctx.cache.set(chain, proto, dst, dport, mark, ctstate, src, record);
  return out;
}

function takePolicy(ctx: Ctx, chain: Chain): OutcomeKind {
  chain.policyCounters.packets++;
  chain.policyCounters.bytes += ctx.bytes;
  return chain.policy === 'DROP' ? 'DROP' : 'ACCEPT';
}

function replay(ctx: Ctx, chain: Chain, r: PassRecord): OutcomeKind {
  const rules = r.rules;
  const refs = r.refs;
  const bytes = ctx.bytes;
  const matched = ctx.matched;
  for (let i = 0; i < rules.length; i++) {
    const c = rules[i]!.counters;
    c.packets++;
    c.bytes += bytes;
    matched.push(refs[i]!);
  }
  ctx.mark = r.mark;
  if (r.resume) {
    const out = resume(ctx, r.resume, 0);
    return out === 'continue' ? takePolicy(ctx, chain) : out;
  }
  if (r.dnat) ctx.dnat = r.dnat;
  if (r.masquerade !== undefined) ctx.masquerade = r.masquerade;
  if (r.lastTerminal) ctx.lastTerminal = r.lastTerminal;
  if (r.policy) takePolicy(ctx, chain);
  return r.outcome!;
}

/** Real evaluation from a recorded stop point: the innermost chain from its rule, then each caller after its jump. */
function resume(ctx: Ctx, frames: Frame[], k: number): OutcomeKind {
  const f = frames[k]!;
  if (k === frames.length - 1) return runChain(ctx, f.chain, k, f.index);
  const out = resume(ctx, frames, k + 1);
  if (out !== 'continue') return out;
  return runChain(ctx, f.chain, k, f.index + 1);
}

function runChain(ctx: Ctx, chain: Chain, depth: number, start: number): OutcomeKind {
  const rec = ctx.rec;
  if (!rec) return walkRules(ctx, chain, depth, start, undefined);
  const frame: Frame = { chain, index: start };
  rec.stack.push(frame);
  const out = walkRules(ctx, chain, depth, start, frame);
  rec.stack.pop();
  return out;
}

function walkRules(ctx: Ctx, chain: Chain, depth: number, start: number, frame: Frame | undefined): OutcomeKind {
  if (depth > 32) throw new Error(`iptables: Too many levels of symbolic links (loop at ${chain.name})`);
  const rules = chain.rules;
  for (let i = start; i < rules.length; i++) {
    const rule = rules[i]!;
    if (frame) frame.index = i;
    if (!matches(ctx, rule)) continue;
    rule.counters.packets++;
    rule.counters.bytes += ctx.bytes;
    const ref: MatchedRule = { table: ctx.table.name, chain: chain.name, ruleIndex: i };
    ctx.matched.push(ref);
    if (ctx.rec) {
      ctx.rec.record.rules.push(rule);
      ctx.rec.record.refs.push(ref);
    }
    const t = rule.target;
    if (!t) continue;
    switch (t.kind) {
      case 'jump': {
        const next = ctx.table.chains.get(t.chain);
        if (!next) continue;
        const out = runChain(ctx, next, depth + 1, 0);
        if (out !== 'continue') return out;
        continue;
      }
      case 'RETURN':
        return 'continue';
      case 'MARK':
        ctx.mark = ((ctx.mark & ~t.mask) ^ t.value) >>> 0;
        continue;
      case 'DNAT':
        ctx.dnat = { ip: t.ip, port: t.port };
        return 'DNAT';
      case 'MASQUERADE':
        ctx.masquerade = true;
        return 'MASQUERADE';
      case 'ACCEPT':
        return 'ACCEPT';
      case 'DROP':
      case 'REJECT':
        ctx.lastTerminal = ref;
        return t.kind;
    }
  }
  return 'continue';
}

/** A statistic or recent match is next: the recorded pass ends here, with the chain stack to resume from. */
function stopRecording(ctx: Ctx): void {
  const rec = ctx.rec!;
  rec.record.mark = ctx.mark;
  rec.record.resume = rec.stack.map((f) => ({ chain: f.chain, index: f.index }));
  ctx.rec = undefined;
}

function matches(ctx: Ctx, rule: Rule): boolean {
  const p = ctx.packet;
  if (rule.proto && rule.proto !== p.proto) return false;
  if (rule.dst && cidrContains(rule.dst.cidr, ctx.dst) === !!rule.dst.negate) return false;
  if (rule.src) {
    if (ctx.rec) ctx.rec.record.srcDependent = true;
    if (cidrContains(rule.src.cidr, p.src) === !!rule.src.negate) return false;
  }
  const ms = rule.matches;
  for (let i = 0; i < ms.length; i++) if (!matchOne(ctx, ms[i]!)) return false;
  return true;
}

function ctstateBits(states: string[]): number {
  let bits = 0;
  for (let i = 0; i < states.length; i++) bits |= CT_BIT[states[i]!] ?? 0;
  return bits;
}

function matchOne(ctx: Ctx, m: Match): boolean {
  const p = ctx.packet;
  switch (m.kind) {
    case 'comment':
      return true;
    case 'proto':
      return p.proto === m.proto && (m.dport === undefined || m.dport === ctx.dport);
    case 'statistic':
      if (ctx.rec) stopRecording(ctx);
      // The kernel compares 31 random bits with the stored u32 probability.
      return Math.floor(ctx.state.random() * 0x80000000) < Math.round(m.probability * 0x80000000);
    case 'addrtype': {
      let ok = true;
      if (m.srcType === 'LOCAL' && ctx.rec) ctx.rec.record.srcDependent = true;
      if (m.srcType === 'LOCAL') ok &&= isLocal(ctx.localSet, p.src);
      if (m.dstType === 'LOCAL') ok &&= isLocal(ctx.localSet, ctx.dst);
      return m.negate ? !ok : ok;
    }
    case 'mark':
      return ((ctx.mark & m.mask) === (m.mark & m.mask)) !== !!m.negate;
    case 'conntrack':
      return ((ctstateBits(m.ctstate) & ctx.ctstate) !== 0) !== !!m.negate;
    case 'recent':
      if (ctx.rec) stopRecording(ctx);
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
