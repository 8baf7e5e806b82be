/**
 * client-go util/flowcontrol.Backoff as the kubelet uses it for container restarts and image pulls:
 * 10s initial, doubling, capped at 300s; an entry idle for twice the cap starts over.
 */
export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;

interface Entry { backoff: number; lastUpdate: number }

export class Backoff {
  private entries = new Map<string, Entry>();

  constructor(private readonly initial = INITIAL_BACKOFF_MS, private readonly max = MAX_BACKOFF_MS) {}

  /** Current back-off duration for key (0 when none). */
  get(key: string): number {
    return this.entries.get(key)?.backoff ?? 0;
  }

  /** Records an event at eventTime: starts at initial or doubles the previous duration. */
  next(key: string, eventTime: number): void {
    const e = this.entries.get(key);
    if (!e || eventTime - e.lastUpdate > 2 * this.max) {
      this.entries.set(key, { backoff: this.initial, lastUpdate: eventTime });
      return;
    }
    e.backoff = Math.min(e.backoff * 2, this.max);
    e.lastUpdate = eventTime;
  }

  /** Container restarts: still waiting out the back-off that started when the container finished. */
  isInBackOffSince(key: string, eventTime: number, now: number): boolean {
    const e = this.entries.get(key);
    if (!e || now - e.lastUpdate > 2 * this.max) return false;
    return now - eventTime < e.backoff;
  }

  /** Image pulls: still waiting since the last failed pull. */
  isInBackOffSinceUpdate(key: string, now: number): boolean {
    const e = this.entries.get(key);
    if (!e || now - e.lastUpdate > 2 * this.max) return false;
    return now - e.lastUpdate < e.backoff;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }
}

/** Go's time.Duration String() for whole milliseconds: 10s, 1m20s, 5m0s, 830ms, 1.393s. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const totalSeconds = ms / 1000;
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = +(totalSeconds % 60).toFixed(3);
  const sec = `${s}s`;
  if (h) return `${h}h${m}m${sec}`;
  if (m) return `${m}m${sec}`;
  return sec;
}
