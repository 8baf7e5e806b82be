/**
 * awk subset, compiled to JavaScript: fields ($0 $1 $NF), -F, -v, NR NF FS OFS, BEGIN/END, /re/ and expression
 * patterns, print/printf, if/while/for/for-in, arrays, concatenation by juxtaposition, ~ !~, length substr index
 * split toupper tolower sprintf int sub gsub (on $0 or a variable), next, exit.
 */
import type { Command } from '../command.ts';
import { formatPrintf } from '../printf-format.ts';
import { eachLine } from './io.ts';

const TOKEN = /\s+|#[^\n]*|"(?:\\.|[^"\\])*"|\/(?:\\.|[^/\\\n])+\/|\d+(?:\.\d+)?|[A-Za-z_]\w*|\$|!~|==|!=|<=|>=|&&|\|\||\+\+|--|[+\-*/%^]=|[{}()[\];,<>!=+\-*/%?:~^\n]/y;
const FUNCS = new Set(['length', 'substr', 'index', 'split', 'toupper', 'tolower', 'sprintf', 'int', 'sub', 'gsub', 'match', 'printf', 'print']);
const KEYWORDS = new Set(['if', 'else', 'while', 'for', 'in', 'do', 'next', 'exit', 'BEGIN', 'END', 'return', 'delete', 'break', 'continue']);

function tokenize(src: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(src);
    if (!m) throw new Error(`syntax error at source line 1 near ${src.slice(at, at + 10)}`);
    if (m[0] === '\n') out.push(';');
    else if (!/^\s|^#/.test(m[0])) out.push(m[0]);
  }
  return out;
}

const isOperandEnd = (t: string | undefined): boolean => !!t && (/^["\d]/.test(t) || (/^[A-Za-z_]/.test(t) && !KEYWORDS.has(t) && !FUNCS.has(t)) || t === ')' || t === ']' || t === '++' || t === '--' || /^\/.+\/$/.test(t));
const isOperandStart = (t: string | undefined): boolean => !!t && (/^["\d$]/.test(t) || (/^[A-Za-z_]/.test(t) && !KEYWORDS.has(t)) || t === '(' || t === '!' || t === '-' && false);

/** Translates awk tokens to a JS expression/statement string. */
function translate(tokens: string[]): string {
  let js = '';
  let prev: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const regexOperand = /^\/.+\/$/.test(t) && !isOperandEnd(prev);
    if (isOperandEnd(prev) && isOperandStart(t) && !(prev && /^[A-Za-z_]/.test(prev) && t === '(' )) js += '+""+';
    if (t === '$') {
      const next = tokens[i + 1]!;
      if (next === '(') { js += 'F'; prev = '$'; continue; }
      js += `F(${/^\d/.test(next) ? next : `V.${next}`})`;
      i++;
      prev = ')';
      continue;
    }
    if (t === '~' || t === '!~') {
      // `lhs ~ re`: wrap the operand just emitted.
      const m = /(F\([^()]*\)|V\.\w+|"(?:\\.|[^"\\])*")$/.exec(js);
      if (!m) throw new Error('syntax error: ~ needs a simple left operand');
      js = js.slice(0, -m[0].length) + `${t === '!~' ? '!' : ''}RE(${m[0]},`;
      const rhs = tokens[++i]!;
      js += (/^\/.+\/$/.test(rhs) ? rhs : /^"/.test(rhs) ? rhs : rhs === '$' ? `F(${tokens[++i]})` : `V.${rhs}`) + ')';
      prev = ')';
      continue;
    }
    if (regexOperand) js += `RE(F(0),${t})`;
    else if (t === 'print' || t === 'printf') {
      let j = i + 1;
      let depth = 0;
      while (j < tokens.length && !(depth === 0 && (tokens[j] === ';' || tokens[j] === '}'))) { if ('([{'.includes(tokens[j]!)) depth++; if (')]}'.includes(tokens[j]!)) depth--; j++; }
      const args = tokens.slice(i + 1, j);
      js += `${t === 'print' ? 'P' : 'PF'}(${args.length ? translate(args) : t === 'print' ? 'F(0)' : ''})`;
      i = j - 1;
      prev = ')';
      continue;
    } else if (t === 'next') js += 'return';
    else if (t === 'exit') js += 'throw EXIT';
    else if (t === 'in' || t === 'if' || t === 'else' || t === 'while' || t === 'for' || t === 'do' || t === 'break' || t === 'continue' || t === 'delete') js += ` ${t} `;
    else if (/^[A-Za-z_]/.test(t) && FUNCS.has(t)) js += `B.${t}`;
    else if (/^[A-Za-z_]/.test(t)) js += `V.${t}`;
    else if (t === '^') js += '**';
    else if (t === '+=') {
      const m = /(V\.\w+(?:\[[^\]]*\])?)$/.exec(js);
      js += m ? `=Number(${m[1]})+` : t;
    }
    else js += t;
    prev = t;
  }
  return js;
}

interface Rule { pattern?: string; action: string; kind: 'BEGIN' | 'END' | 'main' }

function parseProgram(src: string): Rule[] {
  const tokens = tokenize(src);
  const rules: Rule[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (tokens[i] === ';') { i++; continue; }
    let kind: Rule['kind'] = 'main';
    const patternTokens: string[] = [];
    if (tokens[i] === 'BEGIN' || tokens[i] === 'END') kind = tokens[i++] as Rule['kind'];
    else while (i < tokens.length && tokens[i] !== '{' && tokens[i] !== ';') patternTokens.push(tokens[i++]!);
    let action = 'P(F(0))';
    if (tokens[i] === '{') {
      let depth = 0;
      const start = i + 1;
      for (; i < tokens.length; i++) { if (tokens[i] === '{') depth++; else if (tokens[i] === '}' && --depth === 0) break; }
      action = translate(tokens.slice(start, i));
      i++;
    }
    rules.push({ kind, action, pattern: patternTokens.length ? translate(patternTokens) : undefined });
  }
  return rules;
}

export const awk: Command = async (ctx) => {
  const args = ctx.argv.slice(1);
  let fs = ' ';
  const assigns: [string, string][] = [];
  let i = 0;
  for (; i < args.length && args[i]!.startsWith('-') && args[i] !== '-'; i++) {
    const a = args[i]!;
    if (a === '-F') fs = args[++i]!;
    else if (a.startsWith('-F')) fs = a.slice(2);
    else if (a === '-v') { const [k, ...v] = args[++i]!.split('='); assigns.push([k!, v.join('=')]); }
  }
  const program = args[i++];
  if (program === undefined) return (await ctx.stderr.write('usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]\n'), 2);
  let rules: Rule[];
  try { rules = parseProgram(program); } catch (e) { await ctx.stderr.write(`awk: ${(e as Error).message}\n`); return 2; }
  const out: string[] = [];
  const V: Record<string, unknown> = new Proxy({ NR: 0, NF: 0, FS: fs === 't' ? '\t' : fs, OFS: ' ', ORS: '\n' } as Record<string, unknown>, {
    get: (t, k: string) => (k in t ? t[k] : ''),
  });
  for (const [k, v] of assigns) V[k] = num(v);
  let fields: string[] = [];
  let record = '';
  const split = (line: string): string[] => {
    const sep = String(V.FS);
    if (sep === ' ') return line.trim() === '' ? [] : line.trim().split(/[ \t]+/);
    return line.split(sep.length === 1 ? sep : new RegExp(sep));
  };
  const F = (n: number): unknown => (n === 0 ? num(record) : num(fields[n - 1] ?? ''));
  const setRecord = (line: string): void => { record = line; fields = split(line); V.NF = fields.length; };
  const P = (...a: unknown[]): void => void out.push(a.map(String).join(String(V.OFS)) + String(V.ORS));
  const sub = (global: boolean) => (re: RegExp | string, rep: string, target?: string): number => {
    const r = new RegExp(typeof re === 'string' ? re : re.source, global ? 'g' : '');
    const text = target === undefined ? record : String(target);
    let count = 0;
    const next = text.replace(r, (m) => { count++; return String(rep).replace(/&/g, m); });
    if (target === undefined) setRecord(next);
    return count;
  };
  const B = {
    length: (s?: unknown) => String(s === undefined ? record : s).length,
    substr: (s: unknown, start: number, len?: number) => String(s).substr(Math.max(0, start - 1), len ?? Infinity),
    index: (s: unknown, t: unknown) => String(s).indexOf(String(t)) + 1,
    split: (s: unknown, arr: Record<string, unknown>, sep?: string) => { const parts = sep === undefined ? split(String(s)) : String(s).split(sep); parts.forEach((p, j) => (arr[j + 1] = num(p))); return parts.length; },
    toupper: (s: unknown) => String(s).toUpperCase(), tolower: (s: unknown) => String(s).toLowerCase(),
    sprintf: (f: string, ...a: unknown[]) => formatPrintf(String(f), a as (string | number)[], { escapes: false }),
    int: (x: unknown) => Math.trunc(Number(x)), sub: sub(false), gsub: sub(true),
    match: (s: unknown, re: RegExp) => { const m = re.exec(String(s)); V.RSTART = m ? m.index + 1 : 0; V.RLENGTH = m ? m[0].length : -1; return V.RSTART; },
  };
  const RE = (s: unknown, re: RegExp | string) => (typeof re === 'string' ? new RegExp(re) : re).test(String(s));
  const PF = (f: string, ...a: unknown[]) => void out.push(formatPrintf(String(f), a as (string | number)[], { escapes: false }));
  const EXIT = { exit: true };
  // Arrays: any name used with [ ] starts as an auto-vivifying object.
  for (const m of program.matchAll(/([A-Za-z_]\w*)\s*\[/g)) if (!FUNCS.has(m[1]!)) V[m[1]!] = new Proxy({} as Record<string, unknown>, { get: (t, k: string) => (k in t ? t[k] : '') });
  let compiled: { kind: string; run: () => unknown; test?: () => unknown }[];
  try {
    compiled = rules.map((r) => ({
      kind: r.kind,
      run: new Function('V', 'F', 'P', 'PF', 'B', 'RE', 'EXIT', `return () => { ${r.action.replace(/\bV\.(\w+)(\+\+|--)/g, (_m, v: string, op: string) => `(V.${v}=Number(V.${v})${op[0]}1,V.${v}${op[0] === '+' ? '-' : '+'}1)`)} }`)(V, F, P, PF, B, RE, EXIT),
      test: r.pattern ? new Function('V', 'F', 'B', 'RE', `return () => (${r.pattern})`)(V, F, B, RE) : undefined,
    }));
  } catch (e) {
    await ctx.stderr.write(`awk: syntax error in program: ${(e as Error).message}\n`);
    return 2;
  }
  const flush = async (): Promise<void> => { if (out.length) await ctx.stdout.write(out.splice(0).join('')); };
  try {
    for (const r of compiled) if (r.kind === 'BEGIN') r.run();
    await flush();
    await eachLine(ctx, args.slice(i), async (line) => {
      V.NR = Number(V.NR) + 1;
      setRecord(line);
      for (const r of compiled) if (r.kind === 'main' && (!r.test || truthy(r.test()))) r.run();
      await flush();
    });
    for (const r of compiled) if (r.kind === 'END') r.run();
  } catch (e) {
    if (e !== EXIT) { await flush(); await ctx.stderr.write(`awk: ${(e as Error).message}\n`); return 2; }
  }
  await flush();
  return 0;
};

function num(s: string): string | number {
  return /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s) ? Number(s) : s;
}

function truthy(v: unknown): boolean {
  return typeof v === 'string' ? v !== '' : Boolean(v);
}
