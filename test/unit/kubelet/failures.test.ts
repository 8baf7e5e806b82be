import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff, goDuration } from '../../../src-main/node/kubelet/backoff.ts';
import { harness, pod } from './harness.ts';

test('Backoff doubles from 10s to the 300s cap and goDuration prints Go durations', () => {
  const b = new Backoff();
  const seen: number[] = [];
  for (let i = 0; i < 8; i++) { b.next('k', i * 1000); seen.push(b.get('k')); }
  assert.deepEqual(seen, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  assert.equal(goDuration(300_000), '5m0s');
  assert.equal(goDuration(1_393), '1.393s');
  assert.equal(goDuration(830), '830ms');
});

test('a crashing container restarts at once, then waits in CrashLoopBackOff with growing back-off', async () => {
  const h = harness();
  const p = pod('crash', [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'echo boom; exit 1'] }]);
  h.kubelet.syncPod(p);
  const restartsAt: number[] = [];
  let lastCount = 0;
  for (let t = 0; t < 120_000; t += 500) {
    await h.advance(500, 100);
    const cs = h.last('crash')!.status.containerStatuses![0];
    if (cs.restartCount !== lastCount) { restartsAt.push(h.clock.now()); lastCount = cs.restartCount!; }
  }
  assert.ok(restartsAt.length >= 3, `restarts: ${restartsAt.length}`);
  const gaps = restartsAt.slice(1).map((t, i) => t - restartsAt[i]);
  assert.ok(gaps[0] >= 10_000 && gaps[0] <= 16_000, `first back-off ~10s, got ${gaps[0]}`);
  assert.ok(gaps[1] >= 20_000 && gaps[1] <= 31_000, `second back-off ~20s, got ${gaps[1]}`);
  const backoffMsgs = h.messages('BackOff');
  assert.ok(backoffMsgs.length > 0);
  assert.equal(backoffMsgs[0], `Back-off restarting failed container app in pod crash_default(${p.metadata!.uid})`);
  const waiting = h.reports.map(r => r.status.containerStatuses![0].state!.waiting).find(w => w?.reason === 'CrashLoopBackOff')!;
  assert.equal(waiting.message, `back-off 10s restarting failed container=app pod=crash_default(${p.metadata!.uid})`);
  const withLast = h.reports.find(r => r.status.containerStatuses![0].state!.waiting?.reason === 'CrashLoopBackOff')!;
  assert.equal(withLast.status.containerStatuses![0].lastState!.terminated!.exitCode, 1);
  assert.equal(withLast.status.phase, 'Running');
  assert.equal(h.kubelet.logs('default', 'crash', 'app', { previous: true }).text, 'boom\n');
});

test('an unknown image fails with ErrImagePull, then ImagePullBackOff, with containerd offline text', async () => {
  const h = harness();
  h.kubelet.syncPod(pod('nope', [{ name: 'c', image: 'nginxx' }]));
  await h.advance(2_000);
  const err = 'failed to pull and unpack image "docker.io/library/nginxx:latest": failed to resolve reference "docker.io/library/nginxx:latest": failed to do request: Head "https://registry-1.docker.io/v2/library/nginxx/manifests/latest": dial tcp: lookup registry-1.docker.io: no such host';
  const w1 = h.last('nope')!.status.containerStatuses![0].state!.waiting!;
  assert.equal(w1.reason, 'ErrImagePull');
  assert.equal(w1.message, err);
  assert.equal(h.messages('Failed')[0], `Failed to pull image "nginxx": ${err}`);
  assert.equal(h.messages('Failed')[1], 'Error: ErrImagePull');
  await h.advance(40_000);
  const reasons = h.reports.map(r => r.status.containerStatuses![0].state!.waiting?.reason);
  assert.ok(reasons.includes('ImagePullBackOff'));
  const bo = h.reports.map(r => r.status.containerStatuses![0].state!.waiting).find(w => w?.reason === 'ImagePullBackOff')!;
  assert.equal(bo.message, `Back-off pulling image "nginxx": ErrImagePull: ${err}`);
  assert.ok(h.messages('Failed').includes('Error: ImagePullBackOff'));
  assert.equal(h.last('nope')!.status.phase, 'Pending');
});

test('an invalid image name is InvalidImageName', async () => {
  const h = harness();
  h.kubelet.syncPod(pod('bad', [{ name: 'c', image: 'Nginx' }]));
  await h.advance(2_000);
  const w = h.last('bad')!.status.containerStatuses![0].state!.waiting!;
  assert.equal(w.reason, 'InvalidImageName');
  assert.match(w.message!, /repository name must be lowercase/);
});

test('graceful termination: SIGTERM-ignoring PID 1 is killed with 137 after the grace period', async () => {
  const h = harness();
  const p = pod('sleeper', [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }], { terminationGracePeriodSeconds: 30 });
  h.kubelet.syncPod(p);
  await h.advance(5_000);
  assert.equal(h.last('sleeper')!.status.phase, 'Running');
  h.kubelet.syncPod({ ...p, metadata: { ...p.metadata, deletionTimestamp: new Date(h.clock.now()).toISOString(), deletionGracePeriodSeconds: 30 } });
  await h.advance(29_000, 500);
  assert.equal(h.messages('Killing')[0], 'Stopping container c');
  assert.ok(!h.last('sleeper')!.deleteNow, 'still within grace');
  await h.advance(2_000);
  const final = h.last('sleeper')!;
  assert.equal(final.deleteNow, true);
  assert.equal(final.status.containerStatuses![0].state!.terminated!.exitCode, 137);
  assert.equal(final.status.phase, 'Failed');
  assert.equal(h.kubelet.pods().length, 0);
});

test('nginx exits 0 on SIGTERM right away', async () => {
  const h = harness();
  const p = pod('web', [{ name: 'nginx', image: 'nginx' }]);
  h.kubelet.syncPod(p);
  await h.advance(8_000);
  h.kubelet.syncPod({ ...p, metadata: { ...p.metadata, deletionTimestamp: new Date(h.clock.now()).toISOString(), deletionGracePeriodSeconds: 30 } });
  await h.advance(1_000);
  const final = h.last('web')!;
  assert.equal(final.deleteNow, true);
  assert.equal(final.status.containerStatuses![0].state!.terminated!.exitCode, 0);
  assert.equal(final.status.phase, 'Succeeded');
});
