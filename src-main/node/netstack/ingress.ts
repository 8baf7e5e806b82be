/**
 * A connection another node sent to this node's own address (a NodePort, say): as on Linux, its first packet walks
 * this node's nat PREROUTING (in from eth0, not a local source), gets a conntrack entry here with this node's DNAT and
 * MASQUERADE, and is then delivered to the node's own sockets, to a pod here, or onward over the mesh to the pod's
 * node. The answer comes back through this node (un-NATed by its conntrack entry) to the sender, with a report of
 * what this node did for the sender's trace.
 */
import type { Clock } from '../../clock/clock.ts';
import type { ConntrackEntry, ConntrackTable } from '../proxy/conntrack.ts';
import type { NatTable } from '../proxy/model.ts';
import { evaluate, type Packet, type RecentTable, type WalkResult } from '../proxy/walk.ts';
import type { TrafficCounters } from './counters.ts';
import { describeSteps, serviceOf } from './trace-steps.ts';
import type { Delivery, DeliveryResult, NetError } from './types.ts';
import { payloadBytes, responseBytes } from './sizes.ts';

/** What the walk needs of the receiving node's stack. */
export interface IngressNode {
  readonly name: string;
  readonly table: NatTable | undefined;
  readonly conntrack: ConntrackTable;
  readonly recent: RecentTable;
  readonly clock: Clock;
  readonly random: () => number;
  readonly counters: TrafficCounters;
  /** MASQUERADE's choice of source address and port towards `target`. */
  masquerade(proto: 'tcp' | 'udp', target: { ip: string; port: number }): { ip: string; port: number };
  /** Routing after the nat table; `fromOutside` as for a packet that came in on eth0. */
  route(d: Delivery, fromOutside: boolean): Promise<{ result: DeliveryResult; crossed: string[] }>;
  track(entry: ConntrackEntry, result: DeliveryResult): void;
}

const NO_NAT = Object.freeze({ masquerade: false });

export function ingress(node: IngressNode, d: Delivery): Promise<DeliveryResult> | DeliveryResult {
  const proto = d.proto === 'udp' ? 'udp' : 'tcp';
  const bytes = payloadBytes(d.payload);
  const packet: Packet = { src: d.src.ip, dst: d.dst.ip, proto, sport: d.src.port, dport: d.dst.port, inIface: 'external', bytes };
  let entry: ConntrackEntry | undefined = node.conntrack.lookupOriginal(proto, packet.src, packet.sport, packet.dst, packet.dport);
  let walk: WalkResult | undefined;
  let table: NatTable | undefined;
  let snat: { ip: string; port: number } | null = null;
  let service: string | null = null;
  let target: { ip: string; port: number };
  if (entry && !(proto === 'tcp' && (entry.tcpState === 'TIME_WAIT' || entry.tcpState === 'CLOSE'))) {
    // A flow conntrack knows (a UDP socket sending again): its NAT, and no walk.
    node.conntrack.touch(entry);
    if (entry.reply.dst !== packet.src) snat = { ip: entry.reply.dst, port: entry.reply.dport };
    target = { ip: entry.reply.src, port: entry.reply.sport };
  } else {
    entry = undefined;
    table = node.table;
    if (table) walk = evaluate(table, packet, { recent: node.recent, now: node.clock.now(), random: node.random });
    service = walk && table ? serviceOf(table, walk) : null;
    node.counters.connection(service);
    target = walk?.dnat ?? d.dst;
  }
  const dnat = target.ip !== d.dst.ip || target.port !== d.dst.port ? target : null;
  const report = (result: DeliveryResult, crossed: string[]): DeliveryResult => ({
    ...result,
    via: { crossed, service, dnat, snat: snat?.ip ?? null, steps: walk && table ? describeSteps(node.name, table, walk) : [] },
  });
  const fail = (error: NetError) => report({ ok: false, error, icmp: error === 'refused' || undefined }, [node.name]);

  // REJECT answers with icmp-port-unreachable (ECONNREFUSED); DROP answers nothing.
  if (walk?.verdict === 'REJECT') return fail('refused');
  if (walk?.verdict === 'DROP') return fail('timeout');
  if (!entry) {
    if (walk?.masquerade) snat = node.masquerade(proto, target);
    entry = node.conntrack.tryOpen(packet, walk ?? NO_NAT, snat ?? undefined);
    // nf_conntrack: table full, dropping packet.
    if (!entry) return fail('timeout');
  }
  const opened = entry;
  const onward: Delivery = { src: snat ?? d.src, dst: target, proto, payload: d.payload, entryNode: node.name };
  return node.route(onward, true).then(({ result, crossed }) => {
    node.track(opened, result);
    if (crossed.length > 1) {
      // Forwarded: the request and its answer pass through this node both ways.
      node.counters.countIn(bytes);
      node.counters.countOut(bytes);
      if (result.ok) {
        const back = responseBytes(result.response);
        node.counters.countIn(back);
        node.counters.countOut(back);
      }
    }
    return report(result, crossed);
  });
}
