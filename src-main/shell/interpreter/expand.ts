/**
 * Word expansion: tilde, parameters, command substitution, arithmetic, quote removal, field splitting and
 * pathname expansion, in bash's order.
 */
import type { VirtualFs } from '../../userland/fs/virtual-fs.ts';
import { ansiC } from '../../userland/ansi-c.ts';
export { ansiC };
import { evalArith, type ArithHost } from './arith.ts';
import { hasGlobChars, literalPattern, matchPattern, replacePattern, trimPattern, unescapePattern } from './pattern.ts';
import type { Lit, ParamExp, Stmt, Word, WordPart } from './ast.ts';
import { expect, is, nodeType, paramExpOps, syntax, typed } from './syntax.ts';

export interface ExpandHost {
  getVar(name: string): string | undefined;
  /** An indexed array's elements by index (unset ones undefined; a scalar as one element); undefined when unset. */
  getArray(name: string): Array<string | undefined> | undefined;
  setVar(name: string, value: string): void;
  positional(): string[];
  /** $? $$ $# $0 $- ... */
  special(name: string): string | undefined;
  cmdSubst(stmts: Stmt[]): Promise<string>;
  fs: VirtualFs;
  cwd(): string;
  home(): string;
}

export class ExpansionError extends Error {}

/** Brace expansion, bash's first: `a{b,c}` and `{1..3}` give one part list per alternative, left to right. */
function braceAlternatives(word: Word): WordPart[][] {
  const braced = word.Parts.some((p) => is(p, 'Lit') && p.Value.includes('{')) ? syntax.SplitBraces(word).Parts : word.Parts;
  return alternatives(braced);
}

/** The text of a word's literal parts: `Value` of Lit and SglQuoted, nothing for the rest. */
const litText = (parts: WordPart[]): string => parts.map((p) => ('Value' in p ? p.Value : undefined) ?? '').join('');

function alternatives(parts: WordPart[]): WordPart[][] {
  const at = parts.findIndex((p) => is(p, 'BraceExp'));
  if (at < 0) return [parts];
  const brace = expect(parts[at], 'BraceExp');
  const choices: WordPart[][] = brace.Sequence
    ? braceSequence(brace.Elems.map((e) => litText(e.Parts))).map((v) => [literal(v)])
    : brace.Elems.map((e) => e.Parts);
  return choices.flatMap((c) => alternatives([...parts.slice(0, at), ...c, ...parts.slice(at + 1)]));
}

/** `{1..10..2}`, `{05..1}` (zero-padded to the wider end), `{a..e}`. */
function braceSequence([from, to, by]: string[]): string[] {
  const step = Math.abs(Number(by ?? 1)) || 1;
  const numeric = /^-?\d+$/.test(from!) && /^-?\d+$/.test(to!);
  const [a, b] = numeric ? [Number(from), Number(to)] : [from!.charCodeAt(0), to!.charCodeAt(0)];
  const width = numeric && (/^-?0\d/.test(from!) || /^-?0\d/.test(to!)) ? Math.max(from!.length, to!.length) : 0;
  const out: string[] = [];
  for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? step : -step) out.push(numeric ? String(v).padStart(width, '0') : String.fromCharCode(v));
  return out;
}

/** A Lit node holding `text` (as the parser makes it, so nodeType() knows it). */
function literal(text: string): Lit {
  return expect(expect(syntax.NewParser().Parse(`x ${text}`, '').Stmts[0]!.Cmd, 'CallExpr').Args[1]!.Parts[0], 'Lit');
}

/** Text with a parallel pattern (quoted characters escaped) and whether unquoted expansions may split it. */
interface Piece { text: string; quoted: boolean; split: boolean }
type Fragment = Piece | { fields: string[] };

const IFS_WS = /[ \t\n]+/;

export class Expander implements ArithHost {
  constructor(private readonly host: ExpandHost) {}

  getVar(name: string): string | undefined {
    return this.host.getVar(name);
  }
  setVar(name: string, value: string): void {
    this.host.setVar(name, value);
  }
  async expandWord(word: Word): Promise<string> {
    return this.single(word);
  }

  /** Full expansion to argument fields. */
  async fields(words: Word[]): Promise<string[]> {
    const out: string[] = [];
    for (const w of words) for (const parts of braceAlternatives(w)) out.push(...(await this.wordFields(parts)));
    return out;
  }

  /** Expansion without splitting or globbing (assignments, redirection targets, case words). */
  async single(word: Word | null | undefined): Promise<string> {
    if (!word) return '';
    const frags = await this.parts(word.Parts, false, true);
    return frags.map((f) => ('fields' in f ? f.fields.join(' ') : f.text)).join('');
  }

  /** Expansion to a pattern string: quoted characters escaped (case patterns, ${v#pat}, [[ == ]]). */
  async pattern(word: Word | null | undefined): Promise<string> {
    if (!word) return '';
    const frags = await this.parts(word.Parts, false, true);
    return frags.map((f) => ('fields' in f ? literalPattern(f.fields.join(' ')) : f.quoted ? literalPattern(f.text) : f.text)).join('');
  }

  /** Here-document body: parameter, command and arithmetic expansion only. */
  async heredoc(word: Word | null | undefined, quotedDelimiter: boolean): Promise<string> {
    if (!word) return '';
    if (quotedDelimiter) return litText(word.Parts);
    const frags = await this.parts(word.Parts, true, true, true);
    return frags.map((f) => ('fields' in f ? f.fields.join(' ') : f.text)).join('');
  }

  private async wordFields(parts: WordPart[]): Promise<string[]> {
    const frags = await this.parts(parts, false, true);
    // Assemble fields as [value, pattern, sawQuote].
    const fields: { value: string; pattern: string; quoted: boolean }[] = [];
    let cur: { value: string; pattern: string; quoted: boolean } | null = null;
    const push = (text: string, pattern: string, quoted: boolean): void => {
      cur ??= { value: '', pattern: '', quoted: false };
      cur.value += text;
      cur.pattern += pattern;
      cur.quoted ||= quoted;
    };
    const flush = (): void => {
      if (cur) fields.push(cur);
      cur = null;
    };
    for (const f of frags) {
      if ('fields' in f) {
        f.fields.forEach((v, i) => {
          if (i > 0) flush();
          push(v, literalPattern(v), true);
        });
        if (f.fields.length === 0) cur ??= null;
        continue;
      }
      if (!f.split) {
        push(f.text, f.quoted ? literalPattern(f.text) : f.text, f.quoted);
        continue;
      }
      const pieces = f.text.split(IFS_WS);
      pieces.forEach((p, i) => {
        if (i > 0) flush();
        if (p !== '') push(p, p, false);
      });
    }
    flush();
    const out: string[] = [];
    for (const field of fields) {
      if (field.value === '' && !field.quoted) continue;
      if (hasGlobChars(field.pattern)) {
        const matches = this.glob(field.pattern);
        if (matches.length > 0) {
          out.push(...matches);
          continue;
        }
        out.push(unescapePattern(field.pattern));
        continue;
      }
      out.push(field.value);
    }
    return out;
  }

  private async parts(parts: WordPart[], inDouble: boolean, first: boolean, inHeredoc = false): Promise<Fragment[]> {
    const out: Fragment[] = [];
    for (let i = 0; i < parts.length; i++) {
      const t = typed(parts[i]!);
      switch (t.type) {
        case 'Lit': {
          let value = t.node.Value;
          if (!inDouble && first && i === 0 && (value === '~' || value.startsWith('~/'))) {
            out.push({ text: this.host.home(), quoted: true, split: false });
            value = value.slice(1);
          }
          if (inDouble) out.push({ text: unescapeDouble(value, inHeredoc), quoted: true, split: false });
          else out.push(...unescapeBare(value));
          break;
        }
        case 'SglQuoted':
          out.push({ text: t.node.Dollar ? ansiC(t.node.Value) : t.node.Value, quoted: true, split: false });
          break;
        case 'DblQuoted': {
          const inner = await this.parts(t.node.Parts, true, false);
          if (inner.length === 0) out.push({ text: '', quoted: true, split: false });
          out.push(...inner);
          break;
        }
        case 'ParamExp':
          out.push(await this.param(t.node, inDouble));
          break;
        case 'CmdSubst': {
          const text = (await this.host.cmdSubst(t.node.Stmts)).replace(/\n+$/, '');
          out.push({ text, quoted: inDouble, split: !inDouble });
          break;
        }
        case 'ArithmExp': {
          const text = String(await evalArith(t.node.X, this));
          out.push({ text, quoted: inDouble, split: !inDouble });
          break;
        }
        default:
          throw new ExpansionError(`unsupported expansion: ${t.type}`);
      }
    }
    return out;
  }

  private async param(p: ParamExp, inDouble: boolean): Promise<Fragment> {
    const name = p.Param.Value;
    if ((name === '@' || name === '*') && !p.Length && !p.Exp && !p.Repl && !p.Slice) {
      const args = this.host.positional();
      if (inDouble) return name === '@' ? { fields: args } : { text: args.join(' '), quoted: true, split: false };
      return { text: args.join(' '), quoted: false, split: true };
    }
    const index = p.Index;
    if (is(index, 'Word') && ['@', '*'].includes(litText(index.Parts))) {
      const values = (this.host.getArray(name) ?? []).filter((v) => v !== undefined);
      if (p.Length) return { text: String(values.length), quoted: inDouble, split: !inDouble };
      if (inDouble) return litText(index.Parts.slice(0, 1)) === '@' ? { fields: values } : { text: values.join(' '), quoted: true, split: false };
      return { text: values.join(' '), quoted: false, split: true };
    }
    let value = index ? this.host.getArray(name)?.[await evalArith(index, this)] : this.lookup(name);
    if (p.Length) return { text: String([...(value ?? '')].length), quoted: inDouble, split: !inDouble };
    if (p.Exp) {
      const op = paramExpOps.get(p.Exp.Op) ?? '';
      const colon = op.startsWith(':');
      const unsetish = value === undefined || (colon && value === '');
      const base = colon ? op.slice(1) : op;
      if (base === '-' && unsetish) value = await this.single(p.Exp.Word);
      else if (base === '=' && unsetish) this.host.setVar(name, (value = await this.single(p.Exp.Word)));
      else if (base === '+') value = unsetish ? '' : await this.single(p.Exp.Word);
      else if (base === '?' && unsetish) {
        const msg = (await this.single(p.Exp.Word)) || (colon ? 'parameter null or not set' : 'parameter not set');
        throw new ExpansionError(`${name}: ${msg}`);
      } else if (['#', '##', '%', '%%'].includes(op)) value = trimPattern(value ?? '', await this.pattern(p.Exp.Word), op as '#');
      else if (op === '^^') value = (value ?? '').toUpperCase();
      else if (op === ',,') value = (value ?? '').toLowerCase();
      else if (op === '^') value = (value ?? '').charAt(0).toUpperCase() + (value ?? '').slice(1);
      else if (op === ',') value = (value ?? '').charAt(0).toLowerCase() + (value ?? '').slice(1);
    }
    if (p.Repl) {
      value = replacePattern(value ?? '', await this.pattern(p.Repl.Orig), await this.single(p.Repl.With), p.Repl.All);
    }
    if (p.Slice) {
      const chars = [...(value ?? '')];
      let offset = p.Slice.Offset ? await evalArith(p.Slice.Offset, this) : 0;
      if (offset < 0) offset = Math.max(0, chars.length + offset);
      let length = p.Slice.Length ? await evalArith(p.Slice.Length, this) : chars.length - offset;
      if (length < 0) length = Math.max(0, chars.length - offset + length);
      value = chars.slice(offset, offset + length).join('');
    }
    return { text: value ?? '', quoted: inDouble, split: !inDouble };
  }

  private lookup(name: string): string | undefined {
    const special = this.host.special(name);
    if (special !== undefined) return special;
    if (/^\d+$/.test(name)) return this.host.positional()[Number(name) - 1];
    return this.host.getVar(name);
  }

  glob(pattern: string): string[] {
    const fs = this.host.fs;
    const absolute = pattern.startsWith('/');
    const segments = pattern.split('/').filter((s, i) => s !== '' || i === 0);
    let paths: string[] = [absolute ? '/' : ''];
    for (const seg of segments) {
      if (seg === '') continue;
      const next: string[] = [];
      for (const base of paths) {
        const dir = fs.resolve(this.host.cwd(), base || '.');
        if (!hasGlobChars(seg)) {
          const candidate = join(base, unescapePattern(seg));
          if (fs.exists(fs.resolve(this.host.cwd(), candidate))) next.push(candidate);
          continue;
        }
        if (!fs.isDir(dir)) continue;
        for (const name of fs.readdir(dir)) {
          if (name.startsWith('.') && !seg.startsWith('.')) continue;
          if (matchPattern(seg, name)) next.push(join(base, name));
        }
      }
      paths = next;
    }
    return paths.filter((p) => p !== '' && p !== '/').sort();
  }
}

export { matchPattern };

function join(base: string, name: string): string {
  if (base === '') return name;
  return base.endsWith('/') ? base + name : `${base}/${name}`;
}

function unescapeBare(value: string): Piece[] {
  const out: Piece[] = [];
  let plain = '';
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\' && i + 1 < value.length) {
      if (plain) out.push({ text: plain, quoted: false, split: false });
      plain = '';
      const c = value[++i]!;
      if (c !== '\n') out.push({ text: c, quoted: true, split: false });
    } else plain += value[i];
  }
  if (plain || out.length === 0) out.push({ text: plain, quoted: false, split: false });
  return out;
}

function unescapeDouble(value: string, inHeredoc: boolean): string {
  const specials = inHeredoc ? '$`\\\n' : '$`"\\\n';
  return value.replace(/\\([\s\S])/g, (m, c: string) => (specials.includes(c) ? (c === '\n' ? '' : c) : m));
}

