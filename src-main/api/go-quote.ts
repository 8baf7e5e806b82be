/** Go's strconv.Quote (what `%q` prints): printable runes kept, the rest escaped as Go escapes them. */

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const NAMED: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', '"': '\\"' };

export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const named = NAMED[ch];
    if (named) out += named;
    else if (PRINTABLE.test(ch)) out += ch;
    else {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
      // A raw byte of invalid UTF-8 kept by the request-target decoder (U+DC80..U+DCFF): Go prints the byte.
      else if (cp >= 0xdc80 && cp <= 0xdcff) out += `\\x${(cp - 0xdc00).toString(16)}`;
      else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
      else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
      else out += `\\U${cp.toString(16).padStart(8, '0')}`;
    }
  }
  return `${out}"`;
}
