/**
 * The node's connection tracking table: entries keyed by the original tuple, with the reply tuple after DNAT and
 * SNAT, protocol state and timeouts driven by an injected clock. Timeouts are the kernel's nf_conntrack defaults,
 * with the two kube-proxy overrides (tcp established 24h, close_wait 1h) in KUBE_PROXY_TIMEOUTS.
 */
import type { Proto } from './model.ts';
import type { Packet, WalkResult } from './walk.ts';

export interface Tuple {
  src: string;
  dst: string;
  sport: number;
  dport: number;
}

export type TcpState = 'SYN_SENT' | 'SYN_RECV' | 'ESTABLISHED' | 'FIN_WAIT' | 'CLOSE_WAIT' | 'LAST_ACK' | 'TIME_WAIT' | 'CLOSE';

export interface ConntrackTimeouts {
  tcp: Record<TcpState, number>;
  udp: number;
  udpStream: number;
}

/** Seconds; nf_conntrack sysctl defaults. */
export const KERNEL_TIMEOUTS: ConntrackTimeouts = {
  tcp: { SYN_SENT: 120, SYN_RECV: 60, ESTABLISHED: 432000, FIN_WAIT: 120, CLOSE_WAIT: 60, LAST_ACK: 30, TIME_WAIT: 120, CLOSE: 10 },
  udp: 30,
  udpStream: 120,
};

/** What a node running kube-proxy has: conntrack.tcpEstablishedTimeout 24h, tcpCloseWaitTimeout 1h. */
export const KUBE_PROXY_TIMEOUTS: ConntrackTimeouts = {
  ...KERNEL_TIMEOUTS,
  tcp: { ...KERNEL_TIMEOUTS.tcp, ESTABLISHED: 86400, CLOSE_WAIT: 3600 },
};

export interface ConntrackEntry {
  id: number;
  proto: Proto;
  original: Tuple;
  reply: Tuple;
  tcpState?: TcpState;
  /** ms on the injected clock */
  expires: number;
  seenReply: boolean;
  assured: boolean;
  mark: number;
  use: number;
}

export const PROTO_NUM: Record<Proto, number> = { tcp: 6, udp: 17, sctp: 132 };

/**
 * The last few addresses parsed: a node hashes the same handful (its own, the service's, the endpoint's, the
 * masquerade address) for every connection, as the same string objects, so this mostly answers on an identity compare.
 */
const ipMemoKeys: string[] = ['', '', '', '', '', '', '', ''];
const ipMemoValues: number[] = [0, 0, 0, 0, 0, 0, 0, 0];
let ipMemoNext = 0;

function ipNumber(ip: string): number {
  for (let i = 0; i < 8; i++) if (ipMemoKeys[i] === ip) return ipMemoValues[i]!;
  const n = parseIpNumber(ip);
  ipMemoKeys[ipMemoNext] = ip;
  ipMemoValues[ipMemoNext] = n;
  ipMemoNext = (ipMemoNext + 1) & 7;
  return n;
}

/** An IPv4 address as a uint32 without allocating; anything else (never expected) gets a string hash. */
function parseIpNumber(ip: string): number {
  let n = 0;
  let octet = 0;
  let dots = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      n = n * 256 + octet;
      octet = 0;
      dots++;
    } else if (c >= 48 && c <= 57) octet = octet * 10 + (c - 48);
    else return stringHash(ip);
  }
  return dots === 3 ? (n * 256 + octet) >>> 0 : stringHash(ip);
}

function stringHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const mix = (h: number, v: number) => {
  h = Math.imul(h ^ v, 0x5bd1e995);
  return h ^ (h >>> 15);
};

/** A small-integer hash of (proto, tuple); entries with equal hashes chain, so equality is always checked on the tuple. */
function tupleHash(proto: Proto, src: string, sport: number, dst: string, dport: number): number {
  let h = PROTO_NUM[proto];
  h = mix(h, ipNumber(src));
  h = mix(h, ipNumber(dst));
  h = mix(h, ((sport & 0xffff) << 16) | (dport & 0xffff));
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) & 0x3fffffff;
}

const sameTuple = (t: Tuple, src: string, sport: number, dst: string, dport: number) =>
  t.sport === sport && t.dport === dport && t.src === src && t.dst === dst;

/**
 * Where an entry sits in the two indexes (its hashes and the next entry of the same hash: a chain, so a collision
 * costs nothing but a compare) and in creation order (a doubly linked list: the gc walk, early_drop's scan and
 * `conntrack -L` follow it). Reached from the entry through a symbol-keyed property, which listing, copying and
 * serializing an entry never see, so entries stay plain conntrack data.
 */
interface Slot {
  entry: ConntrackEntry;
  origHash: number;
  replyHash: number;
  nextOrig: Slot | undefined;
  nextReply: Slot | undefined;
  /** Whether the reply index still points at this entry (a later flow with the same reply tuple takes it over). */
  inReply: boolean;
  older: Slot | undefined;
  newer: Slot | undefined;
  /** Still in the table (delete() of a removed entry does nothing). */
  live: boolean;
}

const SLOT: unique symbol = Symbol('conntrack slot');
type Indexed = ConntrackEntry & { [SLOT]?: Slot };

/** nf_conntrack_max as kube-proxy sets it: conntrack.maxPerCore (32768) x cores, at least conntrack.min (131072). */
export function conntrackMax(cores: number, maxPerCore = 32768, min = 131072): number {
  return Math.max(maxPerCore * cores, min);
}

/** How far early_drop looks for an unassured entry to evict when the table is full (a bucket's worth). */
const EARLY_DROP_SCAN = 64;
/** The gc worker's pace: expired entries are reaped at most this often (lookups check expiry themselves). */
const GC_INTERVAL_MS = 1000;

export class ConntrackTable {
  /** Every entry, in creation order (the gc walk and early_drop's scan): oldest and newest of the list. */
  private oldest: Slot | undefined;
  private newest: Slot | undefined;
  private entryCount = 0;
  private byOrig = new Map<number, Slot>();
  private byReply = new Map<number, Slot>();
  private nextId = 1;
  private lastGc = -Infinity;
  /** New flows refused because the table was full ("nf_conntrack: table full, dropping packet"). */
  dropped = 0;
  /** Unassured flows evicted to make room (early_drop). */
  earlyDropped = 0;

  constructor(
    private clock: { now(): number },
    readonly timeouts: ConntrackTimeouts = KUBE_PROXY_TIMEOUTS,
    readonly max: number = conntrackMax(2),
  ) {}

  /**
   * Records a new connection from its first packet and what the nat walk did to it. `snat` is the address (and port)
   * MASQUERADE chose when the walk said to masquerade.
   */
  open(packet: Packet, walk: Pick<WalkResult, 'dnat' | 'masquerade'>, snat?: { ip: string; port?: number }): ConntrackEntry {
    const e = this.tryOpen(packet, walk, snat);
    if (!e) throw new Error('nf_conntrack: table full, dropping packet');
    return e;
  }

  /** Like open(), but undefined when the table is full and nothing can be evicted: the kernel drops the packet. */
  tryOpen(packet: Packet, walk: Pick<WalkResult, 'dnat' | 'masquerade'>, snat?: { ip: string; port?: number }): ConntrackEntry | undefined {
    this.maybeGc();
    const proto = packet.proto;
    const origHash = tupleHash(proto, packet.src, packet.sport, packet.dst, packet.dport);
    const existing = this.live(this.findOrig(origHash, proto, packet.src, packet.sport, packet.dst, packet.dport));
    let slot: Slot | undefined;
    if (existing) {
      // A new SYN on a flow in TIME_WAIT/CLOSE recycles the tuple; anything else is the same flow.
      if (existing.proto !== 'tcp' || (existing.tcpState !== 'TIME_WAIT' && existing.tcpState !== 'CLOSE')) return existing;
      // The old entry goes (whoever still holds it holds a deleted entry); the new one takes over its slot, and its
      // original tuple, equal by definition. Both are long-lived: making new ones for every recycled port would copy
      // them through the young generation each time.
      slot = (existing as Indexed)[SLOT]!;
      (existing as Indexed)[SLOT] = undefined;
      this.unlinkReply(slot);
      this.unlinkOrder(slot);
    } else if (this.entryCount >= this.max && !this.makeRoom()) {
      this.dropped++;
      return undefined;
    }
    const original: Tuple = existing?.original ?? { src: packet.src, dst: packet.dst, sport: packet.sport, dport: packet.dport };
    const masq = walk.masquerade && snat;
    const reply: Tuple = {
      src: walk.dnat?.ip ?? packet.dst,
      sport: walk.dnat?.port ?? packet.dport,
      dst: masq ? snat.ip : packet.src,
      dport: masq ? (snat.port ?? packet.sport) : packet.sport,
    };
    const entry: ConntrackEntry = {
      id: this.nextId++,
      proto,
      original,
      reply,
      tcpState: proto === 'tcp' ? 'SYN_SENT' : undefined,
      expires: 0,
      seenReply: false,
      assured: false,
      mark: 0,
      use: 1,
    };
    this.refresh(entry);
    const replyHash = tupleHash(proto, reply.src, reply.sport, reply.dst, reply.dport);
    if (slot) {
      slot.entry = entry;
      slot.replyHash = replyHash;
      slot.inReply = true;
    } else {
      slot = { entry, origHash, replyHash, nextOrig: this.byOrig.get(origHash), nextReply: undefined, inReply: true, older: undefined, newer: undefined, live: true };
      this.byOrig.set(origHash, slot);
      this.entryCount++;
    }
    // Like a map keyed by the reply tuple: a newer flow with the same reply tuple takes the key over.
    const prev = this.findReplySlot(replyHash, proto, reply.src, reply.sport, reply.dst, reply.dport);
    if (prev) this.unlinkReply(prev);
    slot.nextReply = this.byReply.get(replyHash);
    this.byReply.set(replyHash, slot);
    (entry as Indexed)[SLOT] = slot;
    slot.older = this.newest;
    if (this.newest) this.newest.newer = slot;
    else this.oldest = slot;
    this.newest = slot;
    return entry;
  }

  /** Takes a slot out of the creation order. */
  private unlinkOrder(slot: Slot): void {
    if (slot.older) slot.older.newer = slot.newer;
    else this.oldest = slot.newer;
    if (slot.newer) slot.newer.older = slot.older;
    else this.newest = slot.older;
    slot.older = slot.newer = undefined;
  }

  private findOrig(h: number, proto: Proto, src: string, sport: number, dst: string, dport: number): ConntrackEntry | undefined {
    for (let s = this.byOrig.get(h); s; s = s.nextOrig) if (s.entry.proto === proto && sameTuple(s.entry.original, src, sport, dst, dport)) return s.entry;
    return undefined;
  }

  private findReplySlot(h: number, proto: Proto, src: string, sport: number, dst: string, dport: number): Slot | undefined {
    for (let s = this.byReply.get(h); s; s = s.nextReply) if (s.entry.proto === proto && sameTuple(s.entry.reply, src, sport, dst, dport)) return s;
    return undefined;
  }

  private unlinkOrig(slot: Slot): void {
    let s = this.byOrig.get(slot.origHash);
    if (s === slot) {
      if (slot.nextOrig) this.byOrig.set(slot.origHash, slot.nextOrig);
      else this.byOrig.delete(slot.origHash);
    } else {
      while (s && s.nextOrig !== slot) s = s.nextOrig;
      if (s) s.nextOrig = slot.nextOrig;
    }
    slot.nextOrig = undefined;
  }

  private unlinkReply(slot: Slot): void {
    if (!slot.inReply) return;
    slot.inReply = false;
    let s = this.byReply.get(slot.replyHash);
    if (s === slot) {
      if (slot.nextReply) this.byReply.set(slot.replyHash, slot.nextReply);
      else this.byReply.delete(slot.replyHash);
    } else {
      while (s && s.nextReply !== slot) s = s.nextReply;
      if (s) s.nextReply = slot.nextReply;
    }
    slot.nextReply = undefined;
  }

  /** Whether a reply tuple is in use (NAT must pick another source port). */
  replyTaken(proto: Proto, t: Tuple): boolean {
    return this.replyPortTaken(proto, t.src, t.sport, t.dst, t.dport);
  }

  /** replyTaken() without a tuple object. */
  replyPortTaken(proto: Proto, src: string, sport: number, dst: string, dport: number): boolean {
    const s = this.findReplySlot(tupleHash(proto, src, sport, dst, dport), proto, src, sport, dst, dport);
    return s !== undefined && this.live(s.entry) !== undefined;
  }

  get size(): number {
    return this.entryCount;
  }

  private live(e: ConntrackEntry | undefined): ConntrackEntry | undefined {
    if (!e) return undefined;
    if (e.expires > this.clock.now()) return e;
    this.delete(e);
    return undefined;
  }

  private makeRoom(): boolean {
    this.gc();
    if (this.entryCount < this.max) return true;
    let scanned = 0;
    for (let s = this.oldest; s; s = s.newer) {
      if (++scanned > EARLY_DROP_SCAN) break;
      if (s.entry.assured) continue;
      this.delete(s.entry);
      this.earlyDropped++;
      return true;
    }
    return false;
  }

  private maybeGc(): void {
    if (this.clock.now() - this.lastGc >= GC_INTERVAL_MS) this.gc();
  }

  /** A packet in the reply direction: TCP SYN-ACK/ACK completes the handshake, UDP stops being UNREPLIED. */
  reply(entry: ConntrackEntry): void {
    entry.seenReply = true;
    if (entry.proto === 'tcp' && (entry.tcpState === 'SYN_SENT' || entry.tcpState === 'SYN_RECV')) {
      entry.tcpState = 'ESTABLISHED';
      entry.assured = true;
    }
    this.refresh(entry);
  }

  /** Another packet on an existing flow; UDP traffic seen both ways becomes a stream (ASSURED, 120s). */
  touch(entry: ConntrackEntry): void {
    if (entry.proto === 'udp' && entry.seenReply) entry.assured = true;
    this.refresh(entry);
  }

  /** The client closed first (FIN, FIN-ACK, ACK): the flow sits in TIME_WAIT. */
  close(entry: ConntrackEntry): void {
    if (entry.proto === 'tcp') entry.tcpState = 'TIME_WAIT';
    this.refresh(entry);
  }

  /** Server closed its side only. */
  halfClose(entry: ConntrackEntry): void {
    if (entry.proto === 'tcp') entry.tcpState = 'CLOSE_WAIT';
    this.refresh(entry);
  }

  /** A RST answering the SYN (nothing listens): seen in the reply direction, never ASSURED; CLOSE for 10s. */
  refused(entry: ConntrackEntry): void {
    entry.seenReply = true;
    this.reset(entry);
  }

  /** A RST: the entry lingers in CLOSE for 10s. */
  reset(entry: ConntrackEntry): void {
    if (entry.proto === 'tcp') entry.tcpState = 'CLOSE';
    this.refresh(entry);
  }

  /** Finds the flow a packet belongs to, in either direction. */
  lookup(proto: Proto, t: Tuple): { entry: ConntrackEntry; direction: 'original' | 'reply' } | undefined {
    const o = this.lookupOriginal(proto, t.src, t.sport, t.dst, t.dport);
    if (o) return { entry: o, direction: 'original' };
    const h = tupleHash(proto, t.src, t.sport, t.dst, t.dport);
    const r = this.live(this.findReplySlot(h, proto, t.src, t.sport, t.dst, t.dport)?.entry);
    return r ? { entry: r, direction: 'reply' } : undefined;
  }

  /** The live flow whose original tuple this is (lookup() in the original direction only, no objects built). */
  lookupOriginal(proto: Proto, src: string, sport: number, dst: string, dport: number): ConntrackEntry | undefined {
    return this.live(this.findOrig(tupleHash(proto, src, sport, dst, dport), proto, src, sport, dst, dport));
  }

  delete(entry: ConntrackEntry): void {
    const slot = (entry as Indexed)[SLOT];
    if (!slot?.live) return;
    slot.live = false;
    this.unlinkOrder(slot);
    this.entryCount--;
    this.unlinkOrig(slot);
    this.unlinkReply(slot);
  }

  /** What kube-proxy does for UDP services whose endpoint went away (`conntrack -D -p udp --orig-dst <ip>`). */
  deleteWhere(pred: (e: ConntrackEntry) => boolean): number {
    let n = 0;
    for (const e of this.list()) if (pred(e)) (this.delete(e), n++);
    return n;
  }

  gc(): void {
    const now = this.clock.now();
    this.lastGc = now;
    for (let s = this.oldest; s; ) {
      const next = s.newer;
      if (s.entry.expires <= now) this.delete(s.entry);
      s = next;
    }
  }

  list(): ConntrackEntry[] {
    this.gc();
    const out: ConntrackEntry[] = [];
    for (let s = this.oldest; s; s = s.newer) out.push(s.entry);
    return out;
  }

  get count(): number {
    this.gc();
    return this.entryCount;
  }

  /** Seconds left, as conntrack prints it. */
  remaining(e: ConntrackEntry): number {
    return Math.max(0, Math.floor((e.expires - this.clock.now()) / 1000));
  }

  private refresh(e: ConntrackEntry): void {
    let seconds: number;
    if (e.proto === 'tcp') seconds = this.timeouts.tcp[e.tcpState ?? 'ESTABLISHED'];
    else seconds = e.assured ? this.timeouts.udpStream : this.timeouts.udp;
    e.expires = this.clock.now() + seconds * 1000;
  }
}
