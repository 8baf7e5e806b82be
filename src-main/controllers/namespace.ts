/**
 * The namespace controller (pkg/controller/namespace/deletion): empties a terminating namespace, reports progress in
 * status.conditions as upstream does, then clears spec.finalizers and lets the namespace go.
 */
import { isoTime } from '../clock/clock.ts';
import { RESOURCES, byKind } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { deleteObject, mutate, type Runtime } from './framework.ts';

const NS = byKind('Namespace');
const RECHECK_MS = 15_000;

interface NsCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason: string;
  message: string;
}

export function startNamespaceController(rt: Runtime): void {
  const nsInf = rt.informers.for(NS);
  const queue = rt.queue('namespace', sync);
  const namespaced = RESOURCES.filter((r) => r.namespaced);

  nsInf.on((type, o) => {
    if (type !== 'DELETED' && o.metadata.deletionTimestamp) queue.add(o.metadata.name!);
  });
  for (const r of namespaced) {
    rt.informers.for(r).on((type, o) => {
      if (type === 'DELETED' && nsInf.get(undefined, o.metadata.namespace!)?.metadata.deletionTimestamp) queue.add(o.metadata.namespace!);
    });
  }

  function sync(name: string): void {
    let ns = rt.reg.tryGet(NS, undefined, name);
    if (!ns?.metadata.deletionTimestamp) return;
    const remaining = new Map<string, number>();
    const finalizers = new Map<string, number>();
    for (const r of namespaced) {
      for (const o of rt.reg.list(r, { namespace: name }).items) {
        const label = `${r.resource}.${r.group}`;
        remaining.set(label, (remaining.get(label) ?? 0) + 1);
        for (const f of o.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
        if (!o.metadata.deletionTimestamp) deleteObject(rt, r, o, { propagationPolicy: 'Background' });
      }
    }
    // What is left once the deletes above went through.
    const left = new Map<string, number>();
    for (const r of namespaced) {
      const n = rt.reg.list(r, { namespace: name }).items.length;
      if (n) left.set(`${r.resource}.${r.group}`, n);
    }
    ns = rt.reg.tryGet(NS, undefined, name)!;
    ns = writeConditions(ns, left, finalizers);
    if (left.size > 0) {
      queue.addAfter(name, RECHECK_MS);
      return;
    }
    const specFinalizers = (ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [];
    if (specFinalizers.includes('kubernetes')) {
      // The /finalize subresource: the only write that may change spec.finalizers (a plain update keeps them).
      const next = structuredClone(ns) as KubeObject;
      const rest = specFinalizers.filter((f) => f !== 'kubernetes');
      next.spec = { ...(next.spec as object), finalizers: rest };
      if (!rest.length) delete (next.spec as { finalizers?: string[] }).finalizers;
      ns = rt.reg.store.update(NS, next);
      nsInf.apply(ns);
    }
    const stillSpec = (ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [];
    if (stillSpec.length === 0 && (ns.metadata.finalizers ?? []).length === 0) {
      rt.reg.finalizeDelete(NS, undefined, name);
    }
  }

  function writeConditions(ns: KubeObject, left: Map<string, number>, finalizers: Map<string, number>): KubeObject {
    const t = isoTime(rt.clock.now());
    const list = (s: Map<string, number>, fmt: (k: string, n: number) => string) => [...s].map(([k, n]) => fmt(k, n)).sort().join(', ');
    const wanted: NsCondition[] = [
      { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
      { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
      { type: 'NamespaceDeletionContentFailure', status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
      left.size
        ? { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${list(left, (k, n) => `${k} has ${n} resource instances`)}` }
        : { type: 'NamespaceContentRemaining', status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed' },
      finalizers.size && left.size
        ? { type: 'NamespaceFinalizersRemaining', status: 'True', reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${list(finalizers, (k, n) => `${k} in ${n} resource instances`)}` }
        : { type: 'NamespaceFinalizersRemaining', status: 'False', reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
    ];
    const status = (ns.status ?? {}) as { phase?: string; conditions?: NsCondition[] };
    const old = status.conditions ?? [];
    const conditions = wanted.map((c) => {
      const prev = old.find((o) => o.type === c.type);
      const same = prev && prev.status === c.status && prev.reason === c.reason && prev.message === c.message;
      return same ? prev : { type: c.type, status: c.status, lastTransitionTime: prev?.status === c.status ? prev.lastTransitionTime : t, reason: c.reason, message: c.message };
    });
    if (JSON.stringify(conditions) === JSON.stringify(old)) return ns;
    return mutate(rt, NS, ns, (x) => (x.status = { ...(x.status as object), phase: 'Terminating', conditions }), true);
  }
}
