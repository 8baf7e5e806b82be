/** $(( )) and (( )) evaluation over mvdan-sh arithmetic nodes, with bash's integer semantics. */
import type { ArithmExpr, Word } from './ast.ts';
import { arithBinaryOps, arithTernaryQuestion, arithUnaryOps, expect, is, typed } from './syntax.ts';

export interface ArithHost {
  getVar(name: string): string | undefined;
  setVar(name: string, value: string): void;
  /** Expands a word that is not a plain name or number (e.g. `$x`, `${#a}`). */
  expandWord(word: Word): Promise<string>;
}

export class ArithError extends Error {}

export async function evalArith(expr: ArithmExpr, host: ArithHost): Promise<number> {
  const t = typed(expr);
  if (t.type === 'Word') return wordValue(t.node, host);
  if (t.type === 'ParenArithm') return evalArith(t.node.X, host);
  if (t.type === 'UnaryArithm') {
    const node = t.node;
    const op = arithUnaryOps.get(node.Op);
    if (op === '++' || op === '--') {
      const name = varName(node.X);
      const old = toInt(host.getVar(name) ?? '0', host);
      const next = op === '++' ? old + 1 : old - 1;
      host.setVar(name, String(next));
      return node.Post ? old : next;
    }
    const v = await evalArith(node.X, host);
    if (op === '!') return v === 0 ? 1 : 0;
    if (op === '~') return ~v;
    if (op === '-') return -v;
    return v;
  }
  if (t.type === 'BinaryArithm') {
    const node = t.node;
    if (node.Op === arithTernaryQuestion) {
      // `a ? b : c` parses as a ? (b : c); the parser makes Y the `:` node.
      const colon = expect(node.Y, 'BinaryArithm');
      return (await evalArith(node.X, host)) !== 0 ? evalArith(colon.X, host) : evalArith(colon.Y, host);
    }
    const op = arithBinaryOps.get(node.Op);
    if (!op) throw new ArithError('syntax error in expression');
    if (op === '&&') return (await evalArith(node.X, host)) !== 0 && (await evalArith(node.Y, host)) !== 0 ? 1 : 0;
    if (op === '||') return (await evalArith(node.X, host)) !== 0 || (await evalArith(node.Y, host)) !== 0 ? 1 : 0;
    if (op === '=' || (op.endsWith('=') && op.length === 2 && !['==', '!=', '<=', '>='].includes(op))) {
      const name = varName(node.X);
      const rhs = await evalArith(node.Y, host);
      const value = op === '=' ? rhs : binary(op.slice(0, -1), toInt(host.getVar(name) ?? '0', host), rhs);
      host.setVar(name, String(value));
      return value;
    }
    return binary(op, await evalArith(node.X, host), await evalArith(node.Y, host));
  }
  throw new ArithError('syntax error in expression');
}

function binary(op: string, a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return Math.imul(a, b) === a * b ? a * b : a * b;
    case '/': if (b === 0) throw new ArithError('division by 0 (error token is "0")'); return Math.trunc(a / b);
    case '%': if (b === 0) throw new ArithError('division by 0 (error token is "0")'); return a % b;
    case '**': return a ** b;
    case '==': return a === b ? 1 : 0;
    case '!=': return a !== b ? 1 : 0;
    case '<': return a < b ? 1 : 0;
    case '<=': return a <= b ? 1 : 0;
    case '>': return a > b ? 1 : 0;
    case '>=': return a >= b ? 1 : 0;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '<<': return a << b;
    case '>>': return a >> b;
    case ',': return b;
  }
  throw new ArithError('syntax error in expression');
}

function varName(expr: ArithmExpr): string {
  const part = is(expr, 'Word') && expr.Parts.length === 1 ? expr.Parts[0] : undefined;
  if (is(part, 'Lit')) return part.Value;
  throw new ArithError('attempted assignment to non-variable');
}

async function wordValue(word: Word, host: ArithHost): Promise<number> {
  const parts = word.Parts;
  const only = parts.length === 1 ? parts[0] : undefined;
  if (is(only, 'Lit')) return toInt(only.Value, host);
  return toInt(await host.expandWord(word), host);
}

function toInt(text: string, host: ArithHost, depth = 0): number {
  const s = text.trim();
  if (s === '') return 0;
  if (/^-?\d+$/.test(s)) return parseInt(s, s.length > 1 && /^-?0\d/.test(s) ? 8 : 10);
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s, 16);
  if (/^[A-Za-z_]\w*$/.test(s) && depth < 10) return toInt(host.getVar(s) ?? '0', host, depth + 1);
  throw new ArithError(`${s}: syntax error: operand expected (error token is "${s}")`);
}
