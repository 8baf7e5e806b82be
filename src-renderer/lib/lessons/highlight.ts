/**
 * Which boxes of the map a lesson step talks about: its `highlight` refs (Service, Deployment, Pod, Node, ...) as
 * the map's keys. A Deployment's pods are those of its ReplicaSets (`<deployment>-<pod-template-hash>`); Endpoints
 * and EndpointSlices light up their Service. Pure, so Node tests run it.
 */
import type { HighlightRef } from '../../../src-main/contract/lessons.ts';
import type { ClusterSnapshot } from '../../../src-main/contract/views.ts';

export interface Highlighted {
  /** `namespace/name` */
  services: Set<string>;
  nodes: Set<string>;
  /** `namespace/name` */
  pods: Set<string>;
}

export function highlighted(refs: readonly HighlightRef[], snapshot: ClusterSnapshot | null): Highlighted {
  const out: Highlighted = { services: new Set(), nodes: new Set(), pods: new Set() };
  if (!snapshot) return out;
  for (const ref of refs) {
    const ns = ref.namespace ?? 'default';
    switch (ref.kind) {
      case 'Service':
      case 'Endpoints':
      case 'EndpointSlice':
        if (snapshot.services.some((s) => s.namespace === ns && s.name === ref.name)) out.services.add(`${ns}/${ref.name}`);
        break;
      case 'Node':
        out.nodes.add(ref.name);
        break;
      default:
        for (const p of snapshot.pods) if (p.namespace === ns && podBelongs(p, ref)) out.pods.add(`${p.namespace}/${p.name}`);
    }
  }
  return out;
}

function podBelongs(p: ClusterSnapshot['pods'][number], ref: HighlightRef): boolean {
  switch (ref.kind) {
    case 'Pod':
      return p.name === ref.name;
    case 'Deployment': {
      const hash = p.labels['pod-template-hash'];
      return !!hash && p.owner === `ReplicaSet/${ref.name}-${hash}`;
    }
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'StatefulSet':
    case 'Job':
      return p.owner === `${ref.kind}/${ref.name}`;
    default:
      return false;
  }
}
