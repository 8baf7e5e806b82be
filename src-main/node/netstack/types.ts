/** Connections as the virtual network carries them: one request and one response, with the path they took. */
import type { HttpRequest, HttpResponse } from '../images/types.ts';
import type { ConnectionTrace } from '../../contract/views.ts';

export type Peer = { kind: 'node' | 'pod' | 'laptop'; name: string; ip: string };

export interface DnsQuestion {
  name: string;
  type: 'A' | 'AAAA' | 'SRV' | 'PTR' | 'CNAME' | 'TXT' | 'ANY';
}

export type AppRequest =
  | { kind: 'http'; request: HttpRequest }
  | { kind: 'dns'; question: DnsQuestion }
  /** A bare TCP connect (probes, `nc -z`): succeeds when something listens. */
  | { kind: 'connect' }
  | { kind: 'icmp' };

export type AppResponse = { kind: 'http'; response: HttpResponse } | { kind: 'dns'; answer: unknown } | { kind: 'connect' } | { kind: 'icmp' };

export type NetError = 'refused' | 'timeout' | 'no-route' | 'reset' | 'unreachable';

export interface ConnectRequest {
  from: Peer;
  /** Source port; an ephemeral one is picked when missing. */
  sport?: number;
  dst: { ip: string; port: number };
  proto: 'tcp' | 'udp' | 'icmp';
  payload: AppRequest;
}

export type ConnectResult =
  | { ok: true; response: AppResponse; traceId: number; remote: { ip: string; port: number }; pod: { namespace: string; name: string } | null }
  | { ok: false; error: NetError; traceId: number; detail?: string };

/** A connection handed from the entry node to the node that owns the destination pod. */
export interface Delivery {
  /** Source as the destination sees it (after SNAT). */
  src: { ip: string; port: number };
  dst: { ip: string; port: number };
  proto: 'tcp' | 'udp' | 'icmp';
  payload: AppRequest;
  entryNode: string;
}

export type DeliveryResult =
  | { ok: true; response: AppResponse; pod: { namespace: string; name: string } | null }
  | { ok: false; error: NetError; detail?: string };

export type { ConnectionTrace };
