/** Connections as the virtual network carries them: one request and one response, with the path they took. */
import type { HttpRequest, HttpResponse } from '../images/types.ts';
import type { ConnectionTrace, TraceStep } from '../../contract/views.ts';

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
  /** `remote`: the peer address the client's socket sees (where it connected to; replies are un-NATed). */
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

export type DeliveryResult = (
  | { ok: true; response: AppResponse; pod: { namespace: string; name: string } | null }
  /** `icmp`: the refusal was an ICMP port-unreachable (a REJECT rule, a closed UDP port), not a TCP RST. */
  | { ok: false; error: NetError; detail?: string; icmp?: boolean }
) & { via?: HopReport };

/**
 * What a node did with a connection sent to its own address (its PREROUTING walk: a NodePort, say), reported back
 * to the node the connection started on for its trace. Absent when the packet was for a pod (nothing to walk).
 */
export interface HopReport {
  /** The nodes the connection crossed from the receiving node on: it first, then the pod's node when it forwarded. */
  crossed: string[];
  service: string | null;
  dnat: { ip: string; port: number } | null;
  snat: string | null;
  steps: TraceStep[];
}

export type { ConnectionTrace };
