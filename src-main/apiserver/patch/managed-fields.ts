/**
 * metadata.managedFields bookkeeping (structured-merge-diff FieldsV1 sets): who set which fields, with operation
 * Apply or Update. Simplified from upstream: an Update takes ownership of the fields it changed away from other
 * Update managers; an Apply owns exactly the fields of its applied configuration.
 */
import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../../api/types.ts';
import { isoTime } from '../../clock/clock.ts';

type Fields = Record<string, unknown>;
type Obj = Record<string, unknown>;

const LIST_KEYS: Record<string, string[]> = {
  containers: ['name'], initContainers: ['name'], env: ['name'], volumes: ['name'], volumeMounts: ['mountPath'],
  ports: ['containerPort', 'port', 'protocol'], conditions: ['type'], ownerReferences: ['uid'], imagePullSecrets: ['name'],
};
const SKIP_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink']);

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function itemKey(field: string, item: unknown): string | undefined {
  const keys = LIST_KEYS[field];
  if (!keys || !isObj(item)) return undefined;
  const picked: Obj = {};
  for (const k of keys) if (item[k] !== undefined) picked[k] = item[k];
  return Object.keys(picked).length ? `k:${JSON.stringify(picked)}` : undefined;
}

function fieldsOf(value: unknown, field = ''): Fields {
  if (isObj(value)) {
    const out: Fields = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[`f:${k}`] = isObj(v) || Array.isArray(v) ? { '.': {}, ...fieldsOf(v, k) } : {};
      if (isObj(v) && Object.keys(v).length === 0) out[`f:${k}`] = {};
    }
    return out;
  }
  if (Array.isArray(value)) {
    const out: Fields = {};
    for (const item of value) {
      const k = itemKey(field, item);
      if (k) out[k] = { '.': {}, ...fieldsOf(item) };
      else if (!isObj(item)) out[`v:${JSON.stringify(item)}`] = {};
    }
    return Object.keys(out).length === Object.keys(value).length ? out : {};
  }
  return {};
}

/** The FieldsV1 set of an object's user-settable content (metadata labels/annotations/..., spec, data; not status). */
export function fieldSetOf(obj: Obj, includeStatus = false): Fields {
  return fieldsOf(contentOf(obj, includeStatus));
}

/** The FieldsV1 set of what `after` adds or changes relative to `before` (leaf values compared). */
function changedFields(before: unknown, after: unknown, field = ''): Fields {
  if (isObj(after)) {
    const prev = isObj(before) ? before : {};
    const out: Fields = {};
    for (const [k, v] of Object.entries(after)) {
      if (v === undefined) continue;
      if (!(k in prev)) {
        out[`f:${k}`] = isObj(v) || Array.isArray(v) ? { '.': {}, ...fieldsOf(v, k) } : {};
        if (isObj(v) && Object.keys(v).length === 0) out[`f:${k}`] = {};
        continue;
      }
      if (JSON.stringify(prev[k]) === JSON.stringify(v)) continue;
      const sub = isObj(v) || Array.isArray(v) ? changedFields(prev[k], v, k) : {};
      out[`f:${k}`] = sub;
    }
    return out;
  }
  if (Array.isArray(after)) {
    const prev = Array.isArray(before) ? before : [];
    const out: Fields = {};
    for (const item of after) {
      const key = itemKey(field, item);
      if (!key) return {};
      const match = prev.find((p) => itemKey(field, p) === key);
      if (match === undefined) out[key] = { '.': {}, ...fieldsOf(item) };
      else if (JSON.stringify(match) !== JSON.stringify(item)) out[key] = changedFields(match, item);
    }
    return out;
  }
  return {};
}

function contentOf(obj: Obj, includeStatus: boolean): Obj {
  const content: Obj = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind' || (k === 'status' && !includeStatus)) continue;
    if (k === 'metadata' && isObj(v)) {
      const meta = Object.fromEntries(Object.entries(v).filter(([mk]) => !SKIP_META.has(mk)));
      if (Object.keys(meta).length) content.metadata = meta;
      continue;
    }
    content[k] = v;
  }
  return content;
}

function removeFields(from: Fields, drop: Fields): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(from)) {
    if (!(k in drop)) out[k] = v;
    else if (isObj(v) && Object.keys(drop[k] as Fields).length) {
      const rest = removeFields(v as Fields, drop[k] as Fields);
      if (Object.keys(rest).some((x) => x !== '.')) out[k] = rest;
    }
  }
  return out;
}

function mergeFields(a: Fields, b: Fields): Fields {
  const out: Fields = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in out && isObj(out[k]) ? mergeFields(out[k] as Fields, v as Fields) : v;
  return out;
}

export interface ManagerWrite {
  manager: string;
  operation: 'Apply' | 'Update';
  subresource?: string;
  now: number;
  /** For Apply: the applied configuration; for Update: ignored. */
  applied?: Obj;
}

/** Returns next's managedFields after `w` wrote `next` over `old` (old undefined on create). */
export function updateManagedFields(old: KubeObject | undefined, next: KubeObject, w: ManagerWrite): ManagedFieldsEntry[] | undefined {
  const entries = structuredClone((old?.metadata.managedFields ?? []) as ManagedFieldsEntry[]);
  const statusWrite = w.subresource === 'status';
  const changed =
    w.operation === 'Apply' && w.applied
      ? fieldSetOf(w.applied, statusWrite)
      : changedFields(old ? contentOf(old as Obj, statusWrite) : {}, contentOf(next as Obj, statusWrite));
  if (statusWrite && isObj(changed)) for (const k of Object.keys(changed)) if (k !== 'f:status') delete changed[k];
  const time = isoTime(w.now);
  const result: ManagedFieldsEntry[] = [];
  let mine: ManagedFieldsEntry | undefined;
  for (const e of entries) {
    if (e.manager === w.manager && e.operation === w.operation && (e.subresource ?? '') === (w.subresource ?? '')) {
      mine = e;
      continue;
    }
    const rest = e.operation === 'Update' ? removeFields((e.fieldsV1 ?? {}) as Fields, changed) : ((e.fieldsV1 ?? {}) as Fields);
    if (Object.keys(rest).length) result.push({ ...e, fieldsV1: rest });
  }
  if (Object.keys(changed).length || mine) {
    const fields = w.operation === 'Apply' ? changed : mergeFields((mine?.fieldsV1 ?? {}) as Fields, changed);
    const entry: ManagedFieldsEntry = { manager: w.manager, operation: w.operation, apiVersion: next.apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: fields };
    if (w.subresource) (entry as { subresource?: string }).subresource = w.subresource;
    if (Object.keys(fields).length) result.push(entry);
  }
  return result.length ? result : undefined;
}
