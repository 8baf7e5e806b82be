/**
 * The cursor blinks for a while after the user types or focuses the terminal, then stays lit, as in GTK terminals
 * (gtk-cursor-blink-timeout, 10 s). xterm blinks with an infinite CSS animation that restyles and repaints the page
 * every frame: with it running, an open app never comes to rest (~6 % of a core in the renderer).
 */
export const CURSOR_BLINK_TIMEOUT_MS = 10_000;

export class CursorBlink {
  private on = false;
  private lastWake = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly setBlink: (on: boolean) => void,
    private readonly timeoutMs = CURSOR_BLINK_TIMEOUT_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Typing or focus: blink (again) for the next `timeoutMs`. Cheap per keystroke: one timer, re-armed when it fires. */
  readonly wake = (): void => {
    this.lastWake = this.now();
    if (!this.on) {
      this.on = true;
      this.setBlink(true);
    }
    if (!this.timer) this.timer = setTimeout(this.expire, this.timeoutMs);
  };

  private readonly expire = (): void => {
    const left = this.lastWake + this.timeoutMs - this.now();
    if (left > 0) {
      this.timer = setTimeout(this.expire, left);
      return;
    }
    this.timer = null;
    this.on = false;
    this.setBlink(false);
  };

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
