import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterSnapshot, PodView, ServiceView } from '../../../src-main/contract/views.ts';
import { type Box, layoutCluster, structureKey } from '../../../src-renderer/views/map/layout.ts';

const node = (name: string, ports = 1) => ({
  name, roles: name === 'master' ? ['control-plane'] : [], status: 'Ready' as const, running: true, unschedulable: false,
  ip: '192.168.56.10', podCIDR: '10.244.0.0/24',
  ports: Array.from({ length: ports }, (_, i) => ({ port: 10250 + i, protocol: 'TCP' as const, owner: 'kubelet' })),
});
const pod = (name: string, on: string | null, extra: Partial<PodView> = {}): PodView => ({
  namespace: 'default', name, node: on, ip: '10.244.1.2', phase: 'Running', status: 'Running', ready: '1/1', restarts: 0, labels: {}, owner: null, ...extra,
});
const service = (name: string, endpointNodes: string[]): ServiceView => ({
  namespace: 'default', name, type: 'ClusterIP', clusterIP: '10.96.0.1', externalIPs: [],
  ports: [{ port: 80, targetPort: '80', protocol: 'TCP' }],
  endpoints: endpointNodes.map((n, i) => ({ ip: `10.244.${i}.2`, port: 80, pod: null, node: n, ready: true })), sessionAffinity: 'None',
});
function snapshot(pods: PodView[], services: ServiceView[] = [service('kubernetes', ['master'])]): ClusterSnapshot {
  return {
    nodes: [node('worker2'), node('master'), node('worker1')], pods, services,
    clock: { now: 0, speed: 1 }, apiServer: null, loadBalancerEnabled: false, laptop: { ip: '192.168.56.1' },
  };
}
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (inner: Box, outer: Box) => inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
const nodeOrder = (l: { nodes: Record<string, Box> }) => Object.entries(l.nodes).sort((a, b) => a[1].x - b[1].x).map(([n]) => n);

const base = [pod('coredns-a', 'master'), pod('kube-proxy-m', 'master'), pod('kube-proxy-1', 'worker1'), pod('kube-proxy-2', 'worker2')];

test('rows: laptop above services above nodes; nodes in name order; pods inside their node, none overlapping', async () => {
  const l = await layoutCluster(snapshot(base));
  assert.deepEqual(nodeOrder(l), ['master', 'worker1', 'worker2']);
  const svc = l.services['default/kubernetes'];
  assert.ok(l.laptop.y + l.laptop.height <= svc.y, 'laptop above the services');
  for (const n of Object.values(l.nodes)) assert.ok(svc.y + svc.height <= n.y, 'services above the nodes');
  const nodesBoxes = Object.values(l.nodes);
  for (let i = 0; i < nodesBoxes.length; i++) for (let j = i + 1; j < nodesBoxes.length; j++) assert.ok(!overlaps(nodesBoxes[i], nodesBoxes[j]), 'nodes do not overlap');
  for (const p of base) assert.ok(inside(l.pods[`default/${p.name}`], l.nodes[p.node!]), `${p.name} inside ${p.node}`);
  const podBoxes = Object.values(l.pods);
  for (let i = 0; i < podBoxes.length; i++) for (let j = i + 1; j < podBoxes.length; j++) assert.ok(!overlaps(podBoxes[i], podBoxes[j]), 'pods do not overlap');
  assert.ok(l.width >= Math.max(...nodesBoxes.map((b) => b.x + b.width)));
  assert.ok(l.height >= Math.max(...nodesBoxes.map((b) => b.y + b.height)));
});

test('a pod coming moves nothing outside its node, and nothing above it in its node', async () => {
  const before = await layoutCluster(snapshot(base));
  const after = await layoutCluster(snapshot([...base, pod('hostname-server-x', 'worker1')]));
  assert.deepEqual(after.nodes.master, before.nodes.master);
  assert.deepEqual(after.nodes.worker2, before.nodes.worker2);
  assert.deepEqual({ ...after.nodes.worker1, height: 0 }, { ...before.nodes.worker1, height: 0 }, 'worker1 only grows downwards');
  assert.ok(after.nodes.worker1.height > before.nodes.worker1.height);
  for (const key of Object.keys(before.pods)) if (key !== 'default/kube-proxy-1') assert.deepEqual(after.pods[key], before.pods[key], `${key} stays`);
  // hostname-server-x sorts before kube-proxy-1, so kube-proxy-1 moves down one slot, straight down.
  assert.equal(after.pods['default/kube-proxy-1'].x, before.pods['default/kube-proxy-1'].x);
  assert.ok(after.pods['default/kube-proxy-1'].y > before.pods['default/kube-proxy-1'].y);
});

test('a pod going puts the map back where it was', async () => {
  const before = await layoutCluster(snapshot(base));
  await layoutCluster(snapshot([...base, pod('web-1', 'worker2'), pod('web-2', 'worker1')]));
  const again = await layoutCluster(snapshot(base));
  assert.deepEqual(again, before);
});

test('endpoints moving between nodes (pods rescheduled) never reorder the nodes', async () => {
  const orders = new Set<string>();
  for (const eps of [['master'], ['worker2'], ['worker1', 'worker2'], ['worker2', 'worker2']]) {
    const l = await layoutCluster(snapshot(base, [service('kubernetes', ['master']), service('hostname', eps)]));
    orders.add(nodeOrder(l).join(','));
  }
  assert.deepEqual([...orders], ['master,worker1,worker2']);
});

test('structureKey ignores statuses, IPs, counters and endpoints, but not pods moving', () => {
  const a = snapshot(base);
  const b = snapshot(base.map((p) => ({ ...p, status: 'Terminating', ip: null, restarts: 3 })), [service('kubernetes', ['worker1'])]);
  b.nodes[0] = { ...b.nodes[0], status: 'NotReady', running: false };
  assert.equal(structureKey(a), structureKey(b));
  const moved = snapshot(base.map((p) => (p.name === 'coredns-a' ? { ...p, node: 'worker2' } : p)));
  assert.notEqual(structureKey(a), structureKey(moved));
  const pending = snapshot([...base, pod('unscheduled', null)]);
  assert.equal(structureKey(a), structureKey(pending), 'pending pods are listed above the map, not laid out');
});
