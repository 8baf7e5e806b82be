/**
 * Flow control for one terminal on one connection: send `terminal.data` while fewer than TERMINAL_HIGH_WATERMARK
 * units are unacknowledged, then hold data until `terminal.ack`s bring it under TERMINAL_LOW_WATERMARK, so a
 * runaway command cannot flood a slow renderer. Units are UTF-16 code units of the data strings.
 */
import { TERMINAL_HIGH_WATERMARK, TERMINAL_LOW_WATERMARK } from '../../contract/contract.ts';
import type { Events } from '../../contract/contract.ts';

/** Beyond this much held data the oldest is dropped: the host keeps running even if a renderer never acks. */
export const MAX_HELD_UNITS = 4_000_000;

export interface FlowSink {
  data(payload: Events['terminal.data']): void;
  exit(payload: Events['terminal.exit']): void;
}

export class TerminalFlow {
  private unacked = 0;
  private paused = false;
  private held: string[] = [];
  private heldUnits = 0;
  private pendingExit: number | null = null;
  private droppedUnits = 0;

  constructor(
    readonly id: string,
    private readonly sink: FlowSink,
    private readonly high = TERMINAL_HIGH_WATERMARK,
    private readonly low = TERMINAL_LOW_WATERMARK,
  ) {}

  get unacknowledged(): number {
    return this.unacked;
  }

  get heldBack(): number {
    return this.heldUnits;
  }

  get dropped(): number {
    return this.droppedUnits;
  }

  push(data: string): void {
    if (data.length === 0) return;
    if (!this.paused && this.unacked < this.high) {
      this.emit(data);
      return;
    }
    this.held.push(data);
    this.heldUnits += data.length;
    while (this.heldUnits > MAX_HELD_UNITS && this.held.length > 1) {
      const oldest = this.held.shift()!;
      this.heldUnits -= oldest.length;
      this.droppedUnits += oldest.length;
    }
  }

  exit(code: number): void {
    if (this.held.length > 0) this.pendingExit = code;
    else this.sink.exit({ id: this.id, code });
  }

  ack(units: number): void {
    if (!Number.isFinite(units) || units <= 0) return;
    this.unacked = Math.max(0, this.unacked - units);
    if (this.paused && this.unacked <= this.low) this.paused = false;
    this.drain();
  }

  private emit(data: string): void {
    this.unacked += data.length;
    if (this.unacked >= this.high) this.paused = true;
    this.sink.data({ id: this.id, data });
  }

  private drain(): void {
    while (!this.paused && this.held.length > 0) {
      // Coalesce held chunks up to the remaining window into one message.
      let chunk = '';
      while (this.held.length > 0 && this.unacked + chunk.length < this.high) {
        chunk += this.held.shift()!;
      }
      this.heldUnits -= chunk.length;
      this.emit(chunk);
    }
    if (this.held.length === 0 && this.pendingExit !== null) {
      const code = this.pendingExit;
      this.pendingExit = null;
      this.sink.exit({ id: this.id, code });
    }
  }
}
