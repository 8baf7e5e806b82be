/** `[[ ... ]]` and the `test` / `[` builtin share these predicates. */
import type { VirtualFs } from '../../userland/fs/virtual-fs.ts';
import type { Expander } from './expand.ts';
import { matchPattern } from './pattern.ts';
import type { TestExpr } from './ast.ts';
import { expect, testBinaryOps, testUnaryOps, typed } from './syntax.ts';

export function unaryTest(op: string, arg: string, fs: VirtualFs, cwd: string): boolean {
  const st = () => fs.stat(fs.resolve(cwd, arg));
  switch (op) {
    case '-z': return arg === '';
    case '-n': return arg !== '';
    case '-e': case '-r': case '-w': return st() !== null;
    case '-f': return st()?.type === 'file';
    case '-d': return st()?.type === 'dir';
    case '-s': return (st()?.size ?? 0) > 0;
    case '-x': return st()?.type === 'dir';
  }
  throw new Error(`${op}: unary operator expected`);
}

export function binaryTest(op: string, a: string, b: string): boolean {
  const num = (s: string): number => {
    if (!/^\s*-?\d+\s*$/.test(s)) throw new Error(`${s}: integer expression expected`);
    return Number(s);
  };
  switch (op) {
    case '=': case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '>': return a > b;
    case '-eq': return num(a) === num(b);
    case '-ne': return num(a) !== num(b);
    case '-lt': return num(a) < num(b);
    case '-le': return num(a) <= num(b);
    case '-gt': return num(a) > num(b);
    case '-ge': return num(a) >= num(b);
  }
  throw new Error(`${op}: binary operator expected`);
}

/** The operand of a unary or comparison operator: the parser only allows a word there. */
const operand = (x: TestExpr) => expect(x, 'Word');

export async function evalTestClause(expr: TestExpr, ex: Expander, fs: VirtualFs, cwd: string): Promise<boolean> {
  const t = typed(expr);
  switch (t.type) {
    case 'Word':
      return (await ex.single(t.node)) !== '';
    case 'ParenTest':
      return evalTestClause(t.node.X, ex, fs, cwd);
    case 'UnaryTest': {
      const x = t.node;
      const op = testUnaryOps.get(x.Op) ?? '';
      if (op === '!') return !(await evalTestClause(x.X, ex, fs, cwd));
      return unaryTest(op, await ex.single(operand(x.X)), fs, cwd);
    }
    case 'BinaryTest': {
      const x = t.node;
      const op = testBinaryOps.get(x.Op) ?? '';
      if (op === '&&') return (await evalTestClause(x.X, ex, fs, cwd)) && evalTestClause(x.Y, ex, fs, cwd);
      if (op === '||') return (await evalTestClause(x.X, ex, fs, cwd)) || evalTestClause(x.Y, ex, fs, cwd);
      const left = await ex.single(operand(x.X));
      if (op === '==' || op === '=' || op === '!=') {
        const m = matchPattern(await ex.pattern(operand(x.Y)), left);
        return op === '!=' ? !m : m;
      }
      if (op === '=~') return new RegExp(await ex.single(operand(x.Y))).test(left);
      return binaryTest(op, left, await ex.single(operand(x.Y)));
    }
  }
  return false;
}
