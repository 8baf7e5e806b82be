/**
 * One interactive shell on one node, transport-agnostic: feed keystrokes with input(), get ANSI through onOutput.
 * Also runs single lines non-interactively (runLine) for `kubelab shell -c`.
 */
import { createBuiltins } from './builtins/builtins.ts';
import { CommandRegistry, type RunResult, type TextOutput } from '../userland/command.ts';
import { tildify } from '../userland/fs/paths.ts';
import type { VirtualFs } from '../userland/fs/virtual-fs.ts';
import { Interpreter, type ShellIO } from './interpreter/interpreter.ts';
import { ExitSignal, ShellState } from './interpreter/state.ts';
import { CallbackOutput, Pipe, StringOutput, emptyInput, stringInput } from '../userland/streams.ts';
import { needsMoreInput } from './interpreter/syntax.ts';
import { LineEditor } from './line-editor.ts';
import { RawMode } from './raw-mode.ts';

/** Returns candidates for the word being completed. */
export type Completer = (word: string, ctx: { line: string; isCommand: boolean; cwd: string; fs: VirtualFs; commands: string[] }) => string[];

export interface ShellSessionOptions {
  fs: VirtualFs;
  registry: CommandRegistry;
  hostname?: string;
  user?: string;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  columns?: number;
  rows?: number;
  history?: string[];
  onHistoryChange?: (history: string[]) => void;
  completer?: Completer;
  env?: Record<string, string>;
  /** The environment is `env` and PWD only, without a login shell's defaults (a container's exec'd process). */
  envOnly?: boolean;
  cwd?: string;
  /** Overrides the bash-style prompt (a pod's busybox sh shows `/ # `). */
  prompt?: (info: { user: string; hostname: string; cwd: string; home: string }) => string;
  /**
   * Set when the machine under the shell is gone (a node powered off, a pod deleted): what the client then prints
   * and its exit status. Checked before and after each command line; the session ends with it.
   */
  lost?: () => { message: string; status: number } | undefined;
}

const MAX_HISTORY = 1000;

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void { clearTimeout(t); signal?.removeEventListener('abort', done); resolve(); }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export class ShellSession {
  readonly interpreter: Interpreter;
  private readonly editor: LineEditor;
  private outputListeners: ((data: string) => void)[] = [];
  private exitListeners: ((status: number) => void)[] = [];
  private columns: number;
  private rows: number;
  private pendingLines: string[] = [];
  private running: { controller: AbortController; stdin: Pipe; line: string } | undefined;
  private exited = false;
  private tabbedOnce = false;
  private readonly rawMode = new RawMode(() => ({ columns: this.columns, rows: this.rows }), (data) => this.emit(data));

  constructor(private readonly opts: ShellSessionOptions) {
    this.columns = opts.columns ?? 80;
    this.rows = opts.rows ?? 24;
    const hostname = opts.hostname ?? 'master';
    const state = new ShellState(opts.cwd ?? opts.fs.home, opts.history ?? []);
    const vars = opts.envOnly ? { ...opts.env, PWD: state.cwd } : { HOME: opts.fs.home, USER: opts.user ?? 'root', HOSTNAME: hostname, PWD: state.cwd, SHELL: '/bin/bash',
      TERM: 'xterm-256color', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', ...opts.env };
    for (const [k, v] of Object.entries(vars)) state.set(k, v, true);
    this.interpreter = new Interpreter({
      fs: opts.fs, registry: opts.registry, builtins: createBuiltins(), hostname, state, interactive: true,
      now: opts.now ?? (() => Date.now()), sleep: opts.sleep ?? abortableSleep,
      terminal: () => ({ isTTY: true, columns: this.columns, rows: this.rows, raw: () => this.rawMode.take() }),
    });
    this.editor = new LineEditor(() => this.state.history);
  }

  get state(): ShellState {
    return this.interpreter.state;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  onOutput(cb: (data: string) => void): () => void {
    this.outputListeners.push(cb);
    return () => (this.outputListeners = this.outputListeners.filter((l) => l !== cb));
  }

  onExit(cb: (status: number) => void): void {
    this.exitListeners.push(cb);
  }

  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.rawMode.resize();
  }

  /** `root@master:~/k8s_lab/service# ` */
  prompt(): string {
    const user = this.state.get('USER') ?? 'root';
    if (this.opts.prompt) return this.opts.prompt({ user, hostname: this.interpreter.opts.hostname, cwd: this.state.cwd, home: this.opts.fs.home });
    return `${user}@${this.interpreter.opts.hostname}:${tildify(this.state.cwd, this.opts.fs.home)}${user === 'root' ? '#' : '$'} `;
  }

  start(): void {
    this.emit(this.prompt());
  }

  input(data: string): void {
    if (this.exited) return;
    if (this.running) return void (this.rawMode.input(data) || this.inputWhileRunning(data));
    if (!/^\t+$/.test(data)) this.tabbedOnce = false;
    const { output, events } = this.editor.feed(data);
    if (output) this.emit(output);
    for (const ev of events) {
      if (ev.kind === 'submit') {
        const rest = this.editor.pendingInput;
        this.editor.pendingInput = '';
        void this.submit(ev.line).then(() => { if (rest) this.input(rest); });
        return;
      }
      if (ev.kind === 'interrupt') {
        this.pendingLines = [];
        this.emit('^C\r\n' + this.prompt());
        this.editor.reset();
      } else if (ev.kind === 'eof' && this.pendingLines.length === 0) {
        // As the `exit` builtin: a node's login bash says `logout`, a container's ash nothing.
        if (this.state.get('SHELL') !== '/bin/sh') this.emit('logout\r\n');
        this.finish(this.state.lastStatus);
      } else if (ev.kind === 'clear-screen') {
        this.emit('\x1b[H\x1b[2J' + this.prompt() + this.editor.buffer);
        if (this.editor.buffer.length > this.editor.cursor) this.emit(`\x1b[${this.editor.buffer.length - this.editor.cursor}D`);
      } else if (ev.kind === 'complete') this.complete();
    }
  }

  /** Runs one line without a terminal and returns what it printed (`kubelab shell -c`); `signal` is its Ctrl-C. */
  async runLine(line: string, signal: AbortSignal = new AbortController().signal, stdin = ''): Promise<RunResult> {
    const stdout = new StringOutput();
    const stderr = new StringOutput();
    const status = await this.runLineTo(line, { stdout, stderr, signal, stdin });
    return { status, stdout: stdout.text, stderr: stderr.text };
  }

  /** runLine writing as it goes (an exec's output streams to its client). */
  async runLineTo(line: string, o: { stdout: TextOutput; stderr: TextOutput; signal: AbortSignal; stdin?: string }): Promise<number> {
    const gone = this.opts.lost?.();
    if (gone) return (await o.stderr.write(gone.message), gone.status);
    const { stdout, stderr, signal } = o;
    const io: ShellIO = { stdin: o.stdin ? stringInput(o.stdin) : emptyInput(), stdout, stderr, signal, tty: false };
    try {
      return await this.interpreter.run(line, io);
    } catch (e) {
      if (!(e instanceof ExitSignal)) throw e;
      return e.status;
    }
  }

  /** Ctrl-C from a host UI button. */
  interrupt(): void {
    this.running?.controller.abort('SIGINT');
  }

  private async submit(line: string): Promise<void> {
    this.pendingLines.push(line);
    const src = this.pendingLines.join('\n');
    if (needsMoreInput(src)) {
      this.emit('> ');
      return;
    }
    this.pendingLines = [];
    if (src.trim() !== '') this.addHistory(src);
    if (this.endIfLost()) return;
    const controller = new AbortController();
    const stdin = new Pipe();
    this.running = { controller, stdin, line: '' };
    const out: TextOutput = new CallbackOutput((s) => this.emit(s.replace(/\r?\n/g, '\r\n')));
    const io: ShellIO = { stdin, stdout: out, stderr: out, signal: controller.signal, tty: true };
    let status: number | undefined;
    try {
      await this.interpreter.run(src, io);
      if (controller.signal.aborted) this.state.lastStatus = 130;
    } catch (e) {
      if (!(e instanceof ExitSignal)) {
        this.emit(`bash: internal error: ${(e as Error).message}\r\n`);
        this.state.lastStatus = 1;
      } else status = e.status;
    } finally {
      this.partialLine = this.running?.line ?? '';
      this.running = undefined;
      this.rawMode.reset();
    }
    if (status !== undefined) return this.finish(status);
    if (this.endIfLost()) return;
    this.emit(this.prompt());
    // As with a real tty, what was typed during the command and not read by it is bash's next input.
    const typeahead = stdin.drain().replace(/\n/g, '\r') + (controller.signal.aborted ? '' : this.takeLine());
    if (typeahead) this.input(typeahead);
  }

  private partialLine = '';
  private takeLine(): string {
    const line = this.partialLine;
    this.partialLine = '';
    return line;
  }

  private inputWhileRunning(data: string): void {
    const run = this.running!;
    for (const c of data) {
      if (c === '\x03') {
        this.emit('^C\r\n');
        run.controller.abort('SIGINT');
        return;
      }
      if (c === '\x04') { run.stdin.end(); continue; }
      if (c === '\r') {
        this.emit('\r\n');
        void run.stdin.write(run.line + '\n');
        run.line = '';
      } else if (c === '\x7f') {
        if (run.line) { run.line = run.line.slice(0, -1); this.emit('\b \b'); }
      } else if (c >= ' ') {
        run.line += c;
        this.emit(c);
      }
    }
  }

  private complete(): void {
    const before = this.editor.buffer.slice(0, this.editor.cursor);
    const word = /[^\s;|&<>()]*$/.exec(before)![0];
    const isCommand = /(^|[;|&(]\s*)$/.test(before.slice(0, before.length - word.length).trimEnd() === '' ? '' : before.slice(0, before.length - word.length)) || before.trim() === word;
    const commands = [...new Set([...this.interpreter.opts.builtins.keys(), ...this.opts.registry.names(), ...this.state.functions.keys()])];
    const completer = this.opts.completer ?? defaultCompleter;
    // The command being typed may complete its own arguments (kubectl verbs, kinds, names, flags).
    const words = before.slice(0, before.length - word.length).split(/[;|&(]/).pop()!.trim().split(/\s+/).filter(Boolean);
    const own = isCommand || !words.length ? undefined : this.opts.registry.get(words[0]!)?.complete?.(words.slice(1), word);
    const found = [...new Set(own ?? completer(word, { line: this.editor.buffer, isCommand, cwd: this.state.cwd, fs: this.opts.fs, commands }))].sort();
    if (found.length === 0) return this.emit('\x07');
    if (found.length === 1) {
      const done = found[0]!;
      return this.emit(this.editor.insert(done.slice(word.length) + (done.endsWith('/') ? '' : ' ')));
    }
    const common = found.reduce((a, b) => { let i = 0; while (i < a.length && a[i] === b[i]) i++; return a.slice(0, i); });
    if (common.length > word.length) return this.emit(this.editor.insert(common.slice(word.length)));
    // readline lists the candidates on the second Tab in a row; the first only rings the bell.
    if (!this.tabbedOnce) {
      this.tabbedOnce = true;
      return this.emit('\x07');
    }
    const tail = this.editor.buffer.length - this.editor.cursor;
    this.emit(`\r\n${found.map((f) => f.replace(/.*\/(?=.)/, '')).join('  ')}\r\n${this.prompt()}${this.editor.buffer}${tail ? `\x1b[${tail}D` : ''}`);
  }

  private addHistory(line: string): void {
    const h = this.state.history;
    if (h.at(-1) !== line) h.push(line);
    if (h.length > MAX_HISTORY) h.splice(0, h.length - MAX_HISTORY);
    this.opts.onHistoryChange?.(h);
  }

  private endIfLost(): boolean {
    const gone = this.opts.lost?.();
    if (!gone) return false;
    this.emit(gone.message.replace(/\r?\n/g, '\r\n'));
    this.finish(gone.status);
    return true;
  }

  private finish(status: number): void {
    this.exited = true;
    for (const l of this.exitListeners) l(status);
  }

  private emit(data: string): void {
    for (const l of this.outputListeners) l(data);
  }
}

/** Commands for the first word, paths (with a trailing / for directories) otherwise. */
export const defaultCompleter: Completer = (word, { isCommand, cwd, fs, commands }) => {
  if (isCommand && !word.includes('/')) return commands.filter((c) => c.startsWith(word));
  const slash = word.lastIndexOf('/');
  const dirPart = slash >= 0 ? word.slice(0, slash + 1) : '';
  const dir = fs.resolve(cwd, dirPart || '.');
  if (!fs.isDir(dir)) return [];
  const prefix = word.slice(slash + 1);
  return fs.readdir(dir).filter((n) => n.startsWith(prefix) && (prefix.startsWith('.') || !n.startsWith('.')))
    .map((n) => dirPart + n + (fs.isDir(fs.resolve(dir, n)) ? '/' : ''));
};

/** A registry with the generic tools, ready for cluster commands to be added. */
export { CommandRegistry };
