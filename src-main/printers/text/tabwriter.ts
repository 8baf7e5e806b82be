/**
 * Go's text/tabwriter (the github.com/liggitt/tabwriter fork kubectl vendors, which adds RememberWidths), for
 * tab-terminated cells padded with spaces. Only what kubectl uses: padchar ' ', no AlignRight, no Debug.
 * Widths count runes, as Go does.
 */

interface TabCell {
  text: string;
  width: number;
}

export interface TabWriterOptions {
  minwidth: number;
  padding: number;
  /** Keep the widest width seen per column across flushes (kubectl get, for watch). */
  rememberWidths?: boolean;
}

/** Code points (Go counts runes of the UTF-8 text; a surrogate pair is one). */
function runeWidth(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function cellsOf(line: string): TabCell[] {
  const texts = line.split('\t');
  const cells: TabCell[] = new Array(texts.length);
  for (let i = 0; i < texts.length; i++) cells[i] = { text: texts[i], width: runeWidth(texts[i]) };
  return cells;
}

/** Runs of spaces by length, made once. */
const SPACES: string[] = [''];
function spaces(n: number): string {
  if (n <= 0) return '';
  if (n >= 256) return ' '.repeat(n);
  while (SPACES.length <= n) SPACES.push(SPACES[SPACES.length - 1] + ' ');
  return SPACES[n];
}

export class TabWriter {
  private lines: TabCell[][] = [];
  private partial = '';
  private widths: number[] = [];
  private maxwidths: number[] = [];
  private out: string[] = [];

  constructor(private readonly opts: TabWriterOptions) {}

  write(text: string): void {
    const s = this.partial === '' ? text : this.partial + text;
    let start = 0;
    let nl: number;
    while ((nl = s.indexOf('\n', start)) >= 0) {
      this.lines.push(cellsOf(s.slice(start, nl)));
      start = nl + 1;
    }
    this.partial = start === 0 ? s : s.slice(start);
  }

  /** The same as write(`${texts.join('\t')}\n`), without joining the line only to split it again. */
  writeLine(texts: string[]): void {
    if (this.partial !== '' || texts.length === 0 || texts.some((t) => t.includes('\t') || t.includes('\n'))) {
      this.write(`${texts.join('\t')}\n`);
      return;
    }
    const cells: TabCell[] = new Array(texts.length);
    for (let i = 0; i < texts.length; i++) cells[i] = { text: texts[i], width: runeWidth(texts[i]) };
    this.lines.push(cells);
  }

  /** Formats everything buffered and returns the text written so far (and clears it). */
  flush(): string {
    if (this.partial !== '') {
      // Go keeps an unterminated last line as a line of its own at Flush.
      this.lines.push(cellsOf(this.partial));
      this.partial = '';
      this.format(0, this.lines.length, false);
    } else {
      this.format(0, this.lines.length, true);
    }
    this.lines = [];
    this.widths = [];
    const s = this.out.join('');
    this.out = [];
    return s;
  }

  /** liggitt/tabwriter SetRememberedWidths(nil): forget widths remembered across flushes. */
  resetRememberedWidths(): void {
    this.maxwidths = [];
  }

  private lastNewline = true;

  private format(line0: number, line1: number, terminated: boolean): void {
    this.lastNewline = terminated;
    this.formatBlock(line0, line1);
  }

  private formatBlock(line0: number, line1: number): void {
    const column = this.widths.length;
    for (let i = line0; i < line1; i++) {
      if (column >= this.lines[i].length - 1) continue;
      // A cell exists in this column: print the lines before the block, then size the block.
      this.writeLines(line0, i);
      line0 = i;
      let width = this.opts.minwidth;
      for (; i < line1; i++) {
        const line = this.lines[i];
        if (column >= line.length - 1) break;
        const w = line[column].width + this.opts.padding;
        if (w > width) width = w;
      }
      if (this.opts.rememberWidths) {
        if (this.maxwidths.length < this.widths.length) this.maxwidths.push(...this.widths.slice(this.maxwidths.length));
        if (this.maxwidths.length === this.widths.length) this.maxwidths.push(width);
        else if (this.maxwidths[this.widths.length] > width) width = this.maxwidths[this.widths.length];
        else if (this.maxwidths[this.widths.length] < width) this.maxwidths[this.widths.length] = width;
      }
      this.widths.push(width);
      this.formatBlock(line0, i);
      this.widths.pop();
      line0 = i;
      i--; // the outer loop's i++ must revisit line i
    }
    this.writeLines(line0, line1);
  }

  private writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i];
      let text = '';
      for (let j = 0; j < line.length; j++) {
        const c = line[j];
        text += j < this.widths.length ? c.text + spaces(this.widths[j] - c.width) : c.text;
      }
      this.out.push(i + 1 === this.lines.length && !this.lastNewline ? text : `${text}\n`);
    }
  }
}

/** kubectl's printers.GetNewTabWriter: minwidth 6, tabwidth 4, padding 3, RememberWidths. */
export function newKubectlTabWriter(): TabWriter {
  return new TabWriter({ minwidth: 6, padding: 3, rememberWidths: true });
}

/** describe's tabbedString: tabwriter.NewWriter(out, 0, 8, 2, ' ', 0). */
export function newDescribeTabWriter(): TabWriter {
  return new TabWriter({ minwidth: 0, padding: 2 });
}

/** Lays out tab-separated text in one go. */
export function tabulate(text: string, opts: TabWriterOptions): string {
  const w = new TabWriter(opts);
  w.write(text);
  return w.flush();
}
