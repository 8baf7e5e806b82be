/**
 * The API machinery between callers (HTTP handlers, controllers, kubelets) and the store, as kube-apiserver's
 * generic registry does it: namespace checks, generateName, defaulting, admission, validation, per-kind strategies
 * (what a create or update may touch), graceful deletion and finalizers.
 */
import type { Clock } from '../clock/clock.ts';
import { isoTime } from '../clock/clock.ts';
import { errors, isStatusError } from '../api/errors.ts';
import type { FieldError } from '../api/field-errors.ts';
import { byKind, type ResourceInfo } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { generateName } from '../api/names.ts';
import type { Store, ListOptions, ListResult, WatchOptions, WatchEvent, Watch } from '../store/store.ts';
import { strategyFor } from './strategies.ts';
import type { Allocation, Strategy } from './strategy.ts';

/** apiserver generic registry: maxNameGenerationCreateAttempts = 8. */
const MAX_GENERATED_NAME_RETRIES = 7;

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /** 'status' writes only status; undefined writes everything but status (for kinds with a status subresource). */
  subresource?: 'status';
  /** Internal callers only: the input's status is a fresh object no one else holds, kept rather than copied. */
  owned?: boolean;
}
export interface DeleteOptions {
  dryRun?: boolean;
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export class Registry {
  constructor(
    readonly store: Store,
    readonly clock: Clock,
  ) {}

  strategy(r: ResourceInfo): Strategy {
    return strategyFor(r.kind);
  }

  get(r: ResourceInfo, ns: string | undefined, name: string): KubeObject {
    return this.store.get(r, ns, name);
  }
  tryGet(r: ResourceInfo, ns: string | undefined, name: string): KubeObject | undefined {
    return this.store.tryGet(r, ns, name);
  }
  list(r: ResourceInfo, opts?: ListOptions): ListResult {
    return this.store.list(r, opts);
  }
  watch(r: ResourceInfo, opts: WatchOptions, handler: (ev: WatchEvent) => void): Watch {
    return this.store.watch(r, opts, handler);
  }

  create(r: ResourceInfo, namespace: string | undefined, input: KubeObject, opts: WriteOptions = {}): KubeObject {
    const obj = structuredClone(input) as KubeObject;
    obj.metadata ??= {};
    if (r.namespaced) {
      if (obj.metadata.namespace && namespace && obj.metadata.namespace !== namespace) {
        throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = obj.metadata.namespace || namespace || 'default';
      this.checkNamespace(obj.metadata.namespace, r, obj.metadata.name ?? '');
    } else delete obj.metadata.namespace;
    const generated = !obj.metadata.name && !!obj.metadata.generateName;
    if (generated) obj.metadata.name = generateName(obj.metadata.generateName!);
    for (const f of ['uid', 'resourceVersion', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const) delete obj.metadata[f];
    obj.metadata.creationTimestamp = isoTime(this.clock.now());
    obj.apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    obj.kind = r.kind;
    const s = this.strategy(r);
    s.prepareForCreate?.(obj, this);
    s.defaults?.(obj);
    s.admit?.(obj, this);
    const early = s.beginWrite?.(obj, undefined, this, opts.dryRun ?? false);
    let allocated: Allocation | undefined;
    try {
      this.fail(r, obj, s.validateCreate?.(obj) ?? []);
      if (!obj.metadata.name) this.fail(r, obj, [{ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' }]);
      allocated = both(early, s.allocate?.(obj, this, opts.dryRun ?? false));
    } catch (e) {
      early?.release();
      throw e;
    }
    if (opts.dryRun) {
      early?.release();
      return obj;
    }
    // RetryGenerateName (on by default since 1.30): a generated name that is taken is drawn again.
    for (let attempt = 0; ; attempt++) {
      try {
        return this.store.create(r, obj, true);
      } catch (e) {
        if (generated && attempt < MAX_GENERATED_NAME_RETRIES && isStatusError(e, 'AlreadyExists')) {
          obj.metadata.name = generateName(obj.metadata.generateName!);
          continue;
        }
        allocated?.release();
        throw e;
      }
    }
  }

  update(r: ResourceInfo, input: KubeObject, opts: WriteOptions = {}): KubeObject {
    const ns = r.namespaced ? input.metadata?.namespace : undefined;
    const old = this.store.get(r, ns, input.metadata?.name ?? '');
    const s = this.strategy(r);
    if (opts.subresource === 'status') {
      // Everything but status comes from the stored object; its frozen parts are shared, not copied.
      const shared = { ...old, metadata: { ...old.metadata, resourceVersion: input.metadata?.resourceVersion }, status: opts.owned ? input.status : structuredClone(input.status) } as KubeObject;
      s.statusDefaults?.(shared);
      // A dry run hands the object back to the caller, who may change it: no frozen parts then.
      return this.commitUpdate(r, opts.dryRun ? structuredClone(shared) : shared, old, s, opts, true);
    }
    const obj = structuredClone(input) as KubeObject;
    if (s.hasStatus && old.status !== undefined) obj.status = structuredClone(old.status);
    obj.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
    obj.metadata.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    s.prepareForUpdate?.(obj, old, this);
    // apiserver rest.BeforeUpdate: an update without a uid keeps the stored one; the creation time cannot change.
    if (!obj.metadata.uid) obj.metadata.uid = old.metadata.uid;
    if (old.metadata.creationTimestamp) obj.metadata.creationTimestamp = old.metadata.creationTimestamp;
    s.defaults?.(obj);
    return this.commitUpdate(r, obj, old, s, opts, false);
  }

  private commitUpdate(r: ResourceInfo, obj: KubeObject, old: KubeObject, s: Strategy, opts: WriteOptions, statusOnly: boolean): KubeObject {
    const early = statusOnly ? undefined : s.beginWrite?.(obj, old, this, opts.dryRun ?? false);
    let allocated: Allocation | undefined;
    try {
      this.fail(r, obj, (statusOnly ? s.validateStatusUpdate?.(obj, old) : s.validateUpdate?.(obj, old)) ?? []);
      allocated = both(early, statusOnly ? undefined : s.reallocate?.(obj, old, this, opts.dryRun ?? false));
    } catch (e) {
      early?.release();
      throw e;
    }
    if (opts.dryRun) {
      early?.release();
      return obj;
    }
    let saved: KubeObject;
    try {
      saved = this.store.update(r, obj, true);
    } catch (e) {
      allocated?.release();
      throw e;
    }
    s.afterUpdate?.(saved, old, this);
    if (saved.metadata.deletionTimestamp && (saved.metadata.finalizers ?? []).length === 0 && s.deleteWhenFinalized !== false) {
      return this.store.delete(r, saved.metadata.namespace, saved.metadata.name!);
    }
    return saved;
  }

  /**
   * Deletes as kube-apiserver does: objects with finalizers (or pods still on a node, with a grace period) get a
   * deletionTimestamp and stay until finalized; everything else goes at once. Returns what the API returns.
   */
  delete(r: ResourceInfo, ns: string | undefined, name: string, opts: DeleteOptions = {}): KubeObject {
    const old = this.store.get(r, ns, name);
    const s = this.strategy(r);
    if (opts.preconditions?.uid && opts.preconditions.uid !== old.metadata.uid) {
      throw errors.conflict(r, name, `Precondition failed: UID in precondition: ${opts.preconditions.uid}, UID in object meta: ${old.metadata.uid}`);
    }
    const grace = s.gracePeriod?.(old, opts.gracePeriodSeconds) ?? 0;
    const finalizers = [...(old.metadata.finalizers ?? [])];
    if (opts.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
    if (opts.propagationPolicy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
    if (opts.dryRun) return old;
    if (finalizers.length === 0 && grace === 0 && !s.beforeDelete?.(old, this)) {
      const gone = this.store.delete(r, ns, name);
      s.released?.(gone, this);
      return gone;
    }
    if (old.metadata.deletionTimestamp) {
      // A second delete may only shorten the grace period.
      const current = old.metadata.deletionGracePeriodSeconds ?? 0;
      if (grace >= current) return old;
    }
    const next = structuredClone(old) as KubeObject;
    next.metadata.finalizers = finalizers.length ? finalizers : undefined;
    if (!next.metadata.finalizers) delete next.metadata.finalizers;
    next.metadata.deletionTimestamp = isoTime(this.clock.now() + grace * 1000);
    next.metadata.deletionGracePeriodSeconds = grace;
    s.deleting?.(next);
    return this.store.update(r, next, true);
  }

  /** Finishes a graceful deletion (what the kubelet's grace-0 delete does). */
  finalizeDelete(r: ResourceInfo, ns: string | undefined, name: string): void {
    try {
      const gone = this.store.delete(r, ns, name);
      this.strategy(r).released?.(gone, this);
    } catch (e) {
      if (!isStatusError(e, 'NotFound')) throw e;
    }
  }

  private checkNamespace(ns: string, r: ResourceInfo, name: string): void {
    const nsObj = this.store.tryGet(byKind('Namespace'), undefined, ns);
    if (!nsObj) throw errors.notFound({ group: '', resource: 'namespaces' }, ns);
    if (nsObj.metadata.deletionTimestamp || (nsObj.status as { phase?: string } | undefined)?.phase === 'Terminating') {
      throw errors.forbidden(r, name, `unable to create new content in namespace ${ns} because it is being terminated`);
    }
  }

  private fail(r: ResourceInfo, obj: KubeObject, errs: FieldError[]): void {
    if (errs.length) throw errors.invalid(r.group, r.kind, obj.metadata?.name ?? '', errs);
  }
}

/** One release for two claims. */
function both(a: Allocation | undefined, b: Allocation | undefined): Allocation | undefined {
  if (!a || !b) return a ?? b;
  return { release: () => (a.release(), b.release()) };
}
