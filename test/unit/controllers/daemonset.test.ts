import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapObjects } from '../../../src-main/cluster/bootstrap.ts';
import { R, setup, workers } from './harness.ts';

test('the bootstrap kube-proxy DaemonSet gets one pod per node, pinned by node affinity; CoreDNS (tolerating the control-plane taint) is scheduled', async (t) => {
  const env = await setup(workers());
  t.after(() => env.ctl.stop());
  bootstrapObjects(env.reg);
  await env.kubelet();
  const proxies = env.pods('kube-system').filter((p) => p.metadata.name!.startsWith('kube-proxy-'));
  assert.deepEqual(proxies.map((p) => (p.spec as any).nodeName).sort(), ['master', 'worker1', 'worker2']);
  for (const p of proxies) {
    const terms = (p.spec as any).affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    assert.deepEqual(terms, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [(p.spec as any).nodeName] }] }]);
    assert.match(p.metadata.name!, /^kube-proxy-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.ok(p.metadata.labels!['controller-revision-hash']);
    assert.equal(p.metadata.labels!['pod-template-generation'], '1');
  }
  const ds = env.reg.get(R.ds, 'kube-system', 'kube-proxy');
  assert.deepEqual(ds.status, { currentNumberScheduled: 3, desiredNumberScheduled: 3, numberMisscheduled: 0, numberReady: 3, observedGeneration: 1, updatedNumberScheduled: 3, numberAvailable: 3 });
  const dns = env.pods('kube-system').filter((p) => p.metadata.name!.startsWith('coredns-'));
  assert.equal(dns.length, 2);
  assert.ok(dns.every((p) => (p.spec as any).nodeName));
  assert.notEqual((dns[0].spec as any).nodeName, (dns[1].spec as any).nodeName, 'spread');
});
