import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R, deployment, setup, workers } from './harness.ts';

test('deleting a Deployment (background) removes its ReplicaSet and pods', async (t) => {
  const env = await setup(workers());
  t.after(() => env.ctl.stop());
  env.reg.create(R.deploy, 'default', deployment('web', 2));
  await env.kubelet();
  assert.equal(env.pods().length, 2);
  env.reg.delete(R.deploy, 'default', 'web', { propagationPolicy: 'Background' });
  await env.kubelet();
  assert.equal(env.reg.list(R.rs).items.length, 0);
  assert.equal(env.pods().length, 0);
});

test('foreground deletion keeps the owner until its dependents are gone', async (t) => {
  const env = await setup(workers());
  t.after(() => env.ctl.stop());
  env.reg.create(R.deploy, 'default', deployment('web', 2));
  await env.kubelet();
  env.reg.delete(R.deploy, 'default', 'web', { propagationPolicy: 'Foreground' });
  // Pods are on nodes: they terminate gracefully and only the (fake) kubelet finishes them.
  await env.settle();
  const d = env.reg.tryGet(R.deploy, 'default', 'web');
  assert.ok(d?.metadata.deletionTimestamp, 'the Deployment waits');
  assert.deepEqual(d!.metadata.finalizers, ['foregroundDeletion']);
  assert.ok(env.pods().every((p) => p.metadata.deletionTimestamp));
  await env.kubelet();
  await env.settle();
  assert.equal(env.pods().length, 0);
  assert.equal(env.reg.list(R.rs).items.length, 0);
  assert.equal(env.reg.tryGet(R.deploy, 'default', 'web'), undefined);
});

test('orphan deletion strips ownerReferences and keeps the dependents', async (t) => {
  const env = await setup(workers(), { controllers: ['garbagecollector', 'deployment', 'replicaset', 'scheduler'] });
  t.after(() => env.ctl.stop());
  env.reg.create(R.deploy, 'default', deployment('web', 2));
  await env.kubelet();
  const rs = env.reg.list(R.rs).items[0];
  env.reg.delete(R.rs, 'default', rs.metadata.name!, { propagationPolicy: 'Orphan' });
  // The Deployment controller would make a new ReplicaSet and adopt the pods; stop it from interfering by deleting it (orphan) too.
  env.reg.delete(R.deploy, 'default', 'web', { propagationPolicy: 'Orphan' });
  await env.kubelet();
  assert.equal(env.reg.tryGet(R.deploy, 'default', 'web'), undefined);
  const pods = env.pods();
  assert.equal(pods.length, 2);
  assert.ok(pods.every((p) => p.metadata.ownerReferences === undefined));
});

test('a terminating namespace is emptied, reports what remains, then goes away', async (t) => {
  const env = await setup(workers());
  t.after(() => env.ctl.stop());
  env.reg.create(R.ns, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' }, spec: { finalizers: ['kubernetes'] } });
  env.reg.create(R.deploy, 'team', { ...deployment('api', 2), metadata: { name: 'api', namespace: 'team' } });
  env.reg.create(R.svc, 'team', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'team' }, spec: { selector: { app: 'api' }, ports: [{ port: 80 }] } });
  await env.kubelet();
  assert.equal(env.pods('team').length, 2);
  env.reg.delete(R.ns, undefined, 'team');
  await env.settle();
  const ns = env.reg.get(R.ns, undefined, 'team');
  const cond = (ns.status as any).conditions.find((c: any) => c.type === 'NamespaceContentRemaining');
  assert.equal(cond.status, 'True');
  assert.equal(cond.message, 'Some resources are remaining: pods. has 2 resource instances');
  await env.kubelet();
  await env.settle();
  assert.equal(env.reg.tryGet(R.ns, undefined, 'team'), undefined);
  for (const r of [R.pod, R.rs, R.deploy, R.svc, R.ev, R.slice, R.ep]) assert.equal(env.reg.list(r, { namespace: 'team' }).items.length, 0, r.resource);
});
