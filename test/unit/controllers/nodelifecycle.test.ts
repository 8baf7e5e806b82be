import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src-main/api/types.ts';
import { isoTime } from '../../../src-main/clock/clock.ts';
import { R, deployment, setup, workers } from './harness.ts';

const spec = (o: KubeObject) => o.spec as Record<string, any>;
const conds = (o: KubeObject) => ((o.status as any)?.conditions ?? []) as any[];

test('lease expiry: Unknown at 50s, unreachable taint, eviction 300s later, replacement elsewhere, recovery', async (t) => {
  const env = await setup(workers());
  t.after(() => env.ctl.stop());
  const start = env.clock.now();
  const all = ['master', 'worker1', 'worker2'];
  env.renewLeases(all);
  env.reg.create(R.deploy, 'default', deployment('web', 2));
  await env.kubelet();
  const victim = env.pods().find((p) => spec(p).nodeName === 'worker2')!;
  assert.ok(victim, 'one pod on worker2');

  // worker2's kubelet dies right after its renewal at `start`; the others renew every 10s.
  let alive = ['master', 'worker1'];
  const advance = async (ms: number) => {
    for (let done = 0; done < ms; done += 1000) {
      env.clock.advance(1000);
      if ((env.clock.now() - start) % 10_000 === 0) env.renewLeases(alive);
      await env.settle();
    }
  };
  const worker2 = () => env.reg.get(R.node, undefined, 'worker2');
  await advance(49_000);
  assert.equal(conds(worker2()).find((c) => c.type === 'Ready').status, 'True', 'still Ready at 49s');
  await advance(1_000);
  const unknownAt = start + 50_000;
  const ready = conds(worker2()).find((c) => c.type === 'Ready');
  assert.deepEqual([ready.status, ready.reason, ready.message, ready.lastTransitionTime], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.', isoTime(unknownAt)]);
  assert.ok(conds(worker2()).every((c) => c.status === 'Unknown' && c.reason === 'NodeStatusUnknown'));
  assert.equal(conds(env.reg.get(R.node, undefined, 'worker1')).find((c) => c.type === 'Ready').status, 'True');
  assert.deepEqual(
    spec(worker2()).taints.map((x: any) => [x.key, x.effect, x.timeAdded]).sort(),
    [
      ['node.kubernetes.io/unreachable', 'NoExecute', isoTime(unknownAt)],
      ['node.kubernetes.io/unreachable', 'NoSchedule', isoTime(unknownAt)],
    ],
  );
  const podNow = env.reg.get(R.pod, 'default', victim.metadata.name!);
  assert.equal(conds(podNow).find((c) => c.type === 'Ready').status, 'False');
  assert.ok(env.events('NodeNotReady').some((e) => e.message === 'Node is not ready' && (e.involvedObject as any).name === victim.metadata.name));
  assert.ok(env.events('NodeNotReady').some((e) => e.message === 'Node worker2 status is now: NodeNotReady'));

  // Tolerated for 300s (DefaultTolerationSeconds), counted from when the taint was seen.
  await advance(299_000);
  assert.equal(env.reg.get(R.pod, 'default', victim.metadata.name!).metadata.deletionTimestamp, undefined, 'not yet at 299s');
  await advance(1_000);
  const evicted = env.reg.get(R.pod, 'default', victim.metadata.name!);
  assert.ok(evicted.metadata.deletionTimestamp, 'evicted at 300s');
  assert.equal(conds(evicted).find((c) => c.type === 'DisruptionTarget').reason, 'DeletionByTaintManager');
  const ev = env.events('TaintManagerEviction');
  assert.deepEqual(ev.map((e) => e.message), [`Marking for deletion Pod default/${victim.metadata.name}`]);
  await env.kubelet({ deadNodes: ['worker2'] });
  const live = env.pods().filter((p) => !p.metadata.deletionTimestamp);
  assert.equal(live.length, 2);
  assert.deepEqual(live.map((p) => spec(p).nodeName), ['worker1', 'worker1'], 'the replacement avoids the unreachable node and the control plane');

  // The kubelet comes back: a renewal and a Ready heartbeat.
  alive = all;
  env.renewLeases(['worker2']);
  const n = structuredClone(worker2());
  const t0 = isoTime(env.clock.now());
  (n.status as any).conditions = conds(n).map((c) => ({ ...c, status: c.type === 'Ready' ? 'True' : 'False', lastHeartbeatTime: t0, lastTransitionTime: t0, reason: 'KubeletReady' }));
  env.reg.update(R.node, n, { subresource: 'status' });
  await advance(5_000);
  assert.equal(spec(worker2()).taints, undefined, 'taints removed');
  assert.equal(conds(worker2()).find((c) => c.type === 'Ready').status, 'True');
});

test('no eviction when every node is down (master disruption mode)', async (t) => {
  const env = await setup(workers());
  t.after(() => env.ctl.stop());
  env.renewLeases(['master', 'worker1', 'worker2']);
  env.clock.advance(50_000);
  await env.settle();
  for (const name of ['master', 'worker1', 'worker2']) {
    const node = env.reg.get(R.node, undefined, name);
    assert.equal(conds(node).find((c) => c.type === 'Ready').status, 'Unknown');
    const noExec = (spec(node).taints ?? []).filter((x: any) => x.effect === 'NoExecute');
    assert.deepEqual(noExec, [], name);
  }
});
