/**
 * A readline-like editor for one terminal line: cursor movement, kill/yank-less editing keys, history. It turns
 * key input into edits and returns the ANSI needed to redraw; the session decides what Enter/Ctrl-C/Ctrl-D mean.
 */
export type EditorEvent =
  | { kind: 'submit'; line: string }
  | { kind: 'interrupt' }
  | { kind: 'eof' }
  | { kind: 'clear-screen' }
  | { kind: 'complete' };

export class LineEditor {
  buffer = '';
  cursor = 0;
  private historyIndex = -1;
  private draft = '';

  constructor(private readonly history: () => string[]) {}

  reset(): void {
    this.buffer = '';
    this.cursor = 0;
    this.historyIndex = -1;
    this.draft = '';
  }

  /** Feeds raw terminal input; returns echo/redraw output and events in order. */
  feed(data: string): { output: string; events: EditorEvent[] } {
    let output = '';
    const events: EditorEvent[] = [];
    for (let i = 0; i < data.length; i++) {
      const esc = /^\x1b(\[[0-9;]*[A-Za-z~]|O[A-Z])/.exec(data.slice(i));
      if (esc) {
        output += this.escape(esc[1]!);
        i += esc[0].length - 1;
        continue;
      }
      const c = data[i]!;
      switch (c) {
        case '\r': case '\n':
          if (c === '\n' && data[i - 1] === '\r') break;
          events.push({ kind: 'submit', line: this.buffer });
          output += '\r\n';
          this.reset();
          return { output, events: [...events, ...this.restEvents(data.slice(i + 1))] };
        case '\x03': events.push({ kind: 'interrupt' }); break;
        case '\x04':
          if (this.buffer === '') events.push({ kind: 'eof' });
          else output += this.deleteAt(this.cursor);
          break;
        case '\x7f': case '\b': if (this.cursor > 0) { this.cursor--; output += '\b' + this.deleteAt(this.cursor); } break;
        case '\x01': output += this.moveTo(0); break;
        case '\x05': output += this.moveTo(this.buffer.length); break;
        case '\x02': output += this.moveTo(this.cursor - 1); break;
        case '\x06': output += this.moveTo(this.cursor + 1); break;
        case '\x15': output += this.replace(this.buffer.slice(this.cursor), 0); break;
        case '\x0b': output += this.replace(this.buffer.slice(0, this.cursor), this.cursor); break;
        case '\x17': {
          const before = this.buffer.slice(0, this.cursor).replace(/\S+\s*$/, '');
          output += this.replace(before + this.buffer.slice(this.cursor), before.length);
          break;
        }
        case '\x0c': events.push({ kind: 'clear-screen' }); break;
        case '\t': events.push({ kind: 'complete' }); break;
        default:
          if (c >= ' ' || c === '\x1b') output += this.insert(c === '\x1b' ? '' : c);
      }
    }
    return { output, events };
  }

  /** Keeps typed-ahead input after Enter for the next line. */
  pendingInput = '';
  private restEvents(rest: string): EditorEvent[] {
    this.pendingInput = rest;
    return [];
  }

  insert(text: string): string {
    const tail = this.buffer.slice(this.cursor);
    this.buffer = this.buffer.slice(0, this.cursor) + text + tail;
    this.cursor += text.length;
    return text + tail + (tail.length ? `\x1b[${tail.length}D` : '');
  }

  /** Replaces the whole line, placing the cursor at `cursor`, and redraws. */
  replace(line: string, cursor = line.length): string {
    const back = this.cursor > 0 ? `\x1b[${this.cursor}D` : '';
    this.buffer = line;
    this.cursor = cursor;
    const tailMove = line.length - cursor;
    return `${back}\x1b[K${line}${tailMove > 0 ? `\x1b[${tailMove}D` : ''}`;
  }

  private deleteAt(pos: number): string {
    if (pos >= this.buffer.length) return '';
    this.buffer = this.buffer.slice(0, pos) + this.buffer.slice(pos + 1);
    const tail = this.buffer.slice(pos);
    return `\x1b[K${tail}${tail.length ? `\x1b[${tail.length}D` : ''}`;
  }

  private moveTo(pos: number): string {
    pos = Math.max(0, Math.min(this.buffer.length, pos));
    const delta = pos - this.cursor;
    this.cursor = pos;
    return delta > 0 ? `\x1b[${delta}C` : delta < 0 ? `\x1b[${-delta}D` : '';
  }

  private escape(seq: string): string {
    const key = seq.replace(/^\[|^O/, '');
    switch (key) {
      case 'A': return this.historyStep(1);
      case 'B': return this.historyStep(-1);
      case 'C': return this.moveTo(this.cursor + 1);
      case 'D': return this.moveTo(this.cursor - 1);
      case 'H': case '1~': return this.moveTo(0);
      case 'F': case '4~': return this.moveTo(this.buffer.length);
      case '3~': return this.deleteAt(this.cursor);
    }
    return '';
  }

  private historyStep(dir: 1 | -1): string {
    const list = this.history();
    const next = this.historyIndex + dir;
    if (next < -1 || next >= list.length) return '\x07';
    if (this.historyIndex === -1) this.draft = this.buffer;
    this.historyIndex = next;
    return this.replace(next === -1 ? this.draft : list[list.length - 1 - next]!);
  }
}
