/** The Node status a kubelet posts: conditions, addresses, capacity, nodeInfo (pkg/kubelet/nodestatus). */
import { isoTime } from '../clock/clock.ts';
import type { NodeIdentity } from './protocol.ts';

const KUBELET_VERSION = 'v1.32.2';

export function nodeStatus(node: NodeIdentity, now: number, bootId: string): unknown {
  const t = isoTime(now);
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: t,
    lastTransitionTime: t,
    reason,
    message,
  });
  return {
    conditions: [
      cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
    ],
    addresses: [
      { type: 'InternalIP', address: node.ip },
      { type: 'Hostname', address: node.name },
    ],
    capacity: { cpu: '2', 'ephemeral-storage': '61202244Ki', 'hugepages-2Mi': '0', memory: '4015136Ki', pods: '110' },
    allocatable: { cpu: '2', 'ephemeral-storage': '56403987978', 'hugepages-2Mi': '0', memory: '3912736Ki', pods: '110' },
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: bootId.replace(/-/g, ''),
      systemUUID: bootId,
      bootID: bootId,
      kernelVersion: '6.8.0-45-generic',
      osImage: 'Ubuntu 24.04.1 LTS',
      containerRuntimeVersion: 'containerd://1.7.24',
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
    images: [],
  };
}
