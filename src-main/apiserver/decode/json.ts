/**
 * JSON as Go's encoding/json reads it: syntax errors in its wording, and its nesting limit (10,000), checked
 * before JSON.parse builds anything. Errors are DecodeErrors carrying Go's text; callers word the Status.
 */
import { jsonDepthOverflow } from './depth.ts';

/** A decoder's error text as Go would produce it, not yet wrapped into a Status. */
export class DecodeError extends Error {
  override name = 'DecodeError';
}

/** Go's encoding/json wording for a syntax error, from what JSON.parse reports. */
export function goJsonError(text: string, e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /position (\d+)/.exec(msg);
  const token = /Unexpected token '?(.)'?,/.exec(msg);
  if (!m && !token) return 'unexpected end of JSON input';
  const pos = m ? Number(m[1]) : text.indexOf(token![1]);
  if (pos >= text.length) return 'unexpected end of JSON input';
  const ch = text[pos];
  let i = pos - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  const prev = i >= 0 ? text[i] : '';
  let context = 'looking for beginning of value';
  if (prev === '{' || (prev === ',' && enclosing(text, i) === '{')) context = 'looking for beginning of object key string';
  else if (prev === '"' && enclosing(text, i) === '{' && isKey(text, i)) context = "after object key";
  else if (/[\w"\]}]/.test(prev) && enclosing(text, i) === '{') context = 'after object key:value pair';
  else if (/[\w"\]}]/.test(prev) && enclosing(text, i) === '[') context = 'after array element';
  else if (/[\w"\]}]/.test(prev) && enclosing(text, i) === '') context = 'after top-level value';
  const shown = ch === "'" ? "'\\''" : `'${ch}'`;
  return `invalid character ${shown} ${context}`;
}

function enclosing(text: string, upto: number): string {
  const stack: string[] = [];
  let inStr = false;
  for (let i = 0; i <= upto; i++) {
    const c = text[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if (c === '{' || c === '[') stack.push(c);
    else if (c === '}' || c === ']') stack.pop();
  }
  return stack[stack.length - 1] ?? '';
}

function isKey(text: string, quoteEnd: number): boolean {
  let i = quoteEnd - 1;
  while (i >= 0 && !(text[i] === '"' && text[i - 1] !== '\\')) i--;
  i--;
  while (i >= 0 && /\s/.test(text[i])) i--;
  return text[i] === '{' || text[i] === ',';
}

/** Go's json.Unmarshal of arbitrary JSON: the value, or a DecodeError with Go's message. */
export function goJsonParse(text: string): unknown {
  const over = jsonDepthOverflow(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // Go scans in order: whichever comes first, the syntax error or the bracket past the limit, is reported.
    const at = /position (\d+)/.exec(e instanceof Error ? e.message : '');
    if (over && (!at || Number(at[1]) > over.index)) throw new DecodeError(`invalid character '${over.char}' exceeded max depth`);
    throw new DecodeError(goJsonError(text, e));
  }
  if (over) throw new DecodeError(`invalid character '${over.char}' exceeded max depth`);
  return value;
}
