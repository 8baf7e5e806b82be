/**
 * A node's network stack. A connection's first packet enters here (from a local process, a local pod, the laptop or
 * another node), walks this node's nat table as kube-proxy wrote it, gets a conntrack entry, and is routed: to a
 * local pod, or over the mesh port to the node owning the destination pod CIDR. Pod-to-pod traffic between nodes
 * goes worker to worker, never through the control-plane thread.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Clock } from '../../clock/clock.ts';
import { cidrContains } from '../../net/ipv4.ts';
import type { PeerInfo } from '../protocol.ts';
import { evaluate, newRecentTable, type Packet, type WalkResult } from '../proxy/walk.ts';
import { ConntrackTable } from '../proxy/conntrack.ts';
import type { NatTable } from '../proxy/model.ts';
import { TrafficCounters } from './counters.ts';
import { describeSteps, serviceOf } from './trace-steps.ts';
import type { AppRequest, ConnectRequest, ConnectResult, Delivery, DeliveryResult, MeshMessage, NetError } from './types.ts';
import { payloadBytes, responseBytes } from './sizes.ts';

/** What the network needs from the kubelet: who answers on a pod IP and port. */
export interface PodEndpoints {
  hasPodIP(ip: string): boolean;
  answer(delivery: Delivery): Promise<DeliveryResult>;
}

interface PeerLink {
  info: PeerInfo;
  port: MessagePort;
}

export class Netstack {
  readonly counters = new TrafficCounters();
  readonly conntrack: ConntrackTable;
  readonly recent = newRecentTable();
  private readonly peers = new Map<string, PeerLink>();
  private readonly pending = new Map<number, { resolve(r: DeliveryResult): void; peer: string }>();
  private nextId = 1;
  private nextPort = 32768;
  private traceSeq = 0;
  table: NatTable | undefined;

  constructor(
    readonly name: string,
    readonly ip: string,
    readonly podCIDR: string,
    readonly clock: Clock,
    readonly pods: PodEndpoints,
    readonly random: () => number = Math.random,
  ) {
    this.conntrack = new ConntrackTable(clock);
  }

  addPeer(info: PeerInfo, port: MessagePort): void {
    this.removePeer(info.name);
    this.peers.set(info.name, { info, port });
    port.on('message', (m: MeshMessage) => this.onMesh(port, m));
    port.unref?.();
  }

  removePeer(name: string): void {
    const link = this.peers.get(name);
    if (!link) return;
    link.port.close();
    this.peers.delete(name);
    for (const [id, p] of this.pending) {
      if (p.peer !== name) continue;
      this.pending.delete(id);
      p.resolve({ ok: false, error: 'timeout' });
    }
  }

  /** The gateway addresses flannel gives a node: `.0` on flannel.1 (remote pods), `.1` on cni0 (local pods). */
  private snatAddress(target: string): string {
    const base = this.podCIDR.split('/')[0].split('.').slice(0, 3).join('.');
    return cidrContains(this.podCIDR, target) ? `${base}.1` : `${base}.0`;
  }

  private ownerOf(ip: string): PeerLink | 'self' | undefined {
    if (cidrContains(this.podCIDR, ip) || ip === this.ip) return 'self';
    for (const link of this.peers.values()) if (cidrContains(link.info.podCIDR, ip) || link.info.ip === ip) return link;
    return undefined;
  }

  /** Opens a connection that starts on this node (a process, a pod here, or the laptop arriving at this node). */
  async connect(req: ConnectRequest): Promise<ConnectResult> {
    const started = this.clock.now();
    const traceId = this.newTraceId();
    const sport = req.sport ?? this.ephemeralPort();
    const proto = req.proto === 'icmp' ? 'tcp' : req.proto;
    const inIface = req.from.kind === 'pod' ? 'pod' : req.from.kind === 'node' ? 'local' : 'external';
    const bytes = payloadBytes(req.payload);
    const packet: Packet = { src: req.from.ip, dst: req.dst.ip, proto, sport, dport: req.dst.port, inIface, bytes };
    let walk: WalkResult | undefined;
    if (this.table && req.proto !== 'icmp') walk = evaluate(this.table, packet, { recent: this.recent, now: this.clock.now(), random: this.random });
    const service = walk && this.table ? serviceOf(this.table, walk) : null;
    this.counters.connection(service);
    this.counters.countOut(bytes);
    const target = walk?.dnat ?? req.dst;
    const snat = walk?.masquerade ? this.snatAddress(target.ip) : null;
    const finish = (result: DeliveryResult, crossed: string[]): ConnectResult => {
      const answered = result.ok ? result.pod : null;
      this.counters.addTrace({
        id: traceId,
        from: req.from,
        to: req.dst,
        entryNode: this.name,
        service,
        pod: answered ? `${answered.namespace}/${answered.name}` : null,
        podNode: crossed[crossed.length - 1] ?? null,
        result: result.ok ? 'ok' : result.error === 'unreachable' ? 'no-route' : result.error,
        steps: walk && this.table ? describeSteps(this.name, this.table, walk) : [],
        dnat: walk?.dnat ?? null,
        snat,
        crossed,
        startedAt: started,
        durationMs: this.clock.now() - started,
      });
      if (!result.ok) return { ok: false, error: result.error, traceId, detail: result.detail };
      this.counters.countIn(responseBytes(result.response));
      return { ok: true, response: result.response, traceId, remote: target };
    };

    if (walk && (walk.verdict === 'REJECT' || walk.verdict === 'DROP')) {
      return finish({ ok: false, error: walk.verdict === 'REJECT' ? 'refused' : 'timeout' }, [this.name]);
    }
    if (req.proto === 'icmp' && !this.ownerOf(target.ip)) return finish({ ok: false, error: 'timeout' }, [this.name]);
    const entry = walk ? this.conntrack.open(packet, walk, snat ? { ip: snat, port: sport } : undefined) : undefined;
    const delivery: Delivery = {
      src: { ip: snat ?? req.from.ip, port: sport },
      dst: target,
      proto: req.proto,
      payload: req.payload,
      entryNode: this.name,
    };
    const owner = this.ownerOf(target.ip);
    let result: DeliveryResult;
    let crossed = [this.name];
    if (owner === 'self') result = await this.deliverLocal(delivery);
    else if (owner) {
      crossed = [this.name, owner.info.name];
      result = await this.forward(owner, delivery);
    } else result = { ok: false, error: this.isClusterRange(target.ip) ? 'timeout' : 'no-route' };
    if (entry) {
      if (result.ok) {
        this.conntrack.reply(entry);
        this.conntrack.close(entry);
      }
    }
    return finish(result, crossed);
  }

  private isClusterRange(ip: string): boolean {
    return cidrContains('10.96.0.0/12', ip) || cidrContains('10.244.0.0/16', ip);
  }

  private forward(link: PeerLink, delivery: Delivery): Promise<DeliveryResult> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, peer: link.info.name });
      link.port.postMessage({ t: 'deliver', id, delivery } satisfies MeshMessage);
    });
  }

  private onMesh(port: MessagePort, m: MeshMessage): void {
    if (m.t === 'deliver') {
      void this.deliverLocal(m.delivery).then((result) => port.postMessage({ t: 'delivered', id: m.id, result } satisfies MeshMessage));
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
    if (d.dst.port === 10250) {
      return { ok: true, response: { kind: 'http', response: { status: 401, reason: 'Unauthorized', headers: [['Content-Type', 'text/plain; charset=utf-8']], body: 'Unauthorized' } }, pod: null };
    }
    return { ok: false, error: 'refused' };
  }

  private newTraceId(): number {
    const octet = Number(this.ip.split('.')[3] ?? 0);
    return octet * 10_000_000 + (++this.traceSeq % 10_000_000);
  }

  private ephemeralPort(): number {
    const p = this.nextPort++;
    if (this.nextPort > 60999) this.nextPort = 32768;
    return p;
  }
}

export type { NetError };
