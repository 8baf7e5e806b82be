/** The node's own listening sockets: what answers a connection to one of its addresses that no nat rule took away. */
import type { Delivery, DeliveryResult } from './types.ts';

/** lo's own address: the source a socket connecting to 127.x gets. */
export const LOOPBACK_ADDRESS = '127.0.0.1';

/** lo's 127.0.0.0/8, every address of which is the host's own (addresses here are always dotted quads). */
export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.');
}

/**
 * The kubelet (:10250, on every address) and, on the control plane, kube-apiserver (:6443): nothing else answers
 * unless a hostPort claims a port. A closed TCP port answers the SYN with a RST, a closed UDP port with an ICMP
 * port-unreachable: ECONNREFUSED at once either way.
 */
export function answerOnHost(d: Delivery, controlPlane: boolean): DeliveryResult {
  if (d.payload.kind === 'icmp') return { ok: true, response: { kind: 'icmp' }, pod: null };
  if (d.dst.port === 10250 && d.proto === 'tcp') {
    return { ok: true, response: { kind: 'http', response: { status: 401, reason: 'Unauthorized', headers: [['Content-Type', 'text/plain; charset=utf-8']], body: 'Unauthorized' } }, pod: null };
  }
  // kube-apiserver: TLS only, and Go's server answers plain HTTP like this.
  if (controlPlane && d.dst.port === 6443 && d.proto === 'tcp') {
    const body = 'Client sent an HTTP request to an HTTPS server.\n';
    return { ok: true, response: { kind: 'http', response: { status: 400, reason: 'Bad Request', headers: [['Content-Type', 'text/plain; charset=utf-8'], ['Connection', 'close']], body } }, pod: null };
  }
  return d.proto === 'udp' ? { ok: false, error: 'refused', icmp: true } : { ok: false, error: 'refused' };
}
