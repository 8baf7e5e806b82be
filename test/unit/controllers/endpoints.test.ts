import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src-main/api/types.ts';
import { R, deployment, setup, workers } from './harness.ts';

const service = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', labels: { tier: 'front' } },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }], ...extra },
});

test('EndpointSlice and Endpoints follow ready, not-ready and terminating pods', async (t) => {
  const env = await setup(workers(), { controllers: ['deployment', 'replicaset', 'scheduler', 'endpoint', 'endpointslice', 'garbagecollector'] });
  t.after(() => env.ctl.stop());
  env.reg.create(R.svc, 'default', service('web'));
  await env.settle();
  let slices = env.reg.list(R.slice).items;
  assert.equal(slices.length, 1, 'a placeholder slice');
  assert.equal(slices[0].endpoints, null);
  assert.match(slices[0].metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);

  env.reg.create(R.deploy, 'default', deployment('web', 2));
  let first: string | undefined;
  await env.kubelet({ ready: (p) => (first ??= p.metadata.name) === p.metadata.name });
  slices = env.reg.list(R.slice).items;
  assert.equal(slices.length, 1);
  const slice = slices[0];
  const svc = env.reg.get(R.svc, 'default', 'web');
  assert.deepEqual(slice.metadata.labels, {
    tier: 'front',
    'kubernetes.io/service-name': 'web',
    'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
  });
  assert.deepEqual(slice.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  assert.equal(slice.addressType, 'IPv4');
  assert.deepEqual(slice.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }], 'the named targetPort resolved per pod');
  const eps = slice.endpoints as any[];
  assert.equal(eps.length, 2);
  const byName = new Map(eps.map((e) => [e.targetRef.name, e]));
  const pods = env.pods();
  for (const p of pods) {
    const e = byName.get(p.metadata.name)!;
    const isFirst = p.metadata.name === first;
    assert.deepEqual(e.conditions, { ready: isFirst, serving: isFirst, terminating: false });
    assert.deepEqual(e.addresses, [(p.status as any).podIP]);
    assert.equal(e.nodeName, (p.spec as any).nodeName);
    assert.deepEqual(e.targetRef, { kind: 'Pod', namespace: 'default', name: p.metadata.name, uid: p.metadata.uid });
  }
  const ep = env.reg.get(R.ep, 'default', 'web');
  assert.equal(ep.metadata.labels!['endpoints.kubernetes.io/managed-by'], 'endpoint-controller');
  const subsets = ep.subsets as any[];
  assert.equal(subsets.length, 1);
  assert.equal(subsets[0].addresses.length, 1);
  assert.equal(subsets[0].notReadyAddresses.length, 1);
  assert.deepEqual(subsets[0].ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);

  // A ready pod being deleted: still in the slice as terminating (serving, not ready), gone from Endpoints.
  const readyPod = pods.find((p) => p.metadata.name === first)!;
  env.reg.delete(R.pod, 'default', readyPod.metadata.name!);
  await env.settle();
  const after = env.reg.list(R.slice).items[0].endpoints as any[];
  const term = after.find((e) => e.targetRef.name === first);
  assert.deepEqual(term.conditions, { ready: false, serving: true, terminating: true });
  assert.equal(((env.reg.get(R.ep, 'default', 'web').subsets as any[])[0].addresses ?? []).length, 0);
});

test('publishNotReadyAddresses, headless label, and services the controllers leave alone', async (t) => {
  const env = await setup(workers(), { controllers: ['deployment', 'replicaset', 'scheduler', 'endpoint', 'endpointslice'] });
  t.after(() => env.ctl.stop());
  env.reg.create(R.svc, 'default', service('hl', { clusterIP: 'None', publishNotReadyAddresses: true }));
  env.reg.create(R.svc, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'example.com', selector: { app: 'web' } } });
  env.reg.create(R.svc, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
  env.reg.create(R.deploy, 'default', deployment('web', 1));
  await env.kubelet({ ready: () => false });
  const slices = env.reg.list(R.slice).items;
  assert.deepEqual(slices.map((s) => s.metadata.labels!['kubernetes.io/service-name']), ['hl']);
  assert.equal(slices[0].metadata.labels!['service.kubernetes.io/headless'], '');
  assert.deepEqual((slices[0].endpoints as any[])[0].conditions, { ready: true, serving: false, terminating: false });
  assert.equal(env.reg.tryGet(R.ep, 'default', 'ext'), undefined);
  assert.equal(env.reg.tryGet(R.ep, 'default', 'manual'), undefined);
  assert.equal(((env.reg.get(R.ep, 'default', 'hl').subsets as any[])[0].addresses as any[]).length, 1);
});

test('a pod whose Node object is gone leaves the EndpointSlice at once, unless not-ready addresses are published', async (t) => {
  const env = await setup(workers(), { controllers: ['deployment', 'replicaset', 'scheduler', 'endpointslice', 'garbagecollector'] });
  t.after(() => env.ctl.stop());
  env.reg.create(R.svc, 'default', service('web'));
  env.reg.create(R.svc, 'default', service('web-all', { publishNotReadyAddresses: true }));
  env.reg.create(R.deploy, 'default', deployment('web', 2));
  await env.kubelet();
  const endpointsOf = (svc: string) =>
    env.reg.list(R.slice).items.filter((s) => s.metadata.labels!['kubernetes.io/service-name'] === svc).flatMap((s) => ((s.endpoints as any[]) ?? []).map((e) => e.nodeName as string)).sort();
  assert.deepEqual(endpointsOf('web'), ['worker1', 'worker2']);
  env.reg.delete(R.node, undefined, 'worker1');
  await env.settle();
  assert.deepEqual(endpointsOf('web'), ['worker2']);
  assert.deepEqual(endpointsOf('web-all'), ['worker1', 'worker2']);
});
