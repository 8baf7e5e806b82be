/**
 * JSON for lists and Tables without re-serializing unchanged objects. Stored objects are deep-frozen and replaced
 * on every write, so the JSON of a frozen object (or of its frozen metadata, for a Table row's
 * PartialObjectMetadata) can be kept beside it in a WeakMap and reused by every later list; it goes when the object
 * does. The output is byte-for-byte what JSON.stringify of the whole list or Table gives.
 */
import { apiVersionOf, type ResourceInfo } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { tableFor, type IncludeObject, type TableRow } from '../printers/table/table.ts';

const itemJson = new WeakMap<object, string>();
const objectJson = new WeakMap<object, string>();
const metadataJson = new WeakMap<object, string>();

function cached(cache: WeakMap<object, string>, key: object, make: () => string): string {
  if (!Object.isFrozen(key)) return make();
  let s = cache.get(key);
  if (s === undefined) {
    s = make();
    cache.set(key, s);
  }
  return s;
}

/** A list item: typed lists carry no apiVersion/kind per item. */
export function listItemJson(o: KubeObject): string {
  return cached(itemJson, o, () => {
    const { apiVersion: _a, kind: _k, ...rest } = o;
    void _a;
    void _k;
    return JSON.stringify(rest);
  });
}

/** `{...head, items: [...]}` with the items' cached JSON; `head` must not have an items key. */
export function listJson(head: Record<string, unknown>, items: KubeObject[]): string {
  const parts: string[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) parts[i] = listItemJson(items[i]);
  const h = JSON.stringify(head);
  return `${h.slice(0, -1)}${h.length > 2 ? ',' : ''}"items":[${parts.join(',')}]}`;
}

function rowObjectJson(r: ResourceInfo, o: KubeObject, include: Exclude<IncludeObject, 'None'>): string {
  if (include === 'Object') return cached(objectJson, o, () => JSON.stringify({ ...o, apiVersion: o.apiVersion || apiVersionOf(r), kind: o.kind || r.kind }));
  return `{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":${cached(metadataJson, o.metadata, () => JSON.stringify(o.metadata))}}`;
}

function rowJson(row: TableRow, object: string | undefined): string {
  let s = `{"cells":${JSON.stringify(row.cells)}`;
  if (row.conditions) s += `,"conditions":${JSON.stringify(row.conditions)}`;
  if (object !== undefined) s += `,"object":${object}`;
  return `${s}}`;
}

/**
 * A row's cells depend on the object and on `now` only through ages printed in whole seconds from whole-second
 * timestamps, so within one second of cluster time a frozen object's row JSON (per includeObject) is reused. Events and Leases carry
 * MicroTime stamps and are always printed afresh.
 */
const rowCache = new WeakMap<object, { second: number; include: IncludeObject; json: string }>();
const SUBSECOND_KINDS = new Set(['Event', 'Lease']);

function rowsJson(r: ResourceInfo, objects: KubeObject[], now: number, include: IncludeObject): string[] {
  const parts: string[] = new Array(objects.length);
  const cacheable = !SUBSECOND_KINDS.has(r.kind);
  const second = Math.floor(now / 1000);
  const missing: number[] = [];
  for (let i = 0; i < objects.length; i++) {
    const hit = cacheable && Object.isFrozen(objects[i]) ? rowCache.get(objects[i]) : undefined;
    if (hit && hit.second === second && hit.include === include) parts[i] = hit.json;
    else missing.push(i);
  }
  if (missing.length) {
    const fresh = tableFor(r, missing.map((i) => objects[i]), { now, includeObject: 'None' }).rows;
    for (let k = 0; k < missing.length; k++) {
      const i = missing[k];
      parts[i] = rowJson(fresh[k], include === 'None' ? undefined : rowObjectJson(r, objects[i], include));
      if (cacheable && Object.isFrozen(objects[i])) rowCache.set(objects[i], { second, include, json: parts[i] });
    }
  }
  return parts;
}

export interface TableJsonOptions {
  now: number;
  include: IncludeObject;
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
}

/** tableFor's Table (with the list's metadata and version) as JSON, row objects from the caches. */
export function tableJson(r: ResourceInfo, objects: KubeObject[], opts: TableJsonOptions): string {
  const t = tableFor(r, [], { now: opts.now, includeObject: 'None', resourceVersion: opts.metadata.resourceVersion });
  if (objects.length === 1) t.metadata.resourceVersion = opts.metadata.resourceVersion ?? objects[0].metadata.resourceVersion ?? '';
  const { rows: _rows, ...rest } = t;
  void _rows;
  const head: Record<string, unknown> = rest;
  head.apiVersion = opts.apiVersion;
  const m: Record<string, unknown> = { ...t.metadata };
  if (opts.metadata.continue) m.continue = opts.metadata.continue;
  if (opts.metadata.remainingItemCount !== undefined) m.remainingItemCount = opts.metadata.remainingItemCount;
  head.metadata = m;
  const parts = rowsJson(r, objects, opts.now, opts.include);
  const h = JSON.stringify(head);
  return `${h.slice(0, -1)},"rows":[${parts.join(',')}]}`;
}
