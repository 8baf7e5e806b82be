/**
 * The indent vim's indent/yaml.vim (GetYAMLIndent) gives a line, for `o`, `O`, <CR> and re-indenting on `:`, a
 * leading `-` or `#`. Rows are 0-based; -1 means "no such line" where vim has 0, and as a result "keep the
 * current indent" (vim's indent(0) is -1).
 */

const MAPKEY = /^\s*(?!#)(?=\S)('([^']|'')*'|"([^"\\]|\\.)*"|((?!: ).)*):( |$)/;
const LISTSTART = /^\s*-( |$)/;
const COMMENT = /^\s*#/;

export const indentOf = (line: string | undefined): number => (line === undefined ? 0 : /^\s*/.exec(line)![0].length);

function prevNonBlank(lines: string[], row: number): number {
  for (let r = row; r >= 0; r--) if (lines[r]!.trim() !== '') return r;
  return -1;
}

function prevLessIndented(lines: string[], row: number, cur = indentOf(lines[row])): number {
  let prev = prevNonBlank(lines, row - 1);
  while (prev >= 0 && indentOf(lines[prev]) >= cur && !COMMENT.test(lines[prev]!)) prev = prevNonBlank(lines, prev - 1);
  return prev;
}

function prevLEIndentedMatching(lines: string[], row: number, re: RegExp): number {
  let r = prevLessIndented(lines, row, indentOf(lines[row]) + 1);
  while (r >= 0 && !re.test(lines[r]!)) r = prevLessIndented(lines, r);
  return r;
}

export function yamlIndent(lines: string[], row: number, shiftwidth = 2): number {
  let prev = prevNonBlank(lines, row - 1);
  if (row === 0 || prev < 0) return 0;
  const line = lines[row]!;
  let previndent = indentOf(lines[prev]);
  if (COMMENT.test(line) && COMMENT.test(lines[row - 1]!)) return previndent;
  if (/^\s*[\]}]/.test(line)) return indentOf(lines[prevLessIndented(lines, row)]);
  while (COMMENT.test(lines[prev]!)) {
    prev = prevNonBlank(lines, prev - 1);
    if (prev < 0) return previndent;
  }
  const prevline = lines[prev]!;
  previndent = indentOf(prevline);
  if (/[{[:]$|[:-] [|>][+-]?(\s+#.*|\s*)$/.test(prevline)) return previndent + shiftwidth;
  const explicit = /[:-] [|>](?:[+-]?(\d+)|(\d+)[+-]?)(#.*|\s*)$/.exec(prevline);
  if (explicit) return previndent + Number(explicit[1] ?? explicit[2]);
  if (LISTSTART.test(line)) {
    const list = prevLEIndentedMatching(lines, row, LISTSTART);
    return list < 0 ? -1 : indentOf(lines[list]);
  }
  if (MAPKEY.test(line)) {
    const map = prevLEIndentedMatching(lines, row, MAPKEY);
    if (map < 0) return -1;
    return /^\s*- /.test(lines[map]!) ? indentOf(lines[map]) + 2 : indentOf(lines[map]);
  }
  if (/^\s*- /.test(prevline)) return previndent + 2;
  if (MAPKEY.test(prevline)) return previndent + shiftwidth;
  return previndent;
}

/** indentkeys `<:>`, `0#`, `0}`, `0]`, `0-`: whether typing `key` makes vim indent the line again. */
export function reindentsOn(key: string, lineBefore: string, col: number): boolean {
  if (key === ':') return true;
  return '#}]-'.includes(key) && lineBefore.slice(0, col).trim() === '';
}
