/**
 * Appends journal records and says when they are on disk. Each append is a synchronous write (the OS has it even if
 * the process is killed the next instant); `durable()` resolves once an fdatasync that started after the caller's
 * appends has finished (power loss then loses nothing acknowledged). Group commit: every append made while an
 * fdatasync runs, or in the same turn of the event loop, shares the next one, so a burst of writes costs a few
 * syncs rather than one each. The syncs run on libuv's thread pool, never blocking the event loop.
 */
import { closeSync, fdatasync, fsyncSync, writeSync } from 'node:fs';

interface Waiter {
  upTo: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

export class JournalWriter {
  private written = 0;
  private synced = 0;
  private inflight: number | undefined;
  private scheduled = false;
  private failed: Error | undefined;
  private waiters: Waiter[] = [];
  /** fdatasyncs issued: the bench's writes-per-sync figure. */
  syncs = 0;

  /** `sync` false: `durable()` resolves at once (what the bench compares against). */
  constructor(
    private fd: number,
    private readonly sync: boolean,
    private readonly onFailure: (e: Error) => void = () => {},
  ) {}

  append(text: string): void {
    writeSync(this.fd, text);
    this.written++;
  }

  durable(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (!this.sync || this.synced >= this.written) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ upTo: this.written, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Swaps in the next journal's descriptor once the caller has made everything written so far durable another way
   * (a fresh snapshot, fsynced): every waiter is answered, and the old descriptor is closed when no sync uses it.
   */
  replace(fd: number): void {
    const old = this.fd;
    this.fd = fd;
    this.synced = this.written;
    this.settle();
    if (this.inflight !== old) closeSync(old);
  }

  /** Syncs now, on this thread (before the journal is renamed into the previous generation). */
  syncNow(): void {
    fsyncSync(this.fd);
  }

  /** Syncs and closes: for shutdown. */
  close(): void {
    try {
      fsyncSync(this.fd);
      this.synced = this.written;
    } catch (e) {
      this.fail(e as Error);
    }
    this.settle();
    if (this.inflight !== this.fd) closeSync(this.fd);
    this.fd = -1;
  }

  private schedule(): void {
    if (this.inflight !== undefined || this.scheduled) return;
    this.scheduled = true;
    // Writes made in this turn of the event loop join the sync.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.inflight !== undefined || this.failed || this.fd < 0) return;
    if (!this.waiters.some((w) => w.upTo > this.synced)) return;
    const fd = this.fd;
    const upTo = this.written;
    this.inflight = fd;
    this.syncs++;
    fdatasync(fd, (err) => {
      this.inflight = undefined;
      if (fd !== this.fd) {
        // Replaced or closed meanwhile: what it held is durable already, and nobody else closes it.
        closeSync(fd);
      } else if (err) {
        this.fail(err);
      } else {
        this.synced = Math.max(this.synced, upTo);
      }
      this.settle();
      this.flush();
    });
  }

  private settle(): void {
    const waiting: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.upTo <= this.synced) w.resolve();
      else if (this.failed) w.reject(this.failed);
      else waiting.push(w);
    }
    this.waiters = waiting;
  }

  private fail(e: Error): void {
    if (this.failed) return;
    // After a failed fsync the kernel may have dropped the pages: nothing after it can be promised (PostgreSQL's
    // lesson), so every later write goes unacknowledged.
    this.failed = e;
    this.onFailure(e);
  }
}
