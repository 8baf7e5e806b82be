/** A control plane on a ManualClock with fake kubelets: nodes, leases and pod status written by the test. */
import { ManualClock } from '../../../src-main/clock/clock.ts';
import { isoTime, microTime } from '../../../src-main/clock/clock.ts';
import { byKind } from '../../../src-main/api/resources.ts';
import type { KubeObject } from '../../../src-main/api/types.ts';
import { Store } from '../../../src-main/store/store.ts';
import { Registry } from '../../../src-main/registry/registry.ts';
import { startControllers, type Controllers, type ControllerOptions } from '../../../src-main/controllers/index.ts';

export const R = {
  ns: byKind('Namespace'),
  node: byKind('Node'),
  pod: byKind('Pod'),
  svc: byKind('Service'),
  deploy: byKind('Deployment'),
  rs: byKind('ReplicaSet'),
  ev: byKind('Event'),
  lease: byKind('Lease'),
  slice: byKind('EndpointSlice'),
  ep: byKind('Endpoints'),
  ds: byKind('DaemonSet'),
};

export interface Env {
  clock: ManualClock;
  reg: Registry;
  ctl: Controllers;
  settle(): Promise<void>;
  /** Fake kubelets: bound pods get an IP and (optionally) Ready; terminating pods on live nodes are removed. */
  kubelet(opts?: { ready?: (pod: KubeObject) => boolean; deadNodes?: string[] }): Promise<void>;
  renewLeases(names: string[]): void;
  pods(ns?: string): KubeObject[];
  events(reason?: string): KubeObject[];
}

export function nodeObj(name: string, opts: { controlPlane?: boolean; cpu?: string; labels?: Record<string, string> } = {}, now = 0): KubeObject {
  const t = isoTime(now);
  const cond = (type: string, status: string, reason: string) => ({ type, status, lastHeartbeatTime: t, lastTransitionTime: t, reason, message: reason });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...(opts.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}), ...(opts.labels ?? {}) } },
    spec: opts.controlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {},
    status: {
      conditions: [cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory'), cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure'), cond('PIDPressure', 'False', 'KubeletHasSufficientPID'), cond('Ready', 'True', 'KubeletReady')],
      allocatable: { cpu: opts.cpu ?? '2', memory: '3912736Ki', pods: '110' },
    },
  };
}

/** The tolerations DefaultTolerationSeconds admission adds to every pod. */
export const DEFAULT_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

export function deployment(name: string, replicas: number, image = 'nginx:1.27', extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image, ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }], tolerations: DEFAULT_TOLERATIONS },
      },
      ...extra,
    },
  };
}

export async function setup(nodes: KubeObject[] = [], opts: ControllerOptions = {}): Promise<Env> {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const reg = new Registry(new Store(clock), clock);
  for (const n of ['default', 'kube-system', 'kube-node-lease']) reg.create(R.ns, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: n }, spec: { finalizers: ['kubernetes'] } });
  for (const n of nodes) {
    const created = reg.create(R.node, undefined, n);
    reg.update(R.node, { ...structuredClone(created), status: n.status }, { subresource: 'status' });
  }
  const ctl = startControllers(reg, clock, { random: () => 0, onError: () => {}, ...opts });
  let ip = 10;
  const env: Env = {
    clock,
    reg,
    ctl,
    settle: () => ctl.idle(),
    async kubelet(o = {}) {
      for (let round = 0; round < 20; round++) {
        await ctl.idle();
        let changed = false;
        for (const p of reg.list(R.pod).items) {
          const node = (p.spec as { nodeName?: string }).nodeName;
          if (!node || o.deadNodes?.includes(node)) continue;
          if (p.metadata.deletionTimestamp) {
            reg.finalizeDelete(R.pod, p.metadata.namespace, p.metadata.name!);
            changed = true;
            continue;
          }
          const st = (p.status ?? {}) as { podIP?: string; conditions?: Array<{ type: string; status: string }> };
          const wantReady = o.ready ? o.ready(p) : true;
          const isReady = st.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
          if (st.podIP && isReady === wantReady) continue;
          const t = isoTime(clock.now());
          const others = (st.conditions ?? []).filter((c) => c.type !== 'Ready');
          reg.update(R.pod, { ...structuredClone(p), status: { ...st, phase: 'Running', podIP: st.podIP ?? `10.244.1.${ip++}`, conditions: [...others, { type: 'Ready', status: wantReady ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: t }] } }, { subresource: 'status' });
          changed = true;
        }
        if (!changed) return;
      }
    },
    renewLeases(names) {
      for (const name of names) {
        const existing = reg.tryGet(R.lease, 'kube-node-lease', name);
        const spec = { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime(clock.now()) };
        if (existing) reg.update(R.lease, { ...structuredClone(existing), spec });
        else reg.create(R.lease, 'kube-node-lease', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec });
      }
    },
    pods: (ns = 'default') => reg.list(R.pod, { namespace: ns }).items,
    events: (reason) => reg.list(R.ev).items.filter((e) => !reason || e.reason === reason),
  };
  await ctl.idle();
  return env;
}

export const workers = () => [nodeObj('master', { controlPlane: true }), nodeObj('worker1'), nodeObj('worker2')];
