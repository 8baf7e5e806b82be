/** The buffer's positions and vim's word motions (`w`, `b`, `e`), stepping through line ends as vim's inc/dec_cursor do. */

export interface Pos {
  row: number;
  col: number;
}

/** 0 blank (and the end of a line), 1 punctuation, 2 keyword characters; for WORDs (`W`, `B`, `E`) 1 is any non-blank. */
export function classOf(lines: string[], p: Pos, big = false): number {
  const c = lines[p.row]![p.col];
  if (c === undefined || c === ' ' || c === '\t') return 0;
  if (big) return 1;
  return /[\p{L}\p{N}_]/u.test(c) || c.charCodeAt(0) > 255 ? 2 : 1;
}

/** Steps forward: 0 within a line, 2 onto the end of a line, 1 onto the next line, -1 at the end of the buffer. */
function inc(lines: string[], p: Pos): number {
  const len = lines[p.row]!.length;
  if (p.col < len) {
    p.col++;
    return p.col < len ? 0 : 2;
  }
  if (p.row < lines.length - 1) {
    p.row++;
    p.col = 0;
    return 1;
  }
  return -1;
}

function dec(lines: string[], p: Pos): number {
  if (p.col > 0) {
    p.col--;
    return 0;
  }
  if (p.row > 0) {
    p.row--;
    p.col = lines[p.row]!.length;
    return 1;
  }
  return -1;
}

const emptyAt = (lines: string[], p: Pos) => p.col === 0 && lines[p.row] === '';

/** `w`; `stopAtEol` for an operator on the last word of a line (`dw` does not join lines). */
export function wordForward(lines: string[], from: Pos, count: number, stopAtEol: boolean, big = false): Pos | undefined {
  const p = { ...from };
  const charClass = (l: string[], q: Pos) => classOf(l, q, big);
  while (count-- > 0) {
    const sclass = charClass(lines, p);
    const lastLine = p.row === lines.length - 1;
    let i = inc(lines, p);
    if (i === -1 || (i >= 1 && lastLine)) return from.row !== p.row || from.col !== p.col ? p : undefined;
    if (i >= 1 && stopAtEol && count === 0) return p;
    if (sclass !== 0) {
      while (charClass(lines, p) === sclass) {
        i = inc(lines, p);
        if (i === -1 || (i >= 1 && stopAtEol && count === 0)) return p;
      }
    }
    while (charClass(lines, p) === 0) {
      if (emptyAt(lines, p)) break;
      i = inc(lines, p);
      if (i === -1 || (i >= 1 && stopAtEol && count === 0)) return p;
    }
  }
  return p;
}

/** `b` */
export function wordBackward(lines: string[], from: Pos, count: number, big = false): Pos | undefined {
  const p = { ...from };
  const charClass = (l: string[], q: Pos) => classOf(l, q, big);
  while (count-- > 0) {
    if (dec(lines, p) === -1) return undefined;
    let emptyLine = false;
    while (charClass(lines, p) === 0) {
      if (emptyAt(lines, p)) { emptyLine = true; break; }
      if (dec(lines, p) === -1) return p;
    }
    if (emptyLine) continue;
    const cls = charClass(lines, p);
    while (charClass(lines, p) === cls) if (dec(lines, p) === -1) return p;
    inc(lines, p);
  }
  return p;
}

/** `e`; `stop` as for `cw` on the last character of a word (it changes only that character). */
export function wordEnd(lines: string[], from: Pos, count: number, stop: boolean, big = false): Pos | undefined {
  const p = { ...from };
  const charClass = (l: string[], q: Pos) => classOf(l, q, big);
  while (count-- > 0) {
    const sclass = charClass(lines, p);
    if (inc(lines, p) === -1) return undefined;
    if (charClass(lines, p) === sclass && sclass !== 0) {
      while (charClass(lines, p) === sclass) if (inc(lines, p) === -1) return undefined;
    } else if (!stop || sclass === 0) {
      while (charClass(lines, p) === 0) if (inc(lines, p) === -1) return undefined;
      const cls = charClass(lines, p);
      while (charClass(lines, p) === cls) if (inc(lines, p) === -1) { dec(lines, p); return clampEnd(lines, p); }
    }
    dec(lines, p);
    stop = false;
  }
  return clampEnd(lines, p);
}

function clampEnd(lines: string[], p: Pos): Pos {
  return { row: p.row, col: Math.min(p.col, Math.max(0, lines[p.row]!.length - 1)) };
}

export function firstNonBlank(line: string): number {
  const m = /^[ \t]*/.exec(line)![0].length;
  return m < line.length ? m : Math.max(0, line.length - 1);
}

export interface Motion {
  row: number;
  col: number;
  linewise: boolean;
  /** The character under the target is part of the range (`e`, `$`). */
  inclusive: boolean;
  /** Vertical motions keep aiming at the remembered column. */
  vertical?: boolean;
}
