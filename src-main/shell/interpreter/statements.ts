/** Small pieces of the interpreter that need no interpreter state. */
import { ExitSignal, type ShellState } from './state.ts';
import { binaryCmdOps, nodeType, type Node } from './syntax.ts';

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

export function isAndOr(stmt: Node): boolean {
  if (nodeType(stmt.Cmd) !== 'BinaryCmd') return false;
  const op = binaryCmdOps.get(stmt.Cmd.Op);
  return op === '&&' || op === '||';
}

export function flattenPipeline(cmd: Node): { stmt: Node; stderrToo: boolean }[] {
  const op = nodeType(cmd) === 'BinaryCmd' ? binaryCmdOps.get(cmd.Op) : undefined;
  if (op !== '|' && op !== '|&') throw new Error('not a pipeline');
  const left = cmd.X.Cmd && nodeType(cmd.X.Cmd) === 'BinaryCmd' && ['|', '|&'].includes(binaryCmdOps.get(cmd.X.Cmd.Op)!) && !cmd.X.Negated && cmd.X.Redirs.length === 0
    ? flattenPipeline(cmd.X.Cmd)
    : [{ stmt: cmd.X, stderrToo: false }];
  left[left.length - 1]!.stderrToo = op === '|&';
  return [...left, { stmt: cmd.Y, stderrToo: false }];
}

export const yieldToEventLoop = (): Promise<void> => new Promise((r) => setImmediate(r));
