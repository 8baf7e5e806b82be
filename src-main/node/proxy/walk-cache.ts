/**
 * Memo of nat/filter walks. One pass of the walk (a built-in chain and everything it jumps to) is a pure function of
 * the packet as the pass sees it (proto, destination and port after any DNAT, mark, conntrack state; the source only
 * when a rule on the way looks at it) until it reaches the first `statistic` or `recent` match. A pass is recorded
 * once per table and key: the rules it counted, then either its outcome (no random/recent point on the way) or the
 * chain stack at that point, where later packets resume real evaluation after replaying the prefix.
 *
 * Records hold Rule and Chain objects, never their counter objects, so replays count on whatever counters the rules
 * have now (zeroed, or carried over by kube-proxy). A table kube-proxy installs is a new object with an empty memo.
 */
import type { Chain, NatTable, Rule, TableName } from './model.ts';

export interface MatchedRule {
  table: TableName;
  chain: string;
  ruleIndex: number;
}

export type OutcomeKind = 'continue' | 'ACCEPT' | 'DROP' | 'REJECT' | 'DNAT' | 'MASQUERADE';

/** A chain the walk is inside of: for the innermost frame, the rule to evaluate next; otherwise the jump being run. */
export interface Frame {
  chain: Chain;
  index: number;
}

export interface PassRecord {
  /** Rules counted, in walk order, with what `matched` gets for each. */
  rules: Rule[];
  refs: MatchedRule[];
  /** The packet mark at the end of the recorded part. */
  mark: number;
  /** A rule on the way compared the packet's source: the record is valid for this source only. */
  srcDependent: boolean;
  /** Set when the pass reached a statistic/recent match: where real evaluation resumes (outermost chain first). */
  resume?: Frame[];
  /** Complete passes only: the result, what the terminal target set, and whether the built-in policy was counted. */
  outcome?: OutcomeKind;
  dnat?: { ip: string; port: number };
  masquerade?: boolean;
  lastTerminal?: MatchedRule;
  policy?: boolean;
}

/** A pass being recorded: the record so far plus the live chain stack. */
export interface Recorder {
  record: PassRecord;
  stack: Frame[];
}

/** Past this many records a table's memo starts over (a scan of many addresses must not grow it without bound). */
const MAX_RECORDS = 8192;

const PROTO_CODE: Record<string, number> = { tcp: 0, udp: 1, sctp: 2 };

/**
 * Records by built-in chain (which names the table too), then destination address, then one number packing the rest
 * of the key (mark: 32 bits, dport: 16, conntrack state: 2, proto: 2 — under 2^53, so exact), so a lookup builds no
 * string; source-dependent records add a level by source address.
 */
type ByNumber = Map<number, PassRecord | Map<string, PassRecord>>;

export class WalkCache {
  private readonly records = new Map<Chain, Map<string, ByNumber>>();
  private size = 0;

  private static number(proto: string, dport: number, mark: number, ctstate: number): number {
    return mark * 0x100000 + (dport & 0xffff) * 16 + ctstate * 4 + (PROTO_CODE[proto] ?? 3);
  }

  get(chain: Chain, proto: string, dst: string, dport: number, mark: number, ctstate: number, src: string): PassRecord | undefined {
    const r = this.records.get(chain)?.get(dst)?.get(WalkCache.number(proto, dport, mark, ctstate));
    return r instanceof Map ? r.get(src) : r;
  }

  set(chain: Chain, proto: string, dst: string, dport: number, mark: number, ctstate: number, src: string, record: PassRecord): void {
    if (this.size >= MAX_RECORDS) this.clear();
    this.size++;
    let byDst = this.records.get(chain);
    if (!byDst) this.records.set(chain, (byDst = new Map()));
    let byNumber = byDst.get(dst);
    if (!byNumber) byDst.set(dst, (byNumber = new Map()));
    const n = WalkCache.number(proto, dport, mark, ctstate);
    if (!record.srcDependent) {
      byNumber.set(n, record);
      return;
    }
    let bySrc = byNumber.get(n);
    if (!(bySrc instanceof Map)) byNumber.set(n, (bySrc = new Map()));
    bySrc.set(src, record);
  }

  clear(): void {
    this.records.clear();
    this.size = 0;
  }
}

const caches = new WeakMap<NatTable, WalkCache>();

export function walkCacheOf(t: NatTable): WalkCache {
  let c = caches.get(t);
  if (!c) caches.set(t, (c = new WalkCache()));
  return c;
}

/** Forgets every recorded walk of the table (after anything changes its rules in place). */
export function invalidateWalkCache(t: NatTable): void {
  caches.get(t)?.clear();
}

export function newRecorder(mark: number): Recorder {
  return { record: { rules: [], refs: [], mark, srcDependent: false }, stack: [] };
}
