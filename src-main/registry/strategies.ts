/** Per-kind rules of the generic registry (pkg/registry/<group>/<kind>/strategy.go, condensed). */
import type { FieldError } from '../api/field-errors.ts';
import type { KubeObject } from '../api/types.ts';
import type { Registry } from './registry.ts';
import { podStrategy } from './kinds/pod.ts';
import { serviceStrategy } from './kinds/service.ts';
import { namespaceStrategy } from './kinds/namespace.ts';
import { withMachinery } from './machinery.ts';

export interface Allocation {
  release(): void;
}

export interface Strategy {
  /** Kinds whose status is written only through the status subresource. */
  hasStatus?: boolean;
  prepareForCreate?(obj: KubeObject, reg: Registry): void;
  prepareForUpdate?(obj: KubeObject, old: KubeObject, reg: Registry): void;
  defaults?(obj: KubeObject): void;
  /** The defaulting of a status update, which may touch only `status` (the rest is the stored, frozen object). */
  statusDefaults?(obj: KubeObject): void;
  admit?(obj: KubeObject, reg: Registry): void;
  validateCreate?(obj: KubeObject): FieldError[];
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  validateStatusUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /**
   * What kube-apiserver's BeginCreate/BeginUpdate hooks claim before validation runs (a Service's health-check node
   * port, which validation then requires); released again when validation or the write fails.
   */
  beginWrite?(obj: KubeObject, old: KubeObject | undefined, reg: Registry, dryRun: boolean): Allocation | undefined;
  /** Claims cluster-wide resources (service IPs, node ports); throws Invalid when taken. */
  allocate?(obj: KubeObject, reg: Registry, dryRun: boolean): Allocation | undefined;
  reallocate?(obj: KubeObject, old: KubeObject, reg: Registry, dryRun: boolean): Allocation | undefined;
  released?(gone: KubeObject, reg: Registry): void;
  afterUpdate?(obj: KubeObject, old: KubeObject, reg: Registry): void;
  /** Seconds a delete waits; 0 deletes at once. */
  gracePeriod?(obj: KubeObject, requested: number | undefined): number;
  /** True when a delete must go through a graceful phase even without finalizers. */
  beforeDelete?(obj: KubeObject, reg: Registry): boolean;
  /** Adjusts an object entering graceful deletion. */
  deleting?(obj: KubeObject): void;
  /** False keeps an object with a deletionTimestamp and no finalizers (namespaces wait for their controller). */
  deleteWhenFinalized?: boolean;
}

const STATUS_KINDS = new Set(['Pod', 'Service', 'Deployment', 'ReplicaSet', 'Node', 'Namespace']);

const cache = new Map<string, Strategy>();

export function strategyFor(kind: string): Strategy {
  let s = cache.get(kind);
  if (!s) {
    const specific: Strategy = kind === 'Pod' ? podStrategy : kind === 'Service' ? serviceStrategy : kind === 'Namespace' ? namespaceStrategy : {};
    s = withMachinery(kind, { hasStatus: STATUS_KINDS.has(kind), ...specific });
    cache.set(kind, s);
  }
  return s;
}
