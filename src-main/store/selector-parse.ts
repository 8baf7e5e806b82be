/**
 * Label and field selector strings parsed as apimachinery parses them (pkg/labels/selector.go's lexer and
 * recursive-descent parser with NewRequirement's validation; pkg/fields/selector.go's term splitting and value
 * unescaping), with their error texts, which kube-apiserver returns as a 400 on list, watch and deletecollection.
 */
import { isQualifiedName, isValidLabelValue } from '../api/names.ts';
import { goQuote } from '../api/go-quote.ts';

export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

export class SelectorSyntaxError extends Error {}

type Tok = 'error' | 'eos' | ')' | ',' | '!' | '==' | '=' | '>' | 'id' | 'in' | '<' | '!=' | 'notin' | '(';
const LITERALS: Record<string, Tok> = { ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', in: 'in', '<': '<', '!=': '!=', notin: 'notin', '(': '(' };
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string) => '=!(),><'.includes(c) && c !== '';

function lex(s: string): Array<{ tok: Tok; lit: string }> {
  const out: Array<{ tok: Tok; lit: string }> = [];
  let i = 0;
  for (;;) {
    while (i < s.length && isSpace(s[i])) i++;
    if (i >= s.length) {
      out.push({ tok: 'eos', lit: '' });
      return out;
    }
    if (isSpecial(s[i])) {
      let buf = '';
      let last: { tok: Tok; lit: string } | undefined;
      while (i < s.length && isSpecial(s[i])) {
        buf += s[i];
        if (LITERALS[buf]) {
          last = { tok: LITERALS[buf], lit: buf };
          i++;
        } else if (last) break;
        else i++;
      }
      out.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buf}'` });
      continue;
    }
    let buf = '';
    while (i < s.length && !isSpecial(s[i]) && !isSpace(s[i])) buf += s[i++];
    out.push({ tok: LITERALS[buf] ?? 'id', lit: buf });
  }
}

/** field.Invalid(path, value, detail).Error() with the parser's nil path printing as `<nil>`. */
const invalid = (field: string, value: unknown, detail: string) => `${field}: Invalid value: ${Array.isArray(value) ? `[]string{${value.map(goQuote).join(', ')}}` : goQuote(String(value))}: ${detail}`;

function validateKey(k: string, field: string): string | undefined {
  const errs = isQualifiedName(k);
  return errs.length ? invalid(field, k, errs.join('; ')) : undefined;
}

function newRequirement(key: string, op: Operator, values: string[]): Requirement {
  const errs: string[] = [];
  const keyErr = validateKey(key, 'key');
  if (keyErr) errs.push(keyErr);
  if ((op === 'in' || op === 'notin') && values.length === 0) errs.push(invalid('values', values, "for 'in', 'notin' operators, values set can't be empty"));
  if ((op === '=' || op === '==' || op === '!=') && values.length !== 1) errs.push(invalid('values', values, 'exact-match compatibility requires one single value'));
  if ((op === 'exists' || op === '!') && values.length !== 0) errs.push(invalid('values', values, 'values set must be empty for exists and does not exist'));
  if (op === 'gt' || op === 'lt') {
    if (values.length !== 1) errs.push(invalid('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
    values.forEach((v, i) => {
      if (!/^[+-]?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) errs.push(invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
    });
  }
  values.forEach((v, i) => {
    const e = isValidLabelValue(v);
    if (e.length) errs.push(invalid(`values[${i}][${key}]`, v, e.join('; ')));
  });
  const unique = [...new Set(errs)];
  if (unique.length) throw new SelectorSyntaxError(unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`);
  return { key, op, values };
}

/** labels.Parse: the requirements sorted by key, or SelectorSyntaxError with the parser's message. */
export function parseLabelRequirements(selector: string): Requirement[] {
  const items = lex(selector);
  let pos = 0;
  const asValue = (t: Tok): Tok => (t === 'in' || t === 'notin' ? 'id' : t);
  const look = (values = true) => ({ tok: values ? asValue(items[pos].tok) : items[pos].tok, lit: items[pos].lit });
  const take = (values = true) => {
    const t = look(values);
    pos++;
    return t;
  };
  const fail = (m: string): never => {
    throw new SelectorSyntaxError(m);
  };
  const reqs: Requirement[] = [];
  const requirement = (): Requirement => {
    let t = take();
    let op: Operator | undefined;
    if (t.tok === '!') {
      op = '!';
      t = take();
    }
    if (t.tok !== 'id') fail(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const keyErr = validateKey(key, '<nil>');
    if (keyErr) fail(keyErr);
    const next = look().tok;
    if (next === 'eos' || next === ',') return newRequirement(key, op ?? 'exists', []);
    if (op === '!') return newRequirement(key, '!', []);
    const o = take(false);
    const ops: Partial<Record<Tok, Operator>> = { in: 'in', '=': '=', '==': '==', '>': 'gt', '<': 'lt', notin: 'notin', '!=': '!=' };
    const operator = ops[o.tok] ?? fail(`found '${o.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    let values: Set<string>;
    if (operator === 'in' || operator === 'notin') {
      const open = take();
      if (open.tok !== '(') fail(`found '${open.lit}' expected: '('`);
      const first = look();
      if (first.tok === ')') {
        take();
        values = new Set(['']);
      } else if (first.tok === 'id' || first.tok === ',') {
        values = new Set();
        for (;;) {
          const v = take();
          if (v.tok === 'id') {
            values.add(v.lit);
            const n = look();
            if (n.tok === ',') continue;
            if (n.tok === ')') break;
            fail(`found '${n.lit}', expected: ',' or ')'`);
          } else if (v.tok === ',') {
            if (values.size === 0) values.add('');
            const n = look();
            if (n.tok === ')') {
              values.add('');
              break;
            }
            if (n.tok === ',') {
              take();
              values.add('');
            }
          } else fail(`found '${v.lit}', expected: ',', or identifier`);
        }
        if (take().tok !== ')') fail(`found '${first.lit}', expected: ')'`);
      } else return fail(`found '${first.lit}', expected: ',', ')' or identifier`);
    } else {
      const n = look();
      if (n.tok === 'eos' || n.tok === ',') values = new Set(['']);
      else {
        const v = take();
        if (v.tok !== 'id') fail(`found '${v.lit}', expected: identifier`);
        values = new Set([v.lit]);
      }
    }
    return newRequirement(key, operator, [...values].sort());
  };
  for (;;) {
    const t = look();
    if (t.tok === 'id' || t.tok === '!') {
      try {
        reqs.push(requirement());
      } catch (e) {
        if (e instanceof SelectorSyntaxError) throw new SelectorSyntaxError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const after = take();
      if (after.tok === 'eos') break;
      if (after.tok === ',') {
        const n = look();
        if (n.tok !== 'id' && n.tok !== '!') fail(`found '${n.lit}', expected: identifier after ','`);
        continue;
      }
      fail(`found '${after.lit}', expected: ',' or 'end of string'`);
    } else if (t.tok === 'eos') break;
    else fail(`found '${t.lit}', expected: !, identifier, or 'end of string'`);
  }
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export interface FieldTerm {
  field: string;
  neq: boolean;
  value: string;
}

/** fields.ParseSelector: terms split on unescaped commas, sorted, each at its first operator, values unescaped. */
export function parseFieldTerms(selector: string): FieldTerm[] {
  const parts: string[] = [];
  if (selector.length) {
    let start = 0;
    let slash = false;
    for (let i = 0; i < selector.length; i++) {
      const c = selector[i];
      if (slash) slash = false;
      else if (c === '\\') slash = true;
      else if (c === ',') {
        parts.push(selector.slice(start, i));
        start = i + 1;
      }
    }
    parts.push(selector.slice(start));
  }
  parts.sort();
  const terms: FieldTerm[] = [];
  for (const part of parts) {
    if (part === '') continue;
    let found: { lhs: string; op: string; rhs: string } | undefined;
    for (let i = 0; i < part.length && !found; i++) {
      for (const op of ['!=', '==', '=']) {
        if (part.startsWith(op, i)) {
          found = { lhs: part.slice(0, i), op, rhs: part.slice(i + op.length) };
          break;
        }
      }
    }
    if (!found) throw new SelectorSyntaxError(`invalid selector: '${selector}'; can't understand '${part}'`);
    terms.push({ field: found.lhs, neq: found.op === '!=', value: unescapeFieldValue(found.rhs) });
  }
  return terms;
}

function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let slash = false;
  for (const c of s) {
    if (slash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new SelectorSyntaxError(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      slash = false;
    } else if (c === '\\') slash = true;
    else if (c === ',' || c === '=') throw new SelectorSyntaxError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (slash) throw new SelectorSyntaxError('invalid field selector: invalid escape sequence: \\');
  return out;
}
