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
