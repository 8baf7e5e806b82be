import assert from 'node:assert/strict';
import { test } from 'node:test';
import { harness, pod } from './harness.ts';

test('a pod goes ContainerCreating -> Running with pull events and ready conditions', async () => {
  const h = harness();
  h.kubelet.syncPod(pod('web', [{ name: 'nginx', image: 'nginx' }]));
  await h.advance(100);
  const first = h.last('web')!.status;
  assert.equal(first.phase, 'Pending');
  assert.equal(first.containerStatuses![0].state!.waiting!.reason, 'ContainerCreating');
  assert.equal(first.podIP, undefined);
  assert.deepEqual(first.conditions!.map(c => c.type), ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
  assert.equal(first.conditions![2].message, 'containers with unready status: [nginx]');
  await h.advance(10_000);
  const st = h.last('web')!.status;
  assert.equal(st.phase, 'Running');
  assert.equal(st.podIP, '10.244.1.2');
  const cs = st.containerStatuses![0];
  assert.ok(cs.state!.running);
  assert.equal(cs.ready, true);
  assert.equal(cs.started, true);
  assert.match(cs.containerID!, /^containerd:\/\/[0-9a-f]{64}$/);
  assert.equal(cs.image, 'docker.io/library/nginx:latest');
  assert.match(cs.imageID, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
  assert.equal(st.conditions!.find(c => c.type === 'Ready')!.status, 'True');
  assert.deepEqual(h.events.map(e => e.reason), ['Pulling', 'Pulled', 'Created', 'Started']);
  assert.match(h.messages('Pulled')[0], /^Successfully pulled image "nginx" in \d+(\.\d+)?m?s \(\d+(\.\d+)?m?s including waiting\)\. Image size: 72099410 bytes\.$/);
  assert.equal(h.messages('Created')[0], 'Created container: nginx');
  assert.equal(h.messages('Started')[0], 'Started container nginx');
  assert.equal(h.events[0].ref.fieldPath, 'spec.containers{nginx}');
});

test('IfNotPresent reuses a present image; pulls of one node are serialized', async () => {
  const h = harness();
  h.kubelet.syncPod(pod('a', [{ name: 'c', image: 'nginx:1.27' }]));
  h.kubelet.syncPod(pod('b', [{ name: 'c', image: 'httpd:2.4' }]));
  await h.advance(10_000);
  const pulled = h.messages('Pulled');
  assert.equal(pulled.length, 2);
  const [, work, waited] = /in ([\d.]+)s \(([\d.]+)s including waiting\)/.exec(pulled[1])!;
  assert.ok(Number(waited) > Number(work), `second pull waited for the first: ${pulled[1]}`);
  h.kubelet.syncPod(pod('c', [{ name: 'c', image: 'nginx:1.27' }]));
  await h.advance(3_000);
  assert.equal(h.messages('Pulled').at(-1), 'Container image "nginx:1.27" already present on machine');
});

test('pod IPs skip .0/.1 and are not reused for a recreated pod', async () => {
  const h = harness();
  const p1 = pod('a', [{ name: 'c', image: 'nginx' }], { terminationGracePeriodSeconds: 1 });
  h.kubelet.syncPod(p1);
  await h.advance(8_000);
  assert.equal(h.last('a')!.status.podIP, '10.244.1.2');
  h.kubelet.syncPod({ ...p1, metadata: { ...p1.metadata, deletionTimestamp: new Date(h.clock.now()).toISOString(), deletionGracePeriodSeconds: 1 } });
  await h.advance(3_000);
  assert.equal(h.last('a')!.deleteNow, true);
  h.kubelet.syncPod(pod('a', [{ name: 'c', image: 'nginx' }]));
  await h.advance(8_000);
  assert.equal(h.last('a')!.status.podIP, '10.244.1.3');
});

test('run-to-completion pods end Succeeded or Failed with restartPolicy Never', async () => {
  const h = harness();
  h.kubelet.syncPod(pod('ok', [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo done; sleep 2'] }], { restartPolicy: 'Never' }));
  h.kubelet.syncPod(pod('bad', [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'exit 3'] }], { restartPolicy: 'Never' }));
  await h.advance(15_000);
  const ok = h.last('ok')!.status;
  assert.equal(ok.phase, 'Succeeded');
  assert.equal(ok.containerStatuses![0].state!.terminated!.reason, 'Completed');
  assert.equal(ok.conditions!.find(c => c.type === 'Ready')!.reason, 'PodCompleted');
  const bad = h.last('bad')!.status;
  assert.equal(bad.phase, 'Failed');
  assert.equal(bad.containerStatuses![0].state!.terminated!.exitCode, 3);
  assert.equal(bad.containerStatuses![0].state!.terminated!.reason, 'Error');
  assert.equal(h.kubelet.logs('default', 'ok', undefined).text, 'done\n');
});
