/** The generic REST verbs for every kind: get, list, create, update, patch, delete, deletecollection. */
import { errors, isStatusError } from '../api/errors.ts';
import { apiVersionOf, qualifiedResource } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import type { DeleteOptions } from '../registry/registry.ts';
import { checkFields, decodeObject, fieldValidationOf, parseJson, pruneUnknownFields } from './body.ts';
import { isDryRun, managerOf, type ResourceRequest } from './context.ts';
import { readBody, sendJson } from './http.ts';
import { contentTypeOf } from './negotiate.ts';
import { listItem, listKind, sendTable, wantsTable, writeObject, writeStatusSuccess } from './output.ts';
import { listJson } from './serialize.ts';
import { jsonPatch, mergePatch, parsePatchBody, PATCH_TYPES, serverSideApply, strategicPatch, unsupportedPatchType } from './patch/patch.ts';
import { updateManagedFields } from './patch/managed-fields.ts';

/** Kinds whose DELETE answers with the object rather than a Success Status (ReturnDeletedObject upstream). */
const RETURNS_DELETED_OBJECT = new Set(['Pod', 'Service', 'Namespace', 'Node']);

export function getObject(rr: ResourceRequest): void {
  writeObject(rr, 200, rr.ctx.registry.get(rr.r, rr.namespace, rr.name!));
}

export function listObjects(rr: ResourceRequest): void {
  const q = rr.query;
  const result = rr.ctx.registry.list(rr.r, {
    namespace: rr.namespace,
    labelSelector: q.get('labelSelector'),
    fieldSelector: q.get('fieldSelector'),
    limit: q.int('limit') || undefined,
    continue: q.get('continue'),
  });
  const meta: Record<string, unknown> = { resourceVersion: result.resourceVersion };
  if (result.continue) meta.continue = result.continue;
  if (result.remainingItemCount !== undefined) meta.remainingItemCount = result.remainingItemCount;
  const table = wantsTable(rr);
  if (table) return sendTable(rr, 200, result.items, table, meta);
  sendJson(rr.res, 200, listJson({ ...listKind(rr.r), metadata: meta }, result.items));
}

function checkKind(rr: ResourceRequest, obj: Record<string, unknown>): void {
  const want = apiVersionOf(rr.r);
  if (obj.kind === undefined || obj.kind === '') {
    throw errors.badRequest(`Object 'Kind' is missing in '${JSON.stringify(obj)}'`);
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== want) {
    throw errors.badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${want})`);
  }
  if (obj.kind !== rr.r.kind) {
    throw errors.badRequest(`${String(obj.kind)} in version "${rr.r.version}" cannot be handled as a ${rr.r.kind}: no kind "${String(obj.kind)}" is registered for version "${want}" in scheme "pkg/api/legacyscheme/scheme.go:30"`);
  }
}

export async function createObject(rr: ResourceRequest): Promise<void> {
  const body = await readBody(rr.req);
  const obj = decodeObject(body, rr.req.headers['content-type']);
  checkKind(rr, obj);
  rr.warnings.push(...checkFields(rr.r, obj, fieldValidationOf(rr.query.get('fieldValidation'))));
  const input = obj as unknown as KubeObject;
  input.metadata ??= {};
  if (rr.r.namespaced && rr.namespace && input.metadata.namespace && input.metadata.namespace !== rr.namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  input.metadata.managedFields = updateManagedFields(undefined, input, { manager: managerOf(rr), operation: 'Update', now: rr.ctx.clock.now() });
  const created = rr.ctx.registry.create(rr.r, rr.namespace, input, { dryRun: isDryRun(rr), fieldManager: managerOf(rr) });
  writeObject(rr, 201, created);
}

export async function replaceObject(rr: ResourceRequest, subresource?: 'status'): Promise<void> {
  const body = await readBody(rr.req);
  const obj = decodeObject(body, rr.req.headers['content-type']);
  checkKind(rr, obj);
  rr.warnings.push(...checkFields(rr.r, obj, fieldValidationOf(rr.query.get('fieldValidation'))));
  const input = obj as unknown as KubeObject;
  input.metadata ??= {};
  if (input.metadata.name && input.metadata.name !== rr.name) {
    throw errors.badRequest(`the name of the object (${input.metadata.name}) does not match the name on the URL (${rr.name})`);
  }
  input.metadata.name = rr.name;
  if (rr.r.namespaced) {
    if (input.metadata.namespace && rr.namespace && input.metadata.namespace !== rr.namespace) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    input.metadata.namespace = rr.namespace;
  }
  const old = rr.ctx.registry.get(rr.r, rr.namespace, rr.name!);
  // The storage layer's resourceVersion check comes before any strategy or validation runs.
  const rv = input.metadata.resourceVersion;
  if (rv && rv !== old.metadata.resourceVersion) throw errors.conflict(rr.r, rr.name!);
  // Server-managed metadata is taken from the stored object (PrepareForUpdate), whatever the client sent.
  if (old.metadata.generation !== undefined) input.metadata.generation = old.metadata.generation;
  else delete input.metadata.generation;
  input.metadata.managedFields = updateManagedFields(old, input, { manager: managerOf(rr), operation: 'Update', subresource, now: rr.ctx.clock.now() });
  const saved = rr.ctx.registry.update(rr.r, input, { dryRun: isDryRun(rr), fieldManager: managerOf(rr), subresource });
  writeObject(rr, 200, saved);
}

/** Applies a PATCH body of any supported type to `current` (undefined when the object does not exist). */
export function patched(rr: ResourceRequest, type: string, text: string, current: KubeObject): Record<string, unknown> {
  const patch = parsePatchBody(type, text);
  const base = structuredClone(current) as unknown as Record<string, unknown>;
  switch (type) {
    case 'application/json-patch+json':
      return jsonPatch(base, patch) as Record<string, unknown>;
    case 'application/merge-patch+json':
      return mergePatch(base, patch) as Record<string, unknown>;
    case 'application/strategic-merge-patch+json':
      return strategicPatch(rr.r, base, patch) as Record<string, unknown>;
    default:
      return serverSideApply(rr.r, base, patch as Record<string, unknown>, managerOf(rr));
  }
}

export async function patchObject(rr: ResourceRequest, subresource?: 'status'): Promise<void> {
  const type = contentTypeOf(rr.req.headers['content-type']);
  if (!PATCH_TYPES.includes(type)) throw unsupportedPatchType();
  const text = (await readBody(rr.req)).toString('utf8');
  const mode = fieldValidationOf(rr.query.get('fieldValidation'));
  const dryRun = isDryRun(rr);
  const manager = managerOf(rr);
  const isApply = type === 'application/apply-patch+yaml';
  if (isApply && !rr.query.get('fieldManager')) {
    throw errors.badRequest('PATCH, application/apply-patch+yaml requests require a fieldManager');
  }
  let current: KubeObject | undefined;
  try {
    current = rr.ctx.registry.get(rr.r, rr.namespace, rr.name!);
  } catch (e) {
    if (!(isApply && isStatusError(e, 'NotFound'))) throw e;
  }
  if (!current) {
    const applied = parsePatchBody(type, text) as KubeObject;
    rr.warnings.push(...checkFields(rr.r, applied, mode));
    applied.metadata = { ...(applied.metadata ?? {}), name: rr.name };
    applied.metadata.managedFields = updateManagedFields(undefined, applied, { manager, operation: 'Apply', now: rr.ctx.clock.now(), applied: applied as unknown as Record<string, unknown> });
    return writeObject(rr, 201, rr.ctx.registry.create(rr.r, rr.namespace, applied, { dryRun, fieldManager: manager }));
  }
  const patchBody = parsePatchBody(type, text);
  if (type !== 'application/json-patch+json') rr.warnings.push(...checkFields(rr.r, patchBody, mode, undefined, type === 'application/strategic-merge-patch+json'));
  const next = patched(rr, type, text, current) as unknown as KubeObject;
  if (type === 'application/json-patch+json') rr.warnings.push(...checkFields(rr.r, next, mode));
  pruneUnknownFields(rr.r, next);
  next.metadata ??= {};
  if (next.metadata.name !== current.metadata.name || (rr.r.namespaced && next.metadata.namespace !== current.metadata.namespace)) {
    throw errors.badRequest('metadata.name: Invalid value: the name of the object does not match the name on the URL');
  }
  next.metadata.resourceVersion ??= current.metadata.resourceVersion;
  if (next.metadata.resourceVersion !== current.metadata.resourceVersion) throw errors.conflict(rr.r, rr.name!);
  if (current.metadata.generation !== undefined) next.metadata.generation = current.metadata.generation;
  next.metadata.managedFields = updateManagedFields(current, next, {
    manager,
    operation: isApply ? 'Apply' : 'Update',
    subresource,
    now: rr.ctx.clock.now(),
    applied: isApply ? (patchBody as Record<string, unknown>) : undefined,
    force: rr.query.get('force') === 'true',
  });
  const saved = rr.ctx.registry.update(rr.r, next, { dryRun, fieldManager: manager, subresource });
  writeObject(rr, 200, saved);
}

interface DeleteBody {
  gracePeriodSeconds?: number;
  propagationPolicy?: DeleteOptions['propagationPolicy'];
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

export async function deleteOptionsOf(rr: ResourceRequest): Promise<{ opts: DeleteOptions; body: DeleteBody }> {
  const raw = (await readBody(rr.req)).toString('utf8').trim();
  const body = (raw ? parseJson(raw) : {}) as DeleteBody;
  const grace = rr.query.int('gracePeriodSeconds') ?? body.gracePeriodSeconds;
  let policy = (rr.query.get('propagationPolicy') as DeleteOptions['propagationPolicy']) ?? body.propagationPolicy;
  if (policy === undefined && (body.orphanDependents === true || rr.query.get('orphanDependents') === 'true')) policy = 'Orphan';
  if (policy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(policy)) {
    throw errors.invalid('', '', '', [{ type: 'FieldValueNotSupported', field: 'propagationPolicy', badValue: policy, detail: 'supported values: "Foreground", "Background", "Orphan", "nil"' }]);
  }
  return { opts: { gracePeriodSeconds: grace, propagationPolicy: policy, preconditions: body.preconditions, dryRun: isDryRun(rr, body) }, body };
}

function deleteOne(rr: ResourceRequest, name: string, opts: DeleteOptions): { obj: KubeObject; gone: boolean } {
  const live = rr.ctx.registry.get(rr.r, rr.namespace, name);
  const rv = opts.preconditions?.resourceVersion;
  if (rv && rv !== live.metadata.resourceVersion) {
    throw errors.conflict(rr.r, name, `Precondition failed: ResourceVersion in precondition: ${rv}, ResourceVersion in object meta: ${live.metadata.resourceVersion}`);
  }
  const obj = rr.ctx.registry.delete(rr.r, rr.namespace, name, opts);
  const gone = !opts.dryRun && !rr.ctx.registry.tryGet(rr.r, rr.namespace, name);
  return { obj, gone };
}

export async function deleteObject(rr: ResourceRequest): Promise<void> {
  const { opts } = await deleteOptionsOf(rr);
  const { obj, gone } = deleteOne(rr, rr.name!, opts);
  if (!gone || RETURNS_DELETED_OBJECT.has(rr.r.kind)) {
    return writeObject(rr, !gone && opts.propagationPolicy === 'Foreground' ? 202 : 200, obj);
  }
  writeStatusSuccess(rr, 200, { name: rr.name, ...(rr.r.group ? { group: rr.r.group } : {}), kind: rr.r.resource, uid: obj.metadata.uid });
}

export async function deleteCollection(rr: ResourceRequest): Promise<void> {
  const { opts } = await deleteOptionsOf(rr);
  const q = rr.query;
  const list = rr.ctx.registry.list(rr.r, { namespace: rr.namespace, labelSelector: q.get('labelSelector'), fieldSelector: q.get('fieldSelector') });
  const items: KubeObject[] = [];
  for (const o of list.items) {
    try {
      const ns = rr.r.namespaced ? o.metadata.namespace : undefined;
      items.push(deleteOne({ ...rr, namespace: ns }, o.metadata.name!, opts).obj);
    } catch (e) {
      if (!isStatusError(e, 'NotFound')) throw e;
    }
  }
  sendJson(rr.res, 200, { ...listKind(rr.r), metadata: { resourceVersion: rr.ctx.registry.store.resourceVersion }, items: items.map(listItem) });
}

export function notAllowed(): never {
  throw errors.methodNotAllowed();
}

export { qualifiedResource };
