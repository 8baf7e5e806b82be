/** `/pattern` and `?pattern`: vim's magic regex turned into a JS RegExp, searched from the cursor with wrap-around. */
import type { Pos } from './text.ts';

/** Vim magic syntax: `\(` `\|` `\+` `\?` `\{` are the operators, `(` `|` `+` `?` `{` literal; `\<` `\>` word edges. */
export function vimRegex(pattern: string, ignoreCase = false): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      const n = pattern[++i]!;
      if ('(|)+?{}'.includes(n)) out += n;
      else if (n === '<' || n === '>') out += '\\b';
      else if (n === '=') out += '?';
      else out += `\\${n}`;
    } else if ('(|)+?{}/'.includes(c)) out += `\\${c}`;
    else if (c === '~') out += '~';
    else out += c;
  }
  try {
    return new RegExp(out, ignoreCase ? 'gi' : 'g');
  } catch {
    return new RegExp(pattern.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), ignoreCase ? 'gi' : 'g');
  }
}

export interface SearchHit {
  pos: Pos;
  wrapped: boolean;
}

/** The next match strictly after (or before) `from`, wrapping around the buffer like 'wrapscan'. */
export function search(lines: string[], from: Pos, pattern: string, forward: boolean): SearchHit | undefined {
  const re = vimRegex(pattern);
  const matchesIn = (line: string): number[] => {
    const cols: number[] = [];
    re.lastIndex = 0;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      cols.push(m.index);
      if (m[0] === '') re.lastIndex++;
    }
    return cols;
  };
  const n = lines.length;
  for (let step = 0; step <= n; step++) {
    const row = forward ? (from.row + step) % n : (from.row - step + n * 2) % n;
    const wrapped = forward ? from.row + step >= n : from.row - step < 0;
    let cols = matchesIn(lines[row]!);
    if (step === 0) cols = cols.filter((c) => (forward ? c > from.col : c < from.col));
    else if (step === n) cols = cols.filter((c) => (forward ? c <= from.col : c >= from.col));
    if (cols.length) return { pos: { row, col: forward ? cols[0]! : cols.at(-1)! }, wrapped };
  }
  return undefined;
}
