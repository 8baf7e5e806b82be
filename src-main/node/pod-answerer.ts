/** The last hop of a connection: the program in the pod that owns the destination IP and port answers it. */
import type { Kubelet } from './kubelet/index.ts';
import type { KubeProxy } from './kube-proxy.ts';
import type { PodEndpoints } from './netstack/netstack.ts';
import type { Delivery, DeliveryResult } from './netstack/types.ts';
import { resolve as resolveDns } from '../net/dns/resolve.ts';
import { loadbalance } from '../net/dns/loadbalance.ts';

const DNS_PORT = 53;

/** Answers carry the same (frozen) pod object for every connection a program answers: no object, and no key, per answer. */
const podOf = new WeakMap<object, { namespace: string; name: string }>();

export class PodAnswerer implements PodEndpoints {
  constructor(
    private readonly kubelet: () => Kubelet,
    private readonly proxy: () => KubeProxy,
  ) {}

  hasPodIP(ip: string): boolean {
    return this.kubelet().hasPodIP(ip);
  }

  answer(d: Delivery): DeliveryResult | Promise<DeliveryResult> {
    const protocol = d.proto === 'udp' ? 'UDP' : 'TCP';
    if (d.payload.kind === 'icmp') return { ok: true, response: { kind: 'icmp' }, pod: null };
    const target = this.kubelet().portFor(d.dst.ip, d.dst.port, protocol);
    if (!target) return { ok: false, error: d.proto === 'udp' ? 'timeout' : 'refused' };
    let pod = podOf.get(target.program);
    if (!pod || pod.name !== target.podName || pod.namespace !== target.namespace) {
      podOf.set(target.program, (pod = Object.freeze({ namespace: target.namespace, name: target.podName })));
    }
    const conn = { clientIP: d.src.ip, clientPort: d.src.port, localPort: d.dst.port };
    switch (d.payload.kind) {
      case 'connect':
        return { ok: true, response: { kind: 'connect' }, pod };
      case 'dns': {
        if (d.dst.port !== DNS_PORT) return { ok: false, error: 'timeout' };
        // CoreDNS's kubernetes plugin answers from the Services and EndpointSlices it watches.
        const proxy = this.proxy();
        const answer = loadbalance(resolveDns(d.payload.question as never, { services: proxy.serviceList(), endpointSlices: proxy.sliceList(), pods: [] }));
        return { ok: true, response: { kind: 'dns', answer }, pod };
      }
      case 'http': {
        if (!target.program.handleHttp) return { ok: false, error: 'reset' };
        const answered = pod;
        try {
          const response = target.program.handleHttp(d.payload.request, conn);
          if (!(response instanceof Promise)) return { ok: true, response: { kind: 'http', response }, pod };
          return response.then(
            (r): DeliveryResult => ({ ok: true, response: { kind: 'http', response: r }, pod: answered }),
            (): DeliveryResult => ({ ok: false, error: 'reset' }),
          );
        } catch {
          return { ok: false, error: 'reset' };
        }
      }
    }
  }
}
