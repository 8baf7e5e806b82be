/**
 * Executes mvdan-sh syntax trees. Pipelines run their stages concurrently over streaming Pipes; every stage gets an
 * AbortSignal fired by Ctrl-C (exit 130) or by its reader going away (exit 141, like SIGPIPE).
 */
import type { ShellIO } from '../../userland/streams.ts';
import { AbortedError, type CommandContext, type CommandRegistry, type TerminalInfo, type TextInput, type TextOutput } from '../../userland/command.ts';
import type { VirtualFs } from '../../userland/fs/virtual-fs.ts';
import type { Builtin } from '../builtins/types.ts';
import { ArithError, evalArith } from './arith.ts';
import { Expander, ExpansionError } from './expand.ts';
import { matchPattern } from './pattern.ts';
import { openRedirects, RedirectFailure } from './redirect.ts';
import { ExitSignal, LoopSignal, ReturnSignal, ShellState } from './state.ts';
import { Pipe, StringOutput, emptyInput } from '../../userland/streams.ts';
import type { Assign, BinaryCmd, CallExpr, CaseClause, Command, DeclClause, File, ForClause, IfClause, Stmt, TimeClause, WhileClause } from './ast.ts';
import { ashSyntaxError, binaryCmdOps, caseOps, parse, ShellSyntaxError, typed } from './syntax.ts';
import { evalTestClause } from './test-clause.ts';
import { abortStatus, exitStatus, flattenPipeline, isAndOr, specialParam, yieldToEventLoop } from './statements.ts';

export interface InterpreterOptions {
  fs: VirtualFs;
  registry: CommandRegistry;
  builtins: Map<string, Builtin>;
  hostname: string;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  terminal: () => TerminalInfo;
  interactive?: boolean;
  state?: ShellState;
}

export class Interpreter {
  readonly state: ShellState;
  private conditionDepth = 0;

  constructor(readonly opts: InterpreterOptions) {
    this.state = opts.state ?? new ShellState(opts.fs.home);
  }

  /** Parses and runs a command line; syntax errors print like bash (or busybox ash) and return 2. ExitSignal propagates. */
  async run(src: string, io: ShellIO): Promise<number> {
    let file: File;
    try {
      file = parse(src);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      await io.stderr.write(this.state.get('SHELL') === '/bin/sh' ? `sh: ${ashSyntaxError(e.message)}\n` : `bash: ${e.message}\n`);
      return (this.state.lastStatus = 2);
    }
    return this.runStmts(file.Stmts, io);
  }

  child(): Interpreter {
    return new Interpreter({ ...this.opts, interactive: false, state: this.state.clone() });
  }

  async runStmts(stmts: Stmt[], io: ShellIO): Promise<number> {
    let status = this.state.lastStatus;
    for (const stmt of stmts) {
      if (io.signal.aborted) return (this.state.lastStatus = 130);
      status = await this.runStmt(stmt, io);
      if (io.signal.aborted) return (this.state.lastStatus = io.signal.reason === 'EPIPE' ? 141 : 130);
      if (status !== 0 && this.state.errexit && this.conditionDepth === 0 && !stmt.Negated && !isAndOr(stmt)) {
        throw new ExitSignal(status);
      }
    }
    return status;
  }

  private async runStmt(stmt: Stmt, io: ShellIO): Promise<number> {
    if (stmt.Background) {
      void this.child().runStmt({ ...stmt, Background: false, Cmd: stmt.Cmd, Redirs: stmt.Redirs, Negated: stmt.Negated }, io).catch(() => {});
      return (this.state.lastStatus = 0);
    }
    let status: number;
    let redirected: Awaited<ReturnType<typeof openRedirects>> | undefined;
    try {
      redirected = await openRedirects(stmt.Redirs ?? [], io, this.expander(io), this.opts.fs, this.state.cwd);
      if (stmt.Negated) this.conditionDepth++;
      try {
        status = stmt.Cmd ? await this.runCommand(stmt.Cmd, redirected.io) : 0;
      } finally {
        if (stmt.Negated) this.conditionDepth--;
      }
    } catch (e) {
      status = await this.reportError(e, io);
    } finally {
      redirected?.close();
    }
    if (stmt.Negated) status = status === 0 ? 1 : 0;
    return (this.state.lastStatus = status);
  }

  private async reportError(e: unknown, io: ShellIO): Promise<number> {
    if (e instanceof ExitSignal || e instanceof ReturnSignal || e instanceof LoopSignal) throw e;
    if (e instanceof RedirectFailure) {
      await io.stderr.write(`bash: ${e.message}\n`);
      return 1;
    }
    if (e instanceof ExpansionError || e instanceof ArithError) {
      await io.stderr.write(`bash: ${e.message}\n`);
      return 1;
    }
    throw e;
  }

  private async runCommand(cmd: Command, io: ShellIO): Promise<number> {
    const t = typed(cmd);
    switch (t.type) {
      case 'CallExpr':
        return this.runCall(t.node, io);
      case 'BinaryCmd':
        return this.runBinary(t.node, io);
      case 'Block':
        return this.runStmts(t.node.Stmts, io);
      case 'Subshell':
        return this.runSubshell(t.node.Stmts, io);
      case 'IfClause':
        return this.runIf(t.node, io);
      case 'WhileClause':
        return this.runWhile(t.node, io);
      case 'ForClause':
        return this.runFor(t.node, io);
      case 'CaseClause':
        return this.runCase(t.node, io);
      case 'FuncDecl':
        this.state.functions.set(t.node.Name.Value, t.node.Body);
        return 0;
      case 'ArithmCmd':
        return (await evalArith(t.node.X, this.expander(io))) !== 0 ? 0 : 1;
      case 'TestClause':
        return (await evalTestClause(t.node.X, this.expander(io), this.opts.fs, this.state.cwd)) ? 0 : 1;
      case 'DeclClause':
        return this.runDecl(t.node, io);
      case 'LetClause': {
        let last = 0;
        for (const e of t.node.Exprs) last = await evalArith(e, this.expander(io));
        return last !== 0 ? 0 : 1;
      }
      case 'TimeClause':
        return this.runTime(t.node, io);
      default:
        await io.stderr.write(`bash: ${t.type}: not supported in this shell\n`);
        return 2;
    }
  }

  /** bash's `time`: the pipeline's wall time on the shell's clock; the shell itself spends no CPU to speak of. */
  private async runTime(cmd: TimeClause, io: ShellIO): Promise<number> {
    const start = this.opts.now();
    const status = cmd.Stmt ? await this.runStmt(cmd.Stmt, io) : 0;
    const ms = Math.max(0, this.opts.now() - start);
    const real = `${Math.floor(ms / 60_000)}m${((ms % 60_000) / 1000).toFixed(3)}s`;
    await io.stderr.write(`\nreal\t${real}\nuser\t0m0.000s\nsys\t0m0.000s\n`);
    return status;
  }

  private async runSubshell(stmts: Stmt[], io: ShellIO): Promise<number> {
    const sub = this.child();
    try {
      return await sub.runStmts(stmts, io);
    } catch (e) {
      if (e instanceof ExitSignal) return e.status;
      throw e;
    }
  }

  private async runBinary(cmd: BinaryCmd, io: ShellIO): Promise<number> {
    const op = binaryCmdOps.get(cmd.Op);
    if (op === '&&' || op === '||') {
      this.conditionDepth++;
      let left: number;
      try {
        left = await this.runStmt(cmd.X, io);
      } finally {
        this.conditionDepth--;
      }
      if (io.signal.aborted) return 130;
      if ((op === '&&') === (left === 0)) return this.runStmt(cmd.Y, io);
      return left;
    }
    return this.runPipeline(flattenPipeline(cmd), io);
  }

  private async runPipeline(stages: { stmt: Stmt; stderrToo: boolean }[], io: ShellIO): Promise<number> {
    const pipes = stages.slice(1).map(() => new Pipe());
    const runs = stages.map(async ({ stmt, stderrToo }, i) => {
      const controller = new AbortController();
      const onAbort = (): void => controller.abort(io.signal.reason ?? 'SIGINT');
      io.signal.addEventListener('abort', onAbort, { once: true });
      if (io.signal.aborted) onAbort();
      const out = i < pipes.length ? pipes[i]! : io.stdout;
      if (out instanceof Pipe) out.onBroken(() => controller.abort('EPIPE'));
      const stageIO: ShellIO = {
        stdin: i === 0 ? io.stdin : pipes[i - 1]!,
        stdout: out,
        stderr: stderrToo && out instanceof Pipe ? out : io.stderr,
        signal: controller.signal,
        tty: i === pipes.length ? io.tty : false,
      };
      try {
        const sub = stages.length > 1 ? this.child() : this;
        return await sub.runStmt(stmt, stageIO).catch((e) => {
          if (e instanceof ExitSignal) return e.status;
          throw e;
        });
      } finally {
        io.signal.removeEventListener('abort', onAbort);
        if (i < pipes.length) pipes[i]!.end();
        if (i > 0) pipes[i - 1]!.closeReader();
      }
    });
    const statuses = await Promise.all(runs);
    return statuses.at(-1)!;
  }

  private async runIf(cmd: IfClause, io: ShellIO): Promise<number> {
    for (let clause: IfClause | null = cmd; clause; clause = clause.Else) {
      if (clause.Cond.length === 0) return this.runStmts(clause.Then, io);
      if ((await this.condition(clause.Cond, io)) === 0) return this.runStmts(clause.Then, io);
    }
    return 0;
  }

  private async condition(stmts: Stmt[], io: ShellIO): Promise<number> {
    this.conditionDepth++;
    try {
      return await this.runStmts(stmts, io);
    } finally {
      this.conditionDepth--;
    }
  }

  private async runWhile(cmd: WhileClause, io: ShellIO): Promise<number> {
    let status = 0;
    for (;;) {
      if (io.signal.aborted) return 130;
      const cond = await this.condition(cmd.Cond, io);
      if (io.signal.aborted) return 130;
      if ((cond === 0) === Boolean(cmd.Until)) break;
      const r = await this.loopBody(cmd.Do, io);
      status = r.status;
      if (r.stop) break;
      await yieldToEventLoop();
    }
    return status;
  }

  private async runFor(cmd: ForClause, io: ShellIO): Promise<number> {
    const t = typed(cmd.Loop);
    let status = 0;
    const ex = this.expander(io);
    if (t.type === 'CStyleLoop') {
      const loop = t.node;
      if (loop.Init) await evalArith(loop.Init, ex);
      while (!loop.Cond || (await evalArith(loop.Cond, ex)) !== 0) {
        if (io.signal.aborted) return 130;
        const r = await this.loopBody(cmd.Do, io);
        status = r.status;
        if (r.stop) break;
        if (loop.Post) await evalArith(loop.Post, ex);
        await yieldToEventLoop();
      }
      return status;
    }
    const loop = t.node;
    const items = loop.InPos && loop.InPos.IsValid && !loop.InPos.IsValid() ? this.state.positional : await ex.fields(loop.Items);
    const words = loop.Items.length === 0 && !(loop.InPos?.IsValid?.() ?? false) ? this.state.positional : items;
    for (const item of words) {
      if (io.signal.aborted) return 130;
      this.state.set(loop.Name.Value, item);
      const r = await this.loopBody(cmd.Do, io);
      status = r.status;
      if (r.stop) break;
    }
    return status;
  }

  private async loopBody(body: Stmt[], io: ShellIO): Promise<{ status: number; stop: boolean }> {
    this.state.loopDepth++;
    try {
      return { status: await this.runStmts(body, io), stop: io.signal.aborted };
    } catch (e) {
      if (!(e instanceof LoopSignal)) throw e;
      if (e.levels > 1) {
        e.levels--;
        throw e;
      }
      return { status: 0, stop: e.kind === 'break' };
    } finally {
      this.state.loopDepth--;
    }
  }

  private async runCase(cmd: CaseClause, io: ShellIO): Promise<number> {
    const ex = this.expander(io);
    const word = await ex.single(cmd.Word);
    let fallthrough = false;
    for (const item of cmd.Items) {
      let matched = fallthrough;
      for (const pat of item.Patterns) if (!matched && matchPattern(await ex.pattern(pat), word)) matched = true;
      if (!matched) continue;
      const status = await this.runStmts(item.Stmts, io);
      const op = caseOps.get(item.Op);
      if (op === ';&') fallthrough = true;
      else if (op !== ';;&') return status;
    }
    return 0;
  }

  private async runDecl(cmd: DeclClause, io: ShellIO): Promise<number> {
    const variant = cmd.Variant.Value;
    const ex = this.expander(io);
    for (const a of cmd.Args) {
      if (!a.Name) continue;
      const name = a.Name.Value;
      if (variant === 'local') this.state.declareLocal(name);
      if (a.Naked) {
        if (variant === 'export') this.state.export(name);
        else if (this.state.get(name) === undefined && variant === 'local') this.state.set(name, '');
        continue;
      }
      const value = await ex.single(a.Value);
      this.state.set(name, a.Append ? (this.state.get(name) ?? '') + value : value, variant === 'export' ? true : undefined);
    }
    return 0;
  }

  private async runCall(cmd: CallExpr, io: ShellIO): Promise<number> {
    const ex = this.expander(io);
    const argv = await ex.fields(cmd.Args);
    const assigns: [string, string][] = [];
    for (const a of cmd.Assigns) {
      if (a.Array || a.Index) {
        await this.assignArray(a, ex);
        continue;
      }
      const value = await ex.single(a.Value);
      const name = a.Name!.Value; // only `declare` flags come without a name
      assigns.push([name, a.Append ? (this.state.get(name) ?? '') + value : value]);
    }
    if (argv.length === 0) {
      for (const [k, v] of assigns) this.state.set(k, v);
      return cmd.Args.length > 0 ? 0 : this.state.lastStatus === undefined ? 0 : 0;
    }
    return this.exec(argv, io, assigns);
  }

  /** `a=(x y)`, `a+=(z)`, `a[i]=v`: indexed arrays, set in the shell itself. */
  private async assignArray(a: Assign, ex: Expander): Promise<void> {
    const name = a.Name!.Value;
    if (a.Index) {
      const index = await evalArith(a.Index, ex);
      const value = await ex.single(a.Value);
      this.state.setIndex(name, index, a.Append ? (this.state.getArray(name)?.[index] ?? '') + value : value);
      return;
    }
    const values = await ex.fields(a.Array!.Elems.flatMap((e) => (e.Value ? [e.Value] : [])));
    this.state.setArray(name, a.Append ? [...(this.state.getArray(name) ?? []), ...values] : values);
  }

  /** Runs an argv: function, builtin, registered command, or `command not found`. */
  async exec(argv: string[], io: ShellIO, assigns: [string, string][] = []): Promise<number> {
    const name = argv[0]!;
    const fn = this.state.functions.get(name);
    if (fn) return this.callFunction(fn, argv, io);
    const builtin = this.opts.builtins.get(name);
    const command = builtin ? undefined : this.opts.registry.get(name);
    if (!builtin && !command) {
      await io.stderr.write(`bash: ${name}: command not found\n`);
      return 127;
    }
    const env = this.state.env();
    for (const [k, v] of assigns) env[k] = v;
    const ctx: CommandContext = {
      argv, env, cwd: this.state.cwd, stdin: io.stdin, stdout: io.stdout, stderr: io.stderr, fs: this.opts.fs,
      signal: io.signal, terminal: { ...this.opts.terminal(), isTTY: io.tty }, now: this.opts.now, sleep: this.opts.sleep,
      shell: this.handle(io),
    };
    try {
      if (builtin) {
        return await builtin({ ...ctx, state: this.state, registry: this.opts.registry,
          builtinNames: () => [...this.opts.builtins.keys()], interactive: this.opts.interactive ?? false });
      }
      const status = await command!.run(ctx);
      return io.signal.aborted ? abortStatus(io.signal) : status;
    } catch (e) {
      if (e instanceof ExitSignal || e instanceof ReturnSignal || e instanceof LoopSignal) throw e;
      if (io.signal.aborted || e instanceof AbortedError) return abortStatus(io.signal);
      await io.stderr.write(`${name}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
  }

  private async callFunction(body: Stmt, argv: string[], io: ShellIO): Promise<number> {
    const saved = this.state.positional;
    this.state.positional = argv.slice(1);
    this.state.localFrames.push(new Map());
    try {
      return await this.runStmt(body, io);
    } catch (e) {
      if (e instanceof ReturnSignal) return e.status;
      throw e;
    } finally {
      this.state.positional = saved;
      const frame = this.state.localFrames.pop()!;
      for (const [k, v] of frame) {
        if (v) this.state.vars.set(k, v);
        else this.state.unset(k);
      }
    }
  }

  private handle(io: ShellIO): CommandContext['shell'] {
    return {
      hostname: this.opts.hostname,
      run: async (line, o = {}) => this.child().run(line, { ...io, ...o, tty: o.stdout ? false : io.tty }).catch(exitStatus),
      exec: async (argv, o = {}) => this.child().exec(argv, { ...io, ...o, tty: o.stdout ? false : io.tty }).catch(exitStatus),
      capture: async (line, o = {}) => {
        const stdout = new StringOutput();
        const stderr = new StringOutput();
        const status = await this.child().run(line, { ...io, stdin: o.stdin ?? emptyInput(), stdout, stderr, signal: o.signal ?? io.signal, tty: false }).catch(exitStatus);
        return { status, stdout: stdout.text, stderr: stderr.text };
      },
    };
  }

  expander(io: ShellIO): Expander {
    return new Expander({
      getVar: (n) => this.state.get(n),
      getArray: (n) => this.state.getArray(n),
      setVar: (n, v) => this.state.set(n, v),
      positional: () => this.state.positional,
      special: (n) => specialParam(n, this.state),
      cmdSubst: async (stmts) => {
        const out = new StringOutput();
        const sub = this.child();
        const status = await sub.runStmts(stmts, { ...io, stdout: out, tty: false }).catch(exitStatus);
        this.state.lastStatus = status;
        return out.text;
      },
      fs: this.opts.fs,
      cwd: () => this.state.cwd,
      home: () => this.state.get('HOME') ?? this.opts.fs.home,
    });
  }
}

export type { ShellIO };
