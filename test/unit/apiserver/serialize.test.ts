import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../src-main/clock/clock.ts';
import { Store } from '../../../src-main/store/store.ts';
import { Registry } from '../../../src-main/registry/registry.ts';
import { bootstrapObjects } from '../../../src-main/cluster/bootstrap.ts';
import { byKind } from '../../../src-main/api/resources.ts';
import type { KubeObject } from '../../../src-main/api/types.ts';
import { tableFor } from '../../../src-main/printers/table/table.ts';
import { listJson, tableJson } from '../../../src-main/apiserver/serialize.ts';
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
      assert.equal(got, JSON.stringify(t));
    }
  }
});

test('a cached row follows the clock: ages move on with the second', () => {
  const { clock, reg } = setup();
  const r = byKind('Pod');
  const pods = reg.list(r, { namespace: 'default' }).items;
  const before = JSON.parse(tableJson(r, pods, { now: clock.now(), include: 'None', apiVersion: 'meta.k8s.io/v1', metadata: {} }));
  clock.set(clock.now() + 3 * 3600_000);
  const after = JSON.parse(tableJson(r, pods, { now: clock.now(), include: 'None', apiVersion: 'meta.k8s.io/v1', metadata: {} }));
  assert.notEqual(before.rows[0].cells[4], after.rows[0].cells[4]);
  assert.deepEqual(after.rows[0].cells, tableFor(r, [pods[0]], { now: clock.now() }).rows[0].cells);
});

test('a single object Table carries its own resourceVersion', () => {
  const { clock, reg } = setup();
  const r = byKind('Pod');
  const pod = reg.list(r, { namespace: 'default' }).items[0];
  const got = JSON.parse(tableJson(r, [pod], { now: clock.now(), include: 'Metadata', apiVersion: 'meta.k8s.io/v1', metadata: {} }));
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
    assert.equal(listJson({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '5' } }, items), JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '5' }, items: items.map(strip) }));
  }
  assert.equal(listJson({}, []), JSON.stringify({ items: [] }));
});
