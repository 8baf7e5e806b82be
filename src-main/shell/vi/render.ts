/**
 * Draws vi's screen: the buffer wrapped to the width, `~` past the end, `@` for a line that does not fit, and the
 * last line with the message or command line, the pending command ('showcmd') and the ruler. Scrolls the state so
 * the cursor stays on screen. Pure: returns the ANSI to write.
 */
import type { ViEditor } from './editor.ts';
import { highlightYaml } from './highlight.ts';
import { layoutLine, type Cell, type LineLayout } from './layout.ts';
import { updateTopline } from './scroll.ts';
import { selectedSpan, selectionSize } from './visual.ts';

const RULER_WIDTH = 18;
const STYLE = { error: '\x1b[97;41m', warning: '\x1b[31m', mode: '\x1b[1m', info: '', nonText: '\x1b[94m', visual: '\x1b[47m', lineNr: '\x1b[38;5;130m', reset: '\x1b[m' };

const rowsFor = (line: string, cols: number) => layoutLine(line, cols).rows.length;

/** Where the cursor shows on its character: a tab's last cell in normal mode, else the first. */
function cursorCell(s: ViEditor, layout: LineLayout): Cell {
  const cell = layout.cells[Math.min(s.col, layout.cells.length - 1)]!;
  if (s.mode === 'insert' || s.line[s.col] !== '\t') return cell;
  return { ...cell, x: cell.x + cell.width - 1 };
}

/** Moves `top` the way vim scrolls to keep the cursor (and 'scrolloff' lines around it) on screen. */
export function scrollToCursor(s: ViEditor, cols: number, height: number): void {
  const window = { lineCount: s.lines.length, height, plines: (lnum: number) => rowsFor(s.lines[lnum - 1]!, cols) };
  s.top = updateTopline(window, s.row + 1, s.top + 1) - 1;
}

export function render(s: ViEditor, screenCols: number, rows: number): string {
  const height = Math.max(1, rows - 1);
  s.height = height;
  // 'number': the line number right-aligned in at least 3 columns and a space, before every line's first row.
  const gutter = s.number ? Math.max(3, String(s.lines.length).length) + 1 : 0;
  const cols = Math.max(1, screenCols - gutter);
  scrollToCursor(s, cols, height);
  let out = '\x1b[?25l';
  let cursor = { y: 0, x: 0 };
  let y = 0;
  let r = s.top;
  while (y < height) {
    if (r >= s.lines.length) {
      out += `\x1b[${y + 1};1H${STYLE.nonText}~${STYLE.reset}\x1b[K`;
      y++;
      continue;
    }
    const layout = layoutLine(s.lines[r]!, cols);
    const span = s.visual ? selectedSpan(s.visual, { row: s.row, col: s.col }, r, s.lines[r]!.length) : undefined;
    const styles = lineStyles(s, r, span);
    const need = layout.rows.length;
    if (y + need > height && r !== s.top) {
      for (; y < height; y++) out += `\x1b[${y + 1};1H${STYLE.nonText}@${STYLE.reset}\x1b[K`;
      break;
    }
    if (r === s.row) {
      const cell = cursorCell(s, layout);
      const cy = cell.y + Math.floor(cell.x / cols);
      cursor = cy < need ? { y: y + cy, x: gutter + (cell.x % cols) } : { y: y + need - 1, x: gutter + cols - 1 };
    }
    for (const [k, part] of layout.rows.entries()) {
      if (y >= height) break;
      const prefix = gutter ? `${STYLE.lineNr}${(k === 0 ? String(r + 1) : '').padStart(gutter - 1)} ${STYLE.reset}` : '';
      const text = styles ? paint(part, layout.sources[k]!, styles) : part;
      // A selection going on past the line's end shows one more selected cell.
      const extra = span && span.end > s.lines[r]!.length && k === need - 1 && !(r === s.row && s.col >= s.lines[r]!.length) && cellWidth(part) < cols ? `${STYLE.visual} ${STYLE.reset}` : '';
      out += `\x1b[${y + 1};1H${prefix}${text}${extra}${cellWidth(part) + (extra ? 1 : 0) < cols ? '\x1b[K' : ''}`;
      y++;
    }
    r++;
  }
  out += `\x1b[${rows};1H\x1b[K`;
  if (s.mode === 'cmdline') {
    const full = layoutLine(s.cmdline, Number.MAX_SAFE_INTEGER);
    const shown = full.width >= screenCols ? layoutLine(s.cmdline.slice(-(screenCols - 1)), Number.MAX_SAFE_INTEGER) : full;
    out += shown.rows[0];
    cursor = { y: rows - 1, x: Math.min(screenCols - 1, shown.width) };
  } else {
    const mode = s.mode === 'insert' ? '-- INSERT --' : s.mode === 'visual' ? (s.visual?.line ? '-- VISUAL LINE --' : '-- VISUAL --') : undefined;
    const msg = mode ? { kind: 'mode' as const, text: mode } : s.message;
    const long = msg !== undefined && msg.text.length > screenCols - RULER_WIDTH - 1;
    if (msg) out += `${STYLE[msg.kind]}${msg.text.slice(0, screenCols - 1)}${STYLE[msg.kind] ? STYLE.reset : ''}`;
    if (!long && screenCols > RULER_WIDTH + 12) {
      const showcmd = s.pending.length ? s.pending.join('').slice(-10) : s.visual ? selectionSize(s.visual, { row: s.row, col: s.col }) : '';
      if (showcmd) out += `\x1b[${rows};${screenCols - RULER_WIDTH - 9}H${showcmd}`;
      out += `\x1b[${rows};${screenCols - RULER_WIDTH + 1}H${ruler(s, r)}`;
    }
  }
  return `${out}\x1b[${cursor.y + 1};${cursor.x + 1}H\x1b[?25h`;
}

/** Colours of a line's characters: YAML syntax, then the Visual selection (not under the cursor). */
function lineStyles(s: ViEditor, r: number, span: { start: number; end: number } | undefined): string[] | undefined {
  const line = s.lines[r]!;
  const styles = s.syntax ? highlightYaml(line) : undefined;
  if (!span) return styles;
  const out = styles ?? Array<string>(line.length).fill('');
  for (let i = span.start; i < Math.min(span.end, line.length); i++) if (!(r === s.row && i === s.col)) out[i] = `${out[i]}${STYLE.visual}`;
  return out;
}

/** A row with its characters' colours, each coloured run closed by a reset as vim writes them. */
function paint(part: string, sources: number[], styles: string[]): string {
  let out = '';
  let current = '';
  for (let k = 0; k < part.length; k++) {
    const style = styles[sources[k]!] ?? '';
    if (style !== current) {
      out += (current ? STYLE.reset : '') + style;
      current = style;
    }
    out += part[k];
  }
  return current ? out + STYLE.reset : out;
}

function cellWidth(text: string): number {
  return layoutLine(text, Number.MAX_SAFE_INTEGER).width;
}

/** `%l,%c%V%=%P`: line, byte column (and screen column when they differ), and All/Top/Bot/N%. */
function ruler(s: ViEditor, nextRow: number): string {
  const line = s.lines[s.row]!;
  let col: string;
  if (line === '') col = '0-1';
  else {
    const layout = layoutLine(line, Number.MAX_SAFE_INTEGER);
    const cell = layout.cells[s.col] ?? layout.cells.at(-1)!;
    const onTab = s.mode !== 'insert' && line[s.col] === '\t';
    const vcol = (onTab ? cell.vcol + cell.width - 1 : cell.vcol) + 1;
    const byte = new TextEncoder().encode(line.slice(0, s.col)).length + 1;
    col = byte === vcol ? `${byte}` : `${byte}-${vcol}`;
  }
  const above = s.top;
  const below = s.lines.length - nextRow;
  const where = below <= 0 ? (above === 0 ? 'All' : 'Bot') : above <= 0 ? 'Top' : `${Math.floor((above * 100) / (above + below))}%`;
  return `${`${s.row + 1},${col}`.padEnd(13)} ${where}`;
}
