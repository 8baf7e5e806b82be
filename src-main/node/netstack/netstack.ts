/**
 * A node's network stack. A connection's first packet enters here (from a local process, a local pod, the laptop or
 * another node), walks this node's nat table as kube-proxy wrote it, gets a conntrack entry (later packets of a known
 * flow follow the entry, not the table), and is routed: to a local pod, or over the mesh port to the node owning the
 * destination (its pod CIDR, or its address: that node then walks its own PREROUTING, see ingress.ts). Traffic
 * between nodes goes worker to worker, never through the control-plane thread.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Clock } from '../../clock/clock.ts';
import { cidrContains } from '../../net/ipv4.ts';
import { HOST_NETWORK, LAPTOP_IP } from '../../net/addresses.ts';
import type { PeerInfo } from '../protocol.ts';
import { evaluate, newRecentTable, type Packet, type WalkResult } from '../proxy/walk.ts';
import { ConntrackTable, type ConntrackEntry } from '../proxy/conntrack.ts';
import type { ConntrackFlush, NatTable } from '../proxy/model.ts';
import { TrafficCounters } from './counters.ts';
import { serviceOf } from './trace-steps.ts';
import type { ConnectRequest, ConnectResult, Delivery, DeliveryResult, NetError } from './types.ts';
import { answerOnHost, isLoopback, LOOPBACK_ADDRESS } from './host-sockets.ts';
import { ingress, type IngressNode } from './ingress.ts';
import { NodeAddresses } from './node-addresses.ts';
import { ping, type PingNode } from './ping.ts';
import { payloadBytes, responseBytes } from './sizes.ts';
import { MeshLink, type MeshHandlers } from './mesh.ts';
import { Flow, newFlowPromise, type FlowOwner, type Waiter } from './flow.ts';

/** What the network needs from the kubelet: who answers on a pod IP and port. */
export interface PodEndpoints {
  hasPodIP(ip: string): boolean;
  answer(delivery: Delivery): DeliveryResult | Promise<DeliveryResult>;
}

const NO_NAT = Object.freeze({ masquerade: false });

/** net.ipv4.ip_local_port_range defaults. */
const EPHEMERAL_FIRST = 32768;
const EPHEMERAL_LAST = 60999;

export class Netstack implements FlowOwner, IngressNode, PingNode {
  readonly counters = new TrafficCounters();
  readonly conntrack: ConntrackTable;
  readonly recent = newRecentTable();
  private readonly peers = new Map<string, MeshLink>();
  /** ownerOf() by address, until the peers change (the same few endpoints are routed over and over). */
  private readonly owners = new Map<string, MeshLink | 'self' | undefined>();
  /** Waiters by mesh message id; ids of answered ones are reused. */
  private readonly pending: Array<Waiter | undefined> = [];
  private readonly freeIds: number[] = [];
  private nextPort = EPHEMERAL_FIRST;
  private traceSeq = 0;
  private readonly traceBase: number;
  /** Links with queued mesh messages, flushed once per event-loop turn. */
  private readonly flushQueue: MeshLink[] = [];
  readonly addresses: NodeAddresses;
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
    this.addresses = new NodeAddresses(ip, podCIDR);
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

  private readonly mesh: MeshHandlers = {
    deliver: (link, id, d) => {
      const r = this.receive(d);
      if (r instanceof Promise) void r.then((result) => link.delivered(id, result));
      else link.delivered(id, r);
    },
    delivered: (_link, id, r) => {
      const w = this.pending[id];
      if (!w) return;
      this.pending[id] = undefined;
      this.freeIds.push(id);
      w.done(r);
    },
  };

  addPeer(info: PeerInfo, port: MessagePort): void {
    this.removePeer(info.name);
    this.peers.set(info.name, new MeshLink(info, port, this.name, this.schedule, this.mesh));
    this.owners.clear();
    port.unref?.();
  }

  removePeer(name: string): void {
    const link = this.peers.get(name);
    if (!link) return;
    link.close();
    this.peers.delete(name);
    this.owners.clear();
    for (let id = 0; id < this.pending.length; id++) {
      const w = this.pending[id];
      if (w?.peer !== name) continue;
      this.pending[id] = undefined;
      this.freeIds.push(id);
      w.done({ ok: false, error: 'timeout' });
    }
  }

  /**
   * A packet another node routed here. One for a pod of this node goes straight to it: nothing in kube-proxy's
   * tables matches a pod address, so the walk (and a conntrack entry nobody reads) is left out of the common path.
   * One for this node's own address walks this node's PREROUTING first (NodePorts).
   */
  private receive(d: Delivery): DeliveryResult | Promise<DeliveryResult> {
    if (d.proto !== 'icmp' && this.addresses.isOwn(d.dst.ip)) return ingress(this, d);
    return this.deliverLocal(d);
  }

  /** MASQUERADE --random-fully: a random source port whose reply tuple is free. */
  masquerade(proto: 'tcp' | 'udp', target: { ip: string; port: number }): { ip: string; port: number } {
    const ip = this.addresses.sourceTowards(target.ip);
    for (;;) {
      const port = 1024 + Math.floor(this.random() * (65536 - 1024));
      if (!this.conntrack.replyPortTaken(proto, target.ip, target.port, ip, port)) return { ip, port };
    }
  }

  private ownerOf(ip: string): MeshLink | 'self' | undefined {
    const known = this.owners.get(ip);
    if (known !== undefined || this.owners.has(ip)) return known;
    let owner: MeshLink | 'self' | undefined;
    if (cidrContains(this.podCIDR, ip) || ip === this.ip || isLoopback(ip)) owner = 'self';
    else {
      for (const link of this.peers.values()) {
        if (cidrContains(link.info.podCIDR, ip) || link.info.ip === ip) {
          owner = link;
          break;
        }
      }
    }
    if (this.owners.size >= 4096) this.owners.clear();
    this.owners.set(ip, owner);
    return owner;
  }

  /** Opens a connection that starts on this node (a process, a pod here, or the laptop arriving at this node). */
  connect(req: ConnectRequest): Promise<ConnectResult> {
    try {
      return this.open(req);
    } catch (e) {
      // As from an async function: a failure (a rule loop, say) rejects the promise instead of throwing.
      return Promise.reject(e);
    }
  }

  private open(req: ConnectRequest): Promise<ConnectResult> {
    if (req.proto === 'icmp') return ping(this, req);
    const proto = req.proto;
    const sport = req.sport ?? this.ephemeralPort();
    // A hostNetwork pod shares the node's network namespace: its packets are the node's own.
    const onHost = req.from.kind === 'node' || req.from.ip === this.ip;
    if (!onHost && req.from.kind === 'pod' && isLoopback(req.dst.ip)) return this.podLoopback(req, sport);
    const started = this.clock.now();
    const traceId = this.newTraceId();
    const inIface = onHost ? 'local' : req.from.kind === 'pod' ? 'pod' : 'external';
    // Source address selection: the node's socket gets the address of its route (lo's, cni0's, flannel.1's, eth0's).
    const src = onHost ? this.addresses.sourceTowards(req.dst.ip) : req.from.ip;
    const bytes = payloadBytes(req.payload);
    const packet: Packet = { src, dst: req.dst.ip, proto, sport, dport: req.dst.port, inIface, bytes };
    this.counters.countOut(bytes);

    let walk: WalkResult | undefined;
    let table: NatTable | undefined;
    let entry: ConntrackEntry | undefined;
    let snat: { ip: string; port: number } | null = null;
    let service: string | null = null;
    const known = this.conntrack.lookupOriginal(proto, packet.src, sport, packet.dst, packet.dport);
    if (known && !(proto === 'tcp' && (known.tcpState === 'TIME_WAIT' || known.tcpState === 'CLOSE'))) {
      // A packet of a flow conntrack already knows (a UDP socket sending again) keeps its NAT; the nat table sees only NEW.
      entry = known;
      this.conntrack.touch(entry);
      if (entry.reply.dst !== packet.src) snat = { ip: entry.reply.dst, port: entry.reply.dport };
    } else {
      table = this.table;
      if (table) walk = evaluate(table, packet, { recent: this.recent, now: this.clock.now(), random: this.random });
      service = walk && table ? serviceOf(table, walk) : null;
      this.counters.connection(service);
    }
    const target = entry ? { ip: entry.reply.src, port: entry.reply.sport } : (walk?.dnat ?? req.dst);
    const flow = new Flow(this, req, traceId, started, walk, table, service, entry, snat, target);

    if (walk && (walk.verdict === 'REJECT' || walk.verdict === 'DROP')) {
      // REJECT --reject-with icmp-port-unreachable: TCP and (connected) UDP clients get ECONNREFUSED.
      return Promise.resolve(this.finish(flow, { ok: false, error: walk.verdict === 'REJECT' ? 'refused' : 'timeout' }, [this.name]));
    }
    if (!entry) {
      let nat: Pick<WalkResult, 'dnat' | 'masquerade'> = walk ?? NO_NAT;
      if (walk?.masquerade) flow.snat = snat = this.masquerade(proto, target);
      else if (inIface === 'pod' && this.addresses.leavesPodNetwork(target.ip)) {
        // flanneld --ip-masq (its FLANNEL-POSTRTG chain): pod traffic to anything outside the cluster CIDR, other
        // nodes included, leaves with this node's address.
        flow.snat = snat = this.masquerade(proto, target);
        nat = { dnat: walk?.dnat, masquerade: true };
      }
      flow.entry = entry = this.conntrack.tryOpen(packet, nat, snat ?? undefined);
      // nf_conntrack: table full, dropping packet.
      if (!entry) return Promise.resolve(this.finish(flow, { ok: false, error: 'timeout' }, [this.name]));
    }
    const delivery: Delivery = {
      src: snat ?? { ip: src, port: sport },
      dst: target,
      proto,
      payload: req.payload,
      entryNode: this.name,
    };
    // The common case (a pod on another node): one promise, settled when the peer's answer arrives.
    const owner = this.ownerOf(target.ip);
    if (owner !== undefined && owner !== 'self') {
      flow.peer = owner.info.name;
      flow.crossed = owner.crossed;
      const p = newFlowPromise(flow);
      this.send(owner, flow, delivery);
      return p;
    }
    const opened = entry;
    return this.route(delivery, req.from.kind === 'laptop').then(({ result, crossed }) => {
      this.track(opened, result);
      return this.finish(flow, result, crossed);
    });
  }

  /** The connection's trace, and what its client gets (called by its Flow when the answer arrives). */
  finish(f: Flow, result: DeliveryResult, crossed: readonly string[]): ConnectResult {
    const { req, walk, entry, target } = f;
    const answered = result.ok ? result.pod : null;
    // What the node the connection was sent to did with it (its own NodePort DNAT, say) completes the trace.
    const via = result.via;
    const hops = via ? [this.name, ...via.crossed] : crossed;
    this.counters.addTrace(
      {
        id: f.traceId,
        from: req.from,
        to: req.dst,
        entryNode: this.name,
        service: f.service ?? via?.service ?? null,
        pod: answered ? podKey(answered) : null,
        podNode: result.ok ? (hops[hops.length - 1] ?? null) : null,
        result: result.ok ? 'ok' : result.error === 'unreachable' ? 'no-route' : result.error,
        dnat: walk?.dnat ?? (entry && (target.ip !== req.dst.ip || target.port !== req.dst.port) ? target : null) ?? via?.dnat ?? null,
        snat: f.snat?.ip ?? via?.snat ?? null,
        crossed: hops as string[],
        startedAt: f.started,
        durationMs: this.clock.now() - f.started,
      },
      walk && f.table,
      walk,
      via?.steps,
    );
    if (!result.ok) return { ok: false, error: result.error, traceId: f.traceId, detail: result.detail };
    this.counters.countIn(responseBytes(result.response));
    // The client's socket sees the answer from where it connected to: conntrack undoes the DNAT on the reply.
    return { ok: true, response: result.response, traceId: f.traceId, remote: req.dst, pod: result.pod };
  }

  /** Where a packet goes after the nat table: here, over the mesh to the node owning the address, or nowhere. */
  async route(d: Delivery, fromOutside: boolean): Promise<{ result: DeliveryResult; crossed: string[] }> {
    const owner = this.ownerOf(d.dst.ip);
    if (owner === 'self') return { result: await this.deliverLocal(d), crossed: [this.name] };
    if (owner) return { result: await this.forward(owner, d), crossed: [this.name, owner.info.name] };
    // A local sender whose ARP goes unanswered on the node network gets EHOSTUNREACH. Anything else (including a packet
    // the laptop sent here because this node answered ARP for a VIP no rule took) follows the default route and is lost.
    const onLink = !fromOutside && cidrContains(HOST_NETWORK, d.dst.ip) && d.dst.ip !== LAPTOP_IP;
    return { result: onLink ? { ok: false, error: 'no-route', detail: 'No route to host' } : { ok: false, error: 'timeout' }, crossed: [this.name] };
  }

  /** 127.0.0.1 in a pod is the pod's own lo: its containers answer; the node never sees (nor traces) the packet. */
  private async podLoopback(req: ConnectRequest, sport: number): Promise<ConnectResult> {
    const traceId = 0;
    const d: Delivery = { src: { ip: LOOPBACK_ADDRESS, port: sport }, dst: { ip: req.from.ip, port: req.dst.port }, proto: req.proto, payload: req.payload, entryNode: this.name };
    const result = await this.pods.answer(d);
    if (!result.ok) return { ok: false, error: result.error, traceId, detail: result.detail };
    return { ok: true, response: result.response, traceId, remote: req.dst, pod: result.pod };
  }

  track(entry: ConntrackEntry, result: DeliveryResult): void {
    if (result.ok) {
      this.conntrack.reply(entry);
      if (entry.proto === 'tcp') this.conntrack.close(entry);
    } else if (result.error === 'reset') {
      this.conntrack.reply(entry);
      this.conntrack.reset(entry);
    } else if (result.error === 'refused' && !result.icmp) {
      // A RST; REJECT's ICMP error is only RELATED to the flow, which stays as it was.
      this.conntrack.refused(entry);
    }
  }

  private forward(link: MeshLink, delivery: Delivery): Promise<DeliveryResult> {
    return new Promise((resolve) => this.send(link, { peer: link.info.name, done: resolve }, delivery));
  }

  private send(link: MeshLink, w: Waiter, delivery: Delivery): void {
    const id = this.freeIds.length > 0 ? this.freeIds.pop()! : this.pending.length;
    this.pending[id] = w;
    link.deliver(id, delivery);
  }

  /** A link has queued its first message this turn: everything it queues by the end of the turn leaves as one post. */
  private readonly schedule = (link: MeshLink): void => {
    this.flushQueue.push(link);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(this.flush);
  };

  private readonly flush = (): void => {
    this.flushScheduled = false;
    for (const link of this.flushQueue) if (this.peers.get(link.info.name) === link) link.flush();
    this.flushQueue.length = 0;
  };

  /** The last hop: this node owns the destination address. Answers at once when the program does. */
  deliverLocal(d: Delivery): DeliveryResult | Promise<DeliveryResult> {
    this.counters.countIn(payloadBytes(d.payload));
    if (this.addresses.isOwn(d.dst.ip)) return answerOnHost(d, this.controlPlane);
    // ARP for an address no pod holds goes unanswered on cni0: EHOSTUNREACH.
    if (!this.pods.hasPodIP(d.dst.ip)) return { ok: false, error: 'no-route', detail: 'No route to host' };
    const result = this.pods.answer(d);
    return result instanceof Promise ? result.then(this.served) : this.served(result);
  }

  private readonly served = (result: DeliveryResult): DeliveryResult => {
    if (result.ok) {
      if (result.pod) this.counters.served(podKey(result.pod));
      this.counters.countOut(responseBytes(result.response));
    }
    return result;
  };

  newTraceId(): number {
    return this.traceBase + (++this.traceSeq % 10_000_000);
  }

  private ephemeralPort(): number {
    const p = this.nextPort++;
    if (this.nextPort > EPHEMERAL_LAST) this.nextPort = EPHEMERAL_FIRST;
    return p;
  }
}

/** `namespace/name`, built once per pod object (a pod's answers repeat the same object when the mesh keeps them). */
const podKeys = new WeakMap<object, string>();
export function podKey(pod: { namespace: string; name: string }): string {
  let k = podKeys.get(pod);
  if (k === undefined) podKeys.set(pod, (k = `${pod.namespace}/${pod.name}`));
  return k;
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
