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

const PROTO_NUM: Record<Proto, number> = { tcp: 6, udp: 17, sctp: 132 };

const key = (proto: string, t: Tuple) => `${proto} ${t.src}:${t.sport} ${t.dst}:${t.dport}`;

/** nf_conntrack_max as kube-proxy sets it: conntrack.maxPerCore (32768) x cores, at least conntrack.min (131072). */
export function conntrackMax(cores: number, maxPerCore = 32768, min = 131072): number {
  return Math.max(maxPerCore * cores, min);
}

/** How far early_drop looks for an unassured entry to evict when the table is full (a bucket's worth). */
const EARLY_DROP_SCAN = 64;
/** The gc worker's pace: expired entries are reaped at most this often (lookups check expiry themselves). */
const GC_INTERVAL_MS = 1000;

export class ConntrackTable {
  private entries = new Map<string, ConntrackEntry>();
  private byReply = new Map<string, ConntrackEntry>();
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
    const original: Tuple = { src: packet.src, dst: packet.dst, sport: packet.sport, dport: packet.dport };
    const masq = walk.masquerade && snat;
    const reply: Tuple = {
      src: walk.dnat?.ip ?? packet.dst,
      sport: walk.dnat?.port ?? packet.dport,
      dst: masq ? snat.ip : packet.src,
      dport: masq ? (snat.port ?? packet.sport) : packet.sport,
    };
    const existing = this.live(this.entries.get(key(packet.proto, original)));
    if (existing) {
      // A new SYN on a flow in TIME_WAIT/CLOSE recycles the tuple; anything else is the same flow.
      if (existing.proto !== 'tcp' || (existing.tcpState !== 'TIME_WAIT' && existing.tcpState !== 'CLOSE')) return existing;
      this.delete(existing);
    }
    if (this.entries.size >= this.max && !this.makeRoom()) {
      this.dropped++;
      return undefined;
    }
    const entry: ConntrackEntry = {
      id: this.nextId++,
      proto: packet.proto,
      original,
      reply,
      tcpState: packet.proto === 'tcp' ? 'SYN_SENT' : undefined,
      expires: 0,
      seenReply: false,
      assured: false,
      mark: 0,
      use: 1,
    };
    this.refresh(entry);
    this.entries.set(key(entry.proto, original), entry);
    this.byReply.set(key(entry.proto, reply), entry);
    return entry;
  }

  /** Whether a reply tuple is in use (NAT must pick another source port). */
  replyTaken(proto: Proto, t: Tuple): boolean {
    return this.live(this.byReply.get(key(proto, t))) !== undefined;
  }

  get size(): number {
    return this.entries.size;
  }

  private live(e: ConntrackEntry | undefined): ConntrackEntry | undefined {
    if (!e) return undefined;
    if (e.expires > this.clock.now()) return e;
    this.delete(e);
    return undefined;
  }

  private makeRoom(): boolean {
    this.gc();
    if (this.entries.size < this.max) return true;
    let scanned = 0;
    for (const e of this.entries.values()) {
      if (++scanned > EARLY_DROP_SCAN) break;
      if (e.assured) continue;
      this.delete(e);
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

  /** A RST: the entry lingers in CLOSE for 10s. */
  reset(entry: ConntrackEntry): void {
    if (entry.proto === 'tcp') entry.tcpState = 'CLOSE';
    this.refresh(entry);
  }

  /** Finds the flow a packet belongs to, in either direction. */
  lookup(proto: Proto, t: Tuple): { entry: ConntrackEntry; direction: 'original' | 'reply' } | undefined {
    const o = this.live(this.entries.get(key(proto, t)));
    if (o) return { entry: o, direction: 'original' };
    const r = this.live(this.byReply.get(key(proto, t)));
    return r ? { entry: r, direction: 'reply' } : undefined;
  }

  delete(entry: ConntrackEntry): void {
    const k = key(entry.proto, entry.original);
    if (this.entries.get(k) === entry) this.entries.delete(k);
    const r = key(entry.proto, entry.reply);
    if (this.byReply.get(r) === entry) this.byReply.delete(r);
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
    for (const e of this.entries.values()) if (e.expires <= now) this.delete(e);
  }

  list(): ConntrackEntry[] {
    this.gc();
    return [...this.entries.values()];
  }

  get count(): number {
    this.gc();
    return this.entries.size;
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

export function formatEntry(e: ConntrackEntry, remaining: number): string {
  const t = (x: Tuple) => `src=${x.src} dst=${x.dst} sport=${x.sport} dport=${x.dport} `;
  let s = `${e.proto.padEnd(8)} ${PROTO_NUM[e.proto]} ${remaining} `;
  if (e.tcpState) s += `${e.tcpState} `;
  s += t(e.original);
  if (!e.seenReply) s += '[UNREPLIED] ';
  s += t(e.reply);
  if (e.assured) s += '[ASSURED] ';
  return s + `mark=${e.mark} use=${e.use}`;
}

export interface ConntrackFilter {
  proto?: Proto;
  /** -s / --orig-src */
  src?: string;
  /** -d / --orig-dst */
  dst?: string;
  /** -r / --reply-src */
  replySrc?: string;
  /** --dport / --orig-port-dst */
  dport?: number;
}

/** `conntrack -L [filters]`: entries on stdout, the summary line on stderr. */
export function conntrackList(table: ConntrackTable, filter: ConntrackFilter = {}, version = '1.4.7'): { stdout: string; stderr: string; exitCode: number } {
  const rows = table.list().filter(
    (e) =>
      (!filter.proto || e.proto === filter.proto) &&
      (!filter.src || e.original.src === filter.src) &&
      (!filter.dst || e.original.dst === filter.dst) &&
      (!filter.replySrc || e.reply.src === filter.replySrc) &&
      (filter.dport === undefined || e.original.dport === filter.dport),
  );
  const stdout = rows.map((e) => formatEntry(e, table.remaining(e)) + '\n').join('');
  return { stdout, stderr: `conntrack v${version} (conntrack-tools): ${rows.length} flow entries have been shown.\n`, exitCode: 0 };
}

/** `conntrack -C`. */
export function conntrackCount(table: ConntrackTable): string {
  return `${table.count}\n`;
}
