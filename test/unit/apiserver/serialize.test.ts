import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../src-main/clock/clock.ts';
import { Store } from '../../../src-main/store/store.ts';
import { Registry } from '../../../src-main/registry/registry.ts';
import { bootstrapObjects } from '../../../src-main/cluster/bootstrap.ts';
import { byKind } from '../../../src-main/api/resources.ts';
import type { KubeObject } from '../../../src-main/api/types.ts';
import { tableFor } from '../../../src-main/printers/table/table.ts';
import { listJson, objectJson, tableJson } from '../../../src-main/apiserver/serialize.ts';
import { fakeRunningPods } from '../../../bench/pods.ts';

function setup() {
  const clock = new ManualClock(Date.parse('2025-03-01T00:00:00Z'));
  const reg = new Registry(new Store(clock), clock);
  bootstrapObjects(reg);
  fakeRunningPods(reg, 30);
  clock.set(clock.now() + 17 * 60_000);
  return { clock, reg };
}

test('tableJson is byte-for-byte JSON.stringify of the Table, for every includeObject, cached or not', () => {
  const { clock, reg } = setup();
  const r = byKind('Pod');
  const pods = reg.list(r, { namespace: 'default' }).items;
  for (const include of ['None', 'Metadata', 'Object'] as const) {
    for (let round = 0; round < 2; round++) {
      const t = tableFor(r, pods, { now: clock.now(), includeObject: include, resourceVersion: '77' }) as unknown as Record<string, unknown>;
      t.apiVersion = 'meta.k8s.io/v1beta1';
      t.metadata = { resourceVersion: '77', continue: 'abc', remainingItemCount: 3 };
      const got = tableJson(r, pods, { now: clock.now(), include, apiVersion: 'meta.k8s.io/v1beta1', metadata: { resourceVersion: '77', continue: 'abc', remainingItemCount: 3 } });
      assert.equal(got.toString('utf8'), JSON.stringify(t));
    }
  }
});

test('a cached row follows the clock: ages move on with the second', () => {
  const { clock, reg } = setup();
  const r = byKind('Pod');
  const pods = reg.list(r, { namespace: 'default' }).items;
  const before = JSON.parse(String(tableJson(r, pods, { now: clock.now(), include: 'None', apiVersion: 'meta.k8s.io/v1', metadata: {} })));
  clock.set(clock.now() + 3 * 3600_000);
  const after = JSON.parse(String(tableJson(r, pods, { now: clock.now(), include: 'None', apiVersion: 'meta.k8s.io/v1', metadata: {} })));
  assert.notEqual(before.rows[0].cells[4], after.rows[0].cells[4]);
  assert.deepEqual(after.rows[0].cells, tableFor(r, [pods[0]], { now: clock.now() }).rows[0].cells);
});

test('a single object Table carries its own resourceVersion', () => {
  const { clock, reg } = setup();
  const r = byKind('Pod');
  const pod = reg.list(r, { namespace: 'default' }).items[0];
  const got = JSON.parse(String(tableJson(r, [pod], { now: clock.now(), include: 'Metadata', apiVersion: 'meta.k8s.io/v1', metadata: {} })));
  assert.equal(got.metadata.resourceVersion, pod.metadata.resourceVersion);
  assert.equal(got.rows[0].object.metadata.name, pod.metadata.name);
});

test('listJson is JSON.stringify of the list, items without apiVersion and kind', () => {
  const { reg } = setup();
  const pods = reg.list(byKind('Pod'), { namespace: 'default' }).items;
  const loose = { ...pods[0], metadata: { ...pods[0].metadata, name: 'unfrozen' } } as KubeObject;
  const items = [...pods, loose];
  const strip = (o: KubeObject) => {
    const { apiVersion: _a, kind: _k, ...rest } = o;
    return rest;
  };
  for (let round = 0; round < 2; round++) {
    assert.equal(listJson({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '5' } }, items).toString('utf8'), JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '5' }, items: items.map(strip) }));
  }
  assert.equal(listJson({}, []).toString('utf8'), JSON.stringify({ items: [] }));
});

test('lists and Tables with non-ASCII text are the same UTF-8 bytes as Buffer.from(JSON.stringify(...))', () => {
  const { clock, reg } = setup();
  const r = byKind('Pod');
  const pod = reg.list(r, { namespace: 'default' }).items[0];
  const text = { 'kubelab.io/note': '서비스 🎉 é \u2028 \ud83d\ude00', 'kubelab.io/lone': 'x\ud800y' };
  reg.update(r, { ...structuredClone(pod), metadata: { ...structuredClone(pod.metadata), annotations: text } } as KubeObject);
  const pods = reg.list(r, { namespace: 'default' }).items;
  const strip = (o: KubeObject) => {
    const { apiVersion: _a, kind: _k, ...rest } = o;
    return rest;
  };
  const head = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '9' } };
  assert.deepEqual(listJson(head, pods), Buffer.from(JSON.stringify({ ...head, items: pods.map(strip) })));
  const t = tableFor(r, pods, { now: clock.now(), includeObject: 'Metadata', resourceVersion: '9' });
  assert.deepEqual(tableJson(r, pods, { now: clock.now(), include: 'Metadata', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '9' } }), Buffer.from(JSON.stringify(t)));
});

test('cached rows equal freshly printed ones at every moment, the clock jumping by any amount (and back)', () => {
  const { clock, reg } = setup();
  const start = clock.now();
  // Objects made at scattered times, some off the whole second, so their ages roll over at different moments.
  let x = 11;
  const rand = (n: number) => (x = (x * 48271) % 2147483647) % n;
  // Most within ten minutes (ages in seconds), a few days apart (ages in hours and days).
  const times = Array.from({ length: 40 }, (_, i) => start + (i % 5 === 0 ? rand(3 * 86_400_000) : 3 * 86_400_000 + rand(600_000)) + (i % 3 === 0 ? rand(1000) : 0)).sort((a, b) => a - b);
  for (let i = 0; i < times.length; i++) {
    clock.set(times[i]);
    reg.create(byKind('ConfigMap'), 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { k: 'v' } } as KubeObject);
    const at = new Date(clock.now() - rand(5000)).toISOString().replace('Z', '123Z');
    reg.create(byKind('Event'), 'default', {
      apiVersion: 'v1', kind: 'Event', metadata: { name: `ev-${i}` }, involvedObject: { kind: 'Pod', name: `p-${i}`, namespace: 'default' },
      reason: 'Pulled', message: 'pulled', type: 'Normal', eventTime: at, reportingComponent: 'kubelet', reportingInstance: 'node-1', action: 'Pulling', firstTimestamp: i % 2 ? at.replace(/\.\d+Z$/, 'Z') : undefined, count: 1,
    } as unknown as KubeObject);
  }
  let now = times[times.length - 1] - 2000;
  const steps = [0, 1, 7, 250, 999, 1000, 1001, 300, 700, -5000, 1500, 30_000, 59_999, 60_000, 3_600_000, 86_400_000, 13, 40 * 86_400_000];
  for (let round = 0; round < 200; round++) {
    now += round < 150 ? steps[round % 11] + rand(700) : steps[round % steps.length] + rand(90_000);
    for (const kind of ['Pod', 'ConfigMap', 'Event']) {
      const r = byKind(kind);
      const objs = reg.list(r, { namespace: 'default' }).items;
      const include = (['Metadata', 'None', 'Object'] as const)[Math.floor(round / 70)];
      const want = tableFor(r, objs, { now, includeObject: include, resourceVersion: '5' }) as unknown as Record<string, unknown>;
      const got = tableJson(r, objs, { now, include, apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '5' } });
      assert.equal(got.toString('utf8'), JSON.stringify(want), `${kind} at round ${round}`);
    }
  }
});

test('objectJson is JSON.stringify of the object, stored (cached) or not', () => {
  const { reg } = setup();
  const pods = reg.list(byKind('Pod'), { namespace: 'default' }).items;
  const loose = { ...pods[1], metadata: { ...pods[1].metadata, name: 'unfrozen' } } as KubeObject;
  for (let round = 0; round < 2; round++) {
    assert.equal(objectJson(pods[0]), JSON.stringify(pods[0]));
    assert.equal(objectJson(loose), JSON.stringify(loose));
    loose.metadata.name = 'changed';
  }
});
