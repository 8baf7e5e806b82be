/**
 * The DaemonSet controller, minimal (pkg/controller/daemon): one pod per eligible node, pinned with the
 * `metadata.name` node affinity term (the default scheduler binds it), the DaemonSet tolerations added, a
 * RollingUpdate that replaces at most maxUnavailable pods at a time, and status.
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Toleration } from 'kubernetes-types/core/v1';
import { byKind } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { podTemplateHash } from '../api/names.ts';
import { recorderFor } from './events.ts';
import { createObject, deleteObject, keyOf, mutate, splitKey, type Runtime } from './framework.ts';
import { termMatches, tolerates } from './scheduler.ts';
import { asPod, byCreation, claim, controllerRef, isPodAvailable, isPodReady, newControllerRef, scaledValue } from './util.ts';

const DS = byKind('DaemonSet');
const PODS = byKind('Pod');
const NODES = byKind('Node');

const asDS = (o: KubeObject) => o as unknown as DaemonSet;

/** util.AddOrUpdateDaemonPodTolerations. */
function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const t: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) t.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return t;
}

export function startDaemonSetController(rt: Runtime): void {
  const dsInf = rt.informers.for(DS);
  const podInf = rt.informers.for(PODS);
  const nodeInf = rt.informers.for(NODES);
  const record = recorderFor(rt.reg, rt.clock, { component: 'daemonset-controller' });
  const queue = rt.queue('daemonset', sync);
  dsInf.on((_t, o) => queue.add(keyOf(o)));
  podInf.on((_t, o) => {
    const ref = controllerRef(o);
    if (ref?.kind === 'DaemonSet') queue.add(`${o.metadata.namespace}/${ref.name}`);
  });
  nodeInf.on(() => {
    for (const d of dsInf.list()) queue.add(keyOf(d));
  });

  function podSpecFor(ds: KubeObject, node: string): Record<string, unknown> {
    const spec = structuredClone(asDS(ds).spec!.template.spec ?? { containers: [] }) as NonNullable<DaemonSet['spec']>['template']['spec'] & Record<string, unknown>;
    const tolerations = [...(spec!.tolerations ?? [])];
    for (const t of daemonTolerations(!!spec!.hostNetwork)) {
      if (!tolerations.some((x) => x.key === t.key && x.effect === t.effect)) tolerations.push(t);
    }
    spec!.tolerations = tolerations;
    spec!.affinity = {
      ...(spec!.affinity ?? {}),
      nodeAffinity: {
        ...(spec!.affinity?.nodeAffinity ?? {}),
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] },
      },
    };
    return spec as Record<string, unknown>;
  }

  function shouldRun(ds: KubeObject, node: KubeObject): boolean {
    const spec = asDS(ds).spec?.template.spec;
    for (const [k, v] of Object.entries(spec?.nodeSelector ?? {})) if (node.metadata.labels?.[k] !== v) return false;
    const req = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (req && !req.nodeSelectorTerms.some((t) => termMatches(t, node))) return false;
    const tolerations = [...(spec?.tolerations ?? []), ...daemonTolerations(!!spec?.hostNetwork)];
    const taints = (node.spec as { taints?: Array<{ key: string; effect: string; value?: string }> } | undefined)?.taints ?? [];
    return taints.every((t) => (t.effect !== 'NoSchedule' && t.effect !== 'NoExecute') || tolerates(tolerations, t));
  }

  function sync(key: string): void {
    const [ns, name] = splitKey(key);
    const ds = dsInf.get(ns, name);
    if (!ds) return;
    const d = asDS(ds);
    const now = rt.clock.now();
    const hash = podTemplateHash(d.spec?.template, d.status?.collisionCount);
    const generation = String(ds.metadata.generation ?? 1);
    const pods = claim(rt, ds, d.spec?.selector, podInf.list(ns), PODS).filter((p) => !p.metadata.deletionTimestamp);
    const nodeOf = (p: KubeObject) =>
      asPod(p).spec?.nodeName ?? asPod(p).spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0];
    const byNode = new Map<string, KubeObject[]>();
    for (const p of pods) {
      if (asPod(p).status?.phase === 'Failed') {
        deleteObject(rt, PODS, p);
        continue;
      }
      const n = nodeOf(p) ?? '';
      byNode.set(n, [...(byNode.get(n) ?? []), p].sort(byCreation));
    }
    const nodes = nodeInf.list();
    const eligible = nodes.filter((n) => shouldRun(ds, n));
    const minReady = d.spec?.minReadySeconds ?? 0;
    const maxUnavailable = Math.max(1, scaledValue(d.spec?.updateStrategy?.rollingUpdate?.maxUnavailable as number | string | undefined, eligible.length, true, '1'));
    let unavailable = eligible.filter((n) => !(byNode.get(n.metadata.name!) ?? []).some((p) => isPodAvailable(asPod(p), minReady, now))).length;
    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let available = 0;
    let updated = 0;
    for (const node of nodes) {
      const nodeName = node.metadata.name!;
      const onNode = byNode.get(nodeName) ?? [];
      byNode.delete(nodeName);
      if (!shouldRun(ds, node)) {
        if (onNode.length) misscheduled++;
        for (const p of onNode) remove(ds, p);
        continue;
      }
      desired++;
      if (onNode.length === 0) {
        const created = createObject(rt, PODS, ns, {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            generateName: `${name}-`,
            namespace: ns,
            labels: { ...(d.spec?.template.metadata?.labels ?? {}), 'controller-revision-hash': hash, 'pod-template-generation': generation },
            ...(d.spec?.template.metadata?.annotations ? { annotations: { ...d.spec.template.metadata.annotations } } : {}),
            ownerReferences: [newControllerRef(ds)],
          },
          spec: podSpecFor(ds, nodeName),
        } as unknown as KubeObject);
        record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
        continue;
      }
      for (const extra of onNode.slice(1)) remove(ds, extra);
      const pod = onNode[0];
      current++;
      const isUpdated = pod.metadata.labels?.['controller-revision-hash'] === hash;
      if (isUpdated) updated++;
      if (isPodReady(asPod(pod))) ready++;
      const avail = isPodAvailable(asPod(pod), minReady, now);
      if (avail) available++;
      if (!isUpdated && (d.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && (!avail || unavailable < maxUnavailable)) {
        remove(ds, pod);
        if (avail) unavailable++;
      }
    }
    for (const leftovers of byNode.values()) for (const p of leftovers) remove(ds, p);
    const status: Record<string, unknown> = {
      currentNumberScheduled: current,
      desiredNumberScheduled: desired,
      numberMisscheduled: misscheduled,
      numberReady: ready,
      observedGeneration: ds.metadata.generation,
    };
    if (updated) status.updatedNumberScheduled = updated;
    if (available) status.numberAvailable = available;
    if (desired - available > 0) status.numberUnavailable = desired - available;
    if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
    if (JSON.stringify(status) !== JSON.stringify(ds.status ?? {})) mutate(rt, DS, ds, (x) => (x.status = status), true);
  }

  function remove(ds: KubeObject, pod: KubeObject): void {
    deleteObject(rt, PODS, pod);
    record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
  }
}
