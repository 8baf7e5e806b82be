import assert from 'node:assert/strict';
import { test } from 'node:test';
import { harness, pod } from './harness.ts';

test('readiness probe gates Ready; a failing liveness probe restarts the container', async () => {
  const h = harness();
  h.kubelet.syncPod(pod('probed', [{
    name: 'web', image: 'nginx',
    readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 5, periodSeconds: 5 },
    livenessProbe: { httpGet: { path: '/healthz', port: 80 }, initialDelaySeconds: 3, periodSeconds: 10, failureThreshold: 3 },
  }]));
  await h.advance(4_000);
  const early = h.last('probed')!.status.containerStatuses![0];
  assert.ok(early.state!.running);
  assert.equal(early.ready, false, 'not ready before the first readiness probe');
  await h.advance(8_000);
  assert.equal(h.last('probed')!.status.containerStatuses![0].ready, true);
  await h.advance(30_000, 100);
  const unhealthy = h.messages('Unhealthy');
  assert.ok(unhealthy.includes('Liveness probe failed: HTTP probe failed with statuscode: 404'), unhealthy.join('|'));
  assert.ok(h.messages('Killing').includes('Container web failed liveness probe, will be restarted'));
  await h.advance(5_000);
  const cs = h.last('probed')!.status.containerStatuses![0];
  assert.equal(cs.restartCount, 1);
  assert.equal(cs.lastState!.terminated!.reason, 'Completed');
});

test('exec liveness probe: cat of a removed file fails with busybox text', async () => {
  const h = harness();
  h.kubelet.syncPod(pod('liveness-exec', [{
    name: 'liveness', image: 'busybox',
    args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'],
    livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 5, periodSeconds: 5 },
  }]));
  await h.advance(30_000, 100);
  assert.equal(h.messages('Unhealthy').length, 0);
  await h.advance(20_000, 100);
  assert.ok(h.messages('Unhealthy').includes("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"));
  assert.ok(h.messages('Killing').includes('Container liveness failed liveness probe, will be restarted'));
});
