/** An HTTP client for programs inside a pod (busybox wget, curl images): requests leave from the pod's IP. */
import type { HttpFetch } from './images/types.ts';
import type { Netstack } from './netstack/netstack.ts';
import type { Peer } from './netstack/types.ts';

export function podFetch(net: Netstack, from: Peer): HttpFetch {
  return async (url, init = {}) => {
    const u = new URL(url);
    const port = Number(u.port || 80);
    const result = await net.connect({
      from,
      dst: { ip: u.hostname, port },
      proto: 'tcp',
      payload: {
        kind: 'http',
        request: { method: init.method ?? 'GET', path: `${u.pathname}${u.search}`, httpVersion: 'HTTP/1.1', headers: [['Host', u.host], ...(init.headers ?? [])], body: init.body ?? '' },
      },
    });
    if (result.ok && result.response.kind === 'http') return result.response.response;
    const code = result.ok ? 'ECONNRESET' : { refused: 'ECONNREFUSED', timeout: 'ETIMEDOUT', 'no-route': 'EHOSTUNREACH', reset: 'ECONNRESET', unreachable: 'ENETUNREACH' }[result.error];
    throw Object.assign(new Error(code), { code, address: u.hostname });
  };
}
