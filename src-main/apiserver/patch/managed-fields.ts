/**
 * metadata.managedFields bookkeeping (structured-merge-diff merge/update.go): who set which fields, with operation
 * Apply or Update. A write takes the fields it adds or changes from every other manager (an Apply without force
 * fails with a Conflict instead), fields it removes leave every set, an Apply owns exactly its configuration.
 */
import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../../api/types.ts';
import { isoTime } from '../../clock/clock.ts';
import { applyConflictError, managerIdentity, type Conflict } from './conflicts.ts';
import { keepLastAppliedAsBefore, LAST_APPLIED } from './last-applied.ts';
import { changeAt, deepEqual, isGranularMember, memberPaths, pathId, subtractPaths, unionFields } from './field-set.ts';

type Fields = Record<string, unknown>;
type Obj = Record<string, unknown>;

const LIST_KEYS: Record<string, string[]> = {
  containers: ['name'], initContainers: ['name'], env: ['name'], volumes: ['name'], volumeMounts: ['mountPath'],
  ports: ['containerPort', 'port', 'protocol'], conditions: ['type'], ownerReferences: ['uid'], imagePullSecrets: ['name'],
};
/**
 * Non-pointer struct fields: present (empty) in the typed empty object an update is compared with, so adding them
 * adds only their content, never the field itself (no `.`). Maps, pointers and list items are added as nodes.
 */
const STRUCT_FIELDS = new Set(['metadata', 'spec', 'status', 'template', 'strategy', 'updateStrategy', 'jobTemplate']);
const SKIP_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink']);

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function itemKey(field: string, item: unknown): string | undefined {
  const keys = LIST_KEYS[field];
  if (!keys || !isObj(item)) return undefined;
  const picked: Obj = {};
  for (const k of keys) if (item[k] !== undefined) picked[k] = item[k];
  return Object.keys(picked).length ? `k:${JSON.stringify(picked)}` : undefined;
}

/**
 * The set of a value: with `nodes` (fields an Update added) maps and lists are members too (`.`); without (an
 * applied configuration, typed.ToFieldSet) only leaves and list items are.
 */
function fieldsOf(value: unknown, field = '', nodes = true): Fields {
  if (isObj(value)) {
    const out: Fields = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const sub = isObj(v) || Array.isArray(v) ? fieldsOf(v, k, nodes) : {};
      out[`f:${k}`] = nodes && isObj(v) && !STRUCT_FIELDS.has(k) && Object.keys(sub).length ? { '.': {}, ...sub } : sub;
    }
    return out;
  }
  if (Array.isArray(value)) {
    const out: Fields = {};
    for (const item of value) {
      const k = itemKey(field, item);
      if (k) out[k] = { '.': {}, ...fieldsOf(item, '', nodes) };
      else if (!isObj(item)) out[`v:${JSON.stringify(item)}`] = {};
    }
    return Object.keys(out).length === Object.keys(value).length ? out : {};
  }
  return {};
}

/** The FieldsV1 set of an object's user-settable content (metadata labels/annotations/..., spec, data; not status). */
export function fieldSetOf(obj: Obj, includeStatus = false, nodes = true): Fields {
  return fieldsOf(contentOf(obj, includeStatus), '', nodes);
}

/** The FieldsV1 set of what `after` adds or changes relative to `before` (leaf values compared). */
function changedFields(before: unknown, after: unknown, field = ''): Fields {
  if (isObj(after)) {
    const prev = isObj(before) ? before : {};
    const out: Fields = {};
    for (const [k, v] of Object.entries(after)) {
      if (v === undefined) continue;
      if (!(k in prev)) {
        if (isObj(v) && STRUCT_FIELDS.has(k)) {
          const sub = changedFields({}, v, k);
          if (Object.keys(sub).length) out[`f:${k}`] = sub;
        } else out[`f:${k}`] = fieldsOf({ [k]: v })[`f:${k}`];
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

export interface ManagerWrite {
  manager: string;
  operation: 'Apply' | 'Update';
  subresource?: string;
  now: number;
  /** For Apply: the applied configuration; for Update: ignored. */
  applied?: Obj;
  /** Apply with force=true: take the conflicting fields from their managers instead of failing. */
  force?: boolean;
}

/** Keys in the order the API serializes ManagedFieldsEntry. */
function entryOf(id: ManagedFieldsEntry, time: string | undefined, fields: Fields): ManagedFieldsEntry {
  const e: ManagedFieldsEntry = { manager: id.manager, operation: id.operation, apiVersion: id.apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: fields };
  if (id.subresource) e.subresource = id.subresource;
  return e;
}

function sameManager(e: ManagedFieldsEntry, id: ManagedFieldsEntry): boolean {
  return managerIdentity(e) === managerIdentity(id);
}

/** sortEncodedManagedFields: Apply before Update, then by time (seconds), manager, apiVersion, subresource. */
function sortEntries(entries: ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  const sec = (e: ManagedFieldsEntry) => (e.time ? Math.floor(Date.parse(e.time) / 1000) : 0);
  const cmp = (a = '', b = '') => (a < b ? -1 : a > b ? 1 : 0);
  return entries.sort((p, q) => cmp(p.operation, q.operation) || sec(p) - sec(q) || cmp(p.manager, q.manager) || cmp(p.apiVersion, q.apiVersion) || cmp(p.subresource, q.subresource));
}

/**
 * The other managers' sets after a write (merge/update.go `update`): fields the write added or modified are theirs
 * no more (or, for a non-forced Apply, are conflicts), fields it removed leave every set.
 */
function takeFromOthers(entries: ManagedFieldsEntry[], before: Obj, after: Obj, transfer: boolean, conflicts: Conflict[]): ManagedFieldsEntry[] {
  const out: ManagedFieldsEntry[] = [];
  for (const e of entries) {
    const fields = (e.fieldsV1 ?? {}) as Fields;
    const drop = new Set<string>();
    for (const path of memberPaths(fields)) {
      const granular = isGranularMember(fields, path) || path[path.length - 1].startsWith('k:');
      const change = changeAt(before, after, path, granular);
      if (change === 'removed') drop.add(pathId(path));
      else if (change) {
        if (transfer) drop.add(pathId(path));
        else conflicts.push({ manager: e, path });
      }
    }
    const rest = drop.size ? subtractPaths(fields, drop) : fields;
    if (Object.keys(rest).length) out.push(drop.size ? { ...e, fieldsV1: rest } : e);
  }
  return out;
}

/**
 * lastAppliedManager: `kubectl` moving from client-side to server-side apply may take, as if forced, the fields its
 * last-applied-configuration annotation names; the other conflicts remain.
 */
function conflictsNotUpgradable(old: KubeObject | undefined, manager: string, conflicts: Conflict[]): Conflict[] {
  const lastApplied = old?.metadata.annotations?.[LAST_APPLIED];
  if (manager !== 'kubectl' || !lastApplied) return conflicts;
  let allowed: Fields;
  try {
    allowed = fieldSetOf(JSON.parse(lastApplied) as Obj, false, false);
  } catch {
    return conflicts;
  }
  const members = new Set(memberPaths(allowed).map(pathId));
  return conflicts.filter((c) => !members.has(pathId(c.path)));
}

/**
 * Returns next's managedFields after `w` wrote `next` over `old` (old undefined on create); throws the 409 Conflict
 * Status for an Apply that changes fields other managers own, unless forced.
 */
export function updateManagedFields(old: KubeObject | undefined, next: KubeObject, w: ManagerWrite): ManagedFieldsEntry[] | undefined {
  const entries = structuredClone((old?.metadata.managedFields ?? []) as ManagedFieldsEntry[]);
  const statusWrite = w.subresource === 'status';
  // Every object has metadata, so adding its first label adds .metadata.labels, not .metadata.
  const before = { metadata: {}, ...(old ? contentOf(old as Obj, statusWrite) : {}) };
  const after = { metadata: {}, ...contentOf(next as Obj, statusWrite) };
  const id: ManagedFieldsEntry = { manager: w.manager, operation: w.operation, apiVersion: next.apiVersion };
  if (w.subresource) id.subresource = w.subresource;
  const time = isoTime(w.now);
  const conflicts: Conflict[] = [];
  let result: ManagedFieldsEntry[];
  let mine: ManagedFieldsEntry | undefined;

  if (w.operation === 'Apply') {
    keepLastAppliedAsBefore(before, after);
    // skipNonAppliedManager: an untracked object's fields first go to an Update by "before-first-apply".
    if (old && entries.length === 0) {
      const fields = changedFields({ metadata: {} }, before);
      if (Object.keys(fields).length) entries.push(entryOf({ manager: 'before-first-apply', operation: 'Update', apiVersion: next.apiVersion }, time, fields));
    }
    const previous = entries.find((e) => sameManager(e, id));
    const others = entries.filter((e) => e !== previous);
    result = takeFromOthers(others, before, after, w.force === true, conflicts);
    if (conflicts.length) {
      const remaining = conflictsNotUpgradable(old, w.manager, conflicts);
      if (remaining.length) throw applyConflictError(remaining);
      result = takeFromOthers(others, before, after, true, []);
    }
    const fields = fieldSetOf(w.applied ?? {}, statusWrite, false);
    if (statusWrite) for (const k of Object.keys(fields)) if (k !== 'f:status') delete fields[k];
    // A no-op apply keeps its entry's time (the updater returns no new object).
    const unchanged = previous !== undefined && deepEqual(before, after);
    if (Object.keys(fields).length) mine = entryOf(id, unchanged ? previous.time : time, fields);
  } else {
    const changed = changedFields(before, after);
    if (statusWrite) for (const k of Object.keys(changed)) if (k !== 'f:status') delete changed[k];
    result = takeFromOthers(entries, before, after, true, conflicts);
    const previous = result.find((e) => sameManager(e, id));
    result = result.filter((e) => e !== previous);
    if (Object.keys(changed).length) {
      const fields = previous ? unionFields(previous.fieldsV1 as Fields, changed) : changed;
      mine = entryOf(id, time, fields);
    } else mine = previous;
  }
  if (mine) result.push(mine);
  return result.length ? sortEntries(result) : undefined;
}
