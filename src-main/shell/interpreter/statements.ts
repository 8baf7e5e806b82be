/** Small pieces of the interpreter that need no interpreter state. */
import { ExitSignal, type ShellState } from './state.ts';
import type { BinaryCmd, Stmt } from './ast.ts';
import { binaryCmdOps, is } from './syntax.ts';

export function specialParam(name: string, state: ShellState): string | undefined {
  switch (name) {
    case '?': return String(state.lastStatus);
    case '#': return String(state.positional.length);
    case '$': return '1';
    case '0': return 'bash';
    case '-': return state.errexit ? 'ehB' : 'hB';
    case '!': return '';
  }
  return undefined;
}

export function exitStatus(e: unknown): number {
  if (e instanceof ExitSignal) return e.status;
  throw e;
}

export function abortStatus(signal: AbortSignal): number {
  return signal.reason === 'EPIPE' ? 141 : 130;
}

export function isAndOr(stmt: Stmt): boolean {
  if (!is(stmt.Cmd, 'BinaryCmd')) return false;
  const op = binaryCmdOps.get(stmt.Cmd.Op);
  return op === '&&' || op === '||';
}

export function flattenPipeline(cmd: BinaryCmd): { stmt: Stmt; stderrToo: boolean }[] {
  const op = binaryCmdOps.get(cmd.Op);
  if (op !== '|' && op !== '|&') throw new Error('not a pipeline');
  const inner = cmd.X.Cmd;
  const left = is(inner, 'BinaryCmd') && ['|', '|&'].includes(binaryCmdOps.get(inner.Op)!) && !cmd.X.Negated && cmd.X.Redirs.length === 0
    ? flattenPipeline(inner)
    : [{ stmt: cmd.X, stderrToo: false }];
  left[left.length - 1]!.stderrToo = op === '|&';
  return [...left, { stmt: cmd.Y, stderrToo: false }];
}

export const yieldToEventLoop = (): Promise<void> => new Promise((r) => setImmediate(r));
