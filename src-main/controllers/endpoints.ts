/** The Endpoints controller (pkg/controller/endpoint/endpoints_controller.go) and helpers shared with EndpointSlices. */
import type { EndpointAddress, EndpointPort, EndpointSubset, Pod, Service, ServicePort } from 'kubernetes-types/core/v1';
import { isStatusError } from '../api/errors.ts';
import { byKind } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { mapSelectorMatcher } from '../store/selectors.ts';
import { createObject, deleteObject, keyOf, mutate, splitKey, type Runtime } from './framework.ts';
import { asPod, isPodReady, podCondition } from './util.ts';

const SERVICES = byKind('Service');
const PODS = byKind('Pod');
const ENDPOINTS = byKind('Endpoints');
const MAX_CAPACITY = 1000;
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
const MANAGED_BY = 'endpoints.kubernetes.io/managed-by';

export const asService = (o: KubeObject) => o as unknown as Service;

/** Services the endpoint controllers look after: with a selector, not ExternalName. */
export function managedService(svc: KubeObject): boolean {
  const s = asService(svc);
  return !!s.spec?.selector && s.spec.type !== 'ExternalName';
}

/** endpointutil.ShouldPodBeInEndpoints. */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (!pod.status?.podIP && !(pod.status?.podIPs ?? []).length) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false;
  const phase = pod.status?.phase;
  if (pod.spec?.restartPolicy === 'Never') return phase !== 'Failed' && phase !== 'Succeeded';
  if (pod.spec?.restartPolicy === 'OnFailure') return phase !== 'Succeeded';
  return true;
}

/** podutil.FindPort: a named targetPort is looked up among the pod's container ports (same protocol). */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const tp = sp.targetPort ?? sp.port;
  if (typeof tp === 'number') return tp;
  if (/^\d+$/.test(tp)) return Number(tp);
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === tp && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP')) return p.containerPort;
  }
  return undefined;
}

/** The change time the TriggerTimeTracker reports: newest of the service's and the pods' last changes. */
export function triggerTime(svc: KubeObject, pods: KubeObject[]): string | undefined {
  let best = svc.metadata.creationTimestamp;
  for (const p of pods) {
    const t = podCondition(asPod(p), 'Ready')?.lastTransitionTime ?? p.metadata.creationTimestamp;
    if (t && (!best || Date.parse(t) > Date.parse(best))) best = t;
  }
  return best;
}

export function podsForService(podsInNs: KubeObject[], svc: KubeObject): KubeObject[] {
  const match = mapSelectorMatcher(asService(svc).spec?.selector);
  return podsInNs.filter((p) => match(p.metadata.labels));
}

/** Enqueues the services of a pod's namespace whose selector matches the pod now or matched it before. */
export function watchServicePods(rt: Runtime, add: (key: string) => void): void {
  const svcInf = rt.informers.for(SERVICES);
  rt.informers.for(PODS).on((_t, o, old) => {
    for (const s of svcInf.list(o.metadata.namespace)) {
      const match = mapSelectorMatcher(asService(s).spec?.selector);
      if (match(o.metadata.labels) || (old && match(old.metadata.labels))) add(keyOf(s));
    }
  });
  svcInf.on((_t, o) => add(keyOf(o)));
}

export function startEndpointsController(rt: Runtime): void {
  const svcInf = rt.informers.for(SERVICES);
  const podInf = rt.informers.for(PODS);
  const epInf = rt.informers.for(ENDPOINTS);
  const queue = rt.queue('endpoint', sync);
  watchServicePods(rt, (k) => queue.add(k));
  epInf.on((type, o) => {
    if (type === 'DELETED' && svcInf.get(o.metadata.namespace, o.metadata.name!)) queue.add(keyOf(o));
  });

  function sync(key: string): void {
    const [ns, name] = splitKey(key);
    const svc = svcInf.get(ns, name);
    const current = epInf.get(ns, name);
    if (!svc) {
      if (current && current.metadata.labels?.[MANAGED_BY] === 'endpoint-controller') deleteObject(rt, ENDPOINTS, current);
      return;
    }
    if (!managedService(svc)) return;
    const s = asService(svc);
    const tolerateUnready = !!s.spec?.publishNotReadyAddresses;
    const pods = podsForService(podInf.list(ns), svc).filter((p) => shouldPodBeInEndpoints(asPod(p), tolerateUnready));
    const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
    let total = 0;
    for (const p of pods) {
      const pod = asPod(p);
      const addr: EndpointAddress = { ip: (pod.status!.podIP ?? pod.status!.podIPs![0].ip)! };
      if (s.spec?.clusterIP === 'None' && pod.spec?.hostname && pod.spec.subdomain === name) addr.hostname = pod.spec.hostname;
      if (pod.spec?.nodeName) addr.nodeName = pod.spec.nodeName;
      addr.targetRef = { kind: 'Pod', namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid };
      const ports: EndpointPort[] = [];
      for (const sp of s.spec?.ports ?? []) {
        const port = findPort(pod, sp);
        if (port === undefined) continue;
        const ep: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' };
        if (sp.name) ep.name = sp.name;
        if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
        ports.push(ep);
      }
      if ((s.spec?.ports ?? []).length > 0 && ports.length === 0 && s.spec?.clusterIP !== 'None') continue;
      const gk = JSON.stringify(ports);
      const g = groups.get(gk) ?? { ports, ready: [], notReady: [] };
      groups.set(gk, g);
      if (tolerateUnready || isPodReady(pod)) g.ready.push(addr);
      else g.notReady.push(addr);
      total++;
    }
    const byIp = (a: EndpointAddress, b: EndpointAddress) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0);
    let budget = MAX_CAPACITY;
    const subsets: EndpointSubset[] = [];
    for (const g of [...groups.values()].sort((a, b) => (JSON.stringify(a.ports) < JSON.stringify(b.ports) ? -1 : 1))) {
      const ready = g.ready.sort(byIp).slice(0, budget);
      budget -= ready.length;
      const notReady = g.notReady.sort(byIp).slice(0, budget);
      budget -= notReady.length;
      const sub: EndpointSubset = {};
      if (ready.length) sub.addresses = ready;
      if (notReady.length) sub.notReadyAddresses = notReady;
      if (g.ports.length) sub.ports = [...g.ports].sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : 1));
      if (ready.length || notReady.length) subsets.push(sub);
    }
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}), [MANAGED_BY]: 'endpoint-controller' };
    if (s.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
    const annotations: Record<string, string> = { ...(current?.metadata.annotations ?? {}) };
    if (total > MAX_CAPACITY) annotations['endpoints.kubernetes.io/over-capacity'] = 'truncated';
    else delete annotations['endpoints.kubernetes.io/over-capacity'];
    const sameContent = current && JSON.stringify(current.subsets ?? []) === JSON.stringify(subsets) && JSON.stringify(current.metadata.labels ?? {}) === JSON.stringify(labels) &&
      JSON.stringify(current.metadata.annotations ?? {}) === JSON.stringify(annotations);
    if (sameContent) return;
    const trigger = triggerTime(svc, pods);
    if (trigger) annotations[TRIGGER_TIME] = trigger;
    try {
      if (!current) {
        createObject(rt, ENDPOINTS, ns, {
          apiVersion: 'v1', kind: 'Endpoints',
          metadata: { name, namespace: ns, labels, annotations },
          ...(subsets.length ? { subsets } : {}),
        } as unknown as KubeObject);
      } else {
        mutate(rt, ENDPOINTS, current, (x) => {
          x.metadata.labels = labels;
          x.metadata.annotations = annotations;
          if (subsets.length) x.subsets = subsets;
          else delete x.subsets;
        });
      }
    } catch (e) {
      if (!isStatusError(e, 'AlreadyExists') && !isStatusError(e, 'Forbidden')) throw e;
    }
  }
}
