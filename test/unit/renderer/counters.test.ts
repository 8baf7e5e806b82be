import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accumulate, deltas, podRequestTotals } from '../../../src-renderer/lib/traffic/counters.ts';

test('deltas: the increase of each counter since the previous frame', () => {
  assert.deepEqual(deltas({ a: 3, b: 5 }, { a: 7, b: 5, c: 2 }), { a: 4, c: 2 });
  assert.deepEqual(deltas(null, { a: 3, b: 0 }), { a: 3 });
  assert.deepEqual(deltas({ a: 3 }, {}), {});
});

test('deltas: a counter that falls was restarted, so its new value is all new', () => {
  assert.deepEqual(deltas({ a: 10 }, { a: 2 }), { a: 2 });
  assert.deepEqual(deltas({ a: 10 }, { a: 0 }), {});
});

test('accumulate keeps running totals that never fall across a restart', () => {
  const frames: Array<Record<string, number>> = [{ a: 1 }, { a: 4, b: 1 }, { a: 0, b: 1 }, { a: 2, b: 3 }];
  let totals = {};
  let previous: Record<string, number> | null = null;
  for (const frame of frames) {
    totals = accumulate(totals, deltas(previous, frame));
    previous = frame;
  }
  assert.deepEqual(totals, { a: 6, b: 3 });
});

test('accumulate returns the same object when nothing changed (no needless re-render)', () => {
  const totals = { a: 1 };
  assert.equal(accumulate(totals, {}), totals);
  assert.notEqual(accumulate(totals, { a: 1 }), totals);
  assert.deepEqual(totals, { a: 1 });
});

test('podRequestTotals flattens a frame', () => {
  assert.deepEqual(podRequestTotals({ pods: { 'default/x': { requests: 4 }, 'default/y': { requests: 0 } } }), { 'default/x': 4, 'default/y': 0 });
});

test('the cluster clock runs on from the snapshot at its speed, and stands still when paused', async () => {
  const { clusterTimeNow } = await import('../../../src-renderer/lib/stores/clock.ts');
  assert.equal(clusterTimeNow({ now: 1_000_000, speed: 60 }, 500, 1500), 1_060_000);
  assert.equal(clusterTimeNow({ now: 1_000_000, speed: 0 }, 500, 9500), 1_000_000);
  assert.equal(clusterTimeNow({ now: 1_000_000, speed: 1 }, 500, 400), 1_000_000, 'never runs backwards');
});

test('partial frames: merged last values give the same running totals as full frames', async () => {
  const { addInto, mergeInto } = await import('../../../src-renderer/lib/traffic/counters.ts');
  const partial: Array<Record<string, number>> = [{ a: 1, b: 2 }, { a: 4 }, { b: 3 }, { a: 1 }];
  const totals: Record<string, number> = {};
  const last: Record<string, number> = {};
  for (const frame of partial) {
    addInto(totals, deltas(last, frame));
    mergeInto(last, frame);
  }
  assert.deepEqual(totals, { a: 5, b: 3 }, 'a: 1 + 3 + a restart to 1; b: 2 + 1');
  assert.deepEqual(last, { a: 1, b: 3 });
});
