import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AllocationError,
  ClusterIPAllocator,
  clusterIPAllocationDetail,
  cidrContains,
  nodeIP,
  NodePortAllocator,
  PodIPAllocator,
  podCIDR,
  podGateway,
  reverseName,
  LoadBalancerIPPool,
} from '../../../src-main/net/addresses.ts';

test('address plan', () => {
  assert.equal(nodeIP(0), '192.168.56.10');
  assert.equal(nodeIP(2), '192.168.56.12');
  assert.equal(podCIDR(1), '10.244.1.0/24');
  assert.equal(podGateway(2), '10.244.2.1');
  assert.ok(cidrContains('10.96.0.0/12', '10.111.255.254'));
  assert.ok(!cidrContains('10.96.0.0/12', '10.112.0.1'));
  assert.equal(reverseName('10.96.0.1'), '1.0.96.10.in-addr.arpa');
  const pods = new PodIPAllocator('10.244.1.0/24');
  assert.deepEqual([pods.allocate(), pods.allocate()], ['10.244.1.2', '10.244.1.3']);
  const lb = new LoadBalancerIPPool();
  assert.equal(lb.allocate(), '192.168.56.240');
  assert.equal(lb.allocate('192.168.56.240'), undefined);
});

test('ClusterIP allocator: static anywhere, dynamic from the upper band, upstream errors', () => {
  const a = new ClusterIPAllocator('10.96.0.0/12', () => 0);
  a.allocate('10.96.0.1');
  a.allocate('10.96.0.10');
  assert.equal(a.dynamicStart, '10.96.1.1');
  assert.equal(a.allocateNext(), '10.96.1.1');
  assert.equal(a.allocateNext(), '10.96.1.2');
  const r = new ClusterIPAllocator('10.96.0.0/12', Math.random);
  for (let i = 0; i < 50; i++) {
    const ip = r.allocateNext();
    assert.ok(cidrContains('10.96.0.0/12', ip) && !cidrContains('10.96.0.0/24', ip), ip);
  }
  assert.throws(() => a.allocate('10.96.0.10'), (e: AllocationError) => e.message === 'provided IP is already allocated');
  try {
    a.allocate('10.96.0.10');
  } catch (e) {
    assert.equal(clusterIPAllocationDetail('10.96.0.10', e as AllocationError), 'failed to allocate IP 10.96.0.10: provided IP is already allocated');
  }
  assert.throws(() => a.allocate('10.200.0.1'), { message: 'the provided IP (10.200.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12' });
  const tiny = new ClusterIPAllocator('10.0.0.0/30', () => 0);
  tiny.allocateNext();
  tiny.allocateNext();
  assert.throws(() => tiny.allocateNext(), { message: 'range is full' });
});

test('NodePort allocator: range errors and the upper band first', () => {
  const p = new NodePortAllocator(30000, 2768, () => 0);
  p.allocate(30080);
  assert.throws(() => p.allocate(30080), { message: 'provided port is already allocated' });
  assert.throws(() => p.allocate(80), { message: 'provided port is not in the valid range. The range of valid ports is 30000-32767' });
  assert.equal(p.dynamicStart, 30086);
  assert.equal(p.allocateNext(), 30086);
});
