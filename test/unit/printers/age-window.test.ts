/**
 * translateTimestampSince's window: the text it prints for a timestamp stays the same from `now` up to (excluding)
 * `window.until`, and the window is as long as the unit shown allows (so cached rows live as long as they can).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timestampMs, translateTimestampSince, type AgeWindow } from '../../../src-main/printers/duration.ts';

const s = 1000, m = 60 * s, h = 60 * m, d = 24 * h, y = 365 * d;

function windowOf(ts: number, now: number): number {
  const w: AgeWindow = { until: Infinity };
  translateTimestampSince(ts, now, w);
  return w.until;
}

/** Ages around every place the printed unit changes, and in between. */
function ages(): number[] {
  const edges = [0, 2 * m, 10 * m, 3 * h, 8 * h, 48 * h, 8 * d, 2 * y, 8 * y];
  const out: number[] = [];
  for (const e of edges) for (const delta of [-1001, -1000, -999, -1, 0, 1, 999, 1000, 59_999, 60_000, 3_599_999]) if (e + delta >= 0) out.push(e + delta);
  let x = 7;
  for (let i = 0; i < 400; i++) out.push((x = (x * 48271) % 2147483647) % (9 * y));
  return out;
}

test('the printed age is the same everywhere in its window', () => {
  const created = Date.parse('2025-03-01T00:00:00.250Z');
  for (const age of ages()) {
    const now = created + age;
    const until = windowOf(created, now);
    assert.ok(until > now, `window after ${age}ms`);
    const text = translateTimestampSince(created, now);
    const last = until - 1;
    for (const t of [now + 1, Math.floor((now + last) / 2), last]) {
      if (t < now || t >= until) continue;
      assert.equal(translateTimestampSince(created, t), text, `age ${age}ms: at +${t - now}ms of a window of ${until - now}ms`);
    }
  }
});

test('the window ends where the text changes, at the unit the age shows', () => {
  const created = Date.parse('2025-03-01T00:00:00Z');
  for (const [age, length] of [[5 * s + 300, 700], [9 * m + 59 * s, s], [17 * m + 20 * s, 40 * s], [7 * h + 59 * m + 1, m - 1], [8 * h + 30 * m, 30 * m], [30 * h, h], [47 * h + 10 * m, 50 * m], [3 * d + 2 * h, h], [8 * d + 5 * h, 19 * h], [40 * d, d], [3 * y, d]]) {
    const now = created + age;
    const until = windowOf(created, now);
    assert.equal(until - now, length, `age ${age}ms`);
    assert.notEqual(translateTimestampSince(created, until), translateTimestampSince(created, now), `age ${age}ms changes at the window's end`);
  }
});

test('future and missing timestamps: no window for the one, none needed for the other', () => {
  const now = Date.parse('2025-03-01T00:00:00Z');
  assert.equal(windowOf(now + 1500, now), now + 1);
  assert.equal(windowOf(now + 5000, now), now + 1);
  const w: AgeWindow = { until: Infinity };
  assert.equal(translateTimestampSince(undefined, now, w), '<unknown>');
  assert.equal(w.until, Infinity);
  // A window only ever narrows.
  const narrow: AgeWindow = { until: now + 10 };
  translateTimestampSince(now - 3 * y, now, narrow);
  assert.equal(narrow.until, now + 10);
});

test('timestamps in the wire form read the same as Date.parse reads them', () => {
  let x = 3;
  const rand = (n: number) => (x = (x * 48271) % 2147483647) % n;
  const two = (n: number) => String(n).padStart(2, '0');
  const cases = ['2025-03-01T00:00:00Z', '1970-01-01T00:00:00Z', '0050-06-15T12:00:00Z', '0100-01-01T00:00:00Z', '2024-02-29T23:59:59Z', '2025-02-31T00:00:00Z',
    '2025-13-01T00:00:00Z', '2025-00-10T00:00:00Z', '2025-01-00T00:00:00Z', '2025-01-01T24:00:00Z', '2025-01-01T23:60:00Z', '2025-01-01T23:59:60Z',
    '2025-01-01T00:00:00.5Z', '2025-01-01 00:00:00Z', '2025-01-01T00:00:00+01:00', '2025-1a-01T00:00:00Z', '+02025-01-01T00:00:0Z', 'garbage-garbage-gar'];
  for (let i = 0; i < 3000; i++) cases.push(`${String(rand(10000)).padStart(4, '0')}-${two(rand(14))}-${two(rand(33))}T${two(rand(26))}:${two(rand(62))}:${two(rand(62))}Z`);
  for (const c of cases) {
    const want = Date.parse(c);
    assert.equal(timestampMs(c), Number.isNaN(want) ? undefined : want, c);
  }
});
