/** ICMP echo: no service rule matches it, so a ClusterIP or load-balancer IP (owned by no interface) never answers. */
import type { Clock } from '../../clock/clock.ts';
import type { TrafficCounters } from './counters.ts';
import type { ConnectRequest, ConnectResult, Delivery, DeliveryResult } from './types.ts';

/** What an echo request needs of the node it leaves from. */
export interface PingNode {
  readonly name: string;
  readonly clock: Clock;
  readonly counters: TrafficCounters;
  route(d: Delivery, fromOutside: boolean): Promise<{ result: DeliveryResult; crossed: string[] }>;
  newTraceId(): number;
}

export async function ping(node: PingNode, req: ConnectRequest): Promise<ConnectResult> {
  const started = node.clock.now();
  const traceId = node.newTraceId();
  const d: Delivery = { src: { ip: req.from.ip, port: 0 }, dst: req.dst, proto: 'icmp', payload: { kind: 'icmp' }, entryNode: node.name };
  node.counters.countOut(64);
  const { result, crossed } = await node.route(d, req.from.kind === 'laptop');
  node.counters.addTrace({
    id: traceId,
    from: req.from,
    to: req.dst,
    entryNode: node.name,
    service: null,
    pod: null,
    podNode: result.ok ? (crossed[crossed.length - 1] ?? null) : null,
    result: result.ok ? 'ok' : result.error === 'unreachable' ? 'no-route' : result.error,
    dnat: null,
    snat: null,
    crossed,
    startedAt: started,
    durationMs: node.clock.now() - started,
  });
  if (!result.ok) return { ok: false, error: result.error, traceId, detail: result.detail };
  node.counters.countIn(64);
  return { ok: true, response: result.response, traceId, remote: req.dst, pod: result.pod };
}
