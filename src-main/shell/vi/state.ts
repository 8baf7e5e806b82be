/**
 * What vi holds: the lines, the cursor, the mode, the message line, the unnamed register, undo history and the
 * file it came from. Pure: writing goes through ViFiles, time through now().
 */
import { isYamlFile } from './highlight.ts';
import type { Visual } from './visual.ts';

export type Mode = 'normal' | 'insert' | 'cmdline' | 'visual';

export interface Message {
  text: string;
  kind: 'info' | 'error' | 'warning' | 'mode';
}

export interface Register {
  text: string;
  linewise: boolean;
}

/** The filesystem as vi sees it; write throws an Error whose message vi shows. */
export interface ViFiles {
  exists(name: string): boolean;
  write(name: string, text: string): void;
}

export interface ViOptions {
  /** The file's content, or undefined for a new file. */
  text: string | undefined;
  /** The file name as typed (shown in messages). */
  name?: string;
  files: ViFiles;
  now?: () => number;
}

interface Snapshot {
  lines: string[];
  row: number;
  col: number;
  at: number;
}

/** Vim's report option: line counts above this are reported (`3 fewer lines`). */
export const REPORT = 2;

export function toLines(text: string): string[] {
  if (text === '') return [''];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export class ViState {
  lines: string[];
  row = 0;
  col = 0;
  /** The column vertical motions aim for (Infinity after `$`). */
  wantCol = 0;
  mode: Mode = 'normal';
  /** The command line being typed, with its `:`, `/` or `?`. */
  cmdline = '';
  message: Message | undefined;
  name: string | undefined;
  register: Register | undefined;
  lastSearch: { pattern: string; forward: boolean } | undefined;
  /** Where a Visual selection started (`v`, `V`); set while mode is 'visual'. */
  visual: Visual | undefined;
  /** The last `f`/`F`/`t`/`T` and its character, for `;` and `,`. */
  lastFind: { key: string; ch: string } | undefined;
  /** First buffer line on screen. */
  top = 0;
  /** `:set number` */
  number = false;
  /** A .yaml/.yml file: colours, indent/yaml.vim and ftplugin/yaml.vim's shiftwidth=2 softtabstop=2 expandtab. */
  syntax: boolean;
  /** 'shiftwidth' (vim's default 8, 2 for YAML). */
  shiftwidth: number;
  /** The row vim auto-indented that nothing was typed on yet (the indent goes if the insert ends there). */
  autoindented: number | undefined;
  /** The exit status once vi quits. */
  exitStatus: number | undefined;
  protected readonly files: ViFiles;
  protected readonly now: () => number;
  private savedText: string;
  private isNew: boolean;
  private undoStack: Array<Snapshot & { seq: number }> = [];
  private redoStack: Array<Snapshot & { seq: number }> = [];
  private seq = 0;

  constructor(opts: ViOptions) {
    this.lines = toLines(opts.text ?? '');
    this.name = opts.name;
    this.syntax = isYamlFile(opts.name);
    this.shiftwidth = this.syntax ? 2 : 8;
    this.files = opts.files;
    this.now = opts.now ?? (() => Date.now());
    this.isNew = opts.text === undefined;
    this.savedText = this.text();
    const noeol = opts.text && !opts.text.endsWith('\n') ? '[noeol] ' : '';
    if (opts.name !== undefined) this.message = { kind: 'info', text: opts.text === undefined ? `"${opts.name}" [New]` : `"${opts.name}" ${noeol}${this.counts(opts.text)}` };
  }

  get line(): string {
    return this.lines[this.row]!;
  }

  get modified(): boolean {
    return this.text() !== this.savedText;
  }

  /** The file content: lines ending in newlines; an empty buffer writes an empty file. */
  text(): string {
    return this.lines.length === 1 && this.lines[0] === '' ? '' : this.lines.join('\n') + '\n';
  }

  info(text: string): void {
    this.message = { kind: 'info', text };
  }

  error(text: string): void {
    this.message = { kind: 'error', text };
  }

  setCursor(row: number, col: number, keepWant = false): void {
    this.row = Math.max(0, Math.min(row, this.lines.length - 1));
    const max = this.mode === 'insert' ? this.line.length : Math.max(0, this.line.length - 1);
    this.col = Math.max(0, Math.min(col, max));
    if (!keepWant) this.wantCol = this.col;
  }

  snapshot(): Snapshot {
    return { lines: [...this.lines], row: this.row, col: this.col, at: this.now() };
  }

  /** Records one undoable change if the buffer differs from `before`; says whether it did. */
  commit(before: Snapshot): boolean {
    if (before.lines.length === this.lines.length && before.lines.every((l, i) => l === this.lines[i])) return false;
    this.undoStack.push({ ...before, seq: ++this.seq });
    this.redoStack = [];
    return true;
  }

  undo(): void {
    const step = this.undoStack.pop();
    if (!step) return this.info('Already at oldest change');
    this.redoStack.push({ ...this.snapshot(), seq: step.seq });
    this.restore(step, 'before', step.seq, step.at);
  }

  redo(): void {
    const step = this.redoStack.pop();
    if (!step) return this.info('Already at newest change');
    this.undoStack.push({ ...this.snapshot(), seq: step.seq });
    this.restore(step, 'after', step.seq, step.at);
  }

  /** `:w [name]`; returns false (with vim's error shown) when it could not write. */
  write(name = this.name, quiet = false): boolean {
    if (name === undefined) {
      this.error('E32: No file name');
      return false;
    }
    const isNew = name !== this.name ? !this.files.exists(name) : this.isNew && !this.files.exists(name);
    const text = this.text();
    try {
      this.files.write(name, text);
    } catch {
      this.error(`"${name}" E212: Can't open file for writing`);
      return false;
    }
    if (name === this.name || this.name === undefined) {
      this.name = name;
      this.savedText = text;
      this.isNew = false;
    }
    if (!quiet) this.info(`"${name}" ${isNew ? '[New] ' : ''}${this.counts(text)} written`);
    return true;
  }

  private counts(text: string): string {
    const lines = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    return `${lines}L, ${new TextEncoder().encode(text).length}B`;
  }

  private restore(step: Snapshot, word: string, seq: number, at: number): void {
    const delta = this.lines.length - step.lines.length;
    // The cursor goes to the first line the change touched (where it was, if that is the line).
    let row = 0;
    while (row < step.lines.length - 1 && step.lines[row] === this.lines[row]) row++;
    let col = step.col;
    if (row !== step.row) {
      const [was, now] = [step.lines[row] ?? '', this.lines[row] ?? ''];
      col = 0;
      while (col < was.length && was[col] === now[col]) col++;
    }
    this.lines = [...step.lines];
    this.mode = 'normal';
    this.setCursor(row, col);
    const what = delta === 1 ? '1 line less' : delta > 1 ? `${delta} fewer lines` : delta === -1 ? '1 more line' : delta < -1 ? `${-delta} more lines` : '1 change';
    const ago = Math.max(0, Math.floor((this.now() - at) / 1000));
    const when = ago >= 100 ? new Date(at).toISOString().slice(11, 19) : `${ago} ${ago === 1 ? 'second' : 'seconds'} ago`;
    this.info(`${what}; ${word} #${seq}  ${when}`);
  }
}
