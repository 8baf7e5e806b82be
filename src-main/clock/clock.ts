/**
 * One clock for the whole cluster. The app runs a RealClock (wall time scaled by a speed factor, pausable);
 * tests run a ManualClock that moves only when told, so timings (grace periods, back-offs, evictions) are
 * deterministic and take milliseconds.
 */
export type TimerId = number;

/**
 * A monotonic millisecond count (only differences mean anything). Not monotonicMs(): in a node worker the global
 * `performance` loads perf_hooks and its ten modules on first use, start-up cost paid 50 times at 50 nodes.
 */
export function monotonicMs(): number {
  const [s, ns] = process.hrtime();
  return s * 1000 + ns / 1e6;
}

export interface Clock {
  /** Milliseconds since the epoch, in cluster time. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
  setInterval(fn: () => void, ms: number): TimerId;
  clearInterval(id: TimerId): void;
}

interface Timer {
  id: TimerId;
  due: number;
  every: number;
  fn: () => void;
}

/** A heap entry: the timer and the due time it was queued with (an entry whose timer moved on or went is stale). */
interface Queued {
  t: Timer;
  due: number;
}

const before = (a: Queued, b: Queued) => a.due < b.due || (a.due === b.due && a.t.id < b.t.id);

/**
 * Timers kept in cluster time; subclasses decide how cluster time moves. The earliest timer comes from a binary heap
 * (by due time, then creation order): a node with 100 starting pods holds hundreds of timers, and a scan per timer
 * fired made every clock step quadratic. Cleared timers leave their entry behind until it surfaces or the heap is
 * compacted.
 */
abstract class TimerClock implements Clock {
  protected timers = new Map<TimerId, Timer>();
  private heap: Queued[] = [];
  private nextId = 1;

  abstract now(): number;
  protected abstract scheduled(): void;

  setTimeout(fn: () => void, ms: number): TimerId {
    return this.add(fn, ms, 0);
  }
  setInterval(fn: () => void, ms: number): TimerId {
    return this.add(fn, ms, Math.max(1, ms));
  }
  clearTimeout(id: TimerId): void {
    this.timers.delete(id);
    if (this.heap.length > 2 * this.timers.size + 64) this.compact();
    this.scheduled();
  }
  clearInterval(id: TimerId): void {
    this.clearTimeout(id);
  }

  private add(fn: () => void, ms: number, every: number): TimerId {
    const id = this.nextId++;
    const t = { id, due: this.now() + Math.max(0, ms), every, fn };
    this.timers.set(id, t);
    this.push({ t, due: t.due });
    this.scheduled();
    return id;
  }

  protected earliest(): Timer | undefined {
    const heap = this.heap;
    while (heap.length > 0) {
      const top = heap[0]!;
      if (this.timers.get(top.t.id) === top.t && top.t.due === top.due) return top.t;
      this.pop();
    }
    return undefined;
  }

  /** Runs every timer due at or before `until`, in due order. */
  protected fireDue(until: number): void {
    for (;;) {
      const t = this.earliest();
      if (!t || t.due > until) return;
      this.pop();
      if (t.every > 0) {
        t.due += t.every;
        this.push({ t, due: t.due });
      } else this.timers.delete(t.id);
      t.fn();
    }
  }

  private push(q: Queued): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(q);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(q, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = q;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const r = l + 1;
      const c = r < heap.length && before(heap[r]!, heap[l]!) ? r : l;
      if (!before(heap[c]!, last)) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = last;
  }

  private compact(): void {
    const live = [...this.timers.values()];
    this.heap = [];
    for (const t of live) this.push({ t, due: t.due });
  }
}

/** Cluster time = epoch at start + real elapsed time × speed. Speed 0 pauses. */
export class RealClock extends TimerClock {
  private baseCluster: number;
  private baseReal: number;
  private speedFactor: number;
  private handle: NodeJS.Timeout | undefined;

  constructor(speed = 1, start = Date.now()) {
    super();
    this.baseCluster = start;
    this.baseReal = monotonicMs();
    this.speedFactor = speed;
  }

  now(): number {
    return this.baseCluster + (monotonicMs() - this.baseReal) * this.speedFactor;
  }

  get speed(): number {
    return this.speedFactor;
  }

  setSpeed(speed: number): void {
    this.baseCluster = this.now();
    this.baseReal = monotonicMs();
    this.speedFactor = speed;
    this.scheduled();
  }

  /** Follows another RealClock's params() (a node worker following the host after a speed change). */
  adopt(p: { baseCluster: number; speed: number; realAt: number }): void {
    this.baseCluster = Math.max(this.now(), p.baseCluster + (Date.now() - p.realAt) * p.speed);
    this.baseReal = monotonicMs();
    this.speedFactor = p.speed;
    this.scheduled();
  }

  /** What a peer (a node worker) needs to compute the same now(). */
  params(): { baseCluster: number; speed: number; realAt: number } {
    return { baseCluster: this.now(), speed: this.speedFactor, realAt: Date.now() };
  }

  protected scheduled(): void {
    if (this.handle) clearTimeout(this.handle);
    this.handle = undefined;
    const next = this.earliest();
    if (!next || this.speedFactor === 0) return;
    const wait = Math.max(0, (next.due - this.now()) / this.speedFactor);
    this.handle = setTimeout(() => {
      this.handle = undefined;
      this.fireDue(this.now());
      this.scheduled();
    }, Math.min(wait, 2 ** 31 - 1));
    this.handle.unref?.();
  }
}

/** Moves only through advance()/set(); timers fire synchronously inside those calls. */
export class ManualClock extends TimerClock {
  private current: number;
  private listeners = new Set<(now: number) => void>();

  constructor(start = Date.UTC(2026, 0, 1)) {
    super();
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.set(this.current + ms);
  }

  set(to: number): void {
    if (to < this.current) throw new Error('ManualClock cannot go backwards');
    // Step timer by timer so a timer sees now() equal to its due time.
    for (;;) {
      const t = this.earliest();
      if (!t || t.due > to) break;
      this.current = Math.max(this.current, t.due);
      this.fireDue(this.current);
    }
    this.current = to;
    for (const l of this.listeners) l(to);
  }

  /** Called after every move; used to forward time to node workers. */
  onAdvance(listener: (now: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  protected scheduled(): void {}
}

/** The clock kinds a node worker can be told to run. */
export type ClockSpec = { kind: 'real'; baseCluster: number; speed: number; realAt: number } | { kind: 'manual'; now: number };

let lastIsoSecond = NaN;
let lastIso = '';
/** RFC 3339 at second precision, as metav1.Time marshals. Most calls in a burst fall in the same second. */
export function isoTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastIsoSecond) {
    lastIsoSecond = second;
    lastIso = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
  }
  return lastIso;
}

export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
