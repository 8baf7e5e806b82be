import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Event, Node, Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import { describeDeployment, describeNamespace, describeNode, describePod, describeService } from '../../../src-main/printers/describe/index.ts';
import { deployment, node, pod, replicaSet, service, T0 } from './fixtures.ts';
import { wireOutput } from './wire.ts';

test('describe pod matches real kubectl (21-describe-pod)', () => {
  const p = pod('web-cc9c31fd18-0c04f', '10.244.0.19', 0) as unknown as Pod;
  Object.assign(p.metadata!, { creationTimestamp: '2026-11-25T18:18:03Z' });
  p.status!.startTime = '2026-11-25T18:18:03Z';
  p.status!.containerStatuses![0].state = { running: { startedAt: '2026-11-25T18:18:03Z' } };
  assert.equal(describePod(p, [], T0), wireOutput('21-describe-pod.out'));
});

test('describe svc matches real kubectl 1.32/1.33 (22-describe-svc, suite-1.33-04-describe-svc)', () => {
  const svc = service('web', '10.96.0.14', 80, 0, { app: 'web' }) as unknown as Service;
  const slice = (ips: string[]): EndpointSlice => ({
    addressType: 'IPv4',
    ports: [{ name: '', port: 80, protocol: 'TCP' }],
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
  });
  assert.equal(describeService(svc, [slice(['10.244.0.13', '10.244.0.12'])], [], T0), wireOutput('22-describe-svc.out'));
  assert.equal(describeService(svc, [slice(['10.244.0.16', '10.244.0.15', '10.244.0.17'])], [], T0), wireOutput('suite-1.33-04-describe-svc.out'));
});

test('describe svc: NodePort, unready endpoints left out, no slices', () => {
  const svc = service('nodeport-service', '10.96.201.17', 80, 0, { app: 'web' }) as unknown as Service;
  svc.spec!.type = 'NodePort';
  svc.spec!.externalTrafficPolicy = 'Cluster';
  svc.spec!.ports = [{ port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 30080 }];
  const out = describeService(svc, [{ addressType: 'IPv4', ports: [{ name: '', port: 8080, protocol: 'TCP' }], endpoints: [{ addresses: ['10.244.1.6'] }, { addresses: ['10.244.2.8'] }, { addresses: ['10.244.2.9'], conditions: { ready: false } }] }], [], T0);
  assert.match(out, /^NodePort:                 <unset>  30080\/TCP$/m);
  assert.match(out, /^Endpoints:                10\.244\.1\.6:8080,10\.244\.2\.8:8080$/m);
  assert.match(out, /^External Traffic Policy:  Cluster$/m);
  assert.match(describeService(svc, [], undefined, T0), /^Endpoints:                <none>$/m);
});

test('describe deploy matches real kubectl (20-describe-deploy)', () => {
  const d = deployment(0, 'nginx:1.27', 4) as unknown as Deployment;
  Object.assign(d.metadata!, { creationTimestamp: '2026-11-25T18:17:45Z' });
  const rs = replicaSet('cc9c31fd18', 0, 'nginx:1.27', 4) as unknown as ReplicaSet;
  const now = Date.parse('2026-11-25T18:18:20Z');
  const ev = (msg: string, at: string): Event => ({
    metadata: { name: 'x' }, involvedObject: { kind: 'Deployment', name: 'web' }, type: 'Normal', reason: 'ScalingReplicaSet',
    message: msg, source: { component: 'deployment-controller' }, firstTimestamp: at, lastTimestamp: at, count: 1,
  });
  const events = [ev('Scaled up replica set web-cc9c31fd18 from 2 to 4', '2026-11-25T18:17:49Z'), ev('Scaled up replica set web-cc9c31fd18 from 0 to 2', '2026-11-25T18:17:47Z')];
  assert.equal(describeDeployment(d, [rs], events, now), wireOutput('20-describe-deploy.out'));
});

test('describe events: repeated events show (xN over ...)', () => {
  const p = pod('p', '1.1.1.1', 0) as unknown as Pod;
  const out = describePod(p, [{ metadata: { name: 'e' }, involvedObject: {}, type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container', source: { component: 'kubelet' }, firstTimestamp: new Date(T0 - 300_000).toISOString(), lastTimestamp: new Date(T0 - 120_000).toISOString(), count: 3 }], T0);
  assert.match(out, /\n  Warning  BackOff  2m \(x3 over 5m\)  kubelet  Back-off restarting failed container\n$/);
});

test('describe node matches real kubectl (23-describe-node)', () => {
  const n = node(0) as unknown as Node;
  const t = '2026-11-25T18:18:42Z';
  Object.assign(n.metadata!, { creationTimestamp: t });
  n.status!.conditions![0].lastHeartbeatTime = n.status!.conditions![0].lastTransitionTime = t;
  const lease: Lease = { metadata: { name: 'node-1' }, spec: { holderIdentity: 'node-1', renewTime: '2026-11-25T18:18:42.000000Z' } };
  const pods = ['web-cc9c31fd18-0e0e9', 'web-cc9c31fd18-2ee5c'].map((name) => pod(name, '1', 0) as unknown as Pod);
  assert.equal(describeNode(n, pods, [], lease, T0), wireOutput('23-describe-node.out'));
});

test('describe namespace', () => {
  assert.equal(
    describeNamespace({ metadata: { name: 'default', labels: { 'kubernetes.io/metadata.name': 'default' } }, status: { phase: 'Active' } }),
    'Name:         default\nLabels:       kubernetes.io/metadata.name=default\nAnnotations:  <none>\nStatus:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n',
  );
});
