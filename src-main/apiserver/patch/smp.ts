/**
 * Strategic merge patch (apimachinery/pkg/util/strategicpatch), driven by the OpenAPI schemas' patch metadata:
 * lists with patchStrategy=merge merge by their merge key (or as sets for primitives), `null` deletes,
 * directives `$patch: replace|delete|merge`, `$setElementOrder/<field>`, `$deleteFromPrimitiveList/<field>`
 * and `$retainKeys`.
 */
import { errors } from '../../api/errors.ts';
import { resolveSchema, type Schema } from '../openapi/schema-types.ts';

type Obj = Record<string, unknown>;

export interface PatchSchema {
  all: Record<string, Schema>;
  root: Schema | undefined;
}

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

const resolve = resolveSchema;

interface FieldInfo {
  schema?: Schema; // the field's own schema (resolved)
  strategies: string[];
  mergeKey?: string;
}

function fieldInfo(parent: Schema | undefined, key: string, all: Record<string, Schema>): FieldInfo {
  const raw = parent?.properties?.[key] ?? (typeof parent?.additionalProperties === 'object' ? parent.additionalProperties : undefined);
  const strategy = (raw?.['x-kubernetes-patch-strategy'] as string | undefined) ?? '';
  return {
    schema: resolve(raw, all),
    strategies: strategy ? strategy.split(',') : [],
    mergeKey: raw?.['x-kubernetes-patch-merge-key'] as string | undefined,
  };
}

function itemSchema(info: FieldInfo, all: Record<string, Schema>): Schema | undefined {
  return resolve(info.schema?.items, all);
}

const DIRECTIVE = '$patch';
const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';
const RETAIN_KEYS = '$retainKeys';

export function strategicMergePatch(original: unknown, patch: unknown, schema: PatchSchema): unknown {
  if (!isObj(patch)) throw errors.badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
  return mergeMap(isObj(original) ? original : {}, patch, resolve(schema.root, schema.all), schema.all);
}

function mergeMap(original: Obj, patch: Obj, schema: Schema | undefined, all: Record<string, Schema>): Obj {
  const directive = patch[DIRECTIVE];
  if (directive === 'replace') {
    const { [DIRECTIVE]: _d, ...rest } = patch;
    void _d;
    return stripDirectives(rest) as Obj;
  }
  if (directive === 'delete') return {};
  if (directive !== undefined && directive !== 'merge') throw errors.badRequest(`Unknown patch type: ${String(directive)}`);
  let result: Obj = { ...original };
  const retain = patch[RETAIN_KEYS];
  if (Array.isArray(retain)) {
    const keep = new Set(retain.map(String));
    result = Object.fromEntries(Object.entries(result).filter(([k]) => keep.has(k)));
  }
  const orders: Array<[string, unknown[]]> = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === DIRECTIVE || key === RETAIN_KEYS) continue;
    if (key.startsWith(SET_ORDER)) {
      if (Array.isArray(value)) orders.push([key.slice(SET_ORDER.length), value]);
      continue;
    }
    if (key.startsWith(DELETE_PRIMITIVE)) {
      const field = key.slice(DELETE_PRIMITIVE.length);
      const cur = result[field];
      if (Array.isArray(cur) && Array.isArray(value)) {
        const drop = new Set(value.map((v) => JSON.stringify(v)));
        result[field] = cur.filter((v) => !drop.has(JSON.stringify(v)));
      }
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    const info = fieldInfo(schema, key, all);
    const cur = result[key];
    if (isObj(value)) {
      result[key] = isObj(cur) ? mergeMap(cur, value, info.schema, all) : mergeMap({}, value, info.schema, all);
    } else if (Array.isArray(value)) {
      result[key] = info.strategies.includes('merge') && Array.isArray(cur) ? mergeList(cur, value, info, all) : mergeList([], value, info, all);
    } else {
      result[key] = value;
    }
  }
  for (const [field, order] of orders) {
    const cur = result[field];
    if (Array.isArray(cur)) result[field] = applyOrder(cur, order, fieldInfo(schema, field, all).mergeKey);
  }
  return result;
}

function mergeList(original: unknown[], patch: unknown[], info: FieldInfo, all: Record<string, Schema>): unknown[] {
  const isMerge = info.strategies.includes('merge');
  // A `{"$patch": "replace"}` element replaces the whole list with the other patch elements.
  if (patch.some((p) => isObj(p) && p[DIRECTIVE] === 'replace' && Object.keys(p).length === 1)) {
    return stripDirectives(patch.filter((p) => !(isObj(p) && p[DIRECTIVE] === 'replace'))) as unknown[];
  }
  if (!isMerge) return stripDirectives(patch) as unknown[];
  const key = info.mergeKey;
  if (!key || !patch.every(isObj)) {
    // Primitive set merge: keep originals, add new values once.
    const out = [...original];
    const seen = new Set(out.map((v) => JSON.stringify(v)));
    for (const v of patch) if (!seen.has(JSON.stringify(v))) out.push(v);
    return out;
  }
  const items = itemSchema(info, all);
  const out = [...original];
  for (const p of patch as Obj[]) {
    const idx = out.findIndex((o) => isObj(o) && o[key] === p[key]);
    if (p[DIRECTIVE] === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (!(key in p)) throw errors.badRequest(`map: ${JSON.stringify(p)} does not contain declared merge key: ${key}`);
    if (idx >= 0) out[idx] = mergeMap(out[idx] as Obj, p, items, all);
    else out.push(mergeMap({}, p, items, all));
  }
  return out;
}

/** Orders by `$setElementOrder`: listed elements in that order, others after them in their current order. */
function applyOrder(list: unknown[], order: unknown[], key: string | undefined): unknown[] {
  const id = (v: unknown) => JSON.stringify(key && isObj(v) ? v[key] : v);
  const rank = new Map(order.map((o, i) => [id(o), i]));
  const listed = list.filter((v) => rank.has(id(v))).sort((a, b) => rank.get(id(a))! - rank.get(id(b))!);
  const rest = list.filter((v) => !rank.has(id(v)));
  return [...listed, ...rest];
}

function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === DIRECTIVE || k === RETAIN_KEYS || k.startsWith(SET_ORDER) || k.startsWith(DELETE_PRIMITIVE)) continue;
    if (x === null) continue;
    out[k] = stripDirectives(x);
  }
  return out;
}
