/** The Visual selection (`v`, `V`): its ends in buffer order, its size for 'showcmd', what it covers on each line. */
import type { Motion, Pos } from './text.ts';

export interface Visual {
  line: boolean;
  anchor: Pos;
}

export function ordered(v: Visual, cursor: Pos): [Pos, Pos] {
  const a = v.anchor;
  return a.row < cursor.row || (a.row === cursor.row && a.col <= cursor.col) ? [a, cursor] : [cursor, a];
}

/** The selection as an operator's start and motion. */
export function selection(v: Visual, cursor: Pos): { start: Pos; motion: Motion } {
  const [from, to] = ordered(v, cursor);
  if (v.line) return { start: { row: from.row, col: 0 }, motion: { row: to.row, col: 0, linewise: true, inclusive: false } };
  return { start: from, motion: { row: to.row, col: to.col, linewise: false, inclusive: true } };
}

/** What 'showcmd' shows: lines when the selection spans several (or is linewise), else characters. */
export function selectionSize(v: Visual, cursor: Pos): string {
  const [from, to] = ordered(v, cursor);
  if (v.line || from.row !== to.row) return String(to.row - from.row + 1);
  return String(to.col - from.col + 1);
}

/**
 * The characters of `row` shown selected (`end` past the line's length means one extra cell after it, as vim draws
 * a selection going on to the next line), or undefined when the row is outside the selection.
 */
export function selectedSpan(v: Visual, cursor: Pos, row: number, length: number): { start: number; end: number } | undefined {
  const [from, to] = ordered(v, cursor);
  if (row < from.row || row > to.row) return undefined;
  if (v.line) return { start: 0, end: length + 1 };
  const start = row === from.row ? from.col : 0;
  const end = row === to.row ? Math.min(to.col + 1, Math.max(length, 1)) : length + 1;
  return { start, end };
}
