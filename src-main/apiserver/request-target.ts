/**
 * The request target as Go's net/http reads it (url.ParseRequestURI): the path percent-decoded once and taken
 * literally (no dot-segment removal, `%2F` becomes `/`), a bad escape refused with a plain 400, and the query parsed
 * as url.ParseQuery does (pairs with bad escapes or a `;` dropped, `+` a space).
 */

export interface RequestTarget {
  /** The decoded path (req.URL.Path); invalid UTF-8 from escapes such as `%ff` shows as U+FFFD. */
  path: string;
  query: URLSearchParams;
}

const HEX = /^[0-9a-fA-F]{2}$/;

/** Go's url.unescape; undefined for an invalid escape (`%zz`, `%f` at the end). */
function unescape(s: string, plusIsSpace: boolean): string | undefined {
  if (!s.includes('%') && !(plusIsSpace && s.includes('+'))) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!HEX.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c === '+' && plusIsSpace) bytes.push(0x20);
    else for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
  }
  return utf8WithRawBytes(bytes);
}

/**
 * UTF-8 decoding that keeps each byte of an invalid sequence as U+DC80..U+DCFF (Python's surrogateescape), so
 * that a name from `%ff` prints as Go prints the raw byte (`"\xff"`, see goQuote) instead of as U+FFFD.
 */
function utf8WithRawBytes(bytes: number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const n = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (n === 1) {
      out += String.fromCharCode(b);
      i++;
      continue;
    }
    const seq = n ? bytes.slice(i, i + n) : [];
    const text = seq.length === n && n > 0 ? Buffer.from(seq).toString('utf8') : '';
    if (n > 0 && text.length > 0 && !text.includes('\ufffd')) {
      out += text;
      i += n;
    } else {
      out += String.fromCharCode(0xdc00 + b);
      i++;
    }
  }
  return out;
}

/** url.ParseQuery, keeping the pairs it would keep. */
export function parseGoQuery(raw: string): URLSearchParams {
  const out = new URLSearchParams();
  for (const pair of raw.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    const key = unescape(eq < 0 ? pair : pair.slice(0, eq), true);
    const value = unescape(eq < 0 ? '' : pair.slice(eq + 1), true);
    if (key === undefined || value === undefined) continue;
    out.append(key, value);
  }
  return out;
}

/** undefined when Go's server would answer `400 Bad Request` before any handler runs. */
export function parseRequestTarget(rawUrl: string): RequestTarget | undefined {
  let raw = rawUrl;
  // An absolute-form target (`GET https://host/path`): the path is what follows the authority.
  const abs = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/.exec(raw);
  if (abs) raw = raw.slice(abs[0].length) || '/';
  if (/[\x00-\x1f\x7f]/.test(raw)) return undefined;
  const hash = raw.indexOf('#');
  if (hash >= 0) raw = raw.slice(0, hash);
  const q = raw.indexOf('?');
  const rawPath = q < 0 ? raw : raw.slice(0, q);
  const path = unescape(rawPath, false);
  if (path === undefined) return undefined;
  return { path, query: parseGoQuery(q < 0 ? '' : raw.slice(q + 1)) };
}

/** Go's `strings.Split(strings.Trim(path, "/"), "/")`, which the request-info resolver and go-restful use. */
export function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? [] : trimmed.split('/');
}
