import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../src-main/cluster/cluster.ts';
import { ManualClock } from '../../src-main/clock/clock.ts';
import { byKind } from '../../src-main/api/resources.ts';
import type { KubeObject, Pod } from '../../src-main/api/types.ts';

const PODS = byKind('Pod');

function pod(name: string, node: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'hostname-server' } },
    spec: { nodeName: node, containers: [{ name: 'hostname-server', image: 'takytaky/hostname', ports: [{ containerPort: 80 }] }] },
  };
}

test('every node is its own worker thread with its own IP, pod CIDR and lease', async () => {
  const cluster = await Cluster.start({ nodes: 3, clock: new ManualClock(), controllers: false });
  try {
    const pings = await Promise.all(cluster.nodes().map((h) => h.call('ping')));
    assert.deepEqual(pings.map((p) => p.node), ['master', 'worker1', 'worker2']);
    const threads = new Set(pings.map((p) => p.threadId));
    assert.equal(threads.size, 3, 'three distinct worker threads');
    assert.ok(!threads.has(0), 'none of them the main thread');
    const nodes = cluster.registry.list(byKind('Node')).items;
    assert.deepEqual(
      nodes.map((n) => [n.metadata.name, (n.spec as { podCIDR: string }).podCIDR]),
      [['master', '10.244.0.0/24'], ['worker1', '10.244.1.0/24'], ['worker2', '10.244.2.0/24']],
    );
    await cluster.settle();
    const leases = cluster.registry.list(byKind('Lease'), { namespace: 'kube-node-lease' }).items;
    assert.equal(leases.length, 3);
    const ready = nodes.map((n) => cluster.registry.get(byKind('Node'), undefined, n.metadata.name!));
    for (const n of ready) assert.equal((n.status as { conditions: Array<{ type: string; status: string }> }).conditions.find((c) => c.type === 'Ready')?.status, 'True');
  } finally {
    await cluster.close();
  }
});

test('pods bound to different nodes run in different worker threads and get IPs from their node CIDR', async () => {
  const cluster = await Cluster.start({ nodes: 3, clock: new ManualClock(), controllers: false });
  try {
    cluster.registry.create(PODS, 'default', pod('a', 'worker1'));
    cluster.registry.create(PODS, 'default', pod('b', 'worker2'));
    for (let i = 0; i < 30; i++) {
      await cluster.advance(1000);
      const phases = ['a', 'b'].map((n) => (cluster.registry.get(PODS, 'default', n) as unknown as Pod).status?.phase);
      if (phases.every((p) => p === 'Running')) break;
    }
    const a = cluster.registry.get(PODS, 'default', 'a') as unknown as Pod;
    const b = cluster.registry.get(PODS, 'default', 'b') as unknown as Pod;
    assert.equal(a.status?.phase, 'Running');
    assert.match(a.status?.podIP ?? '', /^10\.244\.1\.\d+$/);
    assert.match(b.status?.podIP ?? '', /^10\.244\.2\.\d+$/);
    const [onW1, onW2] = await Promise.all([cluster.node('worker1').call('pods'), cluster.node('worker2').call('pods')]);
    assert.deepEqual(onW1.map((p) => p.name), ['a']);
    assert.deepEqual(onW2.map((p) => p.name), ['b']);
    // A request from master crosses to worker1's thread and is answered by pod a's program.
    const r = await cluster.network.connect({ node: 'master' }, {
      dst: { ip: a.status!.podIP!, port: 80 },
      proto: 'tcp',
      payload: { kind: 'http', request: { method: 'GET', path: '/', httpVersion: 'HTTP/1.1', headers: [['Host', 'x']], body: '' } },
    });
    assert.ok(r.ok);
    assert.ok(r.ok && r.response.kind === 'http' && r.response.response.body.includes('<p>Hello,  a</p>'));
  } finally {
    await cluster.close();
  }
});
