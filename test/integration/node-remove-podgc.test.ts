import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../src-main/cluster/cluster.ts';
import { ManualClock } from '../../src-main/clock/clock.ts';
import { startControllers } from '../../src-main/controllers/index.ts';
import { byKind } from '../../src-main/api/resources.ts';
import type { Pod } from '../../src-main/api/types.ts';
import type { WatchEvent } from '../../src-main/store/store.ts';
import { podCells } from '../../src-main/printers/table/pod-cells.ts';
import { seedDeployment } from '../fixtures/seed.ts';

const PODS = byKind('Pod');

function pods(c: Cluster): Pod[] {
  return c.registry.list(PODS, { namespace: 'default', labelSelector: 'app=hostname-server' }).items as unknown as Pod[];
}
const running = (c: Cluster) => pods(c).filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);

test('kubelab node remove: the pod garbage collector deletes the orphaned pod after the quarantine; its replacement runs on a live node', async () => {
  const clock = new ManualClock();
  const c = await Cluster.start({ nodes: 3, clock, startControllers });
  try {
    c.registry.create(byKind('Deployment'), 'default', seedDeployment());
    for (let i = 0; i < 60 && running(c).length < 2; i++) await c.advance(500, 500);
    const before = running(c);
    assert.deepEqual(before.map((p) => p.spec?.nodeName).sort(), ['worker1', 'worker2'], 'spread over both workers');
    const victim = before.find((p) => p.spec?.nodeName === 'worker1')!;

    const seen: WatchEvent[] = [];
    const rv = c.registry.list(PODS).resourceVersion;
    const watch = c.registry.watch(PODS, { resourceVersion: rv }, (ev) => ev.object.metadata.uid === victim.metadata?.uid && seen.push(ev));
    await c.removeNode('worker1');
    assert.equal(c.registry.tryGet(byKind('Node'), undefined, 'worker1'), undefined);
    // The earliest a pass can act is 40 s (quarantineTime) after the one that first sees the node missing.
    await c.advance(39_000);
    const orphan = pods(c).find((p) => p.metadata?.uid === victim.metadata?.uid);
    assert.equal(orphan?.status?.phase, 'Running', 'kept through the quarantine, still Running: no kubelet reports otherwise');

    // ... and the latest is quarantine + one gcCheckPeriod (60 s).
    await c.advance(21_000);
    assert.ok(!pods(c).some((p) => p.metadata?.uid === victim.metadata?.uid), 'force-deleted once the quarantine is over');
    watch.stop();
    // What `kubectl get pods -w` shows of it: one update to Failed (its container still reported running), then the deletion.
    assert.deepEqual(seen.map((e) => e.type), ['MODIFIED', 'DELETED']);
    const failed = seen[0]!.object as unknown as Pod;
    assert.deepEqual(podCells(failed, clock.now()).slice(1, 3), ['1/1', 'Failed']);
    const dt = failed.status?.conditions?.find((x) => x.type === 'DisruptionTarget');
    assert.deepEqual([dt?.reason, dt?.message], ['DeletionByPodGC', 'PodGC: node no longer exists']);
    for (let i = 0; i < 30 && running(c).length < 2; i++) await c.advance(1_000);
    const after = running(c);
    assert.equal(after.length, 2);
    assert.ok(after.every((p) => p.spec?.nodeName === 'worker2'), 'the replacement runs on the remaining worker');
    assert.equal(pods(c).length, 2, 'nothing left behind');
    const replacement = after.find((p) => p.metadata?.uid !== before.find((b) => b.spec?.nodeName === 'worker2')!.metadata?.uid)!;
    const onWorker2 = await c.node('worker2').call('pods');
    assert.ok(onWorker2.some((p) => p.name === replacement.metadata?.name), "the replacement's container runs in worker2's thread");
  } finally {
    await c.close();
  }
});
