/**
 * The object store: what etcd + the apiserver's storage layer are to Kubernetes. One global resourceVersion,
 * optimistic concurrency, watches resumable from a resourceVersion while the history still holds it.
 * Returned objects are frozen and shared: clone before changing.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock/clock.ts';
import { isoTime } from '../clock/clock.ts';
import { errors } from '../api/errors.ts';
import type { ResourceInfo } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { deepFreeze } from './freeze.ts';
import { parseFieldSelector, parseLabelSelector, fieldEquality } from './selectors.ts';
import { jsonEqual } from './json-equal.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}
export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}
export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Resume after this version; unset or "0" starts with ADDED for every current object. */
  resourceVersion?: string;
}
export interface Watch {
  stop(): void;
}

/** A committed change, as persistence and watchers see it. */
export interface Change {
  rv: number;
  resource: ResourceInfo;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
  previous?: KubeObject;
}

interface Watcher {
  resource: ResourceInfo;
  filter: (o: KubeObject) => boolean;
  handler: (ev: WatchEvent) => void;
  queue: WatchEvent[];
  scheduled: boolean;
  stopped: boolean;
  /** Set when the field selector pins spec.nodeName: only changes of pods on that node can match. */
  nodeName?: string;
}

/** A resource's watchers, with those that pin a node indexed by it (50 kubelets each watch their own pods). */
interface WatcherSet {
  general: Set<Watcher>;
  byNode: Map<string, Set<Watcher>>;
}

/** Changes kept for resuming watches (kube-apiserver's watch cache is far smaller); trimmed in batches. */
const HISTORY = 10000;
/** Kinds whose registry strategy tracks metadata.generation (kube-apiserver 1.32). */
const GENERATION_KINDS = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'EndpointSlice']);

function keyOf(ns: string | undefined, name: string): string {
  return ns ? `${ns}/${name}` : name;
}

/** The index of the first of the sorted `keys` that is >= `k` (keys.length when none is). */
function firstAtLeast(keys: string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the first of the sorted `keys` that is > `k`. */
function firstAbove(keys: string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] <= k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class Store {
  private rv = 0;
  private readonly objects = new Map<ResourceInfo, Map<string, KubeObject>>();
  /** Each kind's keys sorted, built on its first list (list order is key order, as etcd's). */
  private readonly keyOrder = new Map<ResourceInfo, string[]>();
  private readonly history: Change[] = [];
  private readonly watchers = new Map<ResourceInfo, WatcherSet>();
  private readonly commitHooks = new Set<(c: Change) => void>();

  constructor(private readonly clock: Clock) {}

  get resourceVersion(): string {
    return String(this.rv);
  }

  private table(r: ResourceInfo): Map<string, KubeObject> {
    let t = this.objects.get(r);
    if (!t) this.objects.set(r, (t = new Map()));
    return t;
  }

  tryGet(r: ResourceInfo, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.table(r).get(keyOf(r.namespaced ? namespace : undefined, name));
  }

  get(r: ResourceInfo, namespace: string | undefined, name: string): KubeObject {
    const o = this.tryGet(r, namespace, name);
    if (!o) throw errors.notFound(r, name);
    return o;
  }

  list(r: ResourceInfo, opts: ListOptions = {}): ListResult {
    const labels = parseLabelSelector(opts.labelSelector);
    const fields = parseFieldSelector(opts.fieldSelector, r.kind);
    const t = this.table(r);
    const keys = this.sortedKeys(r);
    // Keys sort as `namespace/name`, so one namespace is one run of keys, and a continue token is a position.
    const prefix = opts.namespace && r.namespaced ? `${opts.namespace}/` : '';
    let i = prefix ? firstAtLeast(keys, prefix) : 0;
    if (opts.continue) {
      const after = Buffer.from(opts.continue, 'base64').toString('utf8');
      i = Math.max(i, firstAbove(keys, after));
    }
    // '0' follows '/': the namespace's run ends before the first key at or above `<namespace>0`.
    const end = prefix ? firstAtLeast(keys, `${opts.namespace}0`) : keys.length;
    const unfiltered = !opts.labelSelector?.trim() && !opts.fieldSelector?.trim();
    const items: KubeObject[] = [];
    let lastKey = '';
    let more = 0;
    for (; i < end; i++) {
      const k = keys[i];
      const o = t.get(k)!;
      if (prefix && o.metadata.namespace !== opts.namespace) continue;
      if (!labels(o.metadata.labels) || !fields(o)) continue;
      if (opts.limit && items.length >= opts.limit) {
        if (unfiltered) {
          // Every key left in the run is an item: count them without visiting each.
          more = end - i;
          break;
        }
        more++;
        continue;
      }
      items.push(o);
      lastKey = k;
    }
    const res: ListResult = { items, resourceVersion: this.resourceVersion };
    if (more > 0) {
      res.continue = Buffer.from(lastKey).toString('base64');
      res.remainingItemCount = more;
    }
    return res;
  }

  /** A kind's keys in order, kept up to date by every create, delete and restore (updates keep the key). */
  private sortedKeys(r: ResourceInfo): string[] {
    let keys = this.keyOrder.get(r);
    if (!keys) this.keyOrder.set(r, (keys = [...this.table(r).keys()].sort()));
    return keys;
  }

  /** Appends in place when the key sorts last; otherwise the order is rebuilt by the next list (bursts of creations
   * with random names would make in-place insertion quadratic). */
  private keyAdded(r: ResourceInfo, key: string): void {
    const keys = this.keyOrder.get(r);
    if (!keys) return;
    if (keys.length === 0 || keys[keys.length - 1]! < key) keys.push(key);
    else this.keyOrder.delete(r);
  }

  private keyRemoved(r: ResourceInfo, key: string): void {
    const keys = this.keyOrder.get(r);
    if (!keys) return;
    const i = firstAtLeast(keys, key);
    if (keys[i] === key) keys.splice(i, 1);
  }

  /** `owned`: the caller hands over a fresh, unshared object (the registry's own copy), so it need not be cloned. */
  create(r: ResourceInfo, input: KubeObject, owned = false): KubeObject {
    const meta = input.metadata ?? {};
    const ns = r.namespaced ? meta.namespace : undefined;
    const name = meta.name;
    if (!name) throw errors.invalid(r.group, r.kind, '', [{ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' }]);
    const t = this.table(r);
    if (t.has(keyOf(ns, name))) throw errors.alreadyExists(r, name);
    const obj = owned ? input : (structuredClone(input) as KubeObject);
    obj.apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    obj.kind = r.kind;
    obj.metadata = {
      ...obj.metadata,
      uid: meta.uid ?? randomUUID(),
      resourceVersion: String(++this.rv),
      creationTimestamp: meta.creationTimestamp ?? isoTime(this.clock.now()),
    };
    if (!r.namespaced) delete obj.metadata.namespace;
    if (GENERATION_KINDS.has(r.kind)) obj.metadata.generation = 1;
    deepFreeze(obj);
    t.set(keyOf(ns, name), obj);
    this.keyAdded(r, keyOf(ns, name));
    this.commit({ rv: this.rv, resource: r, type: 'ADDED', object: obj });
    return obj;
  }

  /**
   * Replaces an object. A resourceVersion in `input` must match (409 Conflict otherwise); without one the write is
   * unconditional. generation moves when anything but metadata/status changes.
   */
  update(r: ResourceInfo, input: KubeObject, owned = false): KubeObject {
    const ns = r.namespaced ? input.metadata?.namespace : undefined;
    const name = input.metadata?.name ?? '';
    const t = this.table(r);
    const old = t.get(keyOf(ns, name));
    if (!old) throw errors.notFound(r, name);
    const rv = input.metadata.resourceVersion;
    if (rv && rv !== old.metadata.resourceVersion) throw errors.conflict(r, name);
    const obj = owned ? input : (structuredClone(input) as KubeObject);
    obj.apiVersion = old.apiVersion;
    obj.kind = old.kind;
    obj.metadata = {
      ...obj.metadata,
      uid: old.metadata.uid,
      creationTimestamp: old.metadata.creationTimestamp,
      resourceVersion: String(this.rv + 1),
    };
    if (old.metadata.generation !== undefined) {
      obj.metadata.generation = specChanged(old, obj) ? old.metadata.generation + 1 : old.metadata.generation;
    }
    if (sameContent(old, obj)) return old;
    this.rv++;
    deepFreeze(obj);
    t.set(keyOf(ns, name), obj);
    this.commit({ rv: this.rv, resource: r, type: 'MODIFIED', object: obj, previous: old });
    return obj;
  }

  /** Removes at once; graceful deletion and finalizers are the registry's business. */
  delete(r: ResourceInfo, namespace: string | undefined, name: string, preconditions?: { uid?: string; resourceVersion?: string }): KubeObject {
    const t = this.table(r);
    const key = keyOf(r.namespaced ? namespace : undefined, name);
    const old = t.get(key);
    if (!old) throw errors.notFound(r, name);
    if (preconditions?.uid && preconditions.uid !== old.metadata.uid) {
      throw errors.conflict(r, name, `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${old.metadata.uid}`);
    }
    if (preconditions?.resourceVersion && preconditions.resourceVersion !== old.metadata.resourceVersion) {
      throw errors.conflict(r, name, `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`);
    }
    t.delete(key);
    this.keyRemoved(r, key);
    const gone = deepFreeze({ ...old, metadata: { ...old.metadata, resourceVersion: String(++this.rv) } }) as KubeObject;
    this.commit({ rv: this.rv, resource: r, type: 'DELETED', object: gone, previous: old });
    return gone;
  }

  watch(r: ResourceInfo, opts: WatchOptions, handler: (ev: WatchEvent) => void): Watch {
    const labels = parseLabelSelector(opts.labelSelector);
    const fields = parseFieldSelector(opts.fieldSelector, r.kind);
    const filter = (o: KubeObject) =>
      (!opts.namespace || !r.namespaced || o.metadata.namespace === opts.namespace) && labels(o.metadata.labels) && fields(o);
    const w: Watcher = { resource: r, filter, handler, queue: [], scheduled: false, stopped: false };
    if (r.kind === 'Pod') w.nodeName = fieldEquality(opts.fieldSelector, 'spec.nodeName');
    const from = opts.resourceVersion && opts.resourceVersion !== '0' ? Number(opts.resourceVersion) : undefined;
    if (from === undefined) {
      for (const o of this.list(r, { namespace: opts.namespace }).items) if (filter(o)) this.enqueue(w, { type: 'ADDED', object: o });
    } else {
      if (!Number.isFinite(from)) throw errors.badRequest(`invalid resource version: ${opts.resourceVersion}`);
      const oldest = this.history.length ? this.history[0].rv : this.rv + 1;
      if (from < oldest - 1 && from < this.rv) throw errors.gone(`too old resource version: ${from} (${oldest - 1})`);
      for (const c of this.history) if (c.rv > from && c.resource === r) this.deliver(w, c);
    }
    const set = this.watcherSet(r);
    let bucket = set.general;
    if (w.nodeName !== undefined) {
      bucket = set.byNode.get(w.nodeName) ?? new Set();
      set.byNode.set(w.nodeName, bucket);
    }
    bucket.add(w);
    return {
      stop: () => {
        w.stopped = true;
        bucket.delete(w);
      },
    };
  }

  /** Every committed change, synchronously, in order (persistence, metrics). */
  onCommit(hook: (c: Change) => void): () => void {
    this.commitHooks.add(hook);
    return () => this.commitHooks.delete(hook);
  }

  /** Loads objects as they were persisted, keeping their metadata; used once at start-up. */
  restore(r: ResourceInfo, obj: KubeObject): void {
    const rv = Number(obj.metadata.resourceVersion ?? 0);
    if (rv > this.rv) this.rv = rv;
    const key = keyOf(r.namespaced ? obj.metadata.namespace : undefined, obj.metadata.name!);
    const t = this.table(r);
    if (!t.has(key)) this.keyAdded(r, key);
    t.set(key, deepFreeze(obj));
  }

  /** Raises the global version (after a restore, to the persisted high-water mark). */
  bumpVersion(to: number): void {
    if (to > this.rv) this.rv = to;
  }

  all(): Array<[ResourceInfo, KubeObject[]]> {
    return [...this.objects.entries()].map(([r, t]) => [r, [...t.values()]]);
  }

  private commit(c: Change): void {
    this.history.push(c);
    if (this.history.length > HISTORY * 1.25) this.history.splice(0, this.history.length - HISTORY);
    for (const h of this.commitHooks) h(c);
    const set = this.watchers.get(c.resource);
    if (!set) return;
    for (const w of set.general) this.deliver(w, c);
    if (set.byNode.size === 0) return;
    const node = podNodeName(c.object);
    const before = c.previous ? podNodeName(c.previous) : node;
    const on = set.byNode.get(node);
    if (on) for (const w of on) this.deliver(w, c);
    if (before !== node) {
      const was = set.byNode.get(before);
      if (was) for (const w of was) this.deliver(w, c);
    }
  }

  private watcherSet(r: ResourceInfo): WatcherSet {
    let set = this.watchers.get(r);
    if (!set) this.watchers.set(r, (set = { general: new Set(), byNode: new Map() }));
    return set;
  }

  private deliver(w: Watcher, c: Change): void {
    const now = w.filter(c.object);
    const before = c.previous ? w.filter(c.previous) : false;
    if (c.type === 'ADDED' && now) this.enqueue(w, { type: 'ADDED', object: c.object });
    else if (c.type === 'DELETED' && (now || before)) this.enqueue(w, { type: 'DELETED', object: c.object });
    else if (c.type === 'MODIFIED') {
      if (now && before) this.enqueue(w, { type: 'MODIFIED', object: c.object });
      else if (now) this.enqueue(w, { type: 'ADDED', object: c.object });
      else if (before) this.enqueue(w, { type: 'DELETED', object: c.object });
    }
  }

  /** Delivered in order on a microtask, so a handler never runs inside the write that caused it. */
  private enqueue(w: Watcher, ev: WatchEvent): void {
    w.queue.push(ev);
    if (w.scheduled) return;
    w.scheduled = true;
    queueMicrotask(() => {
      w.scheduled = false;
      const batch = w.queue.splice(0);
      for (const e of batch) {
        if (w.stopped) continue;
        // One faulty watcher must not take the control plane (and the learner's session) down with it.
        try {
          w.handler(e);
        } catch (err) {
          console.error(`watch handler for ${w.resource.resource} failed:`, err);
        }
      }
    });
  }
}

/** Anything but metadata and status differs (what moves metadata.generation). */
function specChanged(a: KubeObject, b: KubeObject): boolean {
  return !jsonEqual(a, b, (k) => (k === 'metadata' || k === 'status' ? 'omit' : undefined));
}

/** Equal as JSON, resourceVersion aside (a write that changes nothing is not committed). */
function sameContent(a: KubeObject, b: KubeObject): boolean {
  return jsonEqual(a, b, (k) => (k === 'metadata' ? sameMetadata : undefined));
}

function sameMetadata(a: unknown, b: unknown): boolean {
  return jsonEqual(a, b, (k) => (k === 'resourceVersion' ? 'omit' : undefined));
}

/** fieldValue(pod, 'spec.nodeName') as selectors compute it. */
function podNodeName(o: KubeObject): string {
  const n = (o as { spec?: { nodeName?: unknown } }).spec?.nodeName;
  return n === undefined || n === null ? '' : String(n);
}
