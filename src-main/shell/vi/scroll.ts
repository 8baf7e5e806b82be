/**
 * Which line is at the top of the screen, as vim's update_topline() decides it (move.c): 'scrolloff' 5 from
 * defaults.vim, minimal scrolling when the cursor is a little off screen, the cursor line centred after a jump.
 * Line numbers here are 1-based as in vim; `plines(n)` is how many screen rows line n takes.
 */

export interface Window {
  lineCount: number;
  height: number;
  plines(lnum: number): number;
}

const SCROLLOFF = 5;

/** The first line below the window and the rows left empty after the last line shown. */
function botline(w: Window, topline: number): { botline: number; emptyRows: number } {
  let used = 0;
  let lnum = topline;
  while (lnum <= w.lineCount && used + w.plines(lnum) <= w.height) used += w.plines(lnum++);
  return { botline: lnum, emptyRows: w.height - used };
}

/** scroll_cursor_halfway (not at the end of the buffer). */
function halfway(w: Window, cursor: number, preferAbove: boolean): number {
  let used = w.plines(cursor);
  let above = 0;
  let below = 0;
  let top = cursor;
  let topline = cursor;
  let bot = cursor;
  while (topline > 1) {
    for (let round = 1; round <= 2; round++) {
      if (preferAbove ? round === 2 && below < above : round === 1 && below <= above) {
        if (bot < w.lineCount) {
          used += w.plines(++bot);
          if (used > w.height) return topline;
          below += w.plines(bot);
        } else below++;
      }
      if (preferAbove ? round === 1 && below >= above : round === 1 && below > above) {
        used += w.plines(--top);
        if (used > w.height) return topline;
        above += w.plines(top);
        topline = top;
      }
    }
  }
  return topline;
}

/** scroll_cursor_bot with 'scrolljump' 1. */
function cursorBot(w: Window, cursor: number, topline: number): number {
  const so = Math.min(SCROLLOFF, Math.floor((w.height - 1) / 2));
  const { botline: bl, emptyRows } = botline(w, topline);
  let used = w.plines(cursor);
  let scrolled = 0;
  let extra = 0;
  if (cursor >= bl) scrolled = used - (cursor === bl ? emptyRows : 0);
  let loff = cursor;
  let boff = cursor;
  while (loff > 1) {
    if (((scrolled <= 0 || scrolled >= 1) && extra >= so || boff + 1 > w.lineCount) && loff <= bl) break;
    loff--;
    used += w.plines(loff);
    if (used > w.height) break;
    if (loff >= bl) scrolled += w.plines(loff) - (loff === bl ? emptyRows : 0);
    if (boff < w.lineCount) {
      boff++;
      used += w.plines(boff);
      if (used > w.height) break;
      if (extra < so || scrolled < 1) {
        extra += w.plines(boff);
        if (boff >= bl) scrolled += w.plines(boff) - (boff === bl ? emptyRows : 0);
      }
    }
  }
  let lineCount: number;
  if (scrolled <= 0) lineCount = 0;
  else if (used > w.height) lineCount = used;
  else {
    lineCount = 0;
    let i = 0;
    for (let b = topline - 1; i < scrolled && b < bl; ) {
      i += w.plines(++b);
      lineCount++;
    }
    if (i < scrolled) lineCount = 9999;
  }
  if (lineCount >= w.height && lineCount > 1) return halfway(w, cursor, true);
  return Math.min(topline + lineCount, w.lineCount);
}

/** update_topline: the new top line for the cursor at `cursor` when `topline` was at the top. */
export function updateTopline(w: Window, cursor: number, topline: number): number {
  const so = Math.min(SCROLLOFF, Math.floor((w.height - 1) / 2));
  topline = Math.max(1, Math.min(topline, w.lineCount));
  if (topline > 1 && cursor < topline + so) {
    const halfheight = Math.max(2, Math.floor(w.height / 2) - 1);
    let n = 0;
    for (let lnum = cursor; lnum < topline + so; lnum++) {
      n++;
      if (lnum >= w.lineCount || n >= halfheight) break;
    }
    if (n >= halfheight) return halfway(w, cursor, false);
    // scroll_cursor_top: 'scrolloff' lines above the cursor, never scrolling the other way.
    let top = cursor;
    let used = w.plines(cursor);
    let extra = 0;
    while (top > 1 && extra < so) {
      const i = w.plines(top - 1);
      if (used + i > w.height) break;
      used += i;
      extra += i;
      top--;
    }
    return Math.min(top, topline);
  }
  const { botline: bl, emptyRows } = botline(w, topline);
  if (bl > w.lineCount) return topline;
  if (cursor < bl) {
    if (cursor < bl - so) return topline;
    let n = emptyRows;
    for (let lnum = cursor + 1; lnum < bl; lnum++) {
      n += w.plines(lnum);
      if (n >= so) return topline;
    }
    if (n >= so) return topline;
  }
  const lineCount = cursor - bl + 1 + so;
  return lineCount <= w.height + 1 ? cursorBot(w, cursor, topline) : halfway(w, cursor, false);
}
