/** "Reset the cluster": removes what the learner created, keeping nodes and the kubeadm system objects. */
import { byKind, RESOURCES } from '../api/resources.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { bootstrapObjects } from '../cluster/bootstrap.ts';

const SYSTEM_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
const KEPT_IN_DEFAULT = new Set(['Service/kubernetes', 'Endpoints/kubernetes', 'EndpointSlice/kubernetes', 'ConfigMap/kube-root-ca.crt']);
const LEARNER_KINDS = ['Deployment', 'ReplicaSet', 'DaemonSet', 'Pod', 'Service', 'ConfigMap', 'Endpoints', 'EndpointSlice', 'Event'];

export async function resetCluster(cluster: Cluster): Promise<void> {
  const reg = cluster.registry;
  for (const ns of reg.list(byKind('Namespace')).items) {
    if (!SYSTEM_NAMESPACES.has(ns.metadata.name!)) reg.delete(byKind('Namespace'), undefined, ns.metadata.name!);
  }
  for (const kind of LEARNER_KINDS) {
    const r = RESOURCES.find((x) => x.kind === kind);
    if (!r) continue;
    for (const o of reg.list(r, { namespace: 'default' }).items) {
      if (KEPT_IN_DEFAULT.has(`${kind}/${o.metadata.name}`)) continue;
      try {
        reg.delete(r, 'default', o.metadata.name!, { propagationPolicy: 'Background', gracePeriodSeconds: 0 });
      } catch {
        /* already gone through its owner */
      }
    }
  }
  bootstrapObjects(reg);
}
