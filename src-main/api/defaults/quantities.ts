/**
 * Every resource.Quantity of the kinds we serve, as kube-apiserver's decoding and defaulting leave it: parsed by
 * Quantity.UnmarshalJSON (an invalid one fails the request with the decoder's message), ResourceList values
 * rounded up to milli-units (SetDefaults_ResourceList), all written back in String() form. So `cpu: 0.5` is stored
 * as "500m" and `memory: 1024Mi` as "1Gi".
 */
import { errors } from '../errors.ts';
import { QuantityError, storedQuantity } from '../quantity/index.ts';
import type { KubeObject } from '../types.ts';

// The walk runs before validation, on whatever JSON the client sent: every step checks what it finds.
type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `o.key` when `o` is an object (JavaScript's `o?.key` on JSON, without reading properties of strings). */
const get = (o: unknown, key: string): unknown => (isObject(o) ? o[key] : undefined);

/** A v1.ResourceList field: null or empty is omitted (omitempty on a nil or empty map). */
function resourceList(holder: unknown, key: string): void {
  if (!isObject(holder)) return;
  const list = holder[key];
  if (list === null) delete holder[key];
  if (!isObject(list)) return;
  for (const name of Object.keys(list)) list[name] = storedQuantity(list[name], true);
  if (Object.keys(list).length === 0) delete holder[key];
}

/** A *resource.Quantity field: null is nil, omitted. */
function quantityPointer(holder: unknown, key: string): void {
  if (!isObject(holder) || holder[key] === undefined) return;
  if (holder[key] === null) delete holder[key];
  else holder[key] = storedQuantity(holder[key], false);
}

/** A resource.Quantity struct field: never omitted, so an absent one serialises as the zero value, "0". */
function quantityValue(holder: unknown, key: string): void {
  if (isObject(holder)) holder[key] = storedQuantity(holder[key] ?? null, false);
}

function requirements(holder: unknown, key = 'resources'): void {
  const r = get(holder, key);
  resourceList(r, 'limits');
  resourceList(r, 'requests');
}

function downwardItems(items: unknown): void {
  if (!Array.isArray(items)) return;
  for (const item of items) quantityValue(get(item, 'resourceFieldRef'), 'divisor');
}

function container(c: unknown): void {
  if (!isObject(c)) return;
  requirements(c);
  if (Array.isArray(c.env)) for (const e of c.env) quantityValue(get(get(e, 'valueFrom'), 'resourceFieldRef'), 'divisor');
}

function volume(v: unknown): void {
  if (!isObject(v)) return;
  quantityPointer(v.emptyDir, 'sizeLimit');
  downwardItems(get(v.downwardAPI, 'items'));
  const sources = get(v.projected, 'sources');
  if (Array.isArray(sources)) for (const s of sources) downwardItems(get(get(s, 'downwardAPI'), 'items'));
  requirements(get(get(v.ephemeral, 'volumeClaimTemplate'), 'spec'));
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function podSpecQuantities(spec: unknown): void {
  if (!isObject(spec)) return;
  for (const c of [...list(spec.containers), ...list(spec.initContainers), ...list(spec.ephemeralContainers)]) container(c);
  for (const v of list(spec.volumes)) volume(v);
  resourceList(spec, 'overhead');
  requirements(spec);
}

function podStatusQuantities(status: unknown): void {
  if (!isObject(status)) return;
  for (const cs of [...list(status.containerStatuses), ...list(status.initContainerStatuses), ...list(status.ephemeralContainerStatuses)]) {
    resourceList(cs, 'allocatedResources');
    requirements(cs);
  }
}

const BY_KIND: Record<string, (o: KubeObject) => void> = {
  Pod: (p) => {
    podSpecQuantities(p.spec);
    podStatusQuantities(p.status);
  },
  Deployment: (d) => podSpecQuantities(get(get(d.spec, 'template'), 'spec')),
  ReplicaSet: (rs) => podSpecQuantities(get(get(rs.spec, 'template'), 'spec')),
  DaemonSet: (ds) => podSpecQuantities(get(get(ds.spec, 'template'), 'spec')),
  Node: (n) => {
    resourceList(n.status, 'capacity');
    resourceList(n.status, 'allocatable');
  },
};

/** Only the status: a status update keeps everything else from the stored object, which may be frozen. */
const STATUS_BY_KIND: Record<string, (o: KubeObject) => void> = {
  Pod: (p) => podStatusQuantities(p.status),
  Node: BY_KIND.Node,
};

function decode(obj: KubeObject, walk: ((o: KubeObject) => void) | undefined): void {
  if (!walk) return;
  try {
    walk(obj);
  } catch (e) {
    if (!(e instanceof QuantityError)) throw e;
    const version = String(obj.apiVersion ?? '').split('/').pop();
    throw errors.badRequest(`${obj.kind} in version "${version}" cannot be handled as a ${obj.kind}: ${e.message}`);
  }
}

/** Stores every quantity of `obj` in the apiserver's form; a BadRequest as the decoder reports an invalid one. */
export function canonicalizeQuantities(obj: KubeObject): void {
  decode(obj, BY_KIND[obj.kind]);
}

/** The same for the quantities of `obj.status` alone. */
export function canonicalizeStatusQuantities(obj: KubeObject): void {
  decode(obj, STATUS_BY_KIND[obj.kind]);
}
