import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src-main/clock/clock.ts';

/** The rule the clock's heap must keep, as a linear scan: earliest due time first, then the timer created first. */
class ScanClock {
  private timers = new Map<number, { id: number; due: number; every: number; fn: () => void }>();
  private next = 1;
  current = 0;
  now = () => this.current;
  setTimeout = (fn: () => void, ms: number) => this.add(fn, ms, 0);
  setInterval = (fn: () => void, ms: number) => this.add(fn, ms, Math.max(1, ms));
  clearTimeout = (id: number) => void this.timers.delete(id);
  private add(fn: () => void, ms: number, every: number): number {
    const id = this.next++;
    this.timers.set(id, { id, due: this.current + Math.max(0, ms), every, fn });
    return id;
  }
  set(to: number): void {
    for (;;) {
      let t;
      for (const x of this.timers.values()) if (!t || x.due < t.due || (x.due === t.due && x.id < t.id)) t = x;
      if (!t || t.due > to) break;
      this.current = Math.max(this.current, t.due);
      if (t.every > 0) t.due += t.every;
      else this.timers.delete(t.id);
      t.fn();
    }
    this.current = to;
  }
}

type Clockish = Pick<ManualClock, 'now' | 'setTimeout' | 'setInterval' | 'clearTimeout' | 'set'>;

/** Timers whose callbacks clear others and add more (as pod workers do), and clears from outside; what fired when. */
function scenario(clock: Clockish): string[] {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const fired: string[] = [];
  const ids: number[] = [];
  const add = (name: string, ms: number, every: boolean) => {
    const fn = () => {
      fired.push(`${clock.now()}:${name}`);
      if (random() < 0.3 && ids.length) clock.clearTimeout(ids[Math.floor(random() * ids.length)]!);
      if (random() < 0.3) add(`${name}+`, Math.floor(random() * 50), false);
    };
    ids.push(every ? clock.setInterval(fn, ms) : clock.setTimeout(fn, ms));
  };
  for (let i = 0; i < 400; i++) add(`t${i}`, Math.floor(random() * 500), random() < 0.1);
  for (let i = 0; i < 150; i++) clock.clearTimeout(ids[Math.floor(random() * ids.length)]!);
  for (let to = 100; to <= 3000; to += 100 + Math.floor(random() * 300)) {
    clock.set(to);
    for (let i = 0; i < 20; i++) add(`late${to}-${i}`, Math.floor(random() * 400), random() < 0.05);
  }
  return fired;
}

test('ManualClock fires exactly what a linear scan fires, in the same order, at the same times', () => {
  const got = scenario(new ManualClock(0));
  assert.ok(got.length > 500);
  assert.deepEqual(got, scenario(new ScanClock() as unknown as Clockish));
});

test('ManualClock: equal due times fire in creation order; a cleared timer never fires', () => {
  const clock = new ManualClock(0);
  const out: string[] = [];
  clock.setTimeout(() => out.push('b'), 10);
  const c = clock.setTimeout(() => out.push('c'), 10);
  clock.setInterval(() => out.push(`i${clock.now()}`), 5);
  clock.setTimeout(() => out.push('d'), 10);
  clock.clearTimeout(c);
  clock.setTimeout(() => out.push('a'), 3);
  clock.set(20);
  assert.deepEqual(out, ['a', 'i5', 'b', 'i10', 'd', 'i15', 'i20']);
});
