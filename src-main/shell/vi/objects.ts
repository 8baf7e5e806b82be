/** Text objects after an operator (`ciw`, `da"`, `yi(`, `di{`): the range they cover, or undefined when there is none. */
import type { ViState } from './state.ts';
import { classOf } from './text.ts';

export interface Range {
  from: { row: number; col: number };
  /** Inclusive end; for a linewise range only the rows count. */
  to: { row: number; col: number };
  linewise: boolean;
}

const PAIRS: Record<string, [string, string]> = {
  '(': ['(', ')'], ')': ['(', ')'], b: ['(', ')'], '{': ['{', '}'], '}': ['{', '}'], B: ['{', '}'],
  '[': ['[', ']'], ']': ['[', ']'], '<': ['<', '>'], '>': ['<', '>'],
};

export function textObject(s: ViState, around: boolean, key: string): Range | undefined {
  if (key === 'w' || key === 'W') return word(s, around, key === 'W');
  if (key === '"' || key === "'" || key === '`') return quoted(s, around, key);
  const pair = PAIRS[key];
  return pair ? bracketed(s, around, pair[0], pair[1]) : undefined;
}

function word(s: ViState, around: boolean, big: boolean): Range | undefined {
  const line = s.line;
  if (line === '') return undefined;
  const row = s.row;
  const cls = (c: number) => classOf(s.lines, { row, col: c }, big);
  const here = cls(s.col);
  let start = s.col;
  let end = s.col;
  while (start > 0 && cls(start - 1) === here) start--;
  while (end < line.length - 1 && cls(end + 1) === here) end++;
  if (around) {
    if (here === 0) {
      // On blanks: the blanks and the word after them.
      if (end < line.length - 1) {
        const next = cls(end + 1);
        while (end < line.length - 1 && cls(end + 1) === next) end++;
      }
    } else if (end < line.length - 1 && cls(end + 1) === 0) {
      while (end < line.length - 1 && cls(end + 1) === 0) end++;
    } else {
      while (start > 0 && cls(start - 1) === 0) start--;
    }
  }
  return { from: { row, col: start }, to: { row, col: end }, linewise: false };
}

function quoted(s: ViState, around: boolean, q: string): Range | undefined {
  const line = s.line;
  const quotes: number[] = [];
  for (let i = 0; i < line.length; i++) if (line[i] === q && line[i - 1] !== '\\') quotes.push(i);
  // As vim's current_quote: on a quote, the count before it says whether it opens or closes; elsewhere the nearest
  // quotes on each side, or the first pair after the cursor when no quote precedes it.
  const before = quotes.filter((i) => i < s.col);
  const after = quotes.filter((i) => i > s.col);
  let open: number;
  let close: number;
  if (line[s.col] === q && quotes.includes(s.col)) {
    if (before.length % 2 === 0) [open, close] = [s.col, after[0] ?? -1];
    else [open, close] = [before.at(-1)!, s.col];
  } else if (before.length === 0) [open, close] = [after[0] ?? -1, after[1] ?? -1];
  else [open, close] = [before.at(-1)!, after[0] ?? -1];
  if (open < 0 || close < 0) return undefined;
  const row = s.row;
  if (!around) return close - open > 1 ? { from: { row, col: open + 1 }, to: { row, col: close - 1 }, linewise: false } : { from: { row, col: open + 1 }, to: { row, col: open }, linewise: false };
  let start = open;
  let end = close;
  if (/[ \t]/.test(line[end + 1] ?? '')) while (/[ \t]/.test(line[end + 1] ?? '')) end++;
  else while (start > 0 && /[ \t]/.test(line[start - 1]!)) start--;
  return { from: { row, col: start }, to: { row, col: end }, linewise: false };
}

function bracketed(s: ViState, around: boolean, openCh: string, closeCh: string): Range | undefined {
  const { lines } = s;
  // The innermost pair around the cursor (the cursor on either bracket counts as inside).
  let depth = 0;
  let open: { row: number; col: number } | undefined;
  for (let r = s.row, c = s.lines[s.row]![s.col] === closeCh ? s.col - 1 : s.col; r >= 0 && !open; r--, c = (lines[r] ?? '').length - 1) {
    for (; c >= 0; c--) {
      const ch = lines[r]![c];
      if (ch === closeCh) depth++;
      else if (ch === openCh) {
        if (depth === 0) {
          open = { row: r, col: c };
          break;
        }
        depth--;
      }
    }
  }
  if (!open) return undefined;
  depth = 0;
  let close: { row: number; col: number } | undefined;
  for (let r = open.row, c = open.col + 1; r < lines.length && !close; r++, c = 0) {
    for (; c < lines[r]!.length; c++) {
      const ch = lines[r]![c];
      if (ch === openCh) depth++;
      else if (ch === closeCh) {
        if (depth === 0) {
          close = { row: r, col: c };
          break;
        }
        depth--;
      }
    }
  }
  if (!close) return undefined;
  if (around) return { from: open, to: close, linewise: false };
  // `{` ending its line and `}` starting its own: the lines in between, whole.
  if (open.col === lines[open.row]!.length - 1 && lines[close.row]!.slice(0, close.col).trim() === '' && close.row - open.row > 1) {
    return { from: { row: open.row + 1, col: 0 }, to: { row: close.row - 1, col: 0 }, linewise: true };
  }
  const from = open.col + 1 < lines[open.row]!.length ? { row: open.row, col: open.col + 1 } : { row: open.row + 1, col: 0 };
  const to = close.col > 0 ? { row: close.row, col: close.col - 1 } : { row: close.row - 1, col: lines[close.row - 1]!.length };
  return { from, to, linewise: false };
}
