/**
 * Acknowledges terminal output once xterm has written it (the host holds data above ~100 KB unacknowledged), in
 * batches so a busy terminal does not send one request per chunk.
 */
export class AckBatcher {
  private pending = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly flush: (units: number) => void,
    private readonly threshold = 8192,
    private readonly delayMs = 20,
  ) {}

  written(units: number): void {
    this.pending += units;
    if (this.pending >= this.threshold) this.send();
    else if (!this.timer) this.timer = setTimeout(() => this.send(), this.delayMs);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private send(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending === 0) return;
    const units = this.pending;
    this.pending = 0;
    this.flush(units);
  }
}
