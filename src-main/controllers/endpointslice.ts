/**
 * The EndpointSlice controller (pkg/controller/endpointslice + staging endpointslice/reconciler.go, condensed):
 * IPv4 slices of at most 100 endpoints, named `<service>-<5 random>`, owned by the Service, with ready/serving/
 * terminating conditions, a placeholder slice when there are no endpoints, and updates only when something changed.
 */
import type { Pod, ServicePort } from 'kubernetes-types/core/v1';
import type { Endpoint, EndpointPort } from 'kubernetes-types/discovery/v1';
import { byKind } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { createObject, deleteObject, keyOf, mutate, splitKey, type Runtime } from './framework.ts';
import { HEADLESS_LABEL, TRIGGER_TIME, asService, findPort, managedService, podsForService, shouldPodBeInEndpoints, triggerTime, watchServicePods } from './endpoints.ts';
import { asPod, controllerRef, isPodReady, newControllerRef } from './util.ts';

const SERVICES = byKind('Service');
const PODS = byKind('Pod');
const NODES = byKind('Node');
const SLICES = byKind('EndpointSlice');
export const SERVICE_NAME = 'kubernetes.io/service-name';
export const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
const MAX_PER_SLICE = 100;
const ZONE = 'topology.kubernetes.io/zone';

export function startEndpointSliceController(rt: Runtime): void {
  const svcInf = rt.informers.for(SERVICES);
  const podInf = rt.informers.for(PODS);
  const nodeInf = rt.informers.for(NODES);
  const sliceInf = rt.informers.for(SLICES);
  const queue = rt.queue('endpointslice', sync);
  watchServicePods(rt, (k) => queue.add(k));
  sliceInf.on((_t, o) => {
    if (o.metadata.labels?.[MANAGED_BY] !== CONTROLLER_NAME) return;
    const svc = o.metadata.labels?.[SERVICE_NAME];
    if (svc) queue.add(`${o.metadata.namespace}/${svc}`);
  });
  // Zones come from node labels.
  nodeInf.on((type, o, old) => {
    if (type === 'MODIFIED' && old?.metadata.labels?.[ZONE] === o.metadata.labels?.[ZONE]) return;
    for (const s of svcInf.list()) queue.add(keyOf(s));
  });

  function sync(key: string): void {
    const [ns, name] = splitKey(key);
    const svc = svcInf.get(ns, name);
    const existing = sliceInf
      .list(ns)
      .filter((s) => s.metadata.labels?.[SERVICE_NAME] === name && s.metadata.labels?.[MANAGED_BY] === CONTROLLER_NAME && !s.metadata.deletionTimestamp);
    if (!svc) return; // the garbage collector removes slices with their Service
    if (!managedService(svc)) {
      for (const s of existing) deleteObject(rt, SLICES, s);
      return;
    }
    const s = asService(svc);
    // reconciler.go: a pod whose Node is gone is left out (the Service is retried), unless not-ready addresses are
    // published anyway; otherwise a removed node's pods would keep receiving traffic until PodGC deletes them.
    const nodeExists = (p: KubeObject) => !asPod(p).spec?.nodeName || nodeInf.get(undefined, asPod(p).spec!.nodeName!) !== undefined;
    const pods = podsForService(podInf.list(ns), svc)
      .filter((p) => shouldPodBeInEndpoints(asPod(p), true) && (s.spec?.publishNotReadyAddresses || nodeExists(p)))
      .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    const byPorts = new Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }>();
    for (const p of pods) {
      const pod = asPod(p);
      const ports = slicePorts(pod, s.spec?.ports ?? []);
      const k = JSON.stringify(ports);
      const g = byPorts.get(k) ?? { ports, endpoints: [] };
      byPorts.set(k, g);
      g.endpoints.push(toEndpoint(p, pod, !!s.spec?.publishNotReadyAddresses, name));
    }
    const desired: Array<{ ports: EndpointPort[] | null; endpoints: Endpoint[] | null }> = [];
    for (const g of byPorts.values()) {
      for (let i = 0; i < g.endpoints.length; i += MAX_PER_SLICE) desired.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_PER_SLICE) });
    }
    if (desired.length === 0) desired.push({ ports: null, endpoints: null }); // the placeholder
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) if (k !== SERVICE_NAME && k !== MANAGED_BY) labels[k] = v;
    if (s.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
    labels[SERVICE_NAME] = name;
    labels[MANAGED_BY] = CONTROLLER_NAME;
    const trigger = triggerTime(svc, pods);

    // Reuse slices in place: unchanged ones stay, others are rewritten, extras deleted, missing ones created.
    const unused = [...existing].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    const remaining: typeof desired = [];
    for (const d of desired) {
      const i = unused.findIndex((x) => sameSlice(x, d, labels));
      if (i >= 0) unused.splice(i, 1);
      else remaining.push(d);
    }
    for (const d of remaining) {
      const reuse = unused.shift();
      const annotations: Record<string, string> = trigger ? { [TRIGGER_TIME]: trigger } : {};
      if (reuse) {
        mutate(rt, SLICES, reuse, (x) => {
          x.metadata.labels = labels;
          x.metadata.annotations = { ...(x.metadata.annotations ?? {}), ...annotations };
          x.ports = d.ports;
          x.endpoints = d.endpoints;
        });
      } else {
        createObject(rt, SLICES, ns, {
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: { generateName: `${name}-`, namespace: ns, labels, annotations, ownerReferences: [newControllerRef(svc)] },
          addressType: 'IPv4',
          endpoints: d.endpoints,
          ports: d.ports,
        } as unknown as KubeObject);
      }
    }
    for (const extra of unused) if (controllerRef(extra)?.uid === svc.metadata.uid || !controllerRef(extra)) deleteObject(rt, SLICES, extra);
  }

  function toEndpoint(p: KubeObject, pod: Pod, publishNotReady: boolean, svcName: string): Endpoint {
    const serving = isPodReady(pod);
    const terminating = !!p.metadata.deletionTimestamp;
    const ep: Endpoint = {
      addresses: [(pod.status!.podIP ?? pod.status!.podIPs![0].ip)!],
      conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
      targetRef: { kind: 'Pod', namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid },
    };
    if (pod.spec?.hostname && pod.spec.subdomain === svcName) (ep as { hostname?: string }).hostname = pod.spec.hostname;
    if (pod.spec?.nodeName) {
      ep.nodeName = pod.spec.nodeName;
      const zone = nodeInf.get(undefined, pod.spec.nodeName)?.metadata.labels?.[ZONE];
      if (zone) ep.zone = zone;
    }
    return ep;
  }
}

function slicePorts(pod: Pod, ports: ServicePort[]): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of ports) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const ep: EndpointPort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
    if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
    out.push(ep);
  }
  return out;
}

function sameSlice(slice: KubeObject, d: { ports: EndpointPort[] | null; endpoints: Endpoint[] | null }, labels: Record<string, string>): boolean {
  return (
    JSON.stringify(slice.ports ?? null) === JSON.stringify(d.ports) &&
    JSON.stringify(slice.endpoints ?? null) === JSON.stringify(d.endpoints) &&
    JSON.stringify(slice.metadata.labels ?? {}) === JSON.stringify(labels)
  );
}
