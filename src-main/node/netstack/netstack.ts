/**
 * A node's network stack. A connection's first packet enters here (from a local process, a local pod, the laptop or
 * another node), walks this node's nat table as kube-proxy wrote it, gets a conntrack entry (later packets of a known
 * flow follow the entry, not the table), and is routed: to a local pod, or over the mesh port to the node owning the
 * destination pod CIDR. Pod-to-pod traffic between nodes goes worker to worker, never through the control-plane thread.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Clock } from '../../clock/clock.ts';
import { cidrContains } from '../../net/ipv4.ts';
import { CLUSTER_CIDR, HOST_NETWORK, LAPTOP_IP } from '../../net/addresses.ts';
import type { PeerInfo } from '../protocol.ts';
import { evaluate, newRecentTable, type Packet, type WalkResult } from '../proxy/walk.ts';
import { ConntrackTable, type ConntrackEntry } from '../proxy/conntrack.ts';
import type { ConntrackFlush, NatTable } from '../proxy/model.ts';
import { TrafficCounters } from './counters.ts';
import { describeSteps, serviceOf } from './trace-steps.ts';
import type { ConnectRequest, ConnectResult, Delivery, DeliveryResult, MeshMessage, NetError } from './types.ts';
import { payloadBytes, responseBytes } from './sizes.ts';

/** What the network needs from the kubelet: who answers on a pod IP and port. */
export interface PodEndpoints {
  hasPodIP(ip: string): boolean;
  answer(delivery: Delivery): Promise<DeliveryResult>;
}

interface PeerLink {
  info: PeerInfo;
  port: MessagePort;
  /** Mesh messages queued this event-loop turn, posted as one batch. */
  outbox: MeshMessage[];
}

/** net.ipv4.ip_local_port_range defaults. */
const EPHEMERAL_FIRST = 32768;
const EPHEMERAL_LAST = 60999;

export class Netstack {
  readonly counters = new TrafficCounters();
  readonly conntrack: ConntrackTable;
  readonly recent = newRecentTable();
  private readonly peers = new Map<string, PeerLink>();
  private readonly pending = new Map<number, { resolve(r: DeliveryResult): void; peer: string }>();
  private nextId = 1;
  private nextPort = EPHEMERAL_FIRST;
  private traceSeq = 0;
  private readonly traceBase: number;
  /** Links with queued mesh messages, flushed once per event-loop turn. */
  private readonly flushQueue: PeerLink[] = [];
  private flushScheduled = false;
  private installed: NatTable | undefined;
  /** Conntrack entries removed by kube-proxy's `conntrack -D` after syncs. */
  flushedFlows = 0;

  constructor(
    readonly name: string,
    readonly ip: string,
    readonly podCIDR: string,
    readonly clock: Clock,
    readonly pods: PodEndpoints,
    readonly random: () => number = Math.random,
  ) {
    this.conntrack = new ConntrackTable(clock);
    this.traceBase = Number(ip.split('.')[3] ?? 0) * 10_000_000;
  }

  /** Whether kube-apiserver listens on this node (:6443). */
  controlPlane = false;

  get table(): NatTable | undefined {
    return this.installed;
  }
  /** kube-proxy installs a new table; then it deletes the conntrack entries it found stale. */
  set table(t: NatTable | undefined) {
    this.installed = t;
    if (!t?.conntrackFlush) return;
    for (const f of t.conntrackFlush) this.flushedFlows += this.conntrack.deleteWhere((e) => flushMatches(f, e));
    t.conntrackFlush = undefined;
  }

  addPeer(info: PeerInfo, port: MessagePort): void {
    this.removePeer(info.name);
    const link: PeerLink = { info, port, outbox: [] };
    this.peers.set(info.name, link);
    port.on('message', (batch: MeshMessage[]) => {
      for (let i = 0; i < batch.length; i++) this.onMesh(link, batch[i]!);
    });
    port.unref?.();
  }

  removePeer(name: string): void {
    const link = this.peers.get(name);
    if (!link) return;
    link.outbox.length = 0;
    link.port.close();
    this.peers.delete(name);
    for (const [id, p] of this.pending) {
      if (p.peer !== name) continue;
      this.pending.delete(id);
      p.resolve({ ok: false, error: 'timeout' });
    }
  }

  /**
   * The address MASQUERADE picks: the source of the route to the target. Flannel gives a node `.0` on flannel.1
   * (remote pod CIDRs) and `.1` on cni0 (its own pods); anything else leaves through the node's address.
   */
  private masqueradeAddress(target: string): string {
    const base = this.podCIDR.split('/')[0]!.split('.').slice(0, 3).join('.');
    if (cidrContains(this.podCIDR, target)) return `${base}.1`;
    if (cidrContains(CLUSTER_CIDR, target)) return `${base}.0`;
    return this.ip;
  }

  /** MASQUERADE --random-fully: a random source port whose reply tuple is free. */
  private masquerade(proto: 'tcp' | 'udp', target: { ip: string; port: number }): { ip: string; port: number } {
    const ip = this.masqueradeAddress(target.ip);
    for (;;) {
      const port = 1024 + Math.floor(this.random() * (65536 - 1024));
      if (!this.conntrack.replyPortTaken(proto, target.ip, target.port, ip, port)) return { ip, port };
    }
  }

  private ownerOf(ip: string): PeerLink | 'self' | undefined {
    if (cidrContains(this.podCIDR, ip) || ip === this.ip) return 'self';
    for (const link of this.peers.values()) if (cidrContains(link.info.podCIDR, ip) || link.info.ip === ip) return link;
    return undefined;
  }

  /** Opens a connection that starts on this node (a process, a pod here, or the laptop arriving at this node). */
  async connect(req: ConnectRequest): Promise<ConnectResult> {
    if (req.proto === 'icmp') return this.ping(req);
    const started = this.clock.now();
    const traceId = this.newTraceId();
    const proto = req.proto;
    const sport = req.sport ?? this.ephemeralPort();
    const inIface = req.from.kind === 'pod' ? 'pod' : req.from.kind === 'node' ? 'local' : 'external';
    const bytes = payloadBytes(req.payload);
    const packet: Packet = { src: req.from.ip, dst: req.dst.ip, proto, sport, dport: req.dst.port, inIface, bytes };
    this.counters.countOut(bytes);

    let walk: WalkResult | undefined;
    let table: NatTable | undefined;
    let entry: ConntrackEntry | undefined;
    let snat: { ip: string; port: number } | null = null;
    let service: string | null = null;
    const known = this.conntrack.lookup(proto, { src: packet.src, dst: packet.dst, sport, dport: packet.dport });
    if (known?.direction === 'original' && !(proto === 'tcp' && (known.entry.tcpState === 'TIME_WAIT' || known.entry.tcpState === 'CLOSE'))) {
      // A packet of a flow conntrack already knows (a UDP socket sending again) keeps its NAT; the nat table sees only NEW.
      entry = known.entry;
      this.conntrack.touch(entry);
      if (entry.reply.dst !== packet.src) snat = { ip: entry.reply.dst, port: entry.reply.dport };
    } else {
      table = this.table;
      if (table) walk = evaluate(table, packet, { recent: this.recent, now: this.clock.now(), random: this.random });
      service = walk && table ? serviceOf(table, walk) : null;
      this.counters.connection(service);
    }
    const target = entry ? { ip: entry.reply.src, port: entry.reply.sport } : (walk?.dnat ?? req.dst);

    const finish = (result: DeliveryResult, crossed: string[]): ConnectResult => {
      const answered = result.ok ? result.pod : null;
      const w = walk;
      const t = table;
      this.counters.addTrace(
        {
          id: traceId,
          from: req.from,
          to: req.dst,
          entryNode: this.name,
          service,
          pod: answered ? `${answered.namespace}/${answered.name}` : null,
          podNode: result.ok ? (crossed[crossed.length - 1] ?? null) : null,
          result: result.ok ? 'ok' : result.error === 'unreachable' ? 'no-route' : result.error,
          dnat: w?.dnat ?? (entry && (target.ip !== req.dst.ip || target.port !== req.dst.port) ? target : null),
          snat: snat?.ip ?? null,
          crossed,
          startedAt: started,
          durationMs: this.clock.now() - started,
        },
        () => (w && t ? describeSteps(this.name, t, w) : []),
      );
      if (!result.ok) return { ok: false, error: result.error, traceId, detail: result.detail };
      this.counters.countIn(responseBytes(result.response));
      return { ok: true, response: result.response, traceId, remote: target, pod: result.pod };
    };

    if (walk && (walk.verdict === 'REJECT' || walk.verdict === 'DROP')) {
      // REJECT --reject-with icmp-port-unreachable: TCP and (connected) UDP clients get ECONNREFUSED.
      return finish({ ok: false, error: walk.verdict === 'REJECT' ? 'refused' : 'timeout' }, [this.name]);
    }
    if (!entry) {
      if (walk?.masquerade) snat = this.masquerade(proto, target);
      entry = this.conntrack.tryOpen(packet, walk ?? { masquerade: false }, snat ?? undefined);
      // nf_conntrack: table full, dropping packet.
      if (!entry) return finish({ ok: false, error: 'timeout' }, [this.name]);
    }
    const delivery: Delivery = {
      src: snat ?? { ip: req.from.ip, port: sport },
      dst: target,
      proto,
      payload: req.payload,
      entryNode: this.name,
    };
    // The common case (a pod on another node) skips route()'s extra promise.
    const owner = this.ownerOf(target.ip);
    if (owner !== undefined && owner !== 'self') {
      const result = await this.forward(owner, delivery);
      this.track(entry, result);
      return finish(result, [this.name, owner.info.name]);
    }
    const { result, crossed } = await this.route(delivery, req.from.kind === 'laptop');
    this.track(entry, result);
    return finish(result, crossed);
  }

  /** Where a packet goes after the nat table: here, over the mesh to the node owning the address, or nowhere. */
  private async route(d: Delivery, fromOutside: boolean): Promise<{ result: DeliveryResult; crossed: string[] }> {
    const owner = this.ownerOf(d.dst.ip);
    if (owner === 'self') return { result: await this.deliverLocal(d), crossed: [this.name] };
    if (owner) return { result: await this.forward(owner, d), crossed: [this.name, owner.info.name] };
    // A local sender whose ARP goes unanswered on the node network gets EHOSTUNREACH. Anything else (including a packet
    // the laptop sent here because this node answered ARP for a VIP no rule took) follows the default route and is lost.
    const onLink = !fromOutside && cidrContains(HOST_NETWORK, d.dst.ip) && d.dst.ip !== LAPTOP_IP;
    return { result: onLink ? { ok: false, error: 'no-route', detail: 'No route to host' } : { ok: false, error: 'timeout' }, crossed: [this.name] };
  }

  private track(entry: ConntrackEntry, result: DeliveryResult): void {
    if (result.ok) {
      this.conntrack.reply(entry);
      if (entry.proto === 'tcp') this.conntrack.close(entry);
    } else if (result.error === 'refused' || result.error === 'reset') {
      if (result.error === 'reset') this.conntrack.reply(entry);
      this.conntrack.reset(entry);
    }
  }

  /** ICMP echo: no service rule matches it, so a ClusterIP or load-balancer IP (owned by no interface) never answers. */
  private async ping(req: ConnectRequest): Promise<ConnectResult> {
    const started = this.clock.now();
    const traceId = this.newTraceId();
    const d: Delivery = { src: { ip: req.from.ip, port: 0 }, dst: req.dst, proto: 'icmp', payload: { kind: 'icmp' }, entryNode: this.name };
    this.counters.countOut(64);
    const { result, crossed } = await this.route(d, req.from.kind === 'laptop');
    this.counters.addTrace(
      {
        id: traceId,
        from: req.from,
        to: req.dst,
        entryNode: this.name,
        service: null,
        pod: null,
        podNode: result.ok ? (crossed[crossed.length - 1] ?? null) : null,
        result: result.ok ? 'ok' : result.error === 'unreachable' ? 'no-route' : result.error,
        dnat: null,
        snat: null,
        crossed,
        startedAt: started,
        durationMs: this.clock.now() - started,
      },
      () => [],
    );
    if (!result.ok) return { ok: false, error: result.error, traceId, detail: result.detail };
    this.counters.countIn(64);
    return { ok: true, response: result.response, traceId, remote: req.dst, pod: result.pod };
  }

  private forward(link: PeerLink, delivery: Delivery): Promise<DeliveryResult> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, peer: link.info.name });
      this.post(link, { t: 'deliver', id, delivery });
    });
  }

  /**
   * Queues a mesh message; everything queued for a peer in one event-loop turn leaves as one postMessage (one
   * serialization and one wake-up of the peer thread for many connections).
   */
  private post(link: PeerLink, m: MeshMessage): void {
    if (link.outbox.length === 0) this.flushQueue.push(link);
    link.outbox.push(m);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    for (const link of this.flushQueue) {
      if (link.outbox.length === 0 || this.peers.get(link.info.name) !== link) continue;
      const batch = link.outbox;
      link.outbox = [];
      link.port.postMessage(batch);
    }
    this.flushQueue.length = 0;
  };

  private onMesh(link: PeerLink, m: MeshMessage): void {
    if (m.t === 'deliver') {
      void this.deliverLocal(m.delivery).then((result) => this.post(link, { t: 'delivered', id: m.id, result }));
    } else {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      p?.resolve(m.result);
    }
  }

  /** The last hop: this node owns the destination address. */
  async deliverLocal(d: Delivery): Promise<DeliveryResult> {
    this.counters.countIn(payloadBytes(d.payload));
    if (d.dst.ip === this.ip) return this.deliverToHost(d);
    // ARP for an address no pod holds goes unanswered on cni0: EHOSTUNREACH.
    if (!this.pods.hasPodIP(d.dst.ip)) return { ok: false, error: 'no-route', detail: 'No route to host' };
    const result = await this.pods.answer(d);
    if (result.ok) {
      if (result.pod) this.counters.served(`${result.pod.namespace}/${result.pod.name}`);
      this.counters.countOut(responseBytes(result.response));
    }
    return result;
  }

  /** The node's own ports: the kubelet, and nothing else unless a hostPort claims one. */
  private async deliverToHost(d: Delivery): Promise<DeliveryResult> {
    if (d.payload.kind === 'icmp') return { ok: true, response: { kind: 'icmp' }, pod: null };
    if (d.dst.port === 10250 && d.proto === 'tcp') {
      return { ok: true, response: { kind: 'http', response: { status: 401, reason: 'Unauthorized', headers: [['Content-Type', 'text/plain; charset=utf-8']], body: 'Unauthorized' } }, pod: null };
    }
    // kube-apiserver on the control plane: TLS only, and Go's server answers plain HTTP like this.
    if (this.controlPlane && d.dst.port === 6443 && d.proto === 'tcp') {
      const body = 'Client sent an HTTP request to an HTTPS server.\n';
      return { ok: true, response: { kind: 'http', response: { status: 400, reason: 'Bad Request', headers: [['Content-Type', 'text/plain; charset=utf-8'], ['Connection', 'close']], body } }, pod: null };
    }
    return { ok: false, error: 'refused' };
  }

  private newTraceId(): number {
    return this.traceBase + (++this.traceSeq % 10_000_000);
  }

  private ephemeralPort(): number {
    const p = this.nextPort++;
    if (this.nextPort > EPHEMERAL_LAST) this.nextPort = EPHEMERAL_FIRST;
    return p;
  }
}

function flushMatches(f: ConntrackFlush, e: ConntrackEntry): boolean {
  return (
    e.proto === f.proto &&
    (f.origDst === undefined || e.original.dst === f.origDst) &&
    (f.origDport === undefined || e.original.dport === f.origDport) &&
    (f.replySrc === undefined || e.reply.src === f.replySrc) &&
    (f.replySport === undefined || e.reply.sport === f.replySport)
  );
}

export type { NetError };
