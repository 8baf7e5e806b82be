import { test } from 'node:test';
import assert from 'node:assert/strict';
import { threadId, type Worker } from 'node:worker_threads';
import type { LoadResult } from '../../src-main/node/load-test.ts';
import { deploy, seedDeployment, service, SERVICES, startLab, svcIP } from './network-fixture.ts';

// 1,000,000 passes too (KUBELAB_LOAD_CONNECTIONS=1000000, ~2 min of CPU); the default already wraps the port range ~9 times.
const CONNECTIONS = Number(process.env.KUBELAB_LOAD_CONNECTIONS ?? 250_000);

test('pod-to-pod traffic between two workers goes worker to worker, not through the host thread', async () => {
  const lab = await startLab();
  try {
    const pods = await deploy(lab, seedDeployment());
    const target = pods.find((p) => p.spec!.nodeName === 'worker2')!;
    const client = pods.find((p) => p.spec!.nodeName === 'worker1')!;
    let hostMessages = 0;
    for (const n of ['worker1', 'worker2']) {
      const w = (lab.cluster.node(n) as unknown as { worker: Worker }).worker;
      w.on('message', () => hostMessages++);
    }
    const r = await lab.cluster.node('worker1').call('load', {
      dst: { ip: target.status!.podIP!, port: 80 },
      count: 2000,
      concurrency: 8,
      from: { kind: 'pod', name: `default/${client.metadata!.name}`, ip: client.status!.podIP! },
    });
    assert.equal(r.ok, 2000);
    assert.deepEqual(Object.keys(r.byPod), [`default/${target.metadata!.name}`], 'answered by the pod on worker2');
    assert.notEqual(r.threadId, threadId, 'the load ran in the node worker');
    // 2000 connections crossed worker1 -> worker2; the host saw the call's result and a few UI frames at most.
    assert.ok(hostMessages < 30, `host thread saw ${hostMessages} messages`);
    const traces = await lab.cluster.node('worker1').call('traces');
    assert.deepEqual(traces.at(-1)!.crossed, ['worker1', 'worker2']);
    assert.equal(traces.at(-1)!.snat, null, 'pod to pod: no masquerade');
    const served = await lab.cluster.node('worker2').call('traces');
    assert.ok(Array.isArray(served));
  } finally {
    await lab.close();
  }
});

test(`node.call('load') over ${CONNECTIONS} connections: conntrack stays under nf_conntrack_max, memory stays flat`, async () => {
  const lab = await startLab();
  try {
    await deploy(lab, seedDeployment());
    lab.reg.create(SERVICES, 'default', service('clusterip-hostname-service', { selector: { app: 'hostname-server' }, ports: [{ port: 80, targetPort: 80 }] }));
    await lab.cluster.settle();
    const dst = { ip: svcIP(lab, 'clusterip-hostname-service'), port: 80 };
    const node = lab.cluster.node('worker1');
    // Every node worker's live heap (after a full GC in it): the entry node's and the endpoints' alike.
    const liveHeaps = () => Promise.all(['master', 'worker1', 'worker2'].map((n) => lab.cluster.node(n).call('liveHeap')));
    const warm = await node.call('load', { dst, count: Math.min(100_000, CONNECTIONS), concurrency: 64 });
    const liveBefore = await liveHeaps();
    const big = await node.call('load', { dst, count: CONNECTIONS, concurrency: 64 });
    const liveAfter = await liveHeaps();
    assert.equal(big.ok, CONNECTIONS);
    assert.equal(big.failed, 0);
    assert.equal(Object.keys(big.byPod).length, 2);
    for (const n of Object.values(big.byPod)) assert.ok(Math.abs(n / CONNECTIONS - 0.5) < 0.02);
    assert.equal(big.conntrackMax, 131072, 'max(32768 x 2 cores, 131072)');
    // One client address and port range to one service port: TIME_WAIT tuples are recycled, 28232 ports at most.
    assert.ok(big.conntrackEntries <= 28232, `conntrack entries ${big.conntrackEntries}`);
    assert.ok(big.heapUsedBytes - warm.heapUsedBytes < 64 * 2 ** 20, `heap grew ${(big.heapUsedBytes - warm.heapUsedBytes) / 2 ** 20} MiB`);
    liveBefore.forEach((b, k) => {
      const grew = liveAfter[k]! - b;
      assert.ok(grew < Math.max(0.1 * b, 2 * 2 ** 20), `node ${k}: live heap ${(b / 2 ** 20).toFixed(1)} -> ${(liveAfter[k]! / 2 ** 20).toFixed(1)} MiB`);
    });
    const rules = await node.call('natRules');
    const svcRule = rules.find((r) => r.chain === 'KUBE-SERVICES' && r.text.includes(`-d ${dst.ip}/32`))!;
    assert.equal(svcRule.packets, warm.ok + big.ok, 'every connection counted once on its KUBE-SERVICES rule');
  } finally {
    await lab.close();
  }
});
