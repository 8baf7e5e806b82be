/** The lab's controls, once: the UI's buttons (host service) and the shell's `kubelab` command both use these. */
import { byKind } from '../api/resources.ts';
import type { Node } from '../api/types.ts';
import type { Cluster } from '../cluster/cluster.ts';
import type { LabControls } from '../shell/commands/index.ts';
import { resetCluster } from './reset.ts';

export interface LoadBalancerSwitch {
  readonly enabled: boolean;
  setEnabled(on: boolean): void;
}

export function createLabControls(cluster: Cluster, loadBalancer: LoadBalancerSwitch): LabControls {
  return {
    addNode: async (name) => (await cluster.addNode(name)).name,
    stopNode: (name) => cluster.stopNode(name),
    startNode: (name) => cluster.startNode(name),
    removeNode: (name) => cluster.removeNode(name),
    deletePod: async (namespace, name) => void cluster.registry.delete(byKind('Pod'), namespace, name),
    setSpeed: (speed) => cluster.setSpeed(speed),
    reset: () => resetCluster(cluster),
    setLoadBalancer: (on) => loadBalancer.setEnabled(on),
    status() {
      const nodes = cluster.registry.list(byKind('Node')).items as unknown as Node[];
      const lines = nodes.map((n) => {
        const ready = n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
        const running = cluster.nodes().find((h) => h.name === n.metadata?.name)?.running;
        return `node/${n.metadata?.name}\t${ready === 'True' ? 'Ready' : 'NotReady'}\t${running ? 'running' : 'stopped'}`;
      });
      const speed = 'speed' in cluster.clock ? (cluster.clock as { speed: number }).speed : 0;
      lines.push(`clock\t${speed === 0 ? 'paused' : `${speed}x`}`, `loadbalancer\t${loadBalancer.enabled ? 'on' : 'off'}`);
      return `${lines.join('\n')}\n`;
    },
  };
}
