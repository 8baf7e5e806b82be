/** The kubelet's inputs and outputs: what the node worker passes in and what it must forward to the API server. */
import type { Pod, PodStatus, Service } from 'kubernetes-types/core/v1';
import type { Clock } from '../../clock/clock.ts';
import type { ImageCatalogue } from '../images/catalogue.ts';
import type { ContainerServices } from '../images/types.ts';

export interface ObjectRef {
  apiVersion: 'v1';
  kind: 'Pod';
  namespace: string;
  name: string;
  uid: string;
  /** spec.containers{name} for container events. */
  fieldPath?: string;
}

export interface KubeletEvent {
  ref: ObjectRef;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** A whole status for the pods/status subresource. deleteNow: containers are gone, delete the pod with grace 0. */
export interface PodStatusUpdate {
  namespace: string;
  name: string;
  uid: string;
  status: PodStatus;
  /** `status` as JSON text (the status manager compares with it anyway; the node sends it as is). */
  statusJson?: string;
  deleteNow?: boolean;
}

export interface KubeletOptions {
  nodeName: string;
  nodeIP: string;
  /** e.g. 10.244.1.0/24 */
  podCIDR: string;
  clock: Clock;
  images: ImageCatalogue;
  report: (update: PodStatusUpdate) => void;
  event: (e: KubeletEvent) => void;
  /** [0,1) source for delays, ids and jitter; Math.random by default. */
  random?: () => number;
  /** Network and DNS hooks handed to containers (wget/curl, CoreDNS). */
  services?: ContainerServices;
  /** Per-pod hooks (a pod's own programs connect from the pod's IP); wins over `services`. */
  servicesFor?: (pod: { namespace: string; name: string; podIP: string; files?: Map<string, string> }) => ContainerServices;
  clusterDNS?: string;
  clusterDomain?: string;
  /** The Services the kubelet's informer holds, for the service links of a starting container. */
  serviceLister?: () => Service[];
}

export interface LogOptions {
  tailLines?: number;
  previous?: boolean;
  follow?: boolean;
  timestamps?: boolean;
  /** Only lines at or after this time (ms), from --since/--since-time. */
  sinceTime?: number;
  limitBytes?: number;
}

export interface LogResult {
  text: string;
  /** With follow: called for every new line until the container stops or unsubscribe is called. */
  follow?: (onLine: (line: string) => void, onEnd: () => void) => () => void;
}

/** An error the API server turns into a Status (code 400 for these). */
export class KubeletError extends Error {
  constructor(message: string, readonly code = 400) {
    super(message);
    this.name = 'KubeletError';
  }
}

export type { Pod };
