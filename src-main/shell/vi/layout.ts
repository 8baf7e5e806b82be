/**
 * One buffer line on screen as vim lays it out: tabs to the next multiple of 8, control characters as ^X, East
 * Asian wide characters in two cells (moved to the next row with a `>` when they would straddle the edge), wrapped
 * at the terminal's width.
 */

const TABSTOP = 8;

export interface Cell {
  /** Screen row within the line and column. */
  y: number;
  x: number;
  /** Virtual column where the character starts and its width. */
  vcol: number;
  width: number;
}

export interface LineLayout {
  rows: string[];
  /** For each UTF-16 unit of each row, the index in the line it shows (-1 for a `>` filler). */
  sources: number[][];
  /** Per UTF-16 index of the line, plus one for the end of the line. */
  cells: Cell[];
  width: number;
}

export function isWide(cp: number): boolean {
  return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) || (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) || (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd);
}

export function layoutLine(line: string, cols: number): LineLayout {
  const rows = [''];
  const sources: number[][] = [[]];
  const cells: Cell[] = [];
  let x = 0;
  let vcol = 0;
  let index = 0;
  const newRow = () => {
    rows.push('');
    sources.push([]);
    x = 0;
  };
  const emit = (ch: string, from: number) => {
    rows[rows.length - 1] += ch;
    for (let k = 0; k < ch.length; k++) sources[sources.length - 1]!.push(from);
  };
  const put = (ch: string, from: number) => {
    if (x >= cols) newRow();
    emit(ch, from);
    x++;
  };
  for (const c of line) {
    const cp = c.codePointAt(0)!;
    let shown: string[];
    let width: number;
    if (c === '\t') {
      width = TABSTOP - (vcol % TABSTOP);
      shown = Array<string>(width).fill(' ');
    } else if (cp < 0x20 || cp === 0x7f) {
      width = 2;
      shown = ['^', String.fromCharCode(cp ^ 0x40)];
    } else if (isWide(cp)) {
      width = 2;
      if (x >= cols) newRow();
      else if (x === cols - 1) put('>', -1);
      shown = [c];
    } else {
      width = 1;
      shown = [c];
    }
    if (x >= cols) newRow();
    const cell = { y: rows.length - 1, x, vcol, width };
    for (let k = 0; k < c.length; k++) cells.push(cell);
    if (shown.length === 1 && width === 2) {
      emit(c, index);
      x += 2;
    } else for (const ch of shown) put(ch, index);
    vcol += width;
    index += c.length;
  }
  cells.push(x >= cols ? { y: rows.length, x: 0, vcol, width: 1 } : { y: rows.length - 1, x, vcol, width: 1 });
  return { rows, sources, cells, width: vcol };
}
