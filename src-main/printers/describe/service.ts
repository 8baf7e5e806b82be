/** `kubectl describe service` (1.32 describe.go describeService; Endpoints come from the service's EndpointSlices). */
import type { Event, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { joinHostPort } from '../table/cells.ts';
import { formatLabels } from '../labels.ts';
import { describeEvents, LEVEL_0, PrefixWriter, printAnnotationsMultiline, printLabelsMultiline } from './writer.ts';

/** formatEndpointSlices: ready endpoints of the slice ports named `portName`, at most 3, then `+ N more...`. */
export function formatEndpointSlices(slices: EndpointSlice[], portName: string | undefined): string {
  if (slices.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  const add = (s: string) => {
    count++;
    if (list.length < max) list.push(s);
    else more = true;
  };
  for (const slice of slices) {
    const ready = (slice.endpoints ?? []).filter((e) => e.conditions?.ready !== false);
    if (!slice.ports || slice.ports.length === 0) {
      for (const e of ready) add(e.addresses[0]);
      continue;
    }
    for (const port of slice.ports) {
      if (portName !== undefined && (port.name ?? '') !== portName) continue;
      for (const e of ready) add(joinHostPort(e.addresses[0], port.port ?? 0));
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

export function describeService(svc: Service, endpointSlices: EndpointSlice[], events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = svc.spec ?? {};
  w.write(LEVEL_0, `Name:\t${svc.metadata?.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${svc.metadata?.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', svc.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', svc.metadata?.annotations);
  w.write(LEVEL_0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(LEVEL_0, `Type:\t${spec.type ?? ''}\n`);
  if (spec.ipFamilyPolicy) w.write(LEVEL_0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(LEVEL_0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'}\n`);
  w.write(LEVEL_0, `IP:\t${spec.clusterIP ?? ''}\n`);
  w.write(LEVEL_0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'}\n`);
  if (spec.externalIPs?.length) w.write(LEVEL_0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.loadBalancerIP) w.write(LEVEL_0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(LEVEL_0, `External Name:\t${spec.externalName}\n`);
  const ingress = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length > 0) {
    const list = ingress.map((i) => {
      let s = i.ip || i.hostname || '';
      if (i.ip && i.ipMode) s += ` (${i.ipMode})`;
      return s;
    });
    w.write(LEVEL_0, `LoadBalancer Ingress:\t${list.join(', ')}\n`);
  }
  for (const sp of spec.ports ?? []) {
    const name = sp.name || '<unset>';
    const proto = sp.protocol ?? 'TCP';
    w.write(LEVEL_0, `Port:\t${name}\t${sp.port}/${proto}\n`);
    if (sp.appProtocol) w.write(LEVEL_0, `AppProtocol:\t${sp.appProtocol}\n`);
    w.write(LEVEL_0, `TargetPort:\t${sp.targetPort ?? sp.port}/${proto}\n`);
    if (sp.nodePort) w.write(LEVEL_0, `NodePort:\t${name}\t${sp.nodePort}/${proto}\n`);
    w.write(LEVEL_0, `Endpoints:\t${formatEndpointSlices(endpointSlices, sp.name ?? '')}\n`);
  }
  w.write(LEVEL_0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
  if (spec.externalTrafficPolicy) w.write(LEVEL_0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(LEVEL_0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(LEVEL_0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if (spec.loadBalancerSourceRanges?.length) w.write(LEVEL_0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
  if ((spec as { trafficDistribution?: string }).trafficDistribution) w.write(LEVEL_0, `Traffic Distribution:\t${(spec as { trafficDistribution?: string }).trafficDistribution}\n`);
  describeEvents(events, w, now);
  return w.done();
}
