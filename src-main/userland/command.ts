/**
 * The contract between the shell and every command (builtins, generic tools, and the cluster commands plugged in
 * later: kubectl, curl, nslookup...). A command is an async function returning its exit status.
 */
import type { VirtualFs } from './fs/virtual-fs.ts';

export interface TextInput extends AsyncIterable<string> {
  /** Next chunk, or null at end of input. */
  read(): Promise<string | null>;
  readAll(): Promise<string>;
  /** One line without its newline, or null at end of input (`read`, line-by-line tools). */
  readLine(): Promise<string | null>;
  /** Lines without their newline. */
  lines(): AsyncIterable<string>;
}

export interface TextOutput {
  /** Resolves when the consumer can take more (back-pressure); never rejects. */
  write(text: string): Promise<void>;
  /** True once the reading side is gone (broken pipe); further writes are dropped. */
  readonly closed: boolean;
}

export interface TerminalInfo {
  isTTY: boolean;
  columns: number;
  rows: number;
  /** Takes the terminal for a full-screen program (vi); absent without an interactive terminal. */
  raw?: () => RawTerminal;
}

/** The terminal in raw mode: every keystroke as typed (Ctrl-C included), output written as is, the live size. */
export interface RawTerminal {
  readonly columns: number;
  readonly rows: number;
  write(ansi: string): void;
  onInput(listener: (data: string) => void): void;
  onResize(listener: () => void): void;
  /** Gives the terminal back to the shell's line discipline. */
  release(): void;
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Lets a command run nested command lines (watch, xargs) in a child of the calling shell. */
export interface ShellHandle {
  /** Runs `line` with the caller's stdin/stdout/stderr unless overridden; returns the exit status. */
  run(line: string, io?: { stdin?: TextInput; stdout?: TextOutput; stderr?: TextOutput; signal?: AbortSignal }): Promise<number>;
  /** Runs `line` capturing its output. */
  capture(line: string, io?: { stdin?: TextInput; signal?: AbortSignal }): Promise<RunResult>;
  /** Runs an argv directly (no re-parsing of the words). */
  exec(argv: string[], io?: { stdin?: TextInput; stdout?: TextOutput; stderr?: TextOutput; signal?: AbortSignal }): Promise<number>;
  hostname: string;
}

export interface CommandContext {
  /** argv[0] is the command name as typed. */
  argv: string[];
  /** Exported variables (a copy: changing it does not change the shell). */
  env: Record<string, string>;
  /** Absolute working directory. */
  cwd: string;
  stdin: TextInput;
  stdout: TextOutput;
  stderr: TextOutput;
  fs: VirtualFs;
  /** Aborted on Ctrl-C (exit with 130) or when stdout's reader went away. */
  signal: AbortSignal;
  terminal: TerminalInfo;
  shell: ShellHandle;
  /** Cluster time (ms since epoch) and an abortable sleep on the same clock. */
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export type Command = (ctx: CommandContext) => Promise<number>;

/**
 * Tab completion of a command's arguments: `args` are the words after the command name and before the one being
 * completed (`current`). Undefined leaves the word to path completion.
 */
export type ArgCompleter = (args: string[], current: string) => string[] | undefined;

export interface CommandInfo {
  run: Command;
  /** One line for `help`. */
  summary?: string;
  complete?: ArgCompleter;
}

export class CommandRegistry {
  private readonly commands = new Map<string, CommandInfo>();

  register(name: string, run: Command, summary?: string, complete?: ArgCompleter): this {
    this.commands.set(name, { run, summary, complete });
    return this;
  }

  unregister(name: string): void {
    this.commands.delete(name);
  }

  get(name: string): CommandInfo | undefined {
    return this.commands.get(name);
  }

  has(name: string): boolean {
    return this.commands.has(name);
  }

  names(): string[] {
    return [...this.commands.keys()].sort();
  }
}

/** Thrown by `sleep` implementations when aborted. */
export class AbortedError extends Error {
  constructor() {
    super('aborted');
  }
}
