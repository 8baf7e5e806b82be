import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src-main/api/types.ts';
import { R, deployment, setup, workers } from './harness.ts';

const spec = (o: KubeObject) => o.spec as Record<string, any>;
const status = (o: KubeObject) => (o.status ?? {}) as Record<string, any>;

test('a Deployment makes a ReplicaSet <deploy>-<hash> and pods <rs>-<5 chars>, owned and spread', async (t) => {
  const env = await setup(workers());
  t.after(() => env.ctl.stop());
  env.reg.create(R.deploy, 'default', deployment('web', 2));
  await env.kubelet();

  const rss = env.reg.list(R.rs).items;
  assert.equal(rss.length, 1);
  const rs = rss[0];
  const hash = rs.metadata.labels!['pod-template-hash'];
  assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.equal(rs.metadata.name, `web-${hash}`);
  assert.deepEqual(spec(rs).selector.matchLabels, { app: 'web', 'pod-template-hash': hash });
  assert.equal(spec(rs).template.metadata.labels['pod-template-hash'], hash);
  assert.equal(rs.metadata.annotations!['deployment.kubernetes.io/revision'], '1');
  assert.equal(rs.metadata.annotations!['deployment.kubernetes.io/desired-replicas'], '2');
  assert.equal(rs.metadata.annotations!['deployment.kubernetes.io/max-replicas'], '3');
  const d = env.reg.get(R.deploy, 'default', 'web');
  assert.deepEqual(rs.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);

  const pods = env.pods();
  assert.equal(pods.length, 2);
  for (const p of pods) {
    assert.match(p.metadata.name!, new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    assert.equal(p.metadata.labels!['pod-template-hash'], hash);
    assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  }
  assert.deepEqual(pods.map((p) => spec(p).nodeName).sort(), ['worker1', 'worker2'], 'spread over the two workers, none on the tainted master');

  assert.deepEqual(
    env.events('ScalingReplicaSet').map((e) => [e.message, (e.source as { component: string }).component]),
    [[`Scaled up replica set web-${hash} from 0 to 2`, 'deployment-controller']],
  );
  assert.equal(env.events('SuccessfulCreate').length, 2);
  assert.match(env.events('SuccessfulCreate')[0].message as string, new RegExp(`^Created pod: web-${hash}-`));

  const st = status(env.reg.get(R.deploy, 'default', 'web'));
  assert.equal(st.replicas, 2);
  assert.equal(st.updatedReplicas, 2);
  assert.equal(st.readyReplicas, 2);
  assert.equal(st.availableReplicas, 2);
  assert.equal(st.unavailableReplicas, undefined);
  assert.equal(st.observedGeneration, 1);
  assert.deepEqual(
    st.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]),
    [
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "web-${hash}" has successfully progressed.`],
    ],
  );
  assert.equal(env.reg.get(R.deploy, 'default', 'web').metadata.annotations!['deployment.kubernetes.io/revision'], '1');
  const rsStatus = status(env.reg.get(R.rs, 'default', rs.metadata.name!));
  assert.deepEqual(rsStatus, { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 });
});

test('scaling up and down moves the ReplicaSet and says so', async (t) => {
  const env = await setup(workers());
  t.after(() => env.ctl.stop());
  env.reg.create(R.deploy, 'default', deployment('web', 2));
  await env.kubelet();
  const scale = async (n: number) => {
    const d = structuredClone(env.reg.get(R.deploy, 'default', 'web'));
    spec(d).replicas = n;
    env.reg.update(R.deploy, d);
    await env.kubelet();
  };
  await scale(4);
  const rs = env.reg.list(R.rs).items[0];
  assert.equal(env.pods().length, 4);
  assert.equal(spec(rs).replicas, 4);
  assert.equal(rs.metadata.annotations!['deployment.kubernetes.io/desired-replicas'], '4');
  await scale(1);
  assert.equal(env.pods().length, 1);
  const msgs = env.events('ScalingReplicaSet').map((e) => e.message);
  assert.deepEqual(msgs.slice(1), [`Scaled up replica set ${rs.metadata.name} from 2 to 4`, `Scaled down replica set ${rs.metadata.name} from 4 to 1`]);
  assert.equal(status(env.reg.get(R.deploy, 'default', 'web')).availableReplicas, 1);
});

test('a rolling update never drops below replicas - maxUnavailable nor exceeds replicas + maxSurge; undo goes back', async (t) => {
  const env = await setup(workers());
  t.after(() => env.ctl.stop());
  env.reg.create(R.deploy, 'default', deployment('web', 4));
  await env.kubelet();
  const firstRS = env.reg.list(R.rs).items[0];
  const oldTemplate = structuredClone(spec(env.reg.get(R.deploy, 'default', 'web')).template);

  const d = structuredClone(env.reg.get(R.deploy, 'default', 'web'));
  spec(d).template.spec.containers[0].image = 'nginx:1.28';
  env.reg.update(R.deploy, d);
  // Pods become ready one kubelet round at a time; check the invariants at every step.
  let steps = 0;
  for (; steps < 40; steps++) {
    await env.settle();
    const pods = env.pods();
    const live = pods.filter((p) => !p.metadata.deletionTimestamp);
    const ready = live.filter((p) => (status(p).conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'));
    assert.ok(ready.length >= 3, `available ${ready.length} < 3 at step ${steps}`);
    assert.ok(live.length <= 5, `${live.length} pods > 5 at step ${steps}`);
    const rsNow = env.reg.list(R.rs).items;
    if (rsNow.length === 2 && rsNow.every((rs) => spec(rs).replicas === (rs.metadata.uid === firstRS.metadata.uid ? 0 : 4)) && live.length === 4 && ready.length === 4) break;
    // One kubelet step: finish terminating pods, start at most one new pod.
    let started = false;
    for (const p of pods) {
      if (p.metadata.deletionTimestamp) env.reg.finalizeDelete(R.pod, 'default', p.metadata.name!);
      else if (!started && spec(p).nodeName && !status(p).podIP) {
        started = true;
        env.reg.update(R.pod, { ...structuredClone(p), status: { phase: 'Running', podIP: `10.244.9.${steps}`, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] } }, { subresource: 'status' });
      }
    }
  }
  assert.ok(steps > 2 && steps < 40, `rollout finished in ${steps} steps`);
  const rss = env.reg.list(R.rs).items;
  const newRS = rss.find((x) => x.metadata.uid !== firstRS.metadata.uid)!;
  assert.equal(newRS.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
  await env.kubelet();
  const st = status(env.reg.get(R.deploy, 'default', 'web'));
  assert.equal(st.updatedReplicas, 4);
  assert.equal(st.conditions.find((c: any) => c.type === 'Progressing').message, `ReplicaSet "${newRS.metadata.name}" has successfully progressed.`);

  // kubectl rollout undo: the client copies the old ReplicaSet's template (hash label removed) into the Deployment.
  const undo = structuredClone(env.reg.get(R.deploy, 'default', 'web'));
  spec(undo).template = oldTemplate;
  env.reg.update(R.deploy, undo);
  await env.kubelet();
  const after = env.reg.list(R.rs).items;
  assert.equal(after.length, 2, 'no third ReplicaSet: the old one is reused');
  const back = after.find((x) => x.metadata.uid === firstRS.metadata.uid)!;
  assert.equal(spec(back).replicas, 4);
  assert.equal(back.metadata.annotations!['deployment.kubernetes.io/revision'], '3');
  assert.equal(back.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1');
  assert.equal(spec(after.find((x) => x !== back)!).replicas, 0);
  assert.equal(env.reg.get(R.deploy, 'default', 'web').metadata.annotations!['deployment.kubernetes.io/revision'], '3');
  assert.ok(env.pods().every((p) => spec(p).containers[0].image === 'nginx:1.27'));
});

test('rollout restart (a template annotation) makes a new ReplicaSet; Recreate scales old to 0 before the new one', async (t) => {
  const env = await setup(workers());
  t.after(() => env.ctl.stop());
  env.reg.create(R.deploy, 'default', deployment('web', 2, 'nginx:1.27', { strategy: { type: 'Recreate' } }));
  await env.kubelet();
  const d = structuredClone(env.reg.get(R.deploy, 'default', 'web'));
  spec(d).template.metadata.annotations = { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' };
  env.reg.update(R.deploy, d);
  await env.settle();
  const rss = env.reg.list(R.rs).items;
  // Recreate: the old pods are still terminating, so the new ReplicaSet is not there yet.
  assert.equal(rss.length, 1);
  assert.equal(spec(rss[0]).replicas, 0);
  await env.kubelet();
  const after = env.reg.list(R.rs).items;
  assert.equal(after.length, 2);
  const fresh = after.find((x) => x.metadata.uid !== rss[0].metadata.uid)!;
  assert.equal(spec(fresh).replicas, 2);
  assert.equal(env.pods().length, 2);
  assert.ok(env.pods().every((p) => p.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']));
});

test('revisionHistoryLimit deletes the oldest empty ReplicaSets', async (t) => {
  const env = await setup(workers());
  t.after(() => env.ctl.stop());
  env.reg.create(R.deploy, 'default', deployment('web', 1, 'nginx:1', { revisionHistoryLimit: 1 }));
  await env.kubelet();
  for (const image of ['nginx:2', 'nginx:3']) {
    const d = structuredClone(env.reg.get(R.deploy, 'default', 'web'));
    spec(d).template.spec.containers[0].image = image;
    env.reg.update(R.deploy, d);
    await env.kubelet();
    await env.kubelet();
  }
  const rss = env.reg.list(R.rs).items.map((rs) => [spec(rs).template.spec.containers[0].image, rs.metadata.annotations!['deployment.kubernetes.io/revision']]).sort();
  assert.deepEqual(rss, [['nginx:2', '2'], ['nginx:3', '3']]);
});
