/**
 * Snapshots arrive whole (up to 10 a second while pods come and go) and every object in them is new. Svelte compares
 * props by identity, so 500 new pod objects would re-run every pod box's bindings for one pod that changed. Here each
 * node, pod and service equal to its previous version is replaced by that previous object (and a list whose items all
 * stayed, by the previous list): only the boxes whose view changed see a new prop.
 */
import type { ClusterSnapshot } from '../../../src-main/contract/views.ts';

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

function reuseList<T>(previous: T[] | undefined, next: T[], key: (item: T) => string): T[] {
  if (!previous) return next;
  const before = new Map(previous.map((item) => [key(item), item]));
  let all = previous.length === next.length;
  const out = next.map((item, i) => {
    const old = before.get(key(item));
    if (old !== undefined && sameValue(old, item)) {
      if (previous[i] !== old) all = false;
      return old;
    }
    all = false;
    return item;
  });
  return all ? previous : out;
}

const namespaced = (o: { namespace: string; name: string }): string => `${o.namespace}/${o.name}`;

export function reuseUnchanged(previous: ClusterSnapshot | null, next: ClusterSnapshot): ClusterSnapshot {
  if (!previous) return next;
  return {
    ...next,
    nodes: reuseList(previous.nodes, next.nodes, (n) => n.name),
    pods: reuseList(previous.pods, next.pods, namespaced),
    services: reuseList(previous.services, next.services, namespaced),
  };
}
