import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PodView } from '../../../src-main/contract/views.ts';
import { GROUP_ABOVE, nodeTiles, pendingGroups } from '../../../src-renderer/views/map/groups.ts';
import { layoutCluster } from '../../../src-renderer/views/map/layout.ts';

const pod = (name: string, node: string | null, extra: Partial<PodView> = {}): PodView => ({
  namespace: 'default', name, node, ip: '10.244.1.2', phase: 'Running', status: 'Running', ready: '1/1', restarts: 0, labels: {}, owner: null, ...extra,
});

test('a node with few pods shows every pod', () => {
  const pods = Array.from({ length: GROUP_ABOVE }, (_, i) => pod(`web-${i}`, 'worker1', { owner: 'ReplicaSet/web-1' }));
  const tiles = nodeTiles(pods);
  assert.equal(tiles.length, GROUP_ABOVE);
  assert.ok(tiles.every((t) => t.kind === 'pod'));
});

test("a crowded node groups each owner's pods with status counts; small owners and bare pods stay single", () => {
  const pods = [
    ...Array.from({ length: 200 }, (_, i) => pod(`fill-${String(i).padStart(3, '0')}`, 'worker1', { owner: 'ReplicaSet/fill-7c8', status: i < 190 ? 'Running' : 'ContainerCreating' })),
    pod('hostname-server-a', 'worker1', { owner: 'ReplicaSet/hostname-server-7c' }),
    pod('kube-proxy-x', 'worker1', { owner: 'DaemonSet/kube-proxy' }),
    pod('bare', 'worker1'),
  ];
  const tiles = nodeTiles(pods);
  assert.equal(tiles.length, 4);
  const group = tiles.find((t) => t.kind === 'group');
  assert.ok(group && group.kind === 'group');
  assert.equal(group.pods.length, 200);
  assert.equal(group.owner, 'ReplicaSet/fill-7c8');
  assert.deepEqual(group.statuses, [['Running', 190], ['ContainerCreating', 10]]);
  assert.deepEqual(tiles.filter((t) => t.kind === 'pod').map((t) => t.key).sort(), ['default/bare', 'default/hostname-server-a', 'default/kube-proxy-x']);
});

test('unscheduled pods are one list by reason, the biggest first', () => {
  const why = 'Unschedulable: 0/3 nodes are available: 3 Insufficient cpu.';
  const groups = pendingGroups([
    ...Array.from({ length: 30 }, (_, i) => pod(`big-${i}`, null, { status: 'Pending', scheduling: why })),
    pod('fresh', null, { status: 'Pending' }),
    pod('placed', 'worker1'),
  ]);
  assert.deepEqual(groups.map((g) => [g.reason, g.pods.length]), [[why, 30], ['Pending', 1]]);
});

test('500 pods: the map stays a few screens, not a wall; every pod has a box (its own or its group)', async () => {
  const nodes = ['master', 'worker1', 'worker2'].map((name) => ({
    name, roles: [], status: 'Ready' as const, running: true, unschedulable: false, ip: '192.168.56.10', podCIDR: '10.244.0.0/24', ports: [],
  }));
  const pods = Array.from({ length: 500 }, (_, i) => pod(`fill-${i}`, nodes[i % 3]!.name, { owner: 'ReplicaSet/fill-1' }));
  const l = await layoutCluster({ nodes, pods, services: [], clock: { now: 0, speed: 1 }, apiServer: null, loadBalancerEnabled: false, laptop: { ip: '192.168.56.1' } });
  assert.ok(l.height < 600, `map height ${l.height}`);
  assert.ok(l.width < 1200, `map width ${l.width}`);
  assert.equal(Object.keys(l.groups).length, 3);
  for (const p of pods) assert.ok(l.pods[`default/${p.name}`], `${p.name} has a box`);
});
