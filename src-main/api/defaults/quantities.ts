/**
 * Every resource.Quantity of the kinds we serve, as kube-apiserver's decoding and defaulting leave it: parsed by
 * Quantity.UnmarshalJSON (an invalid one fails the request with the decoder's message), ResourceList values
 * rounded up to milli-units (SetDefaults_ResourceList), all written back in String() form. So `cpu: 0.5` is stored
 * as "500m" and `memory: 1024Mi` as "1Gi".
 */
import { errors } from '../errors.ts';
import { QuantityError, storedQuantity } from '../quantity/index.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = any;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A v1.ResourceList field: null or empty is omitted (omitempty on a nil or empty map). */
function resourceList(holder: Obj, key: string): void {
  if (!isObject(holder)) return;
  const list = holder[key];
  if (list === null) delete holder[key];
  if (!isObject(list)) return;
  for (const name of Object.keys(list)) list[name] = storedQuantity(list[name], true);
  if (Object.keys(list).length === 0) delete holder[key];
}

/** A *resource.Quantity field: null is nil, omitted. */
function quantityPointer(holder: Obj, key: string): void {
  if (!isObject(holder) || holder[key] === undefined) return;
  if (holder[key] === null) delete holder[key];
  else holder[key] = storedQuantity(holder[key], false);
}

/** A resource.Quantity struct field: never omitted, so an absent one serialises as the zero value, "0". */
function quantityValue(holder: Obj, key: string): void {
  if (isObject(holder)) holder[key] = storedQuantity(holder[key] ?? null, false);
}

function requirements(holder: Obj, key = 'resources'): void {
  const r = isObject(holder) ? holder[key] : undefined;
  resourceList(r, 'limits');
  resourceList(r, 'requests');
}

function downwardItems(items: unknown): void {
  if (!Array.isArray(items)) return;
  for (const item of items) if (isObject(item?.resourceFieldRef)) quantityValue(item.resourceFieldRef, 'divisor');
}

function container(c: Obj): void {
  if (!isObject(c)) return;
  requirements(c);
  if (Array.isArray(c.env)) for (const e of c.env) if (isObject(e?.valueFrom?.resourceFieldRef)) quantityValue(e.valueFrom.resourceFieldRef, 'divisor');
}

function volume(v: Obj): void {
  if (!isObject(v)) return;
  quantityPointer(v.emptyDir, 'sizeLimit');
  downwardItems(v.downwardAPI?.items);
  if (Array.isArray(v.projected?.sources)) for (const s of v.projected.sources) downwardItems(s?.downwardAPI?.items);
  requirements(v.ephemeral?.volumeClaimTemplate?.spec);
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function podSpecQuantities(spec: Obj): void {
  if (!isObject(spec)) return;
  for (const c of [...list(spec.containers), ...list(spec.initContainers), ...list(spec.ephemeralContainers)]) container(c);
  for (const v of list(spec.volumes)) volume(v);
  resourceList(spec, 'overhead');
  requirements(spec);
}

function podStatusQuantities(status: Obj): void {
  if (!isObject(status)) return;
  for (const cs of [...list(status.containerStatuses), ...list(status.initContainerStatuses), ...list(status.ephemeralContainerStatuses)]) {
    resourceList(cs, 'allocatedResources');
    requirements(cs);
  }
}

const BY_KIND: Record<string, (o: Obj) => void> = {
  Pod: (p) => {
    podSpecQuantities(p.spec);
    podStatusQuantities(p.status);
  },
  Deployment: (d) => podSpecQuantities(d.spec?.template?.spec),
  ReplicaSet: (rs) => podSpecQuantities(rs.spec?.template?.spec),
  DaemonSet: (ds) => podSpecQuantities(ds.spec?.template?.spec),
  Node: (n) => {
    resourceList(n.status, 'capacity');
    resourceList(n.status, 'allocatable');
  },
};

/** Only the status: a status update keeps everything else from the stored object, which may be frozen. */
const STATUS_BY_KIND: Record<string, (o: Obj) => void> = {
  Pod: (p) => podStatusQuantities(p.status),
  Node: BY_KIND.Node,
};

function decode(obj: Obj, walk: ((o: Obj) => void) | undefined): void {
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
export function canonicalizeQuantities(obj: Obj): void {
  decode(obj, BY_KIND[obj?.kind]);
}

/** The same for the quantities of `obj.status` alone. */
export function canonicalizeStatusQuantities(obj: Obj): void {
  decode(obj, STATUS_BY_KIND[obj?.kind]);
}
