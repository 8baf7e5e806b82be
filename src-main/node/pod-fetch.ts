/**
 * An HTTP client for programs inside a pod (busybox wget, curl images): requests leave from the pod's IP, names
 * resolve through the container's /etc/hosts and /etc/resolv.conf (`files`, once the container has them).
 */
import type { HttpFetch } from './images/types.ts';
import type { Netstack } from './netstack/netstack.ts';
import type { Peer } from './netstack/types.ts';
import { podLookup } from './pod-resolver.ts';

export function podFetch(net: Netstack, from: Peer, files?: () => Map<string, string> | undefined): HttpFetch {
  return async (url, init = {}) => {
    const u = new URL(url);
    const port = Number(u.port || 80);
    const found = await podLookup(net, from, files?.(), u.hostname);
    if (!found.ok) throw Object.assign(new Error(found.error === 'timeout' ? 'EAI_AGAIN' : 'ENOTFOUND'), { code: found.error === 'timeout' ? 'EAI_AGAIN' : 'ENOTFOUND', address: u.hostname });
    const result = await net.connect({
      from,
      dst: { ip: found.ip, port },
      proto: 'tcp',
      payload: {
        kind: 'http',
        request: { method: init.method ?? 'GET', path: `${u.pathname}${u.search}`, httpVersion: 'HTTP/1.1', headers: [['Host', u.host], ...(init.headers ?? [])], body: init.body ?? '' },
      },
    });
    if (result.ok && result.response.kind === 'http') return result.response.response;
    const code = result.ok ? 'ECONNRESET' : { refused: 'ECONNREFUSED', timeout: 'ETIMEDOUT', 'no-route': 'EHOSTUNREACH', reset: 'ECONNRESET', unreachable: 'ENETUNREACH' }[result.error];
    throw Object.assign(new Error(code), { code, address: found.ip });
  };
}
