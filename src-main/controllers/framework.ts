/**
 * The client-go pieces every controller is built from, condensed: shared informers (list + watch into a local cache),
 * work queues keyed by namespace/name with de-duplication, and retries (at once on Conflict, then with back-off on
 * the cluster Clock). Reconcilers are synchronous (the Registry is), so a queue is "drained" when every key has run.
 */
import type { Clock, TimerId } from '../clock/clock.ts';
import { isStatusError } from '../api/errors.ts';
import type { ResourceInfo } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import type { Registry } from '../registry/registry.ts';
import type { Watch } from '../store/store.ts';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type Handler = (type: EventType, obj: KubeObject, old?: KubeObject) => void;

export function keyOf(o: { metadata?: { namespace?: string; name?: string } }): string {
  const ns = o.metadata?.namespace;
  return ns ? `${ns}/${o.metadata?.name ?? ''}` : (o.metadata?.name ?? '');
}

export function splitKey(key: string): [string | undefined, string] {
  const i = key.indexOf('/');
  return i < 0 ? [undefined, key] : [key.slice(0, i), key.slice(i + 1)];
}

const rvOf = (o: KubeObject) => Number(o.metadata.resourceVersion ?? 0);

/** One resource's cache. Controllers' own writes go in at once (`apply`), so a reconcile never reads older state. */
export class Informer {
  private readonly cache = new Map<string, KubeObject>();
  private readonly tombstones = new Map<string, number>();
  private readonly handlers: Handler[] = [];
  private watch: Watch | undefined;

  constructor(
    private readonly reg: Registry,
    readonly resource: ResourceInfo,
  ) {}

  start(): void {
    if (this.watch) return;
    const listed = this.reg.list(this.resource);
    for (const o of listed.items) this.cache.set(keyOf(o), o);
    this.watch = this.reg.watch(this.resource, { resourceVersion: listed.resourceVersion }, (ev) => {
      if (ev.type === 'BOOKMARK') return;
      if (ev.type === 'DELETED') this.remove(ev.object);
      else this.apply(ev.object);
    });
  }

  stop(): void {
    this.watch?.stop();
    this.watch = undefined;
  }

  /** Registers a handler and replays the current contents to it as ADDED. */
  on(handler: Handler): void {
    this.handlers.push(handler);
    for (const o of this.cache.values()) handler('ADDED', o);
  }

  /** Takes a newer version of an object (from the watch, or from a write this process just made). */
  apply(obj: KubeObject): void {
    const key = keyOf(obj);
    const old = this.cache.get(key);
    if (old && old.metadata.uid === obj.metadata.uid && rvOf(old) >= rvOf(obj)) return;
    const dead = this.tombstones.get(`${key}@${obj.metadata.uid}`);
    if (dead !== undefined && dead >= rvOf(obj)) return;
    this.cache.set(key, obj);
    if (old && old.metadata.uid !== obj.metadata.uid) this.emit('DELETED', old);
    this.emit(old && old.metadata.uid === obj.metadata.uid ? 'MODIFIED' : 'ADDED', obj, old?.metadata.uid === obj.metadata.uid ? old : undefined);
  }

  remove(obj: KubeObject): void {
    const key = keyOf(obj);
    this.tombstones.set(`${key}@${obj.metadata.uid}`, rvOf(obj));
    if (this.tombstones.size > 5000) this.tombstones.delete(this.tombstones.keys().next().value!);
    const old = this.cache.get(key);
    if (!old || old.metadata.uid !== obj.metadata.uid) return;
    this.cache.delete(key);
    this.emit('DELETED', obj);
  }

  get(ns: string | undefined, name: string): KubeObject | undefined {
    return this.cache.get(ns && this.resource.namespaced ? `${ns}/${name}` : name);
  }

  list(ns?: string): KubeObject[] {
    const all = [...this.cache.values()];
    return ns === undefined ? all : all.filter((o) => o.metadata.namespace === ns);
  }

  private emit(type: EventType, obj: KubeObject, old?: KubeObject): void {
    for (const h of this.handlers) h(type, obj, old);
  }
}

export class Informers {
  private readonly byResource = new Map<ResourceInfo, Informer>();
  constructor(private readonly reg: Registry) {}

  for(r: ResourceInfo): Informer {
    let inf = this.byResource.get(r);
    if (!inf) {
      inf = new Informer(this.reg, r);
      this.byResource.set(r, inf);
      inf.start();
    }
    return inf;
  }

  stop(): void {
    for (const i of this.byResource.values()) i.stop();
  }
}

export interface QueueOptions {
  onError?: (controller: string, key: string, err: unknown) => void;
}

/** A rate-limited work queue: de-duplicated keys, immediate retry on Conflict, exponential back-off otherwise. */
export class WorkQueue {
  private readonly pending = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, TimerId>();
  private scheduled = false;
  private stopped = false;

  constructor(
    readonly name: string,
    private readonly clock: Clock,
    private readonly reconcile: (key: string) => void,
    private readonly opts: QueueOptions = {},
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.pending.add(key);
    this.schedule();
  }

  /** Adds the key once `ms` of cluster time have passed (a shorter wait replaces a longer one). */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    const existing = this.delayed.get(key);
    if (existing !== undefined) this.clock.clearTimeout(existing);
    const id = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, id);
  }

  get busy(): boolean {
    return this.scheduled || this.pending.size > 0;
  }

  stop(): void {
    this.stopped = true;
    for (const id of this.delayed.values()) this.clock.clearTimeout(id);
    this.delayed.clear();
    this.pending.clear();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // A macrotask, so watch events (microtasks) caused by one round are all in before the next.
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    const keys = [...this.pending];
    this.pending.clear();
    for (const key of keys) {
      if (this.stopped) return;
      try {
        this.reconcile(key);
        this.failures.delete(key);
      } catch (e) {
        const n = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, n);
        if (isStatusError(e, 'Conflict') && n <= 5) this.add(key);
        else if (isStatusError(e, 'NotFound') && n <= 5) this.add(key);
        else {
          this.opts.onError?.(this.name, key, e);
          // workqueue.DefaultControllerRateLimiter: 5ms doubling, capped (here at 5 minutes).
          this.addAfter(key, Math.min(5 * 2 ** Math.min(n, 20), 300_000));
        }
      }
    }
  }
}

export interface Runtime {
  reg: Registry;
  clock: Clock;
  informers: Informers;
  queue(name: string, reconcile: (key: string) => void): WorkQueue;
}

/** Clones, changes, writes (with the read resourceVersion, so a stale read fails with Conflict) and caches the result. */
export function mutate(rt: Runtime, r: ResourceInfo, obj: KubeObject, change: (o: KubeObject) => void, status = false): KubeObject {
  const next = structuredClone(obj) as KubeObject;
  change(next);
  const saved = rt.reg.update(r, next, status ? { subresource: 'status' } : {});
  rt.informers.for(r).apply(saved);
  return saved;
}

export function createObject(rt: Runtime, r: ResourceInfo, ns: string | undefined, obj: KubeObject): KubeObject {
  const saved = rt.reg.create(r, ns, obj);
  rt.informers.for(r).apply(saved);
  return saved;
}

/** Deletes and records the outcome in the cache (a graceful delete leaves the object, with a deletionTimestamp). */
export function deleteObject(rt: Runtime, r: ResourceInfo, obj: KubeObject, opts: Parameters<Registry['delete']>[3] = {}): void {
  try {
    const res = rt.reg.delete(r, obj.metadata.namespace, obj.metadata.name!, { preconditions: { uid: obj.metadata.uid }, ...opts });
    const still = rt.reg.tryGet(r, obj.metadata.namespace, obj.metadata.name!);
    if (still && still.metadata.uid === obj.metadata.uid) rt.informers.for(r).apply(still);
    else rt.informers.for(r).remove(res);
  } catch (e) {
    if (!isStatusError(e, 'NotFound')) throw e;
  }
}
