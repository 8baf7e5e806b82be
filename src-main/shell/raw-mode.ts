/** A session's terminal lent to a full-screen program: keystrokes and resizes go to it until it releases them. */
import type { RawTerminal } from '../userland/command.ts';

interface Holder {
  input?: (data: string) => void;
  resize?: () => void;
}

export class RawMode {
  private holder: Holder | undefined;

  constructor(private readonly size: () => { columns: number; rows: number }, private readonly emit: (data: string) => void) {}

  get active(): boolean {
    return this.holder !== undefined;
  }

  /** A program nested in another (kubectl edit running vi) takes the terminal over from its caller. */
  take(): RawTerminal {
    const holder: Holder = {};
    const previous = this.holder;
    this.holder = holder;
    const size = this.size;
    return {
      get columns() { return size().columns; },
      get rows() { return size().rows; },
      write: (ansi) => { if (this.holder === holder) this.emit(ansi); },
      onInput: (l) => void (holder.input = l),
      onResize: (l) => void (holder.resize = l),
      release: () => { if (this.holder === holder) this.holder = previous; },
    };
  }

  /** Returns false when no program holds the terminal. */
  input(data: string): boolean {
    if (!this.holder) return false;
    this.holder.input?.(data);
    return true;
  }

  resize(): void {
    this.holder?.resize?.();
  }

  reset(): void {
    this.holder = undefined;
  }
}
