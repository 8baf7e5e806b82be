import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src-main/api/types.ts';
import { R, nodeObj, setup, workers } from './harness.ts';

const spec = (o: KubeObject) => o.spec as Record<string, any>;
const pod = (name: string, extra: Record<string, unknown> = {}, cpu?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'nginx', ...(cpu ? { resources: { requests: { cpu } } } : {}) }], ...extra },
});
const scheduledCond = (p: KubeObject) => ((p.status as any)?.conditions ?? []).find((c: any) => c.type === 'PodScheduled');

test('binds with the PodScheduled condition and the Scheduled event; never on the control-plane', async (t) => {
  const env = await setup(workers());
  t.after(() => env.ctl.stop());
  env.reg.create(R.pod, 'default', pod('a'));
  await env.settle();
  const a = env.reg.get(R.pod, 'default', 'a');
  assert.ok(['worker1', 'worker2'].includes(spec(a).nodeName));
  assert.equal(scheduledCond(a).status, 'True');
  const ev = env.events('Scheduled');
  assert.equal(ev.length, 1);
  assert.equal(ev[0].message, `Successfully assigned default/a to ${spec(a).nodeName}`);
  assert.equal((ev[0].source as any).component, 'default-scheduler');
  assert.equal(ev[0].type, 'Normal');
  assert.match(ev[0].metadata.name!, /^a\.[0-9a-f]+$/);
});

test('insufficient cpu and taints give the real FitError message, and node changes retry', async (t) => {
  const env = await setup(workers());
  t.after(() => env.ctl.stop());
  env.reg.create(R.pod, 'default', pod('big', {}, '3'));
  await env.settle();
  const big = env.reg.get(R.pod, 'default', 'big');
  assert.equal(spec(big).nodeName, undefined);
  const msg =
    '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. ' +
    'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
  assert.deepEqual({ ...scheduledCond(big), lastTransitionTime: undefined }, { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: undefined, reason: 'Unschedulable', message: msg });
  const failed = env.events('FailedScheduling');
  assert.equal(failed.length, 1);
  assert.equal(failed[0].type, 'Warning');
  assert.equal(failed[0].message, msg);

  // A bigger node joins: the pod is retried and lands there.
  const n = env.reg.create(R.node, undefined, nodeObj('worker3', { cpu: '4' }));
  env.reg.update(R.node, { ...structuredClone(n), status: nodeObj('worker3', { cpu: '4' }).status }, { subresource: 'status' });
  await env.settle();
  assert.equal(spec(env.reg.get(R.pod, 'default', 'big')).nodeName, 'worker3');
});

test('cordon, nodeSelector and tolerations', async (t) => {
  const env = await setup([...workers(), nodeObj('worker3', { labels: { disk: 'ssd' } })]);
  t.after(() => env.ctl.stop());
  const cordon = (name: string, on: boolean) => {
    const n = structuredClone(env.reg.get(R.node, undefined, name));
    spec(n).unschedulable = on || undefined;
    env.reg.update(R.node, n);
  };
  cordon('worker1', true);
  cordon('worker2', true);
  await env.settle();
  env.reg.create(R.pod, 'default', pod('p1'));
  env.reg.create(R.pod, 'default', pod('ssd', { nodeSelector: { disk: 'ssd' } }));
  env.reg.create(R.pod, 'default', pod('hdd', { nodeSelector: { disk: 'hdd' } }));
  env.reg.create(R.pod, 'default', pod('cp', { nodeSelector: { 'node-role.kubernetes.io/control-plane': '' }, tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] }));
  await env.settle();
  assert.equal(spec(env.reg.get(R.pod, 'default', 'p1')).nodeName, 'worker3');
  assert.equal(spec(env.reg.get(R.pod, 'default', 'ssd')).nodeName, 'worker3');
  assert.equal(spec(env.reg.get(R.pod, 'default', 'cp')).nodeName, 'master');
  assert.equal(
    scheduledCond(env.reg.get(R.pod, 'default', 'hdd')).message,
    // Reasons sorted as Go's sort.Strings does (bytewise).
    "0/4 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) were unschedulable. " +
      'preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.',
  );
  // The node lifecycle controller mirrors cordoning as a taint.
  assert.deepEqual(spec(env.reg.get(R.node, undefined, 'worker1')).taints.map((x: any) => `${x.key}:${x.effect}`), ['node.kubernetes.io/unschedulable:NoSchedule']);
  cordon('worker1', false);
  await env.settle();
  assert.equal(spec(env.reg.get(R.node, undefined, 'worker1')).taints, undefined);
  // Spreading: the next two pods prefer the emptier worker1.
  env.reg.create(R.pod, 'default', pod('q1'));
  await env.settle();
  assert.equal(spec(env.reg.get(R.pod, 'default', 'q1')).nodeName, 'worker1');
});
