/**
 * JSON for lists and Tables without re-serializing unchanged objects. Stored objects are deep-frozen and replaced
 * on every write, so the JSON of a frozen object (or of its frozen metadata, for a Table row's
 * PartialObjectMetadata) can be kept beside it in a WeakMap and reused by every later list; it goes when the object
 * does. The output is byte-for-byte what JSON.stringify of the whole list or Table gives, as UTF-8 bytes written
 * once from the pieces (no joined string to encode again).
 */
import { apiVersionOf, type ResourceInfo } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { tableFor, tableRow, type IncludeObject, type TableRow } from '../printers/table/table.ts';
import { jsonArrayBytes } from './json-bytes.ts';

const itemJson = new WeakMap<object, string>();
const wholeJson = new WeakMap<object, string>();
const tableObjectJson = new WeakMap<object, string>();
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

/** JSON.stringify(o), made once per stored object (every watcher of its kind sends it). */
export function objectJson(o: KubeObject): string {
  return cached(wholeJson, o, () => JSON.stringify(o));
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
export function listJson(head: Record<string, unknown>, items: KubeObject[]): Buffer {
  const parts: string[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) parts[i] = listItemJson(items[i]);
  const h = JSON.stringify(head);
  return jsonArrayBytes(`${h.slice(0, -1)}${h.length > 2 ? ',' : ''}"items":[`, parts, ']}');
}

function rowObjectJson(r: ResourceInfo, o: KubeObject, include: Exclude<IncludeObject, 'None'>): string {
  if (include === 'Object') return cached(tableObjectJson, o, () => JSON.stringify({ ...o, apiVersion: o.apiVersion || apiVersionOf(r), kind: o.kind || r.kind }));
  return cached(metadataJson, o.metadata, () => `{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":${JSON.stringify(o.metadata)}}`);
}

/** Joined rather than concatenated: one flat string, written out without first flattening a tree of pieces. */
function rowJson(row: TableRow, object: string | undefined): string {
  const pieces = ['{"cells":', JSON.stringify(row.cells)];
  if (row.conditions) pieces.push(',"conditions":', JSON.stringify(row.conditions));
  if (object !== undefined) pieces.push(',"object":', object);
  pieces.push('}');
  return pieces.join('');
}

/**
 * A row's cells depend on the object and on `now` only through the ages it prints, so a frozen object's row JSON (per
 * includeObject) is reused until the first of its ages would print differently: for a pod 17 minutes old, up to a
 * minute of cluster time; for one a day old, up to an hour.
 */
interface CachedRow {
  from: number;
  until: number;
  include: IncludeObject;
  json: string;
}
const rowCache = new WeakMap<object, CachedRow>();

function rowsJson(r: ResourceInfo, objects: KubeObject[], now: number, include: IncludeObject): string[] {
  const parts: string[] = new Array(objects.length);
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i];
    const frozen = Object.isFrozen(o);
    const hit = frozen ? rowCache.get(o) : undefined;
    if (hit && hit.include === include && hit.from <= now && now < hit.until) {
      parts[i] = hit.json;
      continue;
    }
    const window = { until: Infinity };
    const row = tableRow(r, o, now, 'None', window);
    const json = rowJson(row, include === 'None' ? undefined : rowObjectJson(r, o, include));
    parts[i] = json;
    if (!frozen) continue;
    if (hit) {
      // Reused in place: one entry per object for its whole life.
      hit.from = now;
      hit.until = window.until;
      hit.include = include;
      hit.json = json;
    } else rowCache.set(o, { from: now, until: window.until, include, json });
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
export function tableJson(r: ResourceInfo, objects: KubeObject[], opts: TableJsonOptions): Buffer {
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
  return jsonArrayBytes(`${h.slice(0, -1)},"rows":[`, parts, ']}');
}
