/**
 * Scalar styling as go-yaml v2 does it (encode.go stringv + resolve.go + libyaml emitter analyze/select/write),
 * which is what sigs.k8s.io/yaml, and so `kubectl get -o yaml`, uses.
 */

const RESOLVE_MAP = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF',
  'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL', '~',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '<<',
]);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP = /^[0-9]{1,4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]| )[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]*)?(?:Z|[-+][0-9]{2}:[0-9]{2})?)?$/;

/** strconv.ParseInt/ParseUint with base 0 (after go-yaml removed underscores). */
function goParsesAsInt(s: string): boolean {
  return /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]*|0[bB][01]+|[1-9][0-9]*)$/.test(s) && s.replace(/^[-+]/, '') !== '';
}

/** True when a plain (unquoted) scalar would not read back as this same string. */
export function resolvesToNonString(s: string): boolean {
  if (s === '') return true;
  const c = s[0];
  if (!'+-0123456789yYnNtTfFoO~.<'.includes(c)) return false;
  if (RESOLVE_MAP.has(s)) return true;
  if (c === '.') return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s) || /^\.[0-9]+\.?$/.test(s);
  if ('+-0123456789'.includes(c)) {
    if (TIMESTAMP.test(s)) return true;
    const plain = s.replace(/_/g, '');
    if (goParsesAsInt(plain)) return true;
    if (YAML_STYLE_FLOAT.test(plain)) return true;
    if (/^-?0b[01]+$/.test(plain)) return true;
  }
  return false;
}

export function isBase60Float(s: string): boolean {
  return s !== '' && BASE60_FLOAT.test(s);
}

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal';

interface Analysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

function isPrintable(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return c === 0x0a || (c >= 0x20 && c <= 0x7e) || c === 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) || (c >= 0x10000 && c <= 0x10ffff);
}

const isBreak = (ch: string | undefined) => ch === '\n' || ch === '\r' || ch === '\u0085' || ch === '\u2028' || ch === '\u2029';
const isBlankz = (ch: string | undefined) => ch === undefined || ch === ' ' || ch === '\t' || isBreak(ch);

function analyze(s: string): Analysis {
  const chars = [...s];
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;
  if (s.startsWith('---') || s.startsWith('...')) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const followedByWhitespace = isBlankz(chars[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) {
        flowIndicators = true;
        blockIndicators = true;
      }
      if (ch === '?' || ch === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === '-' && followedByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    } else {
      if (',?[]{}'.includes(ch)) flowIndicators = true;
      if (ch === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === '#' && precededByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    }
    if (!isPrintable(ch)) special = true;
    if (isBreak(ch)) lineBreaks = true;
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(ch)) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankz(ch);
  }
  void flowIndicators;
  let blockPlain = !blockIndicators;
  let single = true;
  let block = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlain = false;
  if (trailingSpace) block = false;
  if (breakSpace) {
    blockPlain = false;
    single = false;
  }
  if (spaceBreak || special) {
    blockPlain = false;
    single = false;
    block = false;
  }
  if (lineBreaks) blockPlain = false;
  return { multiline: lineBreaks, blockPlainAllowed: blockPlain, singleQuotedAllowed: single, blockAllowed: block };
}

/** The style go-yaml v2 ends up using for a string, as a block-mapping value/sequence item or as a simple key. */
export function scalarStyle(s: string, simpleKey: boolean): ScalarStyle {
  let style: ScalarStyle;
  if (s.includes('\n')) style = 'literal';
  else if (!resolvesToNonString(s) && !isBase60Float(s)) style = 'plain';
  else style = 'double';
  const a = analyze(s);
  if (style === 'plain') {
    if (!a.blockPlainAllowed || (s === '' && simpleKey) || (simpleKey && a.multiline)) style = 'single';
  }
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
  return style;
}

const ESCAPES: Record<string, string> = {
  '\0': '0', '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\x0b': 'v', '\f': 'f', '\r': 'r', '\x1b': 'e',
  '"': '"', '\\': '\\', '\u0085': 'N', '\u00a0': '_', '\u2028': 'L', '\u2029': 'P',
};

/**
 * Writes a scalar starting at `column`; long lines fold at spaces past column 80 onto `indent` (libyaml's
 * best_width), unless `allowBreaks` is off (simple keys).
 */
export function writeFlowScalar(s: string, style: 'plain' | 'single' | 'double', column: number, indent: number, allowBreaks: boolean): string {
  const chars = [...s];
  const pad = ' '.repeat(indent);
  let out = style === 'single' ? "'" : style === 'double' ? '"' : '';
  let col = column + out.length;
  let spaces = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === ' ') {
      const notEdge = i !== 0 && i !== chars.length - 1;
      const nextSpace = chars[i + 1] === ' ';
      let fold = allowBreaks && !spaces && col > 80;
      if (style === 'plain') fold = fold && !nextSpace;
      else if (style === 'single') fold = fold && notEdge && !nextSpace;
      else fold = fold && notEdge;
      if (fold) {
        out += '\n' + pad;
        col = indent;
        if (style === 'double' && nextSpace) {
          out += '\\';
          col++;
        }
      } else {
        out += ' ';
        col++;
      }
      spaces = true;
      continue;
    }
    spaces = false;
    if (style === 'single' && ch === "'") {
      out += "''";
      col += 2;
    } else if (style === 'double' && (ESCAPES[ch] !== undefined || !isPrintable(ch) || ch === '\ufeff')) {
      const e = ESCAPES[ch];
      const c = ch.codePointAt(0)!;
      const text = e !== undefined ? '\\' + e : c <= 0xff ? '\\x' + c.toString(16).toUpperCase().padStart(2, '0') : c <= 0xffff ? '\\u' + c.toString(16).toUpperCase().padStart(4, '0') : '\\U' + c.toString(16).toUpperCase().padStart(8, '0');
      out += text;
      col += text.length;
    } else {
      out += ch;
      col++;
    }
  }
  if (style === 'single') out += "'";
  if (style === 'double') out += '"';
  return out;
}

/** A literal block scalar (`|`, `|-`, `|+`, with an indentation indicator when it starts with a space). */
export function writeLiteral(s: string, indent: number): string {
  let header = '|';
  if (s.startsWith(' ') || s.startsWith('\n')) header += '2';
  if (!s.endsWith('\n')) header += '-';
  else if (s === '\n' || s.endsWith('\n\n')) header += '+';
  const body = s.endsWith('\n') ? s.slice(0, -1) : s;
  const pad = ' '.repeat(indent);
  return header + '\n' + body.split('\n').map((l) => (l === '' ? '' : pad + l)).join('\n');
}
