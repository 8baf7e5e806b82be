/** Builtins run inside the shell process and may change its state (cd, export, exit...). */
import type { CommandContext, CommandRegistry } from '../../userland/command.ts';
import type { ShellState } from '../interpreter/state.ts';

export interface BuiltinContext extends CommandContext {
  state: ShellState;
  registry: CommandRegistry;
  builtinNames(): string[];
  /** Clears the screen of the owning terminal (clear, Ctrl-L). */
  interactive: boolean;
}

export type Builtin = (ctx: BuiltinContext) => Promise<number>;
