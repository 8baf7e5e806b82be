/** Operators over a motion's range (`d`, `c`, `y`, `>`, `<`), linewise or charwise, and `p`/`P` from the unnamed register. */
import type { Motion } from './motions.ts';
import { REPORT, type ViState } from './state.ts';
import { firstNonBlank } from './text.ts';
import { yamlIndent } from './yaml-indent.ts';

export type Operator = 'd' | 'c' | 'y' | '>' | '<';

/** `op` from the cursor (or `start`) to where the motion goes. */
export function applyOperator(s: ViState, op: Operator, m: Motion, start = { row: s.row, col: s.col }): void {
  if (op === '>' || op === '<') return shift(s, op, Math.min(start.row, m.row), Math.max(start.row, m.row));
  if (m.linewise) return linewise(s, op, Math.min(start.row, m.row), Math.max(start.row, m.row));
  let [a, b] = before(start, m) ? [start, { row: m.row, col: m.col }] : [{ row: m.row, col: m.col }, start];
  if (m.inclusive) b = { row: b.row, col: b.col + 1 };
  b = { row: b.row, col: Math.min(b.col, s.lines[b.row]!.length) };
  const text = s.lines[a.row] === undefined ? '' : slice(s.lines, a, b);
  s.register = { text, linewise: false };
  if (op === 'y') {
    s.setCursor(a.row, a.col);
    return;
  }
  const head = s.lines[a.row]!.slice(0, a.col);
  const tail = s.lines[b.row]!.slice(b.col);
  s.lines.splice(a.row, b.row - a.row + 1, head + tail);
  if (op === 'c') s.mode = 'insert';
  s.setCursor(a.row, a.col);
  const removed = b.row - a.row;
  if (removed > REPORT) s.info(`${removed} fewer lines`);
}

/** `>>`/`<<`: 'shiftwidth' more or less indent on each non-empty line, in spaces for YAML ('expandtab'), else tabs. */
function shift(s: ViState, op: '>' | '<', from: number, to: number): void {
  for (let r = from; r <= to; r++) {
    const line = s.lines[r]!;
    if (line === '') continue;
    const lead = /^[ \t]*/.exec(line)![0];
    const width = [...lead].reduce((w, c) => (c === '\t' ? w + 8 - (w % 8) : w + 1), 0);
    const wanted = op === '>' ? width + s.shiftwidth : Math.max(0, width - s.shiftwidth);
    const indent = s.syntax ? ' '.repeat(wanted) : '\t'.repeat(Math.floor(wanted / 8)) + ' '.repeat(wanted % 8);
    s.lines[r] = indent + line.slice(lead.length);
  }
  s.setCursor(from, firstNonBlank(s.lines[from]!));
  const count = to - from + 1;
  if (count > REPORT) s.info(`${count} lines ${op}ed 1 time`);
}

function before(p: { row: number; col: number }, q: { row: number; col: number }): boolean {
  return p.row < q.row || (p.row === q.row && p.col <= q.col);
}

function slice(lines: string[], a: { row: number; col: number }, b: { row: number; col: number }): string {
  if (a.row === b.row) return lines[a.row]!.slice(a.col, b.col);
  return [lines[a.row]!.slice(a.col), ...lines.slice(a.row + 1, b.row), lines[b.row]!.slice(0, b.col)].join('\n');
}

function linewise(s: ViState, op: Operator, from: number, to: number): void {
  const count = to - from + 1;
  s.register = { text: s.lines.slice(from, to + 1).join('\n'), linewise: true };
  if (op === 'y') {
    s.setCursor(from, from === s.row ? s.col : firstNonBlank(s.lines[from]!));
    if (count > REPORT) s.info(`${count} lines yanked`);
    return;
  }
  if (op === 'c') {
    s.lines.splice(from, count, '');
    // YAML: the emptied line gets the indent indent/yaml.vim gives it.
    const indent = s.syntax ? Math.max(0, yamlIndent(s.lines, from, s.shiftwidth)) : 0;
    s.lines[from] = ' '.repeat(indent);
    s.autoindented = from;
    s.mode = 'insert';
    s.setCursor(from, indent);
    if (count - 1 > REPORT) s.info(`${count - 1} fewer lines`);
    return;
  }
  s.lines.splice(from, count);
  if (s.lines.length === 0) {
    s.lines.push('');
    s.info('--No lines in buffer--');
  } else if (count > REPORT) s.info(`${count} fewer lines`);
  const row = Math.min(from, s.lines.length - 1);
  s.setCursor(row, firstNonBlank(s.lines[row]!));
}

/** `p` (after) and `P` (before). */
export function put(s: ViState, after: boolean, count: number): void {
  const reg = s.register;
  if (!reg) return s.error('E353: Nothing in register "');
  if (reg.linewise) {
    const added = Array.from({ length: count }, () => reg.text.split('\n')).flat();
    const at = after ? s.row + 1 : s.row;
    s.lines.splice(at, 0, ...added);
    s.setCursor(at, firstNonBlank(s.lines[at]!));
    if (added.length > REPORT) s.info(`${added.length} more lines`);
    return;
  }
  const text = reg.text.repeat(count);
  const col = after && s.line.length > 0 ? s.col + 1 : s.col;
  const parts = text.split('\n');
  const head = s.line.slice(0, col);
  const tail = s.line.slice(col);
  if (parts.length === 1) {
    s.lines[s.row] = head + text + tail;
    s.setCursor(s.row, col + text.length - 1);
    return;
  }
  const middle = parts.slice(1, -1);
  s.lines.splice(s.row, 1, head + parts[0], ...middle, parts.at(-1)! + tail);
  s.setCursor(s.row, col);
  if (parts.length - 1 > REPORT) s.info(`${parts.length - 1} more lines`);
}
