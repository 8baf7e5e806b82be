/**
 * Thin typed wrapper over mvdan-sh (gopherjs build of mvdan.cc/sh/v3/syntax; its tree is typed in ast.ts). Operator
 * tokens are numbers whose values depend on the build, so the tables below are learned at load time by parsing one
 * sample per operator.
 */
import { createRequire } from 'node:module';
import type { Command, File, Node, NodeType, NodeTypes, SyntaxPackage, Typed } from './ast.ts';

const require = createRequire(import.meta.url);
const sh = require('mvdan-sh') as { syntax: SyntaxPackage };
export const syntax = sh.syntax;

export function nodeType(n: Node): string {
  return syntax.NodeType(n);
}

/** True when `n` is a node of type `type` (null and undefined are none). */
export function is<K extends NodeType>(n: Node | null | undefined, type: K): n is NodeTypes[K] {
  return n !== null && n !== undefined && syntax.NodeType(n) === type;
}

/** `n` with its type name, for a `switch (t.type)` that narrows `t.node`. */
export function typed<N extends Node>(n: N): Typed<N> {
  return { type: syntax.NodeType(n), node: n } as Typed<N>;
}

/** `n` as a node of type `type`, where the parser guarantees it; anything else is a bug here, not bad input. */
export function expect<K extends NodeType>(n: Node | null | undefined, type: K): NodeTypes[K] {
  if (!is(n, type)) throw new Error(`mvdan-sh: expected ${type}, got ${n ? syntax.NodeType(n) : n}`);
  return n;
}

function parseFile(src: string): File {
  return syntax.NewParser().Parse(src, '');
}

function learn(samples: Record<string, string>, pick: (f: File) => number): Map<number, string> {
  const table = new Map<number, string>();
  for (const [op, src] of Object.entries(samples)) table.set(pick(parseFile(src)), op);
  return table;
}

const first = (f: File): Command | null => f.Stmts[0]!.Cmd;
const arithOp = (f: File): number => {
  const x = expect(first(f), 'ArithmCmd').X;
  return is(x, 'UnaryArithm') ? x.Op : expect(x, 'BinaryArithm').Op;
};
const testOp = (f: File): number => {
  const x = expect(first(f), 'TestClause').X;
  return is(x, 'UnaryTest') ? x.Op : expect(x, 'BinaryTest').Op;
};

export const binaryCmdOps = learn({ '&&': 'a && b', '||': 'a || b', '|': 'a | b', '|&': 'a |& b' }, (f) => expect(first(f), 'BinaryCmd').Op);

export const redirOps = learn(
  {
    '>': 'a > b', '>>': 'a >> b', '<': 'a < b', '<>': 'a <> b', '>&': 'a >& b', '<&': 'a <& b', '>|': 'a >| b',
    '<<': 'a <<E\nE\n', '<<-': 'a <<-E\nE\n', '<<<': 'a <<< b', '&>': 'a &> b', '&>>': 'a &>> b',
  },
  (f) => f.Stmts[0]!.Redirs[0]!.Op,
);

export const paramExpOps = learn(
  {
    '+': '${a+b}', ':+': '${a:+b}', '-': '${a-b}', ':-': '${a:-b}', '?': '${a?b}', ':?': '${a:?b}', '=': '${a=b}',
    ':=': '${a:=b}', '%': '${a%b}', '%%': '${a%%b}', '#': '${a#b}', '##': '${a##b}', '^': '${a^b}', '^^': '${a^^b}',
    ',': '${a,b}', ',,': '${a,,b}',
  },
  (f) => expect(expect(first(f), 'CallExpr').Args[0]!.Parts[0], 'ParamExp').Exp!.Op,
);

const binArith = ['+', '-', '*', '/', '%', '**', '==', '!=', '<', '<=', '>', '>=', '&&', '||', '&', '|', '^', '<<', '>>',
  '=', '+=', '-=', '*=', '/=', '%=', ','];
export const arithBinaryOps = learn(
  Object.fromEntries(binArith.map((op) => [op, op.endsWith('=') && !['==', '!=', '<=', '>='].includes(op) || op === ',' ? `((a ${op} 1))` : `((a ${op} b))`])),
  arithOp,
);
export const arithUnaryOps = learn({ '!': '((!a))', '~': '((~a))', '-': '((-a))', '+': '((+a))', '++': '((a++))', '--': '((a--))' },
  arithOp);
export const arithTernaryQuestion = arithOp(parseFile('((a ? b : c))'));

export const testBinaryOps = learn(
  { '==': '[[ a == b ]]', '=': '[[ a = b ]]', '!=': '[[ a != b ]]', '=~': '[[ a =~ b ]]', '<': '[[ a < b ]]', '>': '[[ a > b ]]',
    '-eq': '[[ a -eq b ]]', '-ne': '[[ a -ne b ]]', '-lt': '[[ a -lt b ]]', '-le': '[[ a -le b ]]', '-gt': '[[ a -gt b ]]',
    '-ge': '[[ a -ge b ]]', '&&': '[[ a && b ]]', '||': '[[ a || b ]]' },
  testOp,
);
export const testUnaryOps = learn(
  { '-z': '[[ -z a ]]', '-n': '[[ -n a ]]', '-e': '[[ -e a ]]', '-f': '[[ -f a ]]', '-d': '[[ -d a ]]', '!': '[[ ! a ]]',
    '-s': '[[ -s a ]]', '-r': '[[ -r a ]]', '-x': '[[ -x a ]]', '-w': '[[ -w a ]]' },
  testOp,
);
export const caseOps = learn({ ';;': 'case a in a) b;; esac', ';&': 'case a in a) b;& esac', ';;&': 'case a in a) b;;& esac' },
  (f) => expect(first(f), 'CaseClause').Items[0]!.Op);

export class ShellSyntaxError extends Error {}

/** Parses a complete program; throws ShellSyntaxError with bash's wording. */
export function parse(src: string): File {
  const parser = syntax.NewParser();
  try {
    return parser.Parse(src, '');
  } catch (e) {
    throw new ShellSyntaxError(bashSyntaxMessage(src, e));
  }
}

/** True when `src` is a valid prefix that needs more lines (open quote, heredoc, loop, `&&` at end...). */
export function needsMoreInput(src: string): boolean {
  const parser = syntax.NewParser();
  let incomplete = false;
  try {
    parser.Interactive(src.endsWith('\n') ? src : src + '\n', () => {
      incomplete = parser.Incomplete();
      return true;
    });
  } catch {
    return incomplete;
  }
  return incomplete;
}

const TOKENS = /^(;;&|;;|;&|&&|\|\||\|&|<<<|<<-|<<|>>|&>>|&>|>&|<&|[;&|()<>{}]|[^\s;&|()<>]+)/;

/** A property of a thrown value that may be anything (mvdan-sh throws its ParseError struct, not an Error). */
function prop(o: unknown, key: string): unknown {
  return typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[key] : undefined;
}

function bashSyntaxMessage(src: string, e: unknown): string {
  const errorText = prop(e, 'Error');
  const text = String(prop(e, 'Text') ?? (typeof errorText === 'function' ? errorText.call(e) : undefined) ?? 'syntax error');
  const pos = prop(e, 'Pos');
  const posOffset = prop(pos, 'Offset');
  let offset = src.length;
  if (pos && typeof posOffset === 'function') offset = Number(posOffset.call(pos));
  let rest = src.slice(offset);
  if (/must be followed by|can only be used/.test(text) === false || /must be followed by/.test(text)) {
    if (/must be followed by/.test(text)) rest = rest.replace(TOKENS, '');
  }
  const quoted = /reached EOF without closing quote (.)/.exec(text);
  if (quoted) return `unexpected EOF while looking for matching \`${quoted[1]}'`;
  const encountered = /encountered (\S+)/.exec(text);
  const m = encountered ? [encountered[1]] : TOKENS.exec(rest.trimStart());
  if (!m || /reached EOF|unclosed|must end with/.test(text)) return 'syntax error: unexpected end of file';
  const token = m[0] === '\n' ? 'newline' : m[0];
  return `syntax error near unexpected token \`${token}'`;
}

/** busybox ash's wording of a parse error: `syntax error: unexpected ")"`, `syntax error: unexpected end of file`. */
export function ashSyntaxError(bashMessage: string): string {
  const token = /unexpected token `(.*)'$/.exec(bashMessage)?.[1];
  return token === undefined ? bashMessage : `syntax error: unexpected ${token === 'newline' ? 'newline' : `"${token}"`}`;
}
