/** HTTP/1.1 over a byte stream (port-forward): whole requests out of the bytes, responses back into bytes. */
import type { HttpRequest, HttpResponse } from '../node/images/types.ts';

export function parseHttpRequests(buf: Buffer): { requests: HttpRequest[]; rest: Buffer } {
  const requests: HttpRequest[] = [];
  let rest = buf;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const head = rest.subarray(0, end).toString('latin1').split('\r\n');
    const [method, path, httpVersion] = head[0].split(' ');
    const headers = head.slice(1).map((l) => {
      const i = l.indexOf(':');
      return [l.slice(0, i).trim(), l.slice(i + 1).trim()] as [string, string];
    });
    const length = Number(headers.find(([k]) => k.toLowerCase() === 'content-length')?.[1] ?? 0);
    if (rest.length < end + 4 + length) break;
    const body = rest.subarray(end + 4, end + 4 + length).toString('utf8');
    requests.push({ method, path, httpVersion: httpVersion ?? 'HTTP/1.1', headers, body });
    rest = rest.subarray(end + 4 + length);
  }
  return { requests, rest };
}

export function serializeHttpResponse(r: HttpResponse): Buffer {
  const body = Buffer.from(r.body, 'utf8');
  const headers = r.headers.filter(([k]) => k.toLowerCase() !== 'content-length');
  headers.push(['Content-Length', String(body.length)]);
  const head = [`HTTP/1.1 ${r.status} ${r.reason}`, ...headers.map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
