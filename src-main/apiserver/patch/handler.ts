/**
 * The PATCH verb, in kube-apiserver's order (endpoints/handlers/patch.go, 1.32): go-restful's 415 for a content
 * type no patcher takes, the body (413), options (422), the live object (404 unless applying), then the patch
 * decoded and applied by its type, the result decoded into the kind (422 for type errors and, with
 * fieldValidation=Strict, unknown fields), and only then the write. Nothing is written behind an error.
 */
import fjp, { type Operation } from 'fast-json-patch';
import { errors, isStatusError } from '../../api/errors.ts';
import { GoValue } from '../../api/field-errors.ts';
import { goQuote } from '../../api/go-quote.ts';
import type { KubeObject } from '../../api/types.ts';
import { checkFields, pruneUnknownFields, unknownFields } from '../body.ts';
import { managerOf, type ResourceRequest } from '../context.ts';
import { allTypeMismatches, firstTypeMismatch, jsonTypeError, smdTypeError, unstructuredTypeError } from '../decode/go-types.ts';
import { readBody } from '../http.ts';
import { contentTypeOf } from '../negotiate.ts';
import { schemaNameOf, schemas } from '../openapi/openapi.ts';
import { writeOptionsOf } from '../options.ts';
import { writeObject } from '../output.ts';
import { APPLY_PATCH, JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH, decodeApplyPatch, decodeJsonPatch, decodeMergePatch, decodeStrategicPatch } from './decode.ts';
import { updateManagedFields } from './managed-fields.ts';
import { mergePatch, PATCH_TYPES, serverSideApply, strategicPatch, unsupportedPatchType } from './patch.ts';

type Obj = Record<string, unknown>;

/** Go's `%+v` of an unstructured value (map keys sorted), as the strategic patcher prints the patch it failed on. */
export function goPlusV(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goPlusV).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Obj;
    return `map[${Object.keys(o).sort().map((k) => `${k}:${goPlusV(o[k])}`).join(' ')}]`;
  }
  return String(v);
}

/** Go's json.Marshal of a map: keys sorted at every level. */
function sortedJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  const o = v as Obj;
  return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${sortedJson(o[k])}`).join(',')}}`;
}

/** NewInvalid(GroupKind{}, "", patch: Invalid value: <what>: <detail>). */
function invalidPatch(shown: string, detail: string): Error {
  return errors.invalid('', '', '', [{ type: 'FieldValueInvalid', field: 'patch', badValue: new GoValue(goQuote(shown)), detail }]);
}

/** JSON and merge patches: the result decoded into the kind (DecodeInto); returns the strict-mode complaints. */
function decodePatched(rr: ResourceRequest, next: Obj, style: 'json' | 'unstructured', shown: () => string): string[] {
  const def = schemaNameOf(rr.r.group, rr.r.version, rr.r.kind);
  const mismatch = firstTypeMismatch(def, next, schemas());
  if (mismatch) throw invalidPatch(shown(), style === 'json' ? jsonTypeError(mismatch) : unstructuredTypeError(mismatch));
  return unknownFields(rr.r, next).map((f) => `unknown field ${goQuote(f)}`);
}

export function applyJsonPatch(base: Obj, ops: Obj[]): Obj {
  try {
    return fjp.applyPatch(structuredClone(base), ops as unknown as Operation[], true, false).newDocument as Obj;
  } catch (e) {
    if (e instanceof RangeError) throw e;
    // Every failure of patchObj.Apply is NewGenericServerResponse(422, ...): its own message is not kept.
    throw errors.unprocessable();
  }
}

/** Server-side apply's checks before merging (structuredMergeManager.Apply); kube answers 500 for typed errors. */
function checkApplied(rr: ResourceRequest, applied: Obj): void {
  const want = rr.r.group ? `${rr.r.group}/${rr.r.version}` : rr.r.version;
  const gv = typeof applied.apiVersion === 'string' ? applied.apiVersion : '';
  if (gv !== want) throw errors.badRequest(`Incorrect version specified in apply patch. Specified patch version: ${gv}, expected: ${want}`);
  const meta = (applied.metadata ?? {}) as { managedFields?: unknown; name?: unknown; namespace?: unknown };
  if (meta.managedFields !== undefined && meta.managedFields !== null) throw errors.badRequest('metadata.managedFields must be nil');
  const kind = typeof applied.kind === 'string' ? applied.kind : '';
  const gvk = `${rr.r.group}/${rr.r.version}, Kind=${kind}`;
  const where = `${typeof meta.namespace === 'string' ? meta.namespace : ''}/${typeof meta.name === 'string' ? meta.name : ''}; ${gvk}`;
  // The status is kube's 500 made a 400: the answer is still an error with its words, but not a server fault.
  if (kind !== rr.r.kind) throw errors.badRequest(`failed to create typed patch object (${where}): no corresponding type for ${gvk}`);
  const found = allTypeMismatches(schemaNameOf(rr.r.group, rr.r.version, rr.r.kind), applied, schemas());
  if (found.length) {
    const list = found.map(smdTypeError);
    throw errors.badRequest(`failed to create typed patch object (${where}): ${list.length === 1 ? list[0] : ['errors:', ...list.map((l) => `  ${l}`)].join('\n')}`);
  }
}

export async function patchObject(rr: ResourceRequest, subresource?: 'status'): Promise<void> {
  const type = contentTypeOf(rr.req.headers['content-type']);
  if (!PATCH_TYPES.includes(type)) throw unsupportedPatchType();
  const text = (await readBody(rr.req)).toString('utf8');
  const isApply = type === APPLY_PATCH;
  const { dryRun, fieldValidation: mode } = writeOptionsOf(rr, 'PatchOptions', isApply);
  const manager = managerOf(rr);
  let current: KubeObject | undefined;
  try {
    current = rr.ctx.registry.get(rr.r, rr.namespace, rr.name!);
  } catch (e) {
    if (!(isApply && isStatusError(e, 'NotFound'))) throw e;
  }
  if (!current) {
    const applied = await decodeApplyPatch(text);
    checkApplied(rr, applied);
    rr.warnings.push(...checkFields(rr.r, applied, mode));
    const obj = applied as unknown as KubeObject;
    checkName(rr, obj);
    obj.metadata = { ...(obj.metadata ?? {}), name: rr.name };
    obj.metadata.managedFields = updateManagedFields(undefined, obj, { manager, operation: 'Apply', now: rr.ctx.clock.now(), applied });
    return writeObject(rr, 201, rr.ctx.registry.create(rr.r, rr.namespace, obj, { dryRun, fieldManager: manager }));
  }
  const base = structuredClone(current) as unknown as Obj;
  let next: Obj;
  let applied: Obj | undefined;
  let strict: string[] = [];
  if (type === JSON_PATCH) {
    const decoded = decodeJsonPatch(text, mode);
    next = applyJsonPatch(base, decoded.ops);
    strict = [...decoded.strict, ...decodePatched(rr, next, 'json', () => sortedJson(next))];
  } else if (type === MERGE_PATCH) {
    next = mergePatch(base, decodeMergePatch(text, mode)) as Obj;
    strict = decodePatched(rr, next, 'json', () => sortedJson(next));
  } else if (type === STRATEGIC_PATCH) {
    const patch = decodeStrategicPatch(text);
    next = strategicPatch(rr.r, base, patch) as Obj;
    strict = decodePatched(rr, next, 'unstructured', () => goPlusV(patch));
  } else {
    applied = await decodeApplyPatch(text);
    checkApplied(rr, applied);
    rr.warnings.push(...checkFields(rr.r, applied, mode));
    next = serverSideApply(rr.r, base, applied, manager);
  }
  if (strict.length && mode === 'Strict') {
    throw invalidPatch(type === STRATEGIC_PATCH ? goPlusV(JSON.parse(text)) : sortedJson(next), `strict decoding error: ${strict.join(', ')}`);
  }
  if (mode === 'Warn') rr.warnings.push(...strict);
  pruneUnknownFields(rr.r, next);
  const obj = next as unknown as KubeObject;
  obj.metadata ??= {};
  if (obj.metadata.name !== current.metadata.name || (rr.r.namespaced && obj.metadata.namespace !== current.metadata.namespace)) {
    throw errors.badRequest('metadata.name: Invalid value: the name of the object does not match the name on the URL');
  }
  obj.metadata.resourceVersion ??= current.metadata.resourceVersion;
  if (obj.metadata.resourceVersion !== current.metadata.resourceVersion) throw errors.conflict(rr.r, rr.name!);
  if (current.metadata.generation !== undefined) obj.metadata.generation = current.metadata.generation;
  obj.metadata.managedFields = updateManagedFields(current, obj, {
    manager,
    operation: isApply ? 'Apply' : 'Update',
    subresource,
    now: rr.ctx.clock.now(),
    applied,
    force: rr.query.get('force') === 'true',
  });
  const saved = rr.ctx.registry.update(rr.r, obj, { dryRun, fieldManager: manager, subresource });
  writeObject(rr, 200, saved);
}

/** patcher's checkName for an apply that creates: the configuration's name must be the URL's. */
function checkName(rr: ResourceRequest, obj: KubeObject): void {
  const name = obj.metadata?.name;
  if (name && name !== rr.name) throw errors.badRequest(`the name of the object (${name}) does not match the name on the URL (${rr.name})`);
  const ns = obj.metadata?.namespace;
  if (rr.r.namespaced && ns && rr.namespace && ns !== rr.namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

export { sortedJson };
