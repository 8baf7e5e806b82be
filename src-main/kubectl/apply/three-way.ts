/**
 * The client side of `kubectl apply`: apimachinery strategicpatch.CreateThreeWayMergePatch. Changes and additions
 * come from diffing current -> modified (deletions ignored), deletions from original (last-applied) -> modified
 * (changes ignored); the two patches are then merged. Lists with a merge strategy are diffed by merge key and get
 * `$setElementOrder/<field>`; removed items become `{"$patch":"delete", key: value}`; removed scalars of merge lists
 * go to `$deleteFromPrimitiveList/<field>`; `$retainKeys` for retainKeys structs.
 */

export interface PatchMeta {
  /** `merge`, `replace`, `retainKeys`, or e.g. `merge,retainKeys`. */
  strategy?: string;
  mergeKey?: string;
}

/** Schema navigation: the patch metadata of a field and the schema of its value (or of its items for lists). */
export interface PatchSchema {
  field(key: string): { meta: PatchMeta; schema: PatchSchema };
}

export const NO_SCHEMA: PatchSchema = { field: () => ({ meta: {}, schema: NO_SCHEMA }) };

type Obj = Record<string, unknown>;
interface DiffOptions {
  ignoreDeletions?: boolean;
  ignoreChangesAndAdditions?: boolean;
  buildRetainKeys?: boolean;
}

const isMap = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function goKind(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  return typeof v;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

function strategies(meta: PatchMeta): { merge: boolean; replace: boolean; retainKeys: boolean } {
  const parts = (meta.strategy ?? '').split(',');
  return { merge: parts.includes('merge'), replace: parts.includes('replace'), retainKeys: parts.includes('retainKeys') };
}

const keyString = (v: unknown) => (v === undefined || v === null ? '<nil>' : String(v));

function diffMaps(original: Obj, modified: Obj, schema: PatchSchema, opts: DiffOptions): Obj {
  const patch: Obj = {};
  const retain: string[] = [];
  for (const [key, mod] of Object.entries(modified)) {
    if (opts.buildRetainKeys && mod !== null && mod !== undefined) retain.push(key);
    if (!(key in original)) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = mod;
      continue;
    }
    const orig = original[key];
    if (goKind(orig) !== goKind(mod)) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = mod;
      continue;
    }
    if (isMap(orig) && isMap(mod)) {
      const { meta, schema: sub } = schema.field(key);
      const s = strategies(meta);
      if (s.replace) {
        if (!opts.ignoreChangesAndAdditions && !deepEqual(orig, mod)) patch[key] = mod;
      } else {
        const p = diffMaps(orig, mod, sub, { ...opts, buildRetainKeys: s.retainKeys });
        if (Object.keys(p).length > 0) patch[key] = p;
      }
      continue;
    }
    if (Array.isArray(orig) && Array.isArray(mod)) {
      const { meta, schema: sub } = schema.field(key);
      const s = strategies(meta);
      if (s.merge) {
        const { add, del, order } = diffLists(orig, mod, sub, meta.mergeKey ?? '', { ...opts, buildRetainKeys: s.retainKeys });
        if (add.length > 0) patch[key] = add;
        if (del.length > 0) patch[`$deleteFromPrimitiveList/${key}`] = del;
        if (order.length > 0) patch[`$setElementOrder/${key}`] = order;
      } else if (!opts.ignoreChangesAndAdditions && !deepEqual(orig, mod)) patch[key] = mod;
      continue;
    }
    if (!opts.ignoreChangesAndAdditions && !deepEqual(orig, mod)) patch[key] = mod;
  }
  if (!opts.ignoreDeletions) for (const key of Object.keys(original)) if (!(key in modified)) patch[key] = null;
  const hasNewField = Object.keys(original).some((k) => !(k in modified));
  if (retain.length > 0 && (Object.keys(patch).length > 0 || hasNewField)) patch.$retainKeys = retain.sort();
  return patch;
}

function diffLists(original: unknown[], modified: unknown[], schema: PatchSchema, mergeKey: string, opts: DiffOptions): { add: unknown[]; del: unknown[]; order: unknown[] } {
  if (original.length === 0) {
    if (modified.length === 0 || opts.ignoreChangesAndAdditions) return { add: [], del: [], order: [] };
    return { add: modified, del: [], order: [] };
  }
  const sample = original[0] ?? modified[0];
  if (isMap(sample)) {
    const sortByKey = (l: unknown[]) => [...(l as Obj[])].sort((a, b) => (keyString(a[mergeKey]) < keyString(b[mergeKey]) ? -1 : keyString(a[mergeKey]) > keyString(b[mergeKey]) ? 1 : 0));
    const os = sortByKey(original);
    const ms = sortByKey(modified);
    let patch: Obj[] = [];
    const deletions: Obj[] = [];
    let i = 0;
    let j = 0;
    while (i < os.length || j < ms.length) {
      const ok = i < os.length ? keyString(os[i][mergeKey]) : undefined;
      const mk = j < ms.length ? keyString(ms[j][mergeKey]) : undefined;
      if (ok !== undefined && mk !== undefined && ok === mk) {
        const p = diffMaps(os[i], ms[j], schema, opts);
        if (Object.keys(p).length > 0) patch.push({ ...p, [mergeKey]: ms[j][mergeKey] });
        i++;
        j++;
      } else if (ok === undefined || (mk !== undefined && ok > mk)) {
        if (!opts.ignoreChangesAndAdditions) patch.push(ms[j]);
        j++;
      } else {
        if (!opts.ignoreDeletions) deletions.push({ $patch: 'delete', [mergeKey]: os[i][mergeKey] });
        i++;
      }
    }
    // normalizeSliceOrder: the patch follows the order of the modified list.
    const index = (v: Obj) => (modified as Obj[]).findIndex((m) => keyString(m[mergeKey]) === keyString(v[mergeKey]));
    patch = [...patch].sort((a, b) => index(a) - index(b));
    const orderSame = sameOrder(original as Obj[], modified as Obj[], mergeKey);
    const all = [...patch, ...deletions];
    let order: unknown[] = [];
    if ((!opts.ignoreChangesAndAdditions && (all.length > 0 || !orderSame)) || (!opts.ignoreDeletions && all.length > 0)) {
      order = (modified as Obj[]).map((m) => ({ [mergeKey]: m[mergeKey] }));
    }
    return { add: all, del: [], order };
  }
  // Lists of scalars with a merge strategy (finalizers).
  const add = opts.ignoreChangesAndAdditions ? [] : modified.filter((m) => !original.some((o) => deepEqual(o, m)));
  const del = opts.ignoreDeletions ? [] : original.filter((o) => !modified.some((m) => deepEqual(o, m)));
  const order = (!opts.ignoreDeletions && del.length > 0) || (!opts.ignoreChangesAndAdditions && !deepEqual(original, modified)) ? modified : [];
  return { add, del, order };
}

function sameOrder(original: Obj[], modified: Obj[], mergeKey: string): boolean {
  if (original.length !== modified.length) return false;
  return original.every((o, i) => keyString(o[mergeKey]) === keyString(modified[i][mergeKey]));
}

/** mergeMap with MergeOptions{}: the delta patch laid over the deletions patch. */
function mergePatches(base: Obj, over: Obj, schema: PatchSchema): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) {
      out[k] = null;
      continue;
    }
    if (!(k in out)) {
      out[k] = v;
      continue;
    }
    const cur = out[k];
    if (isMap(cur) && isMap(v)) out[k] = mergePatches(cur, v, schema.field(k).schema);
    else if (Array.isArray(cur) && Array.isArray(v) && !k.startsWith('$')) {
      const { meta, schema: sub } = schema.field(k);
      if (strategies(meta).merge && meta.mergeKey && cur.every(isMap) && v.every(isMap)) {
        const merged = [...(cur as Obj[])];
        for (const item of v as Obj[]) {
          const at = merged.findIndex((m) => m.$patch === undefined && keyString(m[meta.mergeKey!]) === keyString(item[meta.mergeKey!]));
          if (at >= 0) merged[at] = mergePatches(merged[at], item, sub);
          else merged.push(item);
        }
        out[k] = merged;
      } else if (strategies(meta).merge) out[k] = [...cur, ...v.filter((x) => !cur.some((c) => deepEqual(c, x)))];
      else out[k] = v;
    } else out[k] = v;
  }
  return out;
}

export function threeWayMergePatch(original: Obj | undefined, modified: Obj, current: Obj, schema: PatchSchema): Obj {
  const delta = diffMaps(current, modified, schema, { ignoreDeletions: true });
  const deletions = diffMaps(original ?? {}, modified, schema, { ignoreChangesAndAdditions: true });
  return mergePatches(deletions, delta, schema);
}

/** Go's json.Marshal of a map: keys sorted, compact. */
export function goJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJSON).join(',')}]`;
  if (isMap(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${goJSON(v[k])}`).join(',')}}`;
  }
  if (v === undefined) return 'null';
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
