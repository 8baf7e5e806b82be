import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterSnapshot, PodView } from '../../../src-main/contract/views.ts';
import { reuseUnchanged, sameValue } from '../../../src-renderer/lib/stores/reuse.ts';

const pod = (name: string, extra: Partial<PodView> = {}): PodView => ({
  namespace: 'default', name, node: 'worker1', ip: '10.244.1.2', phase: 'Running', status: 'Running', ready: '1/1', restarts: 0,
  labels: { app: 'web' }, owner: 'ReplicaSet/web-1', ...extra,
});
const snapshot = (pods: PodView[]): ClusterSnapshot => ({
  nodes: [{ name: 'worker1', roles: [], status: 'Ready', running: true, unschedulable: false, ip: '192.168.56.11', podCIDR: '10.244.1.0/24', ports: [{ port: 10250, protocol: 'TCP', owner: 'kubelet' }] }],
  pods, services: [], clock: { now: 0, speed: 1 }, apiServer: null, loadBalancerEnabled: false, laptop: { ip: '192.168.56.1' },
});
// What the wire gives: every object new.
const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

test('an unchanged snapshot keeps every object and list of the previous one', () => {
  const first = snapshot([pod('a'), pod('b')]);
  const next = reuseUnchanged(first, copy(first));
  assert.equal(next.pods, first.pods);
  assert.equal(next.nodes, first.nodes);
  assert.equal(next.services, first.services);
});

test('one pod changed: only that pod is a new object, the others are the previous ones', () => {
  const first = snapshot([pod('a'), pod('b'), pod('c')]);
  const changed = copy(first);
  changed.pods[1].status = 'Terminating';
  const next = reuseUnchanged(first, changed);
  assert.notEqual(next.pods, first.pods);
  assert.equal(next.pods[0], first.pods[0]);
  assert.notEqual(next.pods[1], first.pods[1]);
  assert.equal(next.pods[1].status, 'Terminating');
  assert.equal(next.pods[2], first.pods[2]);
  assert.equal(next.nodes, first.nodes, 'the nodes did not change');
});

test('pods coming and going: the new list, the staying pods reused, a label change seen', () => {
  const first = snapshot([pod('a'), pod('b')]);
  const changed = copy(first);
  changed.pods = [changed.pods[1], pod('c'), { ...changed.pods[0], labels: { app: 'web', tier: 'x' } }];
  const next = reuseUnchanged(first, changed);
  assert.deepEqual(next.pods.map((p) => p.name), ['b', 'c', 'a']);
  assert.equal(next.pods[0], first.pods[1]);
  assert.notEqual(next.pods[2], first.pods[0]);
  assert.deepEqual(next.pods[2].labels, { app: 'web', tier: 'x' });
  assert.deepEqual(next, changed);
});

test('sameValue: deep, by value, arrays and objects not confused', () => {
  assert.ok(sameValue({ a: [1, { b: null }] }, { a: [1, { b: null }] }));
  assert.ok(!sameValue({ a: [1, 2] }, { a: [1, 2, 3] }));
  assert.ok(!sameValue({ a: 1 }, { a: 1, b: undefined }));
  assert.ok(!sameValue([], {}));
  assert.ok(!sameValue({ a: null }, { a: {} }));
});
