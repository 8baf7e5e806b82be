/**
 * Thin typed wrapper over mvdan-sh (gopherjs build of mvdan.cc/sh/v3/syntax). Operator tokens are numbers whose
 * values depend on the build, so the tables below are learned at load time by parsing one sample per operator.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const sh: any = require('mvdan-sh');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Node = any;
export const syntax = sh.syntax;

export function nodeType(n: Node): string {
  return syntax.NodeType(n);
}

function parseFile(src: string): Node {
  return syntax.NewParser().Parse(src, '');
}

function learn(samples: Record<string, string>, pick: (f: Node) => number): Map<number, string> {
  const table = new Map<number, string>();
  for (const [op, src] of Object.entries(samples)) table.set(pick(parseFile(src)), op);
  return table;
}

export const binaryCmdOps = learn({ '&&': 'a && b', '||': 'a || b', '|': 'a | b', '|&': 'a |& b' }, (f) => f.Stmts[0].Cmd.Op);

export const redirOps = learn(
  {
    '>': 'a > b', '>>': 'a >> b', '<': 'a < b', '<>': 'a <> b', '>&': 'a >& b', '<&': 'a <& b', '>|': 'a >| b',
    '<<': 'a <<E\nE\n', '<<-': 'a <<-E\nE\n', '<<<': 'a <<< b', '&>': 'a &> b', '&>>': 'a &>> b',
  },
  (f) => f.Stmts[0].Redirs[0].Op,
);

export const paramExpOps = learn(
  {
    '+': '${a+b}', ':+': '${a:+b}', '-': '${a-b}', ':-': '${a:-b}', '?': '${a?b}', ':?': '${a:?b}', '=': '${a=b}',
    ':=': '${a:=b}', '%': '${a%b}', '%%': '${a%%b}', '#': '${a#b}', '##': '${a##b}', '^': '${a^b}', '^^': '${a^^b}',
    ',': '${a,b}', ',,': '${a,,b}',
  },
  (f) => f.Stmts[0].Cmd.Args[0].Parts[0].Exp.Op,
);

const binArith = ['+', '-', '*', '/', '%', '**', '==', '!=', '<', '<=', '>', '>=', '&&', '||', '&', '|', '^', '<<', '>>',
  '=', '+=', '-=', '*=', '/=', '%=', ','];
export const arithBinaryOps = learn(
  Object.fromEntries(binArith.map((op) => [op, op.endsWith('=') && !['==', '!=', '<=', '>='].includes(op) || op === ',' ? `((a ${op} 1))` : `((a ${op} b))`])),
  (f) => f.Stmts[0].Cmd.X.Op,
);
export const arithUnaryOps = learn({ '!': '((!a))', '~': '((~a))', '-': '((-a))', '+': '((+a))', '++': '((a++))', '--': '((a--))' },
  (f) => f.Stmts[0].Cmd.X.Op);
export const arithTernaryQuestion = parseFile('((a ? b : c))').Stmts[0].Cmd.X.Op as number;

export const testBinaryOps = learn(
  { '==': '[[ a == b ]]', '=': '[[ a = b ]]', '!=': '[[ a != b ]]', '=~': '[[ a =~ b ]]', '<': '[[ a < b ]]', '>': '[[ a > b ]]',
    '-eq': '[[ a -eq b ]]', '-ne': '[[ a -ne b ]]', '-lt': '[[ a -lt b ]]', '-le': '[[ a -le b ]]', '-gt': '[[ a -gt b ]]',
    '-ge': '[[ a -ge b ]]', '&&': '[[ a && b ]]', '||': '[[ a || b ]]' },
  (f) => f.Stmts[0].Cmd.X.Op,
);
export const testUnaryOps = learn(
  { '-z': '[[ -z a ]]', '-n': '[[ -n a ]]', '-e': '[[ -e a ]]', '-f': '[[ -f a ]]', '-d': '[[ -d a ]]', '!': '[[ ! a ]]',
    '-s': '[[ -s a ]]', '-r': '[[ -r a ]]', '-x': '[[ -x a ]]', '-w': '[[ -w a ]]' },
  (f) => f.Stmts[0].Cmd.X.Op,
);
export const caseOps = learn({ ';;': 'case a in a) b;; esac', ';&': 'case a in a) b;& esac', ';;&': 'case a in a) b;;& esac' },
  (f) => f.Stmts[0].Cmd.Items[0].Op);

export class ShellSyntaxError extends Error {}

/** Parses a complete program; throws ShellSyntaxError with bash's wording. */
export function parse(src: string): Node {
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

function bashSyntaxMessage(src: string, e: Node): string {
  const text: string = String(e.Text ?? e.Error?.() ?? 'syntax error');
  const pos = e.Pos;
  let offset = src.length;
  if (pos && typeof pos.Offset === 'function') offset = pos.Offset();
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
