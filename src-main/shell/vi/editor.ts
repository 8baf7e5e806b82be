/**
 * vi's key handling: normal mode (counts, operators with motions and text objects, commands, `.`), Visual mode and
 * the `:`/`/`/`?` command line; insert mode is insert.ts. Feed it key names (keys.ts); it changes the state, the
 * terminal side only draws it.
 */
import { runEx, quit } from './ex.ts';
import { motion, MOTION_KEYS, searchMotion, type Motion } from './motions.ts';
import { textObject } from './objects.ts';
import { ordered, selection } from './visual.ts';
import { applyOperator, put, type Operator } from './operators.ts';
import { InsertMode, isText } from './insert.ts';
import { firstNonBlank } from './text.ts';

export class ViEditor extends InsertMode {
  /** Text rows on the screen; the terminal side keeps it current (page motions use it). */
  height = 23;
  /** Keys of a normal-mode command typed so far (`2d`, `g`), shown by 'showcmd'. */
  pending: string[] = [];

  feed(key: string): void {
    if (this.exitStatus !== undefined) return;
    if (this.mode === 'insert') return this.insertKey(key);
    if (this.mode === 'cmdline') return this.cmdlineKey(key);
    this.normalKey(key);
  }

  private normalKey(key: string): void {
    if ((key === '<Esc>' || key === '<C-c>') && this.mode === 'visual' && this.pending.length === 0) return this.endVisual();
    if (key === '<Esc>' && this.pending.length === 0) return;
    if (key === '<Esc>' || key === '<C-c>') {
      if (key === '<C-c>' && this.pending.length === 0) this.info(this.modified ? 'Type  :qa!  and press <Enter> to abandon all changes and exit Vim' : 'Type  :qa  and press <Enter> to exit Vim');
      this.pending = [];
      return;
    }
    this.pending.push(key);
    const keys = this.pending;
    let i = 0;
    const digits = (): number | undefined => {
      let text = '';
      while (i < keys.length && /^[0-9]$/.test(keys[i]!) && (text !== '' || keys[i] !== '0')) text += keys[i++];
      return text === '' ? undefined : Number(text);
    };
    const count1 = digits();
    const op = ['d', 'c', 'y', '>', '<'].includes(keys[i] ?? '') ? (keys[i++] as Operator) : undefined;
    if (op && this.mode === 'visual') {
      this.pending = [];
      return this.change(() => this.onSelection(op), [], undefined, op);
    }
    const count2 = op ? digits() : undefined;
    const rest = keys.slice(i);
    if (rest.length === 0) return;
    const count = count1 === undefined && count2 === undefined ? undefined : (count1 ?? 1) * (count2 ?? 1);
    let cmd = rest[0]!;
    if ((op || this.mode === 'visual') && (cmd === 'i' || cmd === 'a')) {
      if (rest.length < 2) return;
      cmd += rest[1];
    } else if (['g', 'Z', 'r', 'f', 'F', 't', 'T'].includes(cmd)) {
      if (rest.length < 2) return;
      if (cmd === 'g' || cmd === 'Z') cmd += rest[1];
    }
    const typed = this.pending;
    this.pending = [];
    if (cmd === '.') return this.repeat();
    this.change(() => (this.mode === 'visual' ? this.visualCommand(cmd, rest[1], count) : this.run(cmd, rest[1], count, op)), typed, count, cmd);
  }

  /** Runs a command as one undoable change (an insert it starts ends the change at <Esc>). */
  private change(run: () => void, typed: string[], count: number | undefined, cmd: string): void {
    const before = this.snapshot();
    run();
    if (this.mode === 'insert') {
      this.insertBefore = before;
      this.typing = typed;
      this.insertRepeat = count !== undefined && count > 1 && 'iaAIoO'.includes(cmd) ? { count, open: cmd === 'o' || cmd === 'O', from: typed.length } : undefined;
      this.insertedSpace = false;
      this.canReindent = true;
    } else if (cmd !== 'u' && cmd !== '<C-r>' && this.commit(before)) this.lastChange = typed;
  }

  private endVisual(): void {
    this.mode = 'normal';
    this.visual = undefined;
    this.setCursor(this.row, this.col);
  }

  /** An operator on the Visual selection; the cursor goes to its start. */
  private onSelection(op: Operator): void {
    const { start, motion: m } = selection(this.visual!, { row: this.row, col: this.col });
    this.mode = 'normal';
    this.visual = undefined;
    applyOperator(this, op, m, start);
  }

  /** Keys in Visual mode: motions extend the selection, the rest acts on it. */
  private visualCommand(cmd: string, arg: string | undefined, count: number | undefined): void {
    const v = this.visual!;
    switch (cmd) {
      case 'v': case 'V':
        if (v.line === (cmd === 'V')) return this.endVisual();
        v.line = cmd === 'V';
        return;
      case 'o': {
        const anchor = v.anchor;
        v.anchor = { row: this.row, col: this.col };
        return this.setCursor(anchor.row, anchor.col);
      }
      case 'x': case '<Del>': return this.onSelection('d');
      case 's': return this.onSelection('c');
      case 'D': case 'X': v.line = true; return this.onSelection('d');
      case 'Y': v.line = true; return this.onSelection('y');
      case 'C': case 'S': case 'R': v.line = true; return this.onSelection('c');
      case 'J': {
        const [from, to] = ordered(v, { row: this.row, col: this.col });
        this.endVisual();
        this.row = from.row;
        return this.join(Math.max(2, to.row - from.row + 1));
      }
      case 'p': case 'P': return this.replaceSelection();
    }
    if (cmd.length === 2 && (cmd[0] === 'i' || cmd[0] === 'a')) {
      const range = textObject(this, cmd[0] === 'a', cmd[1]!);
      if (!range) return;
      v.anchor = range.from;
      if (range.linewise) v.line = true;
      return this.setCursor(range.to.row, range.to.col);
    }
    if (!MOTION_KEYS.has(cmd) && cmd !== 'gg' && cmd !== 'G') return;
    const m = motion(this, cmd, count, undefined, arg);
    if (!m) return;
    if (m.vertical) this.setCursor(m.row, this.wantCol, true);
    else this.setCursor(m.row, m.col);
    if (cmd === '$' || cmd === '<End>') this.wantCol = Infinity;
  }

  /** Visual `p`: the selection gives way to the register's text; the unnamed register then holds what was selected. */
  private replaceSelection(): void {
    const reg = this.register;
    if (!reg) return this.error('E353: Nothing in register "');
    const { start, motion: m } = selection(this.visual!, { row: this.row, col: this.col });
    const linesBefore = this.lines.length;
    this.onSelection('d');
    const deleted = this.register;
    if (m.linewise) {
      const atEnd = start.row >= this.lines.length || (this.lines.length === 1 && this.lines[0] === '' && linesBefore > 0 && start.row === 0 && m.row === linesBefore - 1);
      const text = reg.linewise ? reg.text : reg.text;
      if (atEnd && !(this.lines.length === 1 && this.lines[0] === '')) this.lines.push(...text.split('\n'));
      else if (this.lines.length === 1 && this.lines[0] === '') this.lines.splice(0, 1, ...text.split('\n'));
      else this.lines.splice(start.row, 0, ...text.split('\n'));
      const row = Math.min(start.row, this.lines.length - 1);
      this.setCursor(row, firstNonBlank(this.lines[row]!));
    } else if (reg.linewise) {
      const line = this.line;
      this.lines.splice(this.row, 1, line.slice(0, start.col), ...reg.text.split('\n'), line.slice(start.col));
      this.setCursor(this.row + 1, firstNonBlank(this.lines[this.row + 1]!));
    } else {
      this.register = reg;
      put(this, start.col >= this.line.length && this.line.length > 0, 1);
    }
    this.register = deleted;
  }

  private repeat(): void {
    for (const key of [...this.lastChange]) this.feed(key);
  }

  private run(cmd: string, arg: string | undefined, count: number | undefined, op: Operator | undefined): void {
    const n = count ?? 1;
    if (op) {
      if (cmd === op) {
        const to = this.row + n - 1;
        if (to > this.lines.length - 1 && n > 1 && this.row === this.lines.length - 1) return;
        return applyOperator(this, op, { row: Math.min(to, this.lines.length - 1), col: 0, linewise: true, inclusive: false });
      }
      if (cmd.length === 2 && (cmd[0] === 'i' || cmd[0] === 'a')) {
        const range = textObject(this, cmd[0] === 'a', cmd[1]!);
        if (!range) return;
        // An empty inside (`ci"` on `""`): nothing to take, `c` still starts inserting there.
        if (!range.linewise && range.to.row === range.from.row && range.to.col < range.from.col) {
          if (op === 'c') this.insert(range.from.col);
          return;
        }
        applyOperator(this, op, { ...range.to, linewise: range.linewise, inclusive: true }, range.from);
        return;
      }
      const m = MOTION_KEYS.has(cmd) ? motion(this, cmd, count, op, arg) : undefined;
      if (m) applyOperator(this, op, m);
      return;
    }
    if (MOTION_KEYS.has(cmd)) {
      const m = motion(this, cmd, count, undefined, arg);
      if (m) this.moveTo(m);
      if (m && (cmd === '$' || cmd === '<End>')) this.wantCol = Infinity;
      return;
    }
    const line = this.line;
    switch (cmd) {
      case 'i': case '<Insert>': return this.insert(this.col);
      case 'a': return this.insert(line.length ? this.col + 1 : 0);
      case 'A': return this.insert(line.length);
      case 'I': return this.insert(/^[ \t]*/.exec(line)![0].length);
      case 'o': case 'O': return this.openLine(cmd === 'o');
      case 'x': case '<Del>': if (line.length) applyOperator(this, 'd', { row: this.row, col: Math.min(line.length, this.col + n), linewise: false, inclusive: false }); return;
      case 'X': if (this.col > 0) applyOperator(this, 'd', { row: this.row, col: Math.max(0, this.col - n), linewise: false, inclusive: false }); return;
      case 's': return applyOperator(this, 'c', { row: this.row, col: Math.min(line.length, this.col + n), linewise: false, inclusive: false });
      case 'D': case 'C': {
        const r = Math.min(this.lines.length - 1, this.row + n - 1);
        applyOperator(this, cmd === 'D' ? 'd' : 'c', { row: r, col: this.lines[r]!.length, linewise: false, inclusive: false });
        if (cmd === 'D') this.setCursor(this.row, this.col);
        return;
      }
      case 'S': return applyOperator(this, 'c', { row: Math.min(this.lines.length - 1, this.row + n - 1), col: 0, linewise: true, inclusive: false });
      case 'Y': return applyOperator(this, 'y', { row: Math.min(this.lines.length - 1, this.row + n - 1), col: 0, linewise: true, inclusive: false });
      case 'p': case 'P': return put(this, cmd === 'p', n);
      case 'u': for (let k = 0; k < n; k++) this.undo(); return;
      case '<C-r>': for (let k = 0; k < n; k++) this.redo(); return;
      case 'J': return this.join(Math.max(2, n));
      case '~': return this.toggleCase(n);
      case 'r': {
        if (!arg || !isText(arg) || this.col + n > line.length) return;
        this.lines[this.row] = line.slice(0, this.col) + arg.repeat(n) + line.slice(this.col + n);
        return this.setCursor(this.row, this.col + n - 1);
      }
      case 'ZZ': return runEx(this, 'x');
      case 'ZQ': return quit(this, true);
      case 'v': case 'V':
        this.mode = 'visual';
        this.visual = { line: cmd === 'V', anchor: { row: this.row, col: this.col } };
        return;
      case ':': case '/': case '?':
        this.mode = 'cmdline';
        this.cmdline = cmd;
        return;
      case '<C-f>': case '<PageDown>': case '<C-b>': case '<PageUp>':
        for (let k = 0; k < n; k++) this.page(cmd === '<C-f>' || cmd === '<PageDown>');
        return;
      case '<C-d>': case '<C-u>': return this.halfPage(cmd === '<C-d>', count);
      case '<C-g>': return this.info(`"${this.name ?? '[No Name]'}"${this.modified ? ' [Modified]' : ''} ${this.lines.length} line${this.lines.length === 1 ? '' : 's'} --${Math.floor(((this.row + 1) * 100) / this.lines.length)}%--`);
    }
  }

  /** onepage(): a screen forward keeping two lines, or back; the cursor lands 'scrolloff' lines inside. */
  private page(forward: boolean): void {
    const last = this.lines.length - 1;
    const so = Math.min(5, Math.floor((this.height - 1) / 2));
    const bottom = this.top + this.height;
    if (forward) {
      if (bottom > last && this.top >= last - so) return;
      this.top = bottom > last ? last : bottom - 2;
      const row = Math.min(last, this.top + (this.top > 0 ? so : 0));
      return this.setCursor(row, firstNonBlank(this.lines[row]!));
    }
    if (this.top === 0) return;
    const end = this.top + 1;
    this.top = Math.max(0, end - this.height + 1);
    const row = Math.min(this.row, this.top === 0 ? this.height - 1 - so : end - so, last);
    this.setCursor(row, firstNonBlank(this.lines[row]!));
  }

  /** CTRL-D / CTRL-U: half a screen ('scroll'), the window and the cursor together. */
  private halfPage(down: boolean, count: number | undefined): void {
    const n = count ?? Math.max(1, Math.floor(this.height / 2));
    const last = this.lines.length - 1;
    if (down ? this.row === last : this.row === 0) return;
    if (down) this.top = Math.min(this.top + n, Math.max(0, last - this.height + 1 + 0));
    else this.top = Math.max(0, this.top - n);
    const row = down ? Math.min(last, this.row + n) : Math.max(0, this.row - n);
    this.setCursor(row, firstNonBlank(this.lines[row]!));
  }

  private moveTo(m: Motion): void {
    if (m.vertical) this.setCursor(m.row, this.wantCol, true);
    else this.setCursor(m.row, m.col);
  }

  private join(count: number): void {
    const last = Math.min(this.lines.length - 1, this.row + count - 1);
    if (last === this.row) return;
    let text = this.lines[this.row]!;
    let col = 0;
    for (let r = this.row + 1; r <= last; r++) {
      const next = this.lines[r]!.replace(/^[ \t]+/, '');
      col = text.length;
      if (next === '') continue;
      text += text === '' || /[ \t]$/.test(text) || next.startsWith(')') ? next : ` ${next}`;
    }
    this.lines.splice(this.row, last - this.row + 1, text);
    this.setCursor(this.row, col);
  }

  private toggleCase(n: number): void {
    const line = this.line;
    if (!line.length) return;
    const end = Math.min(line.length, this.col + n);
    const swapped = [...line.slice(this.col, end)].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
    this.lines[this.row] = line.slice(0, this.col) + swapped + line.slice(end);
    this.setCursor(this.row, end);
  }

  private cmdlineKey(key: string): void {
    switch (key) {
      case '<Esc>': case '<C-c>':
        this.mode = 'normal';
        this.cmdline = '';
        return;
      case '<BS>': case '<C-h>':
        if (this.cmdline.length <= 1) {
          this.mode = 'normal';
          this.cmdline = '';
        } else this.cmdline = this.cmdline.slice(0, -1);
        return;
      case '<C-u>':
        this.cmdline = this.cmdline[0]!;
        return;
      case '<CR>': {
        const line = this.cmdline;
        this.mode = 'normal';
        this.cmdline = '';
        this.message = undefined;
        const before = this.snapshot();
        if (line[0] === ':') runEx(this, line.slice(1));
        else this.searchFor(line.slice(1), line[0] === '/');
        this.commit(before);
        return;
      }
    }
    if (key === '<Tab>') this.cmdline += '\t';
    else if (isText(key)) this.cmdline += key;
  }

  private searchFor(pattern: string, forward: boolean): void {
    if (pattern !== '') this.lastSearch = { pattern, forward };
    else if (this.lastSearch) this.lastSearch = { ...this.lastSearch, forward };
    const m = searchMotion(this, false, 1);
    if (m) this.setCursor(m.row, m.col);
  }
}
