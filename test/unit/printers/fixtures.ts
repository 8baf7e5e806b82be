/** Objects matching what the stub cluster held when the kubectl-wire samples were recorded. */
import type { KubeObject } from '../../../src-main/api/types.ts';

export const T0 = Date.parse('2026-11-25T18:16:40Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

export function pod(name: string, ip: string, ageS: number, labels: Record<string, string> = { app: 'web', 'pod-template-hash': name.split('-')[1] }): KubeObject {
  const t = iso(T0 - ageS * 1000);
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', labels, creationTimestamp: t, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: name.split('-').slice(0, 2).join('-'), uid: 'u', controller: true }] },
    spec: { nodeName: 'node-1', containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }] }] },
    status: {
      phase: 'Running', hostIP: '192.168.49.2', podIP: ip, podIPs: [{ ip }], startTime: t, qosClass: 'BestEffort',
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: t })),
      containerStatuses: [{ name: 'nginx', ready: true, restartCount: 0, started: true, image: 'nginx:1.27', imageID: '', containerID: 'containerd://3510398957995aee', state: { running: { startedAt: t } } }],
    },
  };
}

export function service(name: string, ip: string, port: number, ageS: number, selector?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name, namespace: 'default', creationTimestamp: iso(T0 - ageS * 1000) },
    spec: { type: 'ClusterIP', clusterIP: ip, clusterIPs: [ip], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster', sessionAffinity: 'None', ports: [{ port, protocol: 'TCP', targetPort: port }], ...(selector ? { selector } : {}) },
    status: { loadBalancer: {} },
  };
}

export function deployment(ageS: number, image: string, replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, creationTimestamp: iso(T0 - ageS * 1000) },
    spec: {
      replicas, selector: { matchLabels: { app: 'web' } }, minReadySeconds: 0,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image, ports: [{ containerPort: 80, protocol: 'TCP' }] }] } },
    },
    status: {
      replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
      ],
    },
  };
}

export function replicaSet(hash: string, ageS: number, image: string, replicas: number): KubeObject {
  const labels = { app: 'web', 'pod-template-hash': hash };
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: `web-${hash}`, namespace: 'default', labels, creationTimestamp: iso(T0 - ageS * 1000) },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'nginx', image, ports: [{ containerPort: 80, protocol: 'TCP' }] }] } } },
    status: { replicas, readyReplicas: replicas, availableReplicas: replicas },
  };
}

export function node(ageS: number): KubeObject {
  const t = iso(T0 - ageS * 1000);
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: 'node-1', creationTimestamp: t, labels: { 'kubernetes.io/hostname': 'node-1', 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/control-plane': '' } },
    spec: { podCIDR: '10.244.0.0/24' },
    status: {
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: t, lastTransitionTime: t, reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      addresses: [{ type: 'InternalIP', address: '192.168.49.2' }, { type: 'Hostname', address: 'node-1' }],
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
      nodeInfo: { machineID: 'x', systemUUID: 'x', bootID: 'x', kernelVersion: '6.5.0', osImage: 'Ubuntu 22.04.4 LTS', operatingSystem: 'linux', architecture: 'amd64', containerRuntimeVersion: 'containerd://1.7.0', kubeletVersion: 'v1.32.0', kubeProxyVersion: 'v1.32.0' },
    },
  };
}

export function endpoints(name: string, ips: string[], port: number, ageS: number): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: { name, namespace: 'default', creationTimestamp: iso(T0 - ageS * 1000) },
    subsets: [{ addresses: ips.map((ip) => ({ ip })), ports: [{ port, protocol: 'TCP' }] }],
  };
}
