/** Cursor motions, for moving and as the range of an operator (`dw`, `d$`, `yj`, `cG`). */
import { search } from './search.ts';
import type { ViState } from './state.ts';
import { firstNonBlank, wordBackward, wordEnd, wordForward, type Motion } from './text.ts';
export type { Motion };

export const MOTION_KEYS = new Set(['f', 'F', 't', 'T', ';', ',', 'h', 'l', 'j', 'k', '0', '^', '$', 'w', 'W', 'b', 'B', 'e', 'E', 'G', 'gg', '+', '-', '_', 'n', 'N', ' ',
  '<Left>', '<Right>', '<Up>', '<Down>', '<Home>', '<End>', '<BS>', '<C-h>', '<C-n>', '<C-p>', '<C-j>', '<CR>']);

/** Where `key` takes the cursor, or undefined when it cannot move (vim beeps). `op` is the pending operator, if any. */
export function motion(s: ViState, key: string, count: number | undefined, op: string | undefined, arg?: string): Motion | undefined {
  const n = count ?? 1;
  const { row, col, lines } = s;
  const last = lines.length - 1;
  const char = (c: number, inclusive = false): Motion => ({ row, col: c, linewise: false, inclusive });
  const toLine = (r: number, vertical: boolean): Motion | undefined => {
    const target = Math.max(0, Math.min(last, r));
    if (vertical && target === row) return undefined;
    return { row: target, col: vertical ? col : firstNonBlank(lines[target]!), linewise: true, inclusive: false, vertical };
  };
  switch (key) {
    case 'h': case '<Left>': case '<BS>': case '<C-h>':
      return col === 0 ? undefined : char(Math.max(0, col - n));
    case 'l': case '<Right>': case ' ': {
      const len = s.line.length;
      if (op) return len === 0 ? undefined : char(Math.min(len, col + n));
      return col >= len - 1 ? undefined : char(Math.min(len - 1, col + n));
    }
    case 'j': case '<Down>': case '<C-n>': case '<C-j>': return toLine(row + n, true);
    case 'k': case '<Up>': case '<C-p>': return toLine(row - n, true);
    case '<CR>': case '+': return row + n > last ? undefined : toLine(row + n, false);
    case '-': return row - n < 0 ? undefined : toLine(row - n, false);
    case '_': return toLine(row + n - 1, false);
    case 'G': return toLine(count === undefined ? last : n - 1, false);
    case 'gg': return toLine(count === undefined ? 0 : n - 1, false);
    case '0': case '<Home>': return char(0);
    case '^': return char(firstNonBlank(s.line));
    case '$': case '<End>': {
      const r = Math.min(last, row + n - 1);
      return { row: r, col: Math.max(0, lines[r]!.length - (op ? 0 : 1)), linewise: false, inclusive: false };
    }
    case 'w': case 'W': {
      const big = key === 'W';
      if (op === 'c' && s.line[col] !== undefined && !/\s/.test(s.line[col]!)) {
        const p = wordEnd(lines, { row, col }, n, true, big);
        return p && { ...p, linewise: false, inclusive: true };
      }
      const p = wordForward(lines, { row, col }, n, op !== undefined, big);
      return p && exclusiveAdjust({ ...p, linewise: false, inclusive: false }, row, lines, op !== undefined);
    }
    case 'b': case 'B': {
      const p = wordBackward(lines, { row, col }, n, key === 'B');
      return p && { ...p, linewise: false, inclusive: false };
    }
    case 'e': case 'E': {
      const p = wordEnd(lines, { row, col }, n, false, key === 'E');
      return p && { ...p, linewise: false, inclusive: true };
    }
    case 'n': case 'N': return searchMotion(s, key === 'N', n);
    case 'f': case 't': case 'F': case 'T': {
      if (arg === undefined) return undefined;
      s.lastFind = { key, ch: arg };
      const m = findInLine(s.line, col, key, arg, n);
      return m && { ...m, row };
    }
    case ';': case ',': {
      if (!s.lastFind) return undefined;
      const reversed: Record<string, string> = { f: 'F', F: 'f', t: 'T', T: 't' };
      const m = findInLine(s.line, col, key === ';' ? s.lastFind.key : reversed[s.lastFind.key]!, s.lastFind.ch, n, true);
      return m && { ...m, row };
    }
  }
  return undefined;
}

/** `f`/`t` (inclusive, forward) and `F`/`T` (exclusive, backward): the count-th `ch` in the line. */
function findInLine(line: string, col: number, key: string, ch: string, count: number, repeat = false): Motion | undefined {
  const forward = key === 'f' || key === 't';
  let at = col;
  // `;` after `t`/`T` does not stay stuck before the same character: it looks one further.
  const skip = repeat && (key === 't' || key === 'T') ? 1 : 0;
  for (let i = 0; i < count; i++) {
    at = forward ? line.indexOf(ch, at + 1 + (i === 0 ? skip : 0)) : line.lastIndexOf(ch, at - 1 - (i === 0 ? skip : 0));
    if (at < 0) return undefined;
  }
  const target = key === 't' ? at - 1 : key === 'T' ? at + 1 : at;
  return { row: -1, col: target, linewise: false, inclusive: forward };
}

/** `:help exclusive`: an exclusive motion ending at column 0 of a later line ends at the end of the line before. */
function exclusiveAdjust(m: Motion, startRow: number, lines: string[], withOp: boolean): Motion {
  if (!withOp || m.col !== 0 || m.row <= startRow) return m;
  const row = m.row - 1;
  return { row, col: lines[row]!.length, linewise: false, inclusive: false };
}

/** `n`/`N`: the last search again; the message line echoes it as vim does. */
export function searchMotion(s: ViState, reverse: boolean, count: number): Motion | undefined {
  if (!s.lastSearch) {
    s.error('E35: No previous regular expression');
    return undefined;
  }
  const { pattern } = s.lastSearch;
  const forward = s.lastSearch.forward !== reverse;
  let pos = { row: s.row, col: s.col };
  let wrapped = false;
  for (let i = 0; i < count; i++) {
    const hit = search(s.lines, pos, pattern, forward);
    if (!hit) {
      s.error(`E486: Pattern not found: ${pattern}`);
      return undefined;
    }
    pos = hit.pos;
    wrapped ||= hit.wrapped;
  }
  if (wrapped) s.message = { kind: 'warning', text: forward ? 'search hit BOTTOM, continuing at TOP' : 'search hit TOP, continuing at BOTTOM' };
  else s.info(`${forward ? '/' : '?'}${pattern}`);
  return { ...pos, linewise: false, inclusive: false };
}
