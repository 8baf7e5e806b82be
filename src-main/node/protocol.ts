/** Messages between the control plane (host main thread) and a node worker, and between node workers. */
import type { MessagePort } from 'node:worker_threads';
import type { ClockSpec } from '../clock/clock.ts';
import type { KubeObject } from '../api/types.ts';

export interface NodeIdentity {
  name: string;
  ip: string;
  podCIDR: string;
  /** Every node's address facts, so a node can route to pod CIDRs it does not own. */
  clusterCIDR: string;
  controlPlane?: boolean;
}

export interface PeerInfo {
  name: string;
  ip: string;
  podCIDR: string;
}

export interface WorkerInit {
  node: NodeIdentity;
  clock: ClockSpec;
  /** The kubelet's start time offset, so restarts keep realistic ages. */
  bootId: string;
}

export type WatchedKind = 'Pod' | 'Service' | 'EndpointSlice' | 'Node';

export type HostToNode =
  | { t: 'clock'; now: number; seq: number }
  | { t: 'speed'; clock: ClockSpec }
  /** The object as JSON text: a stored pod is ~2 KB of JSON, and V8's structured clone of it costs ~5x JSON.stringify
   * on this side and ~4x JSON.parse on the node's. */
  | { t: 'watch'; kind: WatchedKind; type: 'ADDED' | 'MODIFIED' | 'DELETED'; json: string }
  | { t: 'peer'; peer: PeerInfo; port: MessagePort }
  | { t: 'peerGone'; name: string }
  | { t: 'call'; id: number; method: string; args: unknown[] }
  | { t: 'sync'; seq: number }
  | { t: 'stop' };

export interface PodEventReport {
  involved: { kind: string; namespace?: string; name: string; uid?: string; apiVersion?: string; fieldPath?: string };
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export type NodeToHost =
  | { t: 'ack'; seq: number }
  /** The status as JSON text, cheaper than a structured clone on both sides (see 'watch'). */
  | { t: 'podStatus'; namespace: string; name: string; uid: string; json: string }
  /** The kubelet has finished terminating a pod: the API object can go (a grace-0 delete). */
  | { t: 'podTerminated'; namespace: string; name: string; uid: string }
  | { t: 'lease'; renewTime: number }
  | { t: 'nodeStatus'; status: unknown }
  | { t: 'event'; event: PodEventReport }
  | { t: 'result'; id: number; ok: boolean; value?: unknown; error?: string }
  | { t: 'traffic'; frame: unknown }
  | { t: 'ready' };
