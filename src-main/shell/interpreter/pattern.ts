/**
 * Shell patterns (globs). A pattern string uses backslash to mark literal characters, so quoted parts of a word
 * are escaped before they get here.
 */
export function hasGlobChars(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}

export function patternToRegexSource(pattern: string): string {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]!);
    else if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
      i = end;
    } else re += escapeRe(c);
  }
  return re;
}

export function matchPattern(pattern: string, text: string): boolean {
  return new RegExp(`^${patternToRegexSource(pattern)}$`).test(text);
}

/** Escapes a literal string so it matches itself as a pattern. */
export function literalPattern(text: string): string {
  return text.replace(/[\\*?[]/g, '\\$&');
}

export function unescapePattern(pattern: string): string {
  return pattern.replace(/\\([\s\S])/g, '$1');
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Removes the shortest/longest prefix or suffix matching `pattern` (${v#p} ${v##p} ${v%p} ${v%%p}). */
export function trimPattern(value: string, pattern: string, op: '#' | '##' | '%' | '%%'): string {
  const re = new RegExp(`^${patternToRegexSource(pattern)}$`);
  if (op === '#' || op === '##') {
    const lengths = [...Array(value.length + 1).keys()];
    if (op === '##') lengths.reverse();
    for (const n of lengths) if (re.test(value.slice(0, n))) return value.slice(n);
  } else {
    const starts = [...Array(value.length + 1).keys()].reverse();
    if (op === '%%') starts.reverse();
    for (const s of starts) if (re.test(value.slice(s))) return value.slice(0, s);
  }
  return value;
}

/** ${v/p/r} and ${v//p/r}. */
export function replacePattern(value: string, pattern: string, replacement: string, all: boolean): string {
  let anchor = '';
  if (pattern.startsWith('#')) { anchor = '^'; pattern = pattern.slice(1); }
  else if (pattern.startsWith('%')) { anchor = '$'; pattern = pattern.slice(1); }
  const src = patternToRegexSource(pattern).replace(/\[\\s\\S\]\*/g, '[\\s\\S]*');
  const re = new RegExp(anchor === '^' ? `^(?:${src})` : anchor === '$' ? `(?:${src})$` : src, all ? 'g' : '');
  return value.replace(re, () => replacement);
}
