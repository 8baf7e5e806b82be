/**
 * vi's insert mode: typing, <CR>/<BS>/<Tab>/<C-w>/<C-u>, counts (`3ix`), and for YAML files what vim's yaml
 * ftplugin and indent script do: indent on `o`, `O` and <CR>, re-indent on `:` and a leading `-` or `#`,
 * 'softtabstop' 2, comment continuation. The normal-mode side (editor.ts) starts and records inserts.
 */
import { ViState } from './state.ts';
import { indentOf, reindentsOn, yamlIndent } from './yaml-indent.ts';

export const isText = (key: string) => !(key.length > 2 && key.startsWith('<') && key.endsWith('>'));

export class InsertMode extends ViState {
  protected insertBefore: ReturnType<ViState['snapshot']> | undefined;
  /** The keys of the last change, for `.`; `typing` collects those of the one in progress. */
  protected lastChange: string[] = [];
  protected typing: string[] | undefined;
  /** `3ix<Esc>`, `5o...`: how often the typed text goes in, and where in `typing` it starts. */
  protected insertRepeat: { count: number; open: boolean; from: number } | undefined;
  /** A space was typed in this insert (vim's inserted_space: <BS> then deletes one character, not to 'softtabstop'). */
  protected insertedSpace = false;
  /** vim's can_cindent: a blank typed in a line's indent stops indentkeys from re-indenting that line. */
  protected canReindent = true;

  protected insert(col: number): void {
    this.mode = 'insert';
    this.message = undefined;
    this.setCursor(this.row, col);
  }

  /** `o`/`O`: a new line (YAML: indented, continuing a `#` comment as formatoptions+=o does) in insert mode. */
  protected openLine(below: boolean): void {
    const at = below ? this.row + 1 : this.row;
    const leader = this.commentLeader(this.line);
    this.lines.splice(at, 0, '');
    this.row = at;
    this.insert(this.autoindent(at, leader));
    this.setCursor(at, this.line.length);
  }

  /** The comment leader ('comments' `:#`) a YAML line continues with, with the blanks after it. */
  protected commentLeader(line: string): string {
    return this.syntax ? (/^\s*(#\s*)/.exec(line)?.[1] ?? '') : '';
  }

  /** Gives a new line the indent indent/yaml.vim computes (YAML files only); returns its column. */
  protected autoindent(row: number, text: string): number {
    if (!this.syntax) {
      this.lines[row] = text;
      return 0;
    }
    this.lines[row] = text;
    const indent = Math.max(0, yamlIndent(this.lines, row, this.shiftwidth));
    this.lines[row] = ' '.repeat(indent) + text;
    this.autoindented = text === '' ? row : undefined;
    return indent;
  }

  /** Re-indents the cursor line (indentkeys), keeping the cursor on the same character. */
  protected reindent(): void {
    const line = this.line;
    const lead = indentOf(line);
    const indent = yamlIndent(this.lines, this.row, this.shiftwidth);
    if (indent < 0 || indent === lead) return;
    this.lines[this.row] = ' '.repeat(indent) + line.slice(lead);
    this.setCursor(this.row, Math.max(indent, this.col + indent - lead));
  }

  /** An indent vim put on an empty line goes again if nothing is typed on it. */
  protected dropUnusedIndent(): void {
    if (this.autoindented === this.row && this.line.trim() === '') {
      this.lines[this.row] = '';
      this.col = 0;
    }
    this.autoindented = undefined;
  }

  protected insertKey(key: string): void {
    this.typing?.push(key);
    const line = this.line;
    const head = line.slice(0, this.col);
    const tail = line.slice(this.col);
    switch (key) {
      case '<Esc>': case '<C-c>': {
        this.repeatInsert();
        if (this.typing) this.lastChange = this.typing;
        this.typing = undefined;
        this.dropUnusedIndent();
        this.mode = 'normal';
        this.message = undefined;
        this.setCursor(this.row, this.col - 1);
        if (this.insertBefore) this.commit(this.insertBefore);
        this.insertBefore = undefined;
        return;
      }
      case '<CR>': {
        const leader = this.commentLeader(line);
        this.dropUnusedIndent();
        this.lines.splice(this.row, 1, this.line.slice(0, Math.min(this.col, this.line.length)), '');
        const col = this.autoindent(this.row + 1, leader + (this.syntax ? tail.trimStart() : tail));
        this.canReindent = true;
        return this.setCursor(this.row + 1, col + leader.length);
      }
      case '<BS>': case '<C-h>':
        if (this.col > 0) {
          // 'softtabstop' 2 for YAML: back to the previous stop through spaces.
          const spaces = this.syntax && !this.insertedSpace ? Math.min(/ *$/.exec(head)![0].length, ((this.col - 1) % 2) + 1) : 0;
          const n = Math.max(1, spaces);
          this.lines[this.row] = head.slice(0, -n) + tail;
          return this.setCursor(this.row, this.col - n);
        }
        if (this.row === 0) return;
        {
          const prev = this.lines[this.row - 1]!;
          this.lines.splice(this.row - 1, 2, prev + line);
          return this.setCursor(this.row - 1, prev.length);
        }
      case '<Del>':
        if (tail.length) this.lines[this.row] = head + tail.slice(1);
        else if (this.row < this.lines.length - 1) this.lines.splice(this.row, 2, line + this.lines[this.row + 1]);
        return;
      case '<C-w>': {
        const kept = head.replace(/(\w+|[^\w\s]+)?\s*$/, '');
        this.lines[this.row] = kept + tail;
        return this.setCursor(this.row, kept.length);
      }
      case '<C-u>':
        this.lines[this.row] = tail;
        return this.setCursor(this.row, 0);
      case '<Tab>':
        if (head.trim() === '') this.canReindent = false;
        return this.type(this.syntax ? ' '.repeat(2 - (this.col % 2)) : '\t');
      case '<Left>': return this.setCursor(this.row, this.col - 1);
      case '<Right>': return this.setCursor(this.row, this.col + 1);
      case '<Up>': return this.setCursor(this.row - 1, this.wantCol, true);
      case '<Down>': return this.setCursor(this.row + 1, this.wantCol, true);
      case '<Home>': return this.setCursor(this.row, 0);
      case '<End>': return this.setCursor(this.row, line.length);
    }
    if (!isText(key)) return;
    if (key === ' ') {
      this.insertedSpace = true;
      if (head.trim() === '') this.canReindent = false;
    }
    this.type(key);
    if (key.trim() !== '') this.autoindented = undefined;
    if (this.syntax && this.canReindent && reindentsOn(key, line, this.col - 1)) this.reindent();
  }

  /** Types the insert's keys again for its count (`3ix`, `5o- x`) before leaving insert mode. */
  protected repeatInsert(): void {
    const repeat = this.insertRepeat;
    this.insertRepeat = undefined;
    if (!repeat || !this.typing) return;
    const keys = this.typing.slice(repeat.from, -1);
    const typing = this.typing;
    this.typing = undefined;
    for (let k = 1; k < repeat.count; k++) {
      if (repeat.open) {
        this.dropUnusedIndent();
        this.openLine(true);
      }
      for (const key of keys) this.insertKey(key);
    }
    this.typing = typing;
  }

  protected type(text: string): void {
    const line = this.line;
    this.lines[this.row] = line.slice(0, this.col) + text + line.slice(this.col);
    this.setCursor(this.row, this.col + text.length);
  }
}
