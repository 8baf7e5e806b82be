/**
 * Namespace, Node, ConfigMap, Endpoints (pkg/apis/core/validation), EndpointSlice (pkg/apis/discovery/validation),
 * Event (legacy core/v1 path of ValidateEventCreate) and Lease (pkg/apis/coordination/validation).
 */
import { type FieldError, field } from '../field-errors.ts';
import type { ObjectMeta } from '../types.ts';
import { isConfigMapKey, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, isValidPortNum, nameIsDNSLabel, nameIsDNSSubdomain } from '../names.ts';
import { isIPv6, isValidIPErrors, validateNonSpecialIP } from './ip.ts';
import { deepEqual, validateImmutable, validateLabelName, validateObjectMeta, validateObjectMetaUpdate } from './meta.ts';
import { dns1123LabelErrors, dns1123SubdomainErrors } from './pod.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = any;

const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_CONFIGMAP_SIZE = 1024 * 1024;
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

// ---- Namespace ----

export function validateNamespace(ns: Obj): FieldError[] {
  const errs = validateObjectMeta(ns.metadata as ObjectMeta, false, nameIsDNSLabel);
  for (const f of ns.spec?.finalizers ?? []) {
    for (const m of isQualifiedName(f)) errs.push(field.invalid('spec.finalizers', f, m));
    if (!f.includes('/') && !STANDARD_FINALIZERS.has(f))
      errs.push(field.invalid('spec.finalizers', f, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errs;
}

export function validateNamespaceUpdate(ns: Obj, old: Obj): FieldError[] {
  return validateObjectMetaUpdate(ns.metadata, old.metadata);
}

// ---- Node ----

function validateTaints(taints: Obj[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Map<string, Set<string>>();
  (taints ?? []).forEach((t, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateLabelName(t.key ?? '', `${p}.key`));
    const msgs = isValidLabelValue(t.value ?? '');
    if (msgs.length) errs.push(field.invalid(`${p}.value`, t.value ?? '', msgs.join(';')));
    if (!t.effect) errs.push(field.required(`${p}.effect`));
    else if (!['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect))
      errs.push(field.notSupported(`${p}.effect`, t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
    const keys = seen.get(t.effect) ?? new Set<string>();
    if (keys.has(t.key)) {
      errs.push({ ...field.duplicate(p, { key: t.key, value: t.value, effect: t.effect }), detail: 'taints must be unique by key and effect pair' });
      return;
    }
    keys.add(t.key);
    seen.set(t.effect, keys);
  });
  return errs;
}

export function validateNode(node: Obj): FieldError[] {
  const errs = validateObjectMeta(node.metadata as ObjectMeta, false, nameIsDNSSubdomain);
  // sic: upstream reports spec.taints under metadata.taints
  if ((node.spec?.taints ?? []).length) errs.push(...validateTaints(node.spec.taints, 'metadata.taints'));
  return errs;
}

export function validateNodeUpdate(node: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(node.metadata, old.metadata);
  const addrs: Obj[] = node.status?.addresses ?? [];
  addrs.forEach((a, i) => {
    if (addrs.slice(0, i).some((b) => deepEqual(a, b))) errs.push(field.duplicate(`status.addresses[${i}]`, a));
  });
  const oldCIDRs: string[] = old.spec?.podCIDRs ?? [];
  const newCIDRs: string[] = node.spec?.podCIDRs ?? [];
  const cidrMsg = 'node updates may not change podCIDR except from "" to valid';
  if (oldCIDRs.length) {
    if (oldCIDRs.length !== newCIDRs.length) errs.push(field.forbidden('spec.podCIDRs', cidrMsg));
    else oldCIDRs.forEach((c, i) => c !== newCIDRs[i] && errs.push(field.forbidden('spec.podCIDRs', cidrMsg)));
  }
  if (old.spec?.providerID && old.spec.providerID !== node.spec?.providerID)
    errs.push(field.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  if ((node.spec?.taints ?? []).length) errs.push(...validateTaints(node.spec.taints, 'metadata.taints'));
  return errs;
}

// ---- ConfigMap ----

export function validateConfigMap(cm: Obj): FieldError[] {
  const errs = validateObjectMeta(cm.metadata as ObjectMeta, true, nameIsDNSSubdomain);
  let size = 0;
  for (const [k, v] of Object.entries(cm.data ?? {})) {
    for (const m of isConfigMapKey(k)) errs.push(field.invalid(`data[${k}]`, k, m));
    if (cm.binaryData && k in cm.binaryData) errs.push(field.invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    size += Buffer.byteLength(String(v));
  }
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) {
    for (const m of isConfigMapKey(k)) errs.push(field.invalid(`binaryData[${k}]`, k, m));
    size += Buffer.from(String(v), 'base64').length;
  }
  if (size > MAX_CONFIGMAP_SIZE) errs.push(field.tooLong('', '', MAX_CONFIGMAP_SIZE));
  return errs;
}

export function validateConfigMapUpdate(cm: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(cm.metadata, old.metadata);
  if (old.immutable === true) {
    const msg = 'field is immutable when `immutable` is set';
    if (cm.immutable !== true) errs.push(field.forbidden('immutable', msg));
    if (!deepEqual(cm.data, old.data)) errs.push(field.forbidden('data', msg));
    if (!deepEqual(cm.binaryData, old.binaryData)) errs.push(field.forbidden('binaryData', msg));
  }
  errs.push(...validateConfigMap(cm));
  return errs;
}

// ---- Endpoints ----

function validateEndpointAddress(a: Obj, path: string): FieldError[] {
  const errs = isValidIPErrors(`${path}.ip`, a.ip ?? '');
  if (a.hostname) errs.push(...dns1123LabelErrors(a.hostname, `${path}.hostname`));
  if (a.nodeName) errs.push(...dns1123SubdomainErrors(a.nodeName, `${path}.nodeName`));
  if (!errs.length) errs.push(...validateNonSpecialIP(a.ip, `${path}.ip`));
  return errs;
}

function validatePortCommon(port: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!port.protocol) errs.push(field.required(`${path}.protocol`));
  else if (!PORT_PROTOCOLS.includes(port.protocol)) errs.push(field.notSupported(`${path}.protocol`, port.protocol, PORT_PROTOCOLS));
  if (port.appProtocol !== undefined && port.appProtocol !== null)
    for (const m of isQualifiedName(port.appProtocol)) errs.push(field.invalid(`${path}.appProtocol`, port.appProtocol, m));
  return errs;
}

export function validateEndpoints(ep: Obj): FieldError[] {
  const errs = validateObjectMeta(ep.metadata as ObjectMeta, true, nameIsDNSSubdomain);
  (ep.subsets ?? []).forEach((ss: Obj, i: number) => {
    const p = `subsets[${i}]`;
    if (!(ss.addresses ?? []).length && !(ss.notReadyAddresses ?? []).length)
      errs.push(field.required(p, 'must specify `addresses` or `notReadyAddresses`'));
    (ss.addresses ?? []).forEach((a: Obj, j: number) => errs.push(...validateEndpointAddress(a, `${p}.addresses[${j}]`)));
    (ss.notReadyAddresses ?? []).forEach((a: Obj, j: number) => errs.push(...validateEndpointAddress(a, `${p}.notReadyAddresses[${j}]`)));
    const ports: Obj[] = ss.ports ?? [];
    ports.forEach((port, j) => {
      const pp = `${p}.ports[${j}]`;
      if (ports.length > 1 && !port.name) errs.push(field.required(`${pp}.name`));
      else if (port.name) errs.push(...dns1123LabelErrors(port.name, `${pp}.name`));
      for (const m of isValidPortNum(port.port ?? 0)) errs.push(field.invalid(`${pp}.port`, port.port ?? 0, m));
      errs.push(...validatePortCommon(port, pp));
    });
  });
  return errs;
}

// ---- EndpointSlice ----

export function validateEndpointSlice(slice: Obj): FieldError[] {
  const errs = validateObjectMeta(slice.metadata as ObjectMeta, true, nameIsDNSSubdomain);
  const at = slice.addressType;
  if (!at) errs.push(field.required('addressType'));
  else if (!['FQDN', 'IPv4', 'IPv6'].includes(at)) errs.push(field.notSupported('addressType', at, ['FQDN', 'IPv4', 'IPv6']));
  const endpoints: Obj[] = slice.endpoints ?? [];
  if (endpoints.length > 1000) errs.push({ type: 'FieldValueTooMany', field: 'endpoints', badValue: endpoints.length, detail: 'must have at most 1000 items' });
  endpoints.forEach((e, i) => {
    const p = `endpoints[${i}]`;
    const addrs: string[] = e.addresses ?? [];
    if (!addrs.length) errs.push(field.required(`${p}.addresses`, 'must contain at least 1 address'));
    else if (addrs.length > 100) errs.push({ type: 'FieldValueTooMany', field: `${p}.addresses`, badValue: addrs.length, detail: 'must have at most 100 items' });
    addrs.forEach((a, j) => {
      const ap = `${p}.addresses[${j}]`;
      if (at === 'IPv4' || at === 'IPv6') {
        const wrongFamily = isValidIPErrors(ap, a).length === 0 && isIPv6(a) !== (at === 'IPv6');
        if (wrongFamily || isValidIPErrors(ap, a).length)
          errs.push(field.invalid(ap, a, at === 'IPv4' ? 'must be a valid IPv4 address' : 'must be a valid IPv6 address'));
        else errs.push(...validateNonSpecialIP(a, ap));
      } else if (at === 'FQDN') {
        const name = a.replace(/\.$/, '');
        const msgs = isDNS1123Subdomain(name);
        if (msgs.length) errs.push(field.invalid(ap, name, msgs.join(',')));
        else if (name.split('.').length < 2) errs.push(field.invalid(ap, name, 'should be a domain with at least two segments separated by dots'));
      }
    });
    if (e.nodeName) errs.push(...dns1123SubdomainErrors(e.nodeName, `${p}.nodeName`));
    if (e.hostname) errs.push(...dns1123LabelErrors(e.hostname, `${p}.hostname`));
  });
  const names = new Set<string>();
  (slice.ports ?? []).forEach((port: Obj, i: number) => {
    const p = `ports[${i}]`;
    const name = port.name ?? '';
    if (name) errs.push(...dns1123LabelErrors(name, `${p}.name`));
    if (names.has(name)) errs.push(field.duplicate(`${p}.name`, name));
    else names.add(name);
    errs.push(...validatePortCommon(port, p));
  });
  return errs;
}

export function validateEndpointSliceUpdate(slice: Obj, old: Obj): FieldError[] {
  return [
    ...validateObjectMetaUpdate(slice.metadata, old.metadata),
    ...validateEndpointSlice(slice),
    ...validateImmutable(slice.addressType ?? '', old.addressType ?? '', 'addressType'),
  ];
}

// ---- Event (core/v1: legacyValidateEvent only; metadata.name is not validated) ----

export function validateEvent(ev: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const ns = ev.metadata?.namespace ?? '';
  const involvedNs = ev.involvedObject?.namespace ?? '';
  const mismatch = () => field.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace');
  if (!ev.eventTime) {
    if (!involvedNs) {
      if (ns !== '' && ns !== 'default') errs.push(mismatch());
    } else if (ns !== involvedNs) errs.push(mismatch());
  } else {
    if (!involvedNs && ns !== 'default' && ns !== 'kube-system') errs.push(mismatch());
    const rc = ev.reportingComponent ?? '';
    if (!rc) errs.push(field.required('reportingComponent'));
    for (const m of isQualifiedName(rc)) errs.push(field.invalid('reportingComponent', rc, m));
    if (!ev.reportingInstance) errs.push(field.required('reportingInstance'));
    else if (ev.reportingInstance.length > 128) errs.push(field.invalid('reportingInstance', '', 'can have at most 128 characters'));
    if (!ev.action) errs.push(field.required('action'));
    else if (ev.action.length > 128) errs.push(field.invalid('action', '', 'can have at most 128 characters'));
    if (!ev.reason) errs.push(field.required('reason'));
    else if (ev.reason.length > 128) errs.push(field.invalid('reason', '', 'can have at most 128 characters'));
    if ((ev.message ?? '').length > 1024) errs.push(field.invalid('message', '', 'can have at most 1024 characters'));
  }
  for (const m of isDNS1123Subdomain(ns)) errs.push(field.invalid('namespace', ns, m));
  return errs;
}

// ---- Lease ----

export function validateLease(lease: Obj): FieldError[] {
  const errs = validateObjectMeta(lease.metadata as ObjectMeta, true, nameIsDNSSubdomain);
  const s = lease.spec ?? {};
  if (s.leaseDurationSeconds !== undefined && s.leaseDurationSeconds !== null && s.leaseDurationSeconds <= 0)
    errs.push(field.invalid('spec.leaseDurationSeconds', s.leaseDurationSeconds, 'must be greater than 0'));
  if (s.leaseTransitions !== undefined && s.leaseTransitions !== null && s.leaseTransitions < 0)
    errs.push(field.invalid('spec.leaseTransitions', s.leaseTransitions, 'must be greater than or equal to 0'));
  return errs;
}
