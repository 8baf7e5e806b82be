/** `[[ ... ]]` and the `test` / `[` builtin share these predicates. */
import type { VirtualFs } from '../fs/virtual-fs.ts';
import type { Expander } from './expand.ts';
import { matchPattern } from './pattern.ts';
import { nodeType, testBinaryOps, testUnaryOps, type Node } from './syntax.ts';

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

export async function evalTestClause(x: Node, ex: Expander, fs: VirtualFs, cwd: string): Promise<boolean> {
  switch (nodeType(x)) {
    case 'Word':
      return (await ex.single(x)) !== '';
    case 'ParenTest':
      return evalTestClause(x.X, ex, fs, cwd);
    case 'UnaryTest': {
      const op = testUnaryOps.get(x.Op) ?? '';
      if (op === '!') return !(await evalTestClause(x.X, ex, fs, cwd));
      return unaryTest(op, await ex.single(x.X), fs, cwd);
    }
    case 'BinaryTest': {
      const op = testBinaryOps.get(x.Op) ?? '';
      if (op === '&&') return (await evalTestClause(x.X, ex, fs, cwd)) && evalTestClause(x.Y, ex, fs, cwd);
      if (op === '||') return (await evalTestClause(x.X, ex, fs, cwd)) || evalTestClause(x.Y, ex, fs, cwd);
      const left = await ex.single(x.X);
      if (op === '==' || op === '=' || op === '!=') {
        const m = matchPattern(await ex.pattern(x.Y), left);
        return op === '!=' ? !m : m;
      }
      if (op === '=~') return new RegExp(await ex.single(x.Y)).test(left);
      return binaryTest(op, left, await ex.single(x.Y));
    }
  }
  return false;
}
