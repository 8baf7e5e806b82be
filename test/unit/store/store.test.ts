import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Store, type WatchEvent } from '../../../src-main/store/store.ts';
import { ManualClock } from '../../../src-main/clock/clock.ts';
import { byKind } from '../../../src-main/api/resources.ts';
import { isStatusError } from '../../../src-main/api/errors.ts';
import type { KubeObject } from '../../../src-main/api/types.ts';

const pods = byKind('Pod');
const deployments = byKind('Deployment');
const pod = (name: string, labels: Record<string, string> = {}, ns = 'default'): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { containers: [] } }) as KubeObject;
const tick = () => new Promise((r) => setImmediate(r));

test('create assigns uid, increasing resourceVersion, creationTimestamp and generation', () => {
  const s = new Store(new ManualClock(Date.UTC(2026, 0, 1)));
  const a = s.create(pods, pod('a'));
  const b = s.create(pods, pod('b'));
  assert.match(a.metadata.uid!, /^[0-9a-f-]{36}$/);
  assert.ok(Number(b.metadata.resourceVersion) > Number(a.metadata.resourceVersion));
  assert.equal(a.metadata.creationTimestamp, '2026-01-01T00:00:00Z');
  assert.equal(a.metadata.generation, undefined, 'pods have no generation in 1.32');
  const d = s.create(deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: {} });
  assert.equal(d.metadata.generation, 1);
  assert.throws(() => (a.metadata as { name: string }).name = 'x', TypeError, 'stored objects are frozen');
});

test('AlreadyExists, NotFound and Conflict carry the real messages', () => {
  const s = new Store(new ManualClock());
  s.create(deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: {} });
  assert.throws(
    () => s.create(deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: {} }),
    (e) => isStatusError(e, 'AlreadyExists') && e.message === 'deployments.apps "web" already exists' && e.code === 409,
  );
  assert.throws(() => s.get(pods, 'default', 'nope'), (e) => isStatusError(e, 'NotFound') && e.message === 'pods "nope" not found');
  const cur = s.get(deployments, 'default', 'web');
  s.update(deployments, { ...structuredClone(cur), spec: { replicas: 2 } });
  assert.throws(
    () => s.update(deployments, { ...structuredClone(cur), spec: { replicas: 3 } }),
    (e) =>
      isStatusError(e, 'Conflict') &&
      e.message === 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
  );
});

test('generation moves on spec changes only; a no-op update keeps the resourceVersion', () => {
  const s = new Store(new ManualClock());
  const d = s.create(deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 1 } });
  const withStatus = s.update(deployments, { ...structuredClone(d), status: { replicas: 1 } });
  assert.equal(withStatus.metadata.generation, 1);
  const scaled = s.update(deployments, { ...structuredClone(withStatus), spec: { replicas: 2 } });
  assert.equal(scaled.metadata.generation, 2);
  const same = s.update(deployments, structuredClone(scaled));
  assert.equal(same.metadata.resourceVersion, scaled.metadata.resourceVersion);
});

test('list filters by namespace, label and field selectors and pages with limit/continue', () => {
  const s = new Store(new ManualClock());
  s.create(pods, pod('a', { app: 'web', tier: 'fe' }));
  s.create(pods, pod('b', { app: 'web' }));
  s.create(pods, pod('c', { app: 'db' }));
  s.create(pods, pod('d', { app: 'web' }, 'other'));
  const names = (r: { items: KubeObject[] }) => r.items.map((o) => o.metadata.name);
  assert.deepEqual(names(s.list(pods, { namespace: 'default', labelSelector: 'app=web' })), ['a', 'b']);
  assert.deepEqual(names(s.list(pods, { labelSelector: 'app in (web,db),!tier' })), ['b', 'c', 'd']);
  assert.deepEqual(names(s.list(pods, { labelSelector: 'app!=web' })), ['c']);
  assert.deepEqual(names(s.list(pods, { fieldSelector: 'metadata.name!=a,metadata.namespace=default' })), ['b', 'c']);
  assert.throws(() => s.list(pods, { fieldSelector: 'spec.bogus=1' }), (e) => isStatusError(e, 'BadRequest') && e.message === 'field label not supported: spec.bogus');
  const page1 = s.list(pods, { limit: 2 });
  assert.deepEqual(names(page1), ['a', 'b']);
  assert.equal(page1.remainingItemCount, 2);
  assert.deepEqual(names(s.list(pods, { limit: 2, continue: page1.continue })), ['c', 'd']);
});

test('watch delivers in order, resumes from a resourceVersion, and reports 410 when history is gone', async () => {
  const s = new Store(new ManualClock());
  const a = s.create(pods, pod('a', { app: 'web' }));
  const seen: string[] = [];
  const w = s.watch(pods, { resourceVersion: a.metadata.resourceVersion, labelSelector: 'app=web' }, (ev: WatchEvent) =>
    seen.push(`${ev.type} ${ev.object.metadata.name}`),
  );
  s.create(pods, pod('b', { app: 'web' }));
  s.create(pods, pod('c', { app: 'db' }));
  const b = s.get(pods, 'default', 'b');
  s.update(pods, { ...structuredClone(b), metadata: { ...structuredClone(b.metadata), labels: { app: 'db' } } });
  s.delete(pods, 'default', 'a');
  await tick();
  w.stop();
  assert.deepEqual(seen, ['ADDED b', 'DELETED b', 'DELETED a']);
  const replay: string[] = [];
  s.watch(pods, { resourceVersion: a.metadata.resourceVersion }, (ev) => replay.push(ev.type)).stop;
  await tick();
  assert.deepEqual(replay, ['ADDED', 'ADDED', 'MODIFIED', 'DELETED']);
  for (let i = 0; i < 13000; i++) s.create(byKind('ConfigMap'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}`, namespace: 'default' } });
  assert.throws(() => s.watch(pods, { resourceVersion: a.metadata.resourceVersion }, () => {}), (e) => isStatusError(e) && e.code === 410);
});
