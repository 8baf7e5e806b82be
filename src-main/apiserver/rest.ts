/** The generic REST verbs for every kind: get, list, create, update, patch, delete, deletecollection. */
import { errors, isStatusError } from '../api/errors.ts';
import { qualifiedResource } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import type { DeleteOptions } from '../registry/registry.ts';
import { checkFields } from './body.ts';
import type { FieldError } from '../api/field-errors.ts';
import { managerOf, type ResourceRequest } from './context.ts';
import { checkBodyContentType, decodeBodyAs } from './decode/object.ts';
import { decodeDeleteOptions } from './decode/delete-options.ts';
import { readBody, sendJson } from './http.ts';
import { dryRunErrors, writeOptionsOf } from './options.ts';
import { listItem, listKind, sendTable, wantsTable, writeObject, writeStatusSuccess } from './output.ts';
import { listJson } from './serialize.ts';
import { updateManagedFields } from './patch/managed-fields.ts';

export { patchObject } from './patch/handler.ts';

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

/** Create and update bodies: 415 before the body is read, then the options (422), then the decoded object (400). */
async function decodeWrite(rr: ResourceRequest, kind: 'CreateOptions' | 'UpdateOptions'): Promise<{ input: KubeObject; dryRun: boolean }> {
  const ct = rr.req.headers['content-type'];
  checkBodyContentType(ct);
  const body = await readBody(rr.req);
  const { dryRun, fieldValidation } = writeOptionsOf(rr, kind);
  const obj = await decodeBodyAs(rr.r, body, ct);
  rr.warnings.push(...checkFields(rr.r, obj, fieldValidation));
  const input = obj as unknown as KubeObject;
  input.metadata ??= {};
  return { input, dryRun };
}

export async function createObject(rr: ResourceRequest): Promise<void> {
  const { input, dryRun } = await decodeWrite(rr, 'CreateOptions');
  if (rr.r.namespaced && rr.namespace && input.metadata.namespace && input.metadata.namespace !== rr.namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  input.metadata.managedFields = updateManagedFields(undefined, input, { manager: managerOf(rr), operation: 'Update', now: rr.ctx.clock.now() });
  const created = rr.ctx.registry.create(rr.r, rr.namespace, input, { dryRun, fieldManager: managerOf(rr) });
  writeObject(rr, 201, created);
}

export async function replaceObject(rr: ResourceRequest, subresource?: 'status'): Promise<void> {
  const { input, dryRun } = await decodeWrite(rr, 'UpdateOptions');
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
  const saved = rr.ctx.registry.update(rr.r, input, { dryRun, fieldManager: managerOf(rr), subresource });
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
  const raw = (await readBody(rr.req)).toString('utf8');
  const body = (raw.trim() ? decodeDeleteOptions(raw) : {}) as DeleteBody;
  const grace = rr.query.int('gracePeriodSeconds') ?? body.gracePeriodSeconds;
  let policy = (rr.query.get('propagationPolicy') as DeleteOptions['propagationPolicy']) ?? body.propagationPolicy;
  if (policy === undefined && (body.orphanDependents === true || rr.query.get('orphanDependents') === 'true')) policy = 'Orphan';
  // ValidateDeleteOptions.
  const errs: FieldError[] = [];
  if (policy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(policy)) {
    errs.push({ type: 'FieldValueNotSupported', field: 'propagationPolicy', badValue: policy, detail: 'supported values: "Foreground", "Background", "Orphan", "nil"' });
  }
  const dryRun = [...rr.query.all('dryRun'), ...(Array.isArray(body.dryRun) ? body.dryRun : [])];
  errs.push(...dryRunErrors(dryRun));
  if (errs.length) throw errors.invalid('meta.k8s.io', 'DeleteOptions', '', errs);
  return { opts: { gracePeriodSeconds: grace, propagationPolicy: policy, preconditions: body.preconditions, dryRun: dryRun.includes('All') }, body };
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
