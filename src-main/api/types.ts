/** Object types come from the published Kubernetes types; this file only adds what the store needs. */
import type { ObjectMeta } from 'kubernetes-types/meta/v1';

export type { ObjectMeta } from 'kubernetes-types/meta/v1';
export type { Pod, Service, Node, Namespace, Endpoints, ConfigMap, Event } from 'kubernetes-types/core/v1';
export type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
export type { EndpointSlice } from 'kubernetes-types/discovery/v1';
export type { Lease } from 'kubernetes-types/coordination/v1';

/** kubernetes-types marks server-set fields readonly; the server is exactly who sets them. */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** Any stored object: apiVersion/kind/metadata always present once stored. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: Writable<ObjectMeta>;
  [field: string]: unknown;
}

export function nameOf(o: { metadata?: ObjectMeta }): string {
  return o.metadata?.name ?? '';
}
