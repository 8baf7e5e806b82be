import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src-main/api/types.ts';
import type { WatchEvent } from '../../../src-main/store/store.ts';
import { isoTime } from '../../../src-main/clock/clock.ts';
import { R, deployment, nodeObj, setup, workers, type Env } from './harness.ts';

const spec = (o: KubeObject) => o.spec as Record<string, any>;
const status = (o: KubeObject) => (o.status ?? {}) as Record<string, any>;
const cond = (o: KubeObject, type: string) => (status(o).conditions ?? []).find((c: any) => c.type === type);
const ALL = ['master', 'worker1', 'worker2'];

/** Moves the clock in 1 s steps; live kubelets renew their leases every 10 s, as the real ones do. */
function stepper(env: Env, alive: () => string[]) {
  const start = env.clock.now();
  env.renewLeases(alive());
  return async (ms: number) => {
    for (let done = 0; done < ms; done += 1000) {
      env.clock.advance(1000);
      if ((env.clock.now() - start) % 10_000 === 0) env.renewLeases(alive());
      await env.settle();
    }
  };
}

function readdNode(env: Env, name: string): void {
  const n = nodeObj(name, {}, env.clock.now());
  const created = env.reg.create(R.node, undefined, n);
  env.reg.update(R.node, { ...structuredClone(created), status: n.status }, { subresource: 'status' });
  env.renewLeases([name]);
}

test('orphans: pods of a deleted node go after the 40 s quarantine (not before), marked Failed first, replaced elsewhere', async (t) => {
  const env = await setup(workers());
  t.after(() => env.ctl.stop());
  let alive = ALL;
  const advance = stepper(env, () => alive);
  env.reg.create(R.deploy, 'default', deployment('web', 2));
  await env.kubelet();
  const victim = env.pods().find((p) => spec(p).nodeName === 'worker2')!;
  assert.ok(victim, 'one pod on worker2');
  const eventsBefore = new Set(env.events().map((e) => e.metadata.uid));
  const seen: WatchEvent[] = [];
  const watch = env.reg.watch(R.pod, { resourceVersion: env.reg.list(R.pod).resourceVersion }, (ev) => ev.object.metadata.uid === victim.metadata.uid && seen.push(ev));
  t.after(() => watch.stop());

  // The passes run at 0, 20, 40, ... s; the node goes at 5 s, the pass at 20 s quarantines it until 60 s.
  await advance(5_000);
  alive = ['master', 'worker1'];
  env.reg.delete(R.node, undefined, 'worker2');
  await advance(54_000);
  const still = env.reg.get(R.pod, 'default', victim.metadata.name!);
  assert.equal(status(still).phase, 'Running', 'untouched 54 s after the node went (quarantine)');
  assert.equal(cond(still, 'DisruptionTarget'), undefined);
  assert.equal(seen.length, 0);

  await advance(1_000);
  assert.equal(env.reg.tryGet(R.pod, 'default', victim.metadata.name!), undefined, 'force-deleted at the first pass after the quarantine');
  assert.deepEqual(seen.map((e) => e.type), ['MODIFIED', 'DELETED']);
  const failed = seen[0]!.object;
  assert.equal(status(failed).phase, 'Failed');
  const dt = cond(failed, 'DisruptionTarget');
  assert.deepEqual([dt.status, dt.reason, dt.message, dt.lastTransitionTime], ['True', 'DeletionByPodGC', 'PodGC: node no longer exists', isoTime(env.clock.now())]);
  assert.equal(cond(failed, 'Ready').status, 'True', 'the other conditions are kept as they were');
  assert.equal(seen[1]!.object.metadata.deletionTimestamp, undefined, 'grace 0: gone without a Terminating phase');

  await env.kubelet();
  const live = env.pods();
  assert.equal(live.length, 2);
  assert.deepEqual(live.map((p) => [spec(p).nodeName, status(p).phase]), [['worker1', 'Running'], ['worker1', 'Running']]);
  const newEvents = env.events().filter((e) => !eventsBefore.has(e.metadata.uid));
  assert.deepEqual(newEvents.map((e) => e.reason).sort(), ['Scheduled', 'SuccessfulCreate'], 'PodGC records no Event of its own');
});

test('a node that comes back within the quarantine keeps its pods', async (t) => {
  const env = await setup(workers());
  t.after(() => env.ctl.stop());
  let alive = ALL;
  const advance = stepper(env, () => alive);
  env.reg.create(R.deploy, 'default', deployment('web', 2));
  await env.kubelet();
  const before = env.pods().map((p) => [p.metadata.uid, spec(p).nodeName]);
  await advance(5_000);
  alive = ['master', 'worker1'];
  env.reg.delete(R.node, undefined, 'worker2');
  await advance(30_000);
  readdNode(env, 'worker2');
  alive = ALL;
  await advance(120_000);
  const after = env.pods();
  assert.deepEqual(after.map((p) => [p.metadata.uid, spec(p).nodeName]), before);
  assert.ok(after.every((p) => status(p).phase === 'Running' && !cond(p, 'DisruptionTarget')));
});

test('a terminating pod that was never scheduled is marked Failed and force-deleted at the next pass', async (t) => {
  const env = await setup(workers());
  t.after(() => env.ctl.stop());
  const advance = stepper(env, () => ALL);
  await advance(1_000);
  // Unschedulable, and held by a finalizer: otherwise the apiserver deletes an unscheduled pod at once.
  env.reg.create(R.pod, 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'stuck', namespace: 'default', finalizers: ['example.com/hold'] },
    spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'c', image: 'nginx' }] },
  });
  await env.settle();
  env.reg.delete(R.pod, 'default', 'stuck');
  await advance(18_000);
  const waiting = env.reg.get(R.pod, 'default', 'stuck');
  assert.ok(waiting.metadata.deletionTimestamp);
  assert.equal(status(waiting).phase, 'Pending', 'until the pass at 20 s');
  await advance(1_000);
  const marked = env.reg.get(R.pod, 'default', 'stuck');
  assert.equal(status(marked).phase, 'Failed');
  assert.equal(cond(marked, 'DisruptionTarget'), undefined, 'only orphans get the condition');
  // The force delete cannot pass the finalizer; once its owner lets go, the pod is gone.
  env.reg.update(R.pod, { ...structuredClone(marked), metadata: { ...marked.metadata, finalizers: [] } });
  assert.equal(env.reg.tryGet(R.pod, 'default', 'stuck'), undefined);
});

test('out-of-service: terminating pods on a NotReady node tainted out-of-service are force-deleted, not before', async (t) => {
  const env = await setup(workers());
  t.after(() => env.ctl.stop());
  const alive = ALL; // the lease keeps coming (a node shutdown the kubelet reported as NotReady)
  const advance = stepper(env, () => alive);
  env.reg.create(R.deploy, 'default', deployment('web', 2));
  await env.kubelet();
  const victim = env.pods().find((p) => spec(p).nodeName === 'worker2')!;
  const worker2 = () => env.reg.get(R.node, undefined, 'worker2');
  const n = structuredClone(worker2());
  (n.status as any).conditions = (n.status as any).conditions.map((c: any) =>
    c.type === 'Ready' ? { ...c, status: 'False', reason: 'KubeletNotReady', message: 'node is shutting down', lastTransitionTime: isoTime(env.clock.now()) } : c,
  );
  env.reg.update(R.node, n, { subresource: 'status' });
  await advance(1_000);
  // Deleted by hand: no kubelet finishes it, so it stays Terminating on a NotReady node without the taint.
  env.reg.delete(R.pod, 'default', victim.metadata.name!);
  await env.kubelet({ deadNodes: ['worker2'] });
  await advance(60_000);
  assert.ok(env.reg.get(R.pod, 'default', victim.metadata.name!).metadata.deletionTimestamp, 'still Terminating without the taint');

  // kubectl taint nodes worker2 node.kubernetes.io/out-of-service=nodeshutdown:NoExecute (at 61 s; next pass at 80 s)
  const tainted = structuredClone(worker2());
  spec(tainted).taints = [...(spec(tainted).taints ?? []), { key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }];
  env.reg.update(R.node, tainted);
  await advance(18_000);
  assert.ok(env.reg.tryGet(R.pod, 'default', victim.metadata.name!), 'waits for the next pass');
  await advance(1_000);
  assert.equal(env.reg.tryGet(R.pod, 'default', victim.metadata.name!), undefined);
  await env.kubelet({ deadNodes: ['worker2'] });
  assert.deepEqual(env.pods().map((p) => [spec(p).nodeName, status(p).phase]), [['worker1', 'Running'], ['worker1', 'Running']]);
});

function finishedPod(env: Env, name: string, phase: string, reason?: string): void {
  const p = env.reg.create(R.pod, 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: 'worker1', containers: [{ name: 'c', image: 'busybox' }] },
  });
  env.reg.update(R.pod, { ...structuredClone(p), status: { ...status(p), phase, ...(reason ? { reason } : {}) } }, { subresource: 'status' });
}

test('terminated pods beyond the threshold go, evicted ones first, then the oldest', async (t) => {
  const env = await setup(workers(), { podGC: { terminatedPodThreshold: 3 } });
  t.after(() => env.ctl.stop());
  const advance = stepper(env, () => ALL);
  env.reg.create(R.deploy, 'default', deployment('web', 1));
  await env.kubelet();
  const made: Array<[string, string, string?]> = [['done-1', 'Succeeded'], ['done-2', 'Failed'], ['done-3', 'Succeeded'], ['done-4', 'Succeeded'], ['evicted', 'Failed', 'Evicted']];
  for (const [name, phase, reason] of made) {
    finishedPod(env, name, phase, reason);
    await advance(1_000);
  }
  await advance(14_000);
  assert.equal(env.pods().length, 6, 'nothing collected before the pass at 20 s');
  await advance(1_000);
  assert.deepEqual(env.pods().map((p) => p.metadata.name).filter((n) => !n!.startsWith('web-')).sort(), ['done-2', 'done-3', 'done-4']);
  assert.equal(env.pods().filter((p) => p.metadata.name!.startsWith('web-')).length, 1, 'running pods are never counted');
});

test('the default threshold (12500) leaves a handful of terminated pods alone', async (t) => {
  const env = await setup(workers());
  t.after(() => env.ctl.stop());
  const advance = stepper(env, () => ALL);
  for (const name of ['a', 'b', 'c']) finishedPod(env, name, 'Succeeded');
  await advance(60_000);
  assert.equal(env.pods().length, 3);
});
