import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../src-main/cluster/cluster.ts';
import { ManualClock } from '../../src-main/clock/clock.ts';
import { startControllers } from '../../src-main/controllers/index.ts';
import { byKind } from '../../src-main/api/resources.ts';
import type { Node, Pod } from '../../src-main/api/types.ts';
import { seedDeployment } from '../fixtures/seed.ts';

const PODS = byKind('Pod');

function pods(c: Cluster): Pod[] {
  return c.registry.list(PODS, { namespace: 'default', labelSelector: 'app=hostname-server' }).items as unknown as Pod[];
}
function ready(c: Cluster, name: string): string | undefined {
  const n = c.registry.get(byKind('Node'), undefined, name) as unknown as Node;
  return n.status?.conditions?.find((x) => x.type === 'Ready')?.status;
}

test('a stopped node worker stops renewing: Unknown after 50 s, its pods evicted after 300 s and replaced elsewhere', async () => {
  const clock = new ManualClock();
  const c = await Cluster.start({ nodes: 3, clock, startControllers });
  try {
    c.registry.create(byKind('Deployment'), 'default', seedDeployment());
    for (let i = 0; i < 60 && pods(c).filter((p) => p.status?.phase === 'Running').length < 2; i++) await c.advance(500, 500);
    const before = pods(c);
    assert.deepEqual(before.map((p) => p.spec?.nodeName).sort(), ['worker1', 'worker2'], 'spread over both workers');
    const victim = before.find((p) => p.spec?.nodeName === 'worker1')!;

    await c.stopNode('worker1');
    const stoppedAt = clock.now();
    // The last renewal came at most 10 s before the stop; Unknown comes 50 s after that renewal (node-monitor-grace-period).
    await c.advance(38_000);
    assert.equal(ready(c, 'worker1'), 'True', 'still Ready 38 s after the stop');
    await c.advance(18_000);
    assert.equal(ready(c, 'worker1'), 'Unknown');
    const node = c.registry.get(byKind('Node'), undefined, 'worker1') as unknown as Node;
    assert.ok(node.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute'));
    assert.ok(pods(c).some((p) => p.metadata?.name === victim.metadata?.name), 'not evicted before the 300 s toleration');

    await c.advance(300_000 - (clock.now() - stoppedAt) + 60_000);
    const after = pods(c).filter((p) => !p.metadata?.deletionTimestamp);
    assert.equal(after.length, 2);
    assert.ok(!after.some((p) => p.metadata?.name === victim.metadata?.name), 'the pod on the dead node was evicted');
    assert.ok(after.every((p) => p.spec?.nodeName === 'worker2'), 'its replacement runs on the remaining worker');

    await c.startNode('worker1');
    await c.advance(20_000);
    assert.equal(ready(c, 'worker1'), 'True', 'a restarted node is Ready again');
  } finally {
    await c.close();
  }
});
