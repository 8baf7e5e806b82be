/** describe for namespace, endpoints, endpointslice, configmap, and the generic describer (events, leases, ...). */
import type { ConfigMap, Endpoints, Event, Namespace } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { rfc1123z } from '../duration.ts';
import type { KubeObject } from '../../api/types.ts';
import { describeEvents, LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, PrefixWriter, printAnnotationsMultiline, printLabelsMultiline } from './writer.ts';

/** `kubectl describe namespace`; quotas and limit ranges are not simulated, so both report none. */
export function describeNamespace(ns: Namespace): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${ns.metadata?.name ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', ns.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', ns.metadata?.annotations);
  w.write(LEVEL_0, `Status:\t${ns.status?.phase ?? ''}\n`);
  if (ns.status?.conditions?.length) {
    w.write(LEVEL_0, 'Conditions:\n');
    w.write(LEVEL_1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
    w.write(LEVEL_1, '----\t------\t------------------\t------\t-------\n');
    for (const c of ns.status.conditions) w.write(LEVEL_1, `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
  }
  w.write(LEVEL_0, '\n');
  w.write(LEVEL_0, 'No resource quota.\n');
  w.write(LEVEL_0, '\n');
  w.write(LEVEL_0, 'No LimitRange resource.\n');
  return w.done();
}

export function describeEndpoints(ep: Endpoints, events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${ep.metadata?.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${ep.metadata?.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', ep.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', ep.metadata?.annotations);
  w.write(LEVEL_0, 'Subsets:\n');
  for (const ss of ep.subsets ?? []) {
    w.write(LEVEL_1, `Addresses:\t${(ss.addresses ?? []).map((a) => a.ip).join(',') || '<none>'}\n`);
    w.write(LEVEL_1, `NotReadyAddresses:\t${(ss.notReadyAddresses ?? []).map((a) => a.ip).join(',') || '<none>'}\n`);
    if (ss.ports?.length) {
      w.write(LEVEL_1, 'Ports:\n');
      w.write(LEVEL_2, 'Name\tPort\tProtocol\n');
      w.write(LEVEL_2, '----\t----\t--------\n');
      for (const p of ss.ports) w.write(LEVEL_2, `${p.name || '<unset>'}\t${p.port}\t${p.protocol ?? ''}\n`);
    }
    w.write(LEVEL_0, '\n');
  }
  describeEvents(events, w, now);
  return w.done();
}

export function describeEndpointSlice(eps: EndpointSlice, events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${eps.metadata?.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${eps.metadata?.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', eps.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', eps.metadata?.annotations);
  w.write(LEVEL_0, `AddressType:\t${eps.addressType}\n`);
  if (!eps.ports?.length) w.write(LEVEL_0, 'Ports: <unset>\n');
  else {
    w.write(LEVEL_0, 'Ports:\n');
    w.write(LEVEL_1, 'Name\tPort\tProtocol\n');
    w.write(LEVEL_1, '----\t----\t--------\n');
    for (const p of eps.ports) w.write(LEVEL_1, `${p.name || '<unset>'}\t${p.port ?? '<unset>'}\t${p.protocol ?? ''}\n`);
  }
  if (!eps.endpoints?.length) w.write(LEVEL_0, 'Endpoints: <none>\n');
  else {
    w.write(LEVEL_0, 'Endpoints:\n');
    for (const e of eps.endpoints) {
      w.write(LEVEL_1, `- Addresses:\t${e.addresses.join(', ') || '<none>'}\n`);
      w.write(LEVEL_2, 'Conditions:\n');
      w.write(LEVEL_3, `Ready:\t${e.conditions?.ready === undefined || e.conditions.ready === null ? '<unset>' : String(e.conditions.ready)}\n`);
      w.write(LEVEL_2, `Hostname:\t${e.hostname ?? '<unset>'}\n`);
      if (e.targetRef) w.write(LEVEL_2, `TargetRef:\t${e.targetRef.kind ?? ''}/${e.targetRef.name ?? ''}\n`);
      w.write(LEVEL_2, `NodeName:\t${e.nodeName ?? '<unset>'}\n`);
      w.write(LEVEL_2, `Zone:\t${e.zone ?? '<unset>'}\n`);
    }
  }
  describeEvents(events, w, now);
  return w.done();
}

/** Go ranges over the data map in random order; keys are sorted here so output is stable. */
export function describeConfigMap(cm: ConfigMap, events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${cm.metadata?.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${cm.metadata?.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', cm.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', cm.metadata?.annotations);
  w.write(LEVEL_0, '\nData\n====\n');
  for (const k of Object.keys(cm.data ?? {}).sort()) {
    w.write(LEVEL_0, `${k}:\n----\n`);
    w.write(LEVEL_0, `${cm.data![k]}\n`);
    w.write(LEVEL_0, '\n');
  }
  w.write(LEVEL_0, '\nBinaryData\n====\n');
  for (const k of Object.keys(cm.binaryData ?? {}).sort()) w.write(LEVEL_0, `${k}: ${Buffer.from(cm.binaryData![k], 'base64').length} bytes\n`);
  w.write(LEVEL_0, '\n');
  describeEvents(events, w, now);
  return w.done();
}

/** fatih/camelcase Split as smartLabelFor uses it. */
function camelSplit(s: string): string[] {
  const cls = (c: string) => (/[a-z]/.test(c) ? 1 : /[A-Z]/.test(c) ? 2 : /[0-9]/.test(c) ? 3 : 4);
  const runs: string[][] = [];
  let last = 0;
  for (const c of s) {
    const k = cls(c);
    if (k === last) runs[runs.length - 1].push(c);
    else runs.push([c]);
    last = k;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (cls(runs[i][0]) === 2 && cls(runs[i + 1][0]) === 1 && runs[i].length > 1) runs[i + 1].unshift(runs[i].pop()!);
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''));
}

export function smartLabelFor(field: string): string {
  if ([...field].some((c) => !/\p{L}/u.test(c) && c !== '-')) return field;
  const acronyms = ['API', 'URL', 'UID', 'OSB', 'GUID'];
  return camelSplit(field)
    .filter((p) => p !== '_')
    .map((p) => (acronyms.includes(p.toUpperCase()) ? p.toUpperCase() : p[0].toUpperCase() + p.slice(1)))
    .join(' ');
}

function printUnstructured(w: PrefixWriter, level: number, content: Record<string, unknown>, prefix: string, skip: string[]): void {
  for (const field of Object.keys(content).sort()) {
    const val = content[field];
    const path = `${prefix}.${field}`;
    if (skip.includes(path)) continue;
    if (val && typeof val === 'object' && !Array.isArray(val)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      printUnstructured(w, level + 1, val as Record<string, unknown>, path, skip);
    } else if (Array.isArray(val)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      for (const child of val) {
        if (child && typeof child === 'object' && !Array.isArray(child)) printUnstructured(w, level + 1, child as Record<string, unknown>, path, skip);
        else w.write(level + 1, `${child === null ? '<nil>' : String(child)}\n`);
      }
    } else w.write(level, `${smartLabelFor(field)}:\t${val === null ? '<nil>' : String(val)}\n`);
  }
}

/** The generic describer kubectl falls back to (used for Event and Lease): every field, with smart labels. */
export function describeGeneric(obj: KubeObject, events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${obj.metadata.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', obj.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', obj.metadata.annotations);
  printUnstructured(w, LEVEL_0, obj as Record<string, unknown>, '', ['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);
  describeEvents(events, w, now);
  return w.done();
}
