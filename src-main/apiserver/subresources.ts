/** Subresources: status, scale, binding, eviction, log, and exec/portforward routed to the pod runtime. */
import { errors } from '../api/errors.ts';
import { isoTime } from '../clock/clock.ts';
import type { KubeObject, Pod } from '../api/types.ts';
import { selectorToString } from '../store/selectors.ts';
import { GoValue } from '../api/field-errors.ts';
import { goQuote } from '../api/go-quote.ts';
import { checkFields } from './body.ts';
import { checkBodyContentType, decodeBodyAs, type Gvk } from './decode/object.ts';
import { firstTypeMismatch, jsonTypeError } from './decode/go-types.ts';
import { schemas } from './openapi/openapi.ts';
import { writeOptionsOf } from './options.ts';
import { applyJsonPatch, sortedJson } from './patch/handler.ts';
import { decodeJsonPatch, decodeMergePatch, decodeStrategicPatch } from './patch/decode.ts';
import { isDryRun, managerOf, type ResourceRequest } from './context.ts';
import { readBody } from './http.ts';
import { contentTypeOf } from './negotiate.ts';
import { writeObject, writeStatusSuccess } from './output.ts';
import { mergePatch, PATCH_TYPES, strategicPatch, unsupportedPatchType } from './patch/patch.ts';
import { updateManagedFields } from './patch/managed-fields.ts';
import { patchObject, replaceObject } from './rest.ts';

const SCALE_KIND = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

function scaleOf(o: KubeObject): Record<string, unknown> {
  const spec = (o.spec ?? {}) as { replicas?: number; selector?: Parameters<typeof selectorToString>[0] };
  const status = (o.status ?? {}) as { replicas?: number };
  const m = o.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector: selectorToString(spec.selector) },
  };
}

async function scale(rr: ResourceRequest): Promise<void> {
  const { registry, clock } = rr.ctx;
  const current = registry.get(rr.r, rr.namespace, rr.name!);
  if (rr.req.method === 'GET') return writeObject(rr, 200, scaleOf(current));
  let desired: Record<string, unknown>;
  let dryRun: boolean;
  if (rr.req.method === 'PUT') {
    checkBodyContentType(rr.req.headers['content-type']);
    const body = await readBody(rr.req);
    const opts = writeOptionsOf(rr, 'UpdateOptions');
    dryRun = opts.dryRun;
    desired = await decodeBodyAs(SCALE_KIND, body, rr.req.headers['content-type']);
    rr.warnings.push(...checkFields(rr.r, desired, opts.fieldValidation, SCALE_KIND));
  } else if (rr.req.method === 'PATCH') {
    const type = contentTypeOf(rr.req.headers['content-type']);
    if (!PATCH_TYPES.includes(type) || type === 'application/apply-patch+yaml') throw unsupportedPatchType();
    const text = (await readBody(rr.req)).toString('utf8');
    const opts = writeOptionsOf(rr, 'PatchOptions');
    dryRun = opts.dryRun;
    const base = scaleOf(current);
    if (type === 'application/json-patch+json') desired = applyJsonPatch(base, decodeJsonPatch(text, opts.fieldValidation).ops);
    else if (type === 'application/merge-patch+json') desired = mergePatch(base, decodeMergePatch(text, opts.fieldValidation)) as Record<string, unknown>;
    else desired = strategicPatch(rr.r, base, decodeStrategicPatch(text), SCALE_KIND) as Record<string, unknown>;
    const mismatch = firstTypeMismatch('io.k8s.api.autoscaling.v1.Scale', desired, schemas());
    if (mismatch) throw errors.invalid('', '', '', [{ type: 'FieldValueInvalid', field: 'patch', badValue: new GoValue(goQuote(sortedJson(desired))), detail: jsonTypeError(mismatch) }]);
  } else throw errors.methodNotAllowed();
  const replicas = (desired.spec as { replicas?: number } | undefined)?.replicas;
  const rv = (desired.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
  if (rv && rv !== current.metadata.resourceVersion) throw errors.conflict(rr.r, rr.name!);
  const next = structuredClone(current) as KubeObject;
  (next.spec as { replicas?: number }).replicas = replicas ?? 0;
  next.metadata.managedFields = updateManagedFields(current, next, { manager: managerOf(rr), operation: 'Update', subresource: 'scale', now: clock.now() });
  const saved = registry.update(rr.r, next, { dryRun, fieldManager: managerOf(rr) });
  writeObject(rr, 200, scaleOf(saved));
}

async function decodeSubresourceBody(rr: ResourceRequest, into: Gvk): Promise<Record<string, unknown>> {
  checkBodyContentType(rr.req.headers['content-type']);
  const body = await readBody(rr.req);
  writeOptionsOf(rr, 'CreateOptions');
  return decodeBodyAs(into, body, rr.req.headers['content-type']);
}

async function binding(rr: ResourceRequest): Promise<void> {
  if (rr.req.method !== 'POST') throw errors.methodNotAllowed();
  const body = (await decodeSubresourceBody(rr, { group: '', version: 'v1', kind: 'Binding' })) as { target?: { name?: string; kind?: string } };
  const node = body.target?.name ?? '';
  const pod = rr.ctx.registry.get(rr.r, rr.namespace, rr.name!) as unknown as Pod;
  if (pod.metadata?.deletionTimestamp) throw errors.conflict(rr.r, rr.name!, 'pod is being deleted, cannot be assigned to a host');
  if (pod.spec?.nodeName) throw errors.conflict(rr.r, rr.name!, `pod ${rr.name} is already assigned to node "${pod.spec.nodeName}"`);
  if (!node) throw errors.invalid('', 'Binding', rr.name!, [{ type: 'FieldValueRequired', field: 'target.name', detail: '' }]);
  // Like the binding REST's assignPod: a direct storage update, not a pod update (spec is otherwise immutable).
  const next = structuredClone(pod) as unknown as KubeObject;
  (next.spec as { nodeName?: string }).nodeName = node;
  const status = (next.status ??= {}) as { conditions?: Array<Record<string, unknown>> };
  const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
  conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: isoTime(rr.ctx.clock.now()) });
  status.conditions = conditions;
  if (!isDryRun(rr)) rr.ctx.registry.store.update(rr.r, next);
  writeStatusSuccess(rr, 201);
}

async function eviction(rr: ResourceRequest): Promise<void> {
  if (rr.req.method !== 'POST') throw errors.methodNotAllowed();
  const body = (await decodeSubresourceBody(rr, { group: 'policy', version: 'v1', kind: 'Eviction' })) as { deleteOptions?: Record<string, unknown> };
  const opts = body.deleteOptions ?? {};
  rr.ctx.registry.delete(rr.r, rr.namespace, rr.name!, {
    gracePeriodSeconds: opts.gracePeriodSeconds as number | undefined,
    preconditions: opts.preconditions as { uid?: string },
    dryRun: Array.isArray(opts.dryRun) && opts.dryRun.includes('All'),
  });
  writeStatusSuccess(rr, 201);
}

function containerOf(rr: ResourceRequest, pod: Pod, verb: string): string {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  const all = [...names, ...(pod.spec?.initContainers ?? []).map((c) => c.name), ...(pod.spec?.ephemeralContainers ?? []).map((c) => c.name)];
  const asked = rr.query.get('container');
  if (asked) {
    if (!all.includes(asked)) throw errors.badRequest(`container ${asked} is not valid for pod ${rr.name}`);
    return asked;
  }
  if (names.length === 1) return names[0];
  throw errors.badRequest(`a container name must be specified for pod ${rr.name}, choose one of: [${names.join(' ')}]${verb === 'log' && pod.spec?.initContainers?.length ? ` or one of the init containers: [${pod.spec.initContainers.map((c) => c.name).join(' ')}]` : ''}`);
}

async function log(rr: ResourceRequest): Promise<void> {
  if (rr.req.method !== 'GET') throw errors.methodNotAllowed();
  const pod = rr.ctx.registry.get(rr.r, rr.namespace, rr.name!) as unknown as Pod;
  const container = containerOf(rr, pod, 'log');
  const runtime = rr.ctx.podRuntime;
  if (!runtime) throw errors.badRequest(`container "${container}" in pod "${rr.name}" is waiting to start: ContainerCreating`);
  const stream = await runtime.logs(rr.namespace!, rr.name!, {
    container,
    follow: rr.query.bool('follow'),
    tailLines: rr.query.int('tailLines'),
    previous: rr.query.bool('previous'),
    timestamps: rr.query.bool('timestamps'),
    sinceSeconds: rr.query.int('sinceSeconds'),
    limitBytes: rr.query.int('limitBytes'),
  });
  rr.res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  rr.res.flushHeaders();
  const cleanup = () => stream.destroy();
  rr.res.on('close', cleanup);
  stream.on('data', (c: Buffer | string) => rr.res.write(c));
  stream.on('end', () => rr.res.end());
  stream.on('error', () => rr.res.end());
}

function upgradeRequired(rr: ResourceRequest, what: string): never {
  void rr;
  throw errors.badRequest(`Upgrade request required for ${what}`);
}

export async function handleSubresource(rr: ResourceRequest): Promise<void> {
  const sub = rr.subresource!;
  if (!rr.r.subresources.includes(sub)) throw errors.notFound(rr.r, `${rr.name}/${sub}`);
  switch (sub) {
    case 'status':
      if (rr.req.method === 'GET') return writeObject(rr, 200, rr.ctx.registry.get(rr.r, rr.namespace, rr.name!));
      if (rr.req.method === 'PUT') return replaceObject(rr, 'status');
      if (rr.req.method === 'PATCH') return patchObject(rr, 'status');
      throw errors.methodNotAllowed();
    case 'scale':
      return scale(rr);
    case 'binding':
      return binding(rr);
    case 'eviction':
      return eviction(rr);
    case 'log':
      return log(rr);
    case 'exec':
    case 'attach':
    case 'portforward': {
      const pod = rr.ctx.registry.get(rr.r, rr.namespace, rr.name!) as unknown as Pod;
      if (sub !== 'portforward') containerOf(rr, pod, sub);
      return upgradeRequired(rr, sub);
    }
    default:
      throw errors.methodNotAllowed();
  }
}
