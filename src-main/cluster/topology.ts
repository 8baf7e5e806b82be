/** The default kubeadm-like cluster: master (control plane) and workers, their IPs and pod CIDRs. */
export const CLUSTER_CIDR = '10.244.0.0/16';
export const NODE_NETWORK_BASE = '192.168.56.';
export const FIRST_NODE_HOST = 10;

export interface NodePlan {
  name: string;
  index: number;
  ip: string;
  podCIDR: string;
  controlPlane: boolean;
}

export function planNode(index: number, name?: string): NodePlan {
  return {
    name: name ?? (index === 0 ? 'master' : `worker${index}`),
    index,
    ip: `${NODE_NETWORK_BASE}${FIRST_NODE_HOST + index}`,
    podCIDR: `10.244.${index}.0/24`,
    controlPlane: index === 0,
  };
}

export function nodeObject(plan: NodePlan): Record<string, unknown> {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': plan.name,
    'kubernetes.io/os': 'linux',
  };
  if (plan.controlPlane) {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: plan.name,
      labels,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: plan.podCIDR,
      podCIDRs: [plan.podCIDR],
      ...(plan.controlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {}),
    },
  };
}
