/** "Cluster ready": every node Ready and every kube-system pod Running and ready. */
import { byKind } from '../api/resources.ts';
import type { Node, Pod } from '../api/types.ts';
import type { Registry } from '../registry/registry.ts';

export function clusterIsReady(reg: Registry): boolean {
  const nodes = reg.list(byKind('Node')).items as unknown as Node[];
  if (nodes.length === 0) return false;
  const nodesReady = nodes.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  if (!nodesReady) return false;
  const pods = reg.list(byKind('Pod'), { namespace: 'kube-system' }).items as unknown as Pod[];
  return pods.length > 0 && pods.every((p) => p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
}

/** Resolves when `ready()` holds, re-checking on every store change. */
export function whenReady(reg: Registry, ready: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (ready()) return resolve();
    const unhook = reg.store.onCommit(() => {
      if (ready()) {
        unhook();
        resolve();
      }
    });
  });
}
