/**
 * PATCH bodies read as kube-apiserver's patchers read them (endpoints/handlers/patch.go, 1.32), each type with its
 * decoder's words: JSON patch (`error decoding patch: ...` from the strict pass, then evanphx/json-patch's
 * DecodePatch), merge patch, strategic merge patch (sigs.k8s.io/json, message as is), and apply
 * (`error decoding YAML: ...`). Nesting past 10,000 levels is refused before anything walks the body.
 */
import { errors } from '../../api/errors.ts';
import type { FieldValidation } from '../body.ts';
import { DecodeError, goJsonParse } from '../decode/json.ts';
import { goYamlParse } from '../decode/yaml.ts';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

/** handlers.maxJSONPatchOperations. */
const MAX_JSON_PATCH_OPERATIONS = 10_000;

const kindOf = (v: unknown) => (typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : Array.isArray(v) ? 'array' : 'object');
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function parse(text: string, prefix: string): unknown {
  try {
    return goJsonParse(text);
  } catch (e) {
    if (e instanceof DecodeError) throw errors.badRequest(`${prefix}${e.message}`);
    throw e;
  }
}

export interface JsonPatchOp {
  op: string;
  path?: string;
  from?: string;
  value?: unknown;
}

/** The operations of a JSON patch, plus the strict pass's unknown-field complaints (`json patch unknown field ...`). */
export function decodeJsonPatch(text: string, mode: FieldValidation): { ops: Record<string, unknown>[]; strict: string[] } {
  const strict: string[] = [];
  let ops: unknown;
  if (mode !== 'Ignore') {
    ops = parse(text, 'error decoding patch: ');
    if (!Array.isArray(ops) && ops !== null) throw errors.badRequest(`error decoding patch: json: cannot unmarshal ${kindOf(ops)} into Go value of type []handlers.jsonPatchOp`);
    for (const [i, op] of (ops ?? []).entries()) {
      if (op === null) continue;
      if (!isObj(op)) throw errors.badRequest(`error decoding patch: json: cannot unmarshal ${kindOf(op)} into Go value of type handlers.jsonPatchOp`);
      for (const f of ['op', 'path', 'from'] as const) {
        if (op[f] !== undefined && op[f] !== null && typeof op[f] !== 'string') {
          throw errors.badRequest(`error decoding patch: json: cannot unmarshal ${kindOf(op[f])} into Go struct field jsonPatchOp.${f} of type string`);
        }
      }
      for (const k of Object.keys(op)) if (!['op', 'path', 'from', 'value'].includes(k)) strict.push(`json patch unknown field "[${i}].${k}"`);
    }
  } else ops = parse(text, '');
  // jsonpatch.DecodePatch (evanphx/json-patch v4).
  if (!Array.isArray(ops)) {
    if (ops === null) return { ops: [], strict };
    throw errors.badRequest(`json: cannot unmarshal ${kindOf(ops)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of ops) if (op !== null && !isObj(op)) throw errors.badRequest(`json: cannot unmarshal ${kindOf(op)} into Go value of type jsonpatch.Operation`);
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw errors.requestEntityTooLarge(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
  }
  return { ops: ops.map((o) => (o ?? {}) as Record<string, unknown>), strict };
}

/** A JSON merge patch document (an object; `null` patches nothing). */
export function decodeMergePatch(text: string, mode: FieldValidation): Record<string, unknown> {
  if (mode === 'Ignore') {
    let v: unknown;
    try {
      v = goJsonParse(text);
    } catch (e) {
      if (e instanceof DecodeError) throw errors.badRequest('Invalid JSON Patch');
      throw e;
    }
    if (!isObj(v) && v !== null) throw errors.badRequest('Invalid JSON Patch');
    return (v ?? {}) as Record<string, unknown>;
  }
  const v = parse(text, 'error decoding patch: ');
  if (!isObj(v) && v !== null) throw errors.badRequest(`error decoding patch: json: cannot unmarshal ${kindOf(v)} into Go value of type map[string]interface {}`);
  return (v ?? {}) as Record<string, unknown>;
}

/** A strategic merge patch document (kjson.UnmarshalStrict into a map; the error as it comes). */
export function decodeStrategicPatch(text: string): Record<string, unknown> {
  const v = parse(text, '');
  if (!isObj(v) && v !== null) throw errors.badRequest(`json: cannot unmarshal ${kindOf(v)} into Go value of type map[string]interface {}`);
  return (v ?? {}) as Record<string, unknown>;
}

/** An apply configuration (sigs.k8s.io/yaml.Unmarshal into a map). */
export async function decodeApplyPatch(text: string): Promise<Record<string, unknown>> {
  let v: unknown;
  try {
    v = await goYamlParse(text);
  } catch (e) {
    if (e instanceof DecodeError) throw errors.badRequest(`error decoding YAML: error converting YAML to JSON: ${e.message}`);
    throw e;
  }
  if (!isObj(v) && v !== null) {
    throw errors.badRequest(`error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${kindOf(v)} into Go value of type map[string]interface {}`);
  }
  return (v ?? {}) as Record<string, unknown>;
}
