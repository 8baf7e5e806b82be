/**
 * What a kind's strategy may define (pkg/registry/<group>/<kind>/strategy.go, condensed), and the little of the
 * registry it may read. Types only, so kinds/ and machinery.ts depend on this file and not on the registry itself.
 */
import type { FieldError } from '../api/field-errors.ts';
import type { KubeObject } from '../api/types.ts';
import type { ResourceInfo } from '../api/resources.ts';
import type { ListOptions, ListResult } from '../store/store.ts';

/** The registry as a strategy sees it: reads only (allocators rebuild themselves from the stored Services). */
export interface RegistryView {
  list(r: ResourceInfo, opts?: ListOptions): ListResult;
}

export interface Allocation {
  release(): void;
}

export interface Strategy {
  /** Kinds whose status is written only through the status subresource. */
  hasStatus?: boolean;
  prepareForCreate?(obj: KubeObject, reg: RegistryView): void;
  prepareForUpdate?(obj: KubeObject, old: KubeObject, reg: RegistryView): void;
  defaults?(obj: KubeObject): void;
  /** The defaulting of a status update, which may touch only `status` (the rest is the stored, frozen object). */
  statusDefaults?(obj: KubeObject): void;
  admit?(obj: KubeObject, reg: RegistryView): void;
  validateCreate?(obj: KubeObject): FieldError[];
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  validateStatusUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /**
   * What kube-apiserver's BeginCreate/BeginUpdate hooks claim before validation runs (a Service's health-check node
   * port, which validation then requires); released again when validation or the write fails.
   */
  beginWrite?(obj: KubeObject, old: KubeObject | undefined, reg: RegistryView, dryRun: boolean): Allocation | undefined;
  /** Claims cluster-wide resources (service IPs, node ports); throws Invalid when taken. */
  allocate?(obj: KubeObject, reg: RegistryView, dryRun: boolean): Allocation | undefined;
  reallocate?(obj: KubeObject, old: KubeObject, reg: RegistryView, dryRun: boolean): Allocation | undefined;
  released?(gone: KubeObject, reg: RegistryView): void;
  afterUpdate?(obj: KubeObject, old: KubeObject, reg: RegistryView): void;
  /** Seconds a delete waits; 0 deletes at once. */
  gracePeriod?(obj: KubeObject, requested: number | undefined): number;
  /** True when a delete must go through a graceful phase even without finalizers. */
  beforeDelete?(obj: KubeObject, reg: RegistryView): boolean;
  /** Adjusts an object entering graceful deletion. */
  deleting?(obj: KubeObject): void;
  /** False keeps an object with a deletionTimestamp and no finalizers (namespaces wait for their controller). */
  deleteWhenFinalized?: boolean;
}
