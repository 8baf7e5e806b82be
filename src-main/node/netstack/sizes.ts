/** Byte sizes of what a connection carries, for the counters (HTTP/1.1 framing, DNS message sizes). */
import type { AppRequest, AppResponse } from './types.ts';

export function payloadBytes(p: AppRequest): number {
  switch (p.kind) {
    case 'http': {
      const r = p.request;
      return r.method.length + r.path.length + 12 + r.headers.reduce((n, [k, v]) => n + k.length + v.length + 4, 0) + 2 + r.body.length;
    }
    case 'dns':
      return 29 + p.question.name.length;
    case 'icmp':
      return 64;
    default:
      return 0;
  }
}

export function responseBytes(p: AppResponse): number {
  switch (p.kind) {
    case 'http': {
      const r = p.response;
      return 17 + r.reason.length + r.headers.reduce((n, [k, v]) => n + k.length + v.length + 4, 0) + 2 + r.body.length;
    }
    case 'dns':
      return 90;
    case 'icmp':
      return 64;
    default:
      return 0;
  }
}
