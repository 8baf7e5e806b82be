/** Pods written straight into a Registry and marked Running, for list/print benchmarks (no kubelet runs them). */
import { byKind } from '../src-main/api/resources.ts';
import { isoTime } from '../src-main/clock/clock.ts';
import type { KubeObject } from '../src-main/api/types.ts';
import type { Registry } from '../src-main/registry/registry.ts';

const PODS = byKind('Pod');

/** `count` Running pods named `<prefix>-<i>` bound to `nodeName` (a node no kubelet serves, so nothing runs them). */
export function fakeRunningPods(reg: Registry, count: number, opts: { prefix?: string; namespace?: string; nodeName?: string; start?: number } = {}): void {
  const prefix = opts.prefix ?? 'bench';
  const ns = opts.namespace ?? 'default';
  const start = opts.start ?? 0;
  for (let i = start; i < start + count; i++) {
    const name = `${prefix}-7c85cc96dc-${i.toString(36).padStart(5, '0')}`;
    const created = reg.create(PODS, ns, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { app: prefix, 'pod-template-hash': '7c85cc96dc' } },
      spec: { nodeName: opts.nodeName ?? 'ghost', containers: [{ name: 'hostname-server', image: 'takytaky/hostname', ports: [{ containerPort: 80 }] }] },
    } as KubeObject);
    const now = isoTime(reg.clock.now());
    const ip = `10.250.${Math.floor(i / 250) % 250}.${(i % 250) + 2}`;
    reg.update(
      PODS,
      {
        ...structuredClone(created),
        status: {
          phase: 'Running',
          podIP: ip,
          podIPs: [{ ip }],
          hostIP: '192.168.56.99',
          startTime: now,
          conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: now })),
          containerStatuses: [
            {
              name: 'hostname-server',
              ready: true,
              started: true,
              restartCount: 0,
              image: 'docker.io/takytaky/hostname:latest',
              imageID: 'docker.io/takytaky/hostname@sha256:0000',
              containerID: `containerd://${i.toString(16).padStart(64, '0')}`,
              state: { running: { startedAt: now } },
            },
          ],
        },
      } as KubeObject,
      { subresource: 'status' },
    );
  }
}
