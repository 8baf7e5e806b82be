/** Runs parsed sh scripts and single commands against a container's context (files, env, clock). */
import type { ContainerContext, ExecIO } from '../types.ts';
import { type Command, type List, parseScript, ShellSyntaxError } from './parse.ts';

export interface CommandIO {
  stdout(data: string): void;
  stderr(data: string): void;
  stdin: string;
}
export type CommandFn = (argv: string[], io: CommandIO, sh: Shell) => Promise<number>;

/** Thrown by exec when argv[0] does not exist in the image; the kubelet turns it into the OCI runtime error. */
export class ExecutableNotFoundError extends Error {
  constructor(readonly executable: string) {
    super(`exec: "${executable}": executable file not found in $PATH`);
  }
}

class ExitSignal {
  constructor(readonly code: number) {}
}

export class Shell {
  readonly vars: Map<string, string>;
  lastStatus = 0;
  private timers = new Set<number>();
  private killed = false;

  constructor(readonly ctx: ContainerContext, readonly commands: Map<string, CommandFn>) {
    this.vars = new Map(Object.entries(ctx.env));
    if (!this.vars.has('HOSTNAME')) this.vars.set('HOSTNAME', ctx.hostname);
    if (!this.vars.has('PATH')) this.vars.set('PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    if (!this.vars.has('HOME')) this.vars.set('HOME', '/root');
  }

  /** Sleeps in cluster time; never resolves once the shell was killed. */
  sleep(ms: number): Promise<void> {
    if (this.killed) return new Promise(() => {});
    return new Promise(resolve => {
      const id = this.ctx.clock.setTimeout(() => { this.timers.delete(id); if (!this.killed) resolve(); }, ms);
      this.timers.add(id);
    });
  }

  kill(): void {
    this.killed = true;
    for (const id of this.timers) this.ctx.clock.clearTimeout(id);
    this.timers.clear();
  }

  get isKilled(): boolean {
    return this.killed;
  }

  /** `sh -c script`: returns the exit status. */
  async runScript(script: string, io: CommandIO): Promise<number> {
    let list: List;
    try {
      list = parseScript(script);
    } catch (e) {
      if (e instanceof ShellSyntaxError) { io.stderr(`sh: ${e.message}\n`); return 2; }
      throw e;
    }
    try {
      return await this.runList(list, io);
    } catch (e) {
      if (e instanceof ExitSignal) return e.code;
      throw e;
    }
  }

  /** Runs argv directly (exec without a shell). */
  async runArgv(argv: string[], io: CommandIO): Promise<number> {
    const fn = this.commands.get(baseName(argv[0] ?? ''));
    if (!fn) throw new ExecutableNotFoundError(argv[0] ?? '');
    try {
      return await fn(argv, io, this);
    } catch (e) {
      if (e instanceof ExitSignal) return e.code;
      throw e;
    }
  }

  exit(code: number): never {
    throw new ExitSignal(code);
  }

  private async runList(list: List, io: CommandIO): Promise<number> {
    let status = 0;
    for (const andOr of list) {
      for (const { op, pipeline } of andOr.items) {
        if (op === '&&' && status !== 0) continue;
        if (op === '||' && status === 0) continue;
        let stdin = io.stdin;
        for (let i = 0; i < pipeline.commands.length; i++) {
          const last = i === pipeline.commands.length - 1;
          let captured = '';
          const cmdIO: CommandIO = last ? { ...io, stdin } : { stdout: d => { captured += d; }, stderr: io.stderr, stdin };
          status = await this.runCommand(pipeline.commands[i], cmdIO);
          stdin = captured;
        }
        if (pipeline.negate) status = status === 0 ? 1 : 0;
        this.lastStatus = status;
      }
    }
    return status;
  }

  private async runCommand(cmd: Command, io: CommandIO): Promise<number> {
    if (this.killed) await this.sleep(0);
    switch (cmd.kind) {
      case 'while': {
        let status = 0;
        for (;;) {
          const c = await this.runList(cmd.cond, io);
          if ((c === 0) === cmd.until) return status;
          status = await this.runList(cmd.body, io);
          // A loop that never waits would hang the event loop; a real one burns CPU. Yield in cluster time.
          await this.sleep(1);
        }
      }
      case 'for': {
        let status = 0;
        const items = cmd.items.length ? (await Promise.all(cmd.items.map(w => this.expandWords(w)))).flat() : [];
        for (const item of items) {
          this.vars.set(cmd.name, item);
          status = await this.runList(cmd.body, io);
        }
        return status;
      }
      case 'if': {
        for (const b of cmd.branches) if ((await this.runList(b.cond, io)) === 0) return this.runList(b.body, io);
        return cmd.otherwise ? this.runList(cmd.otherwise, io) : 0;
      }
      case 'simple':
        return this.runSimple(cmd, io);
    }
  }

  private async runSimple(cmd: Extract<Command, { kind: 'simple' }>, io: CommandIO): Promise<number> {
    const words = (await Promise.all(cmd.words.map(w => this.expandWords(w)))).flat();
    const assignments: Array<[string, string]> = [];
    while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) {
      const w = words.shift()!;
      const eq = w.indexOf('=');
      assignments.push([w.slice(0, eq), w.slice(eq + 1)]);
    }
    if (!words.length) {
      for (const [k, v] of assignments) this.vars.set(k, v);
      return 0;
    }
    let out = io.stdout;
    let err = io.stderr;
    let file = '';
    if (cmd.redirect) {
      const path = (await this.expandWords(cmd.redirect.file))[0] ?? '';
      if (!cmd.redirect.append || !this.ctx.files.has(path)) this.ctx.files.set(path, '');
      out = d => { file += d; };
      if (cmd.mergeStderr) err = out;
      const target = path;
      const result = await this.invoke(words, { stdout: out, stderr: err, stdin: io.stdin }, assignments);
      if (target !== '/dev/null') this.ctx.files.set(target, (this.ctx.files.get(target) ?? '') + file);
      else this.ctx.files.delete('/dev/null');
      return result;
    }
    if (cmd.mergeStderr) err = out;
    if (cmd.discardStderr) err = () => {};
    return this.invoke(words, { stdout: out, stderr: err, stdin: io.stdin }, assignments);
  }

  private async invoke(words: string[], io: CommandIO, assignments: Array<[string, string]>): Promise<number> {
    const name = words[0];
    if (name === 'exit') this.exit(words[1] !== undefined ? Number(words[1]) & 255 : this.lastStatus);
    if (name === 'export') {
      for (const w of words.slice(1)) {
        const eq = w.indexOf('=');
        if (eq > 0) this.vars.set(w.slice(0, eq), w.slice(eq + 1));
      }
      return 0;
    }
    const fn = this.commands.get(baseName(name));
    if (!fn) {
      io.stderr(`sh: ${name}: not found\n`);
      return 127;
    }
    const saved = assignments.map(([k]) => [k, this.vars.get(k)] as const);
    for (const [k, v] of assignments) this.vars.set(k, v);
    try {
      return await fn(words, io, this);
    } finally {
      for (const [k, v] of saved) v === undefined ? this.vars.delete(k) : this.vars.set(k, v);
    }
  }

  /** Expands one raw word: quotes, $VAR, ${VAR}, $?, $(cmd); unquoted results split on whitespace. */
  async expandWords(raw: string): Promise<string[]> {
    const fields: string[] = [];
    let current = '';
    let quotedSomething = false;
    const pushUnquoted = (s: string) => {
      const parts = s.split(/[ \t\n]+/);
      parts.forEach((p, i) => {
        if (i > 0) { if (current || quotedSomething) fields.push(current); current = ''; quotedSomething = false; }
        current += p;
      });
    };
    let i = 0;
    while (i < raw.length) {
      const c = raw[i];
      if (c === "'") {
        const end = raw.indexOf("'", i + 1);
        current += raw.slice(i + 1, end); quotedSomething = true; i = end + 1;
      } else if (c === '"') {
        let j = i + 1;
        let inner = '';
        while (j < raw.length && raw[j] !== '"') {
          if (raw[j] === '\\' && '"$`\\'.includes(raw[j + 1])) { inner += raw[j + 1]; j += 2; continue; }
          if (raw[j] === '$') { const [v, n] = await this.dollar(raw, j); inner += v; j = n; continue; }
          inner += raw[j++];
        }
        current += inner; quotedSomething = true; i = j + 1;
      } else if (c === '\\') {
        current += raw[i + 1] ?? ''; quotedSomething = true; i += 2;
      } else if (c === '$') {
        const [v, n] = await this.dollar(raw, i);
        pushUnquoted(v); i = n;
      } else { current += c; i++; }
    }
    if (current || quotedSomething) fields.push(current);
    return fields;
  }

  private async dollar(raw: string, i: number): Promise<[string, number]> {
    const next = raw[i + 1];
    if (next === '?') return [String(this.lastStatus), i + 2];
    if (next === '$') return ['1', i + 2];
    if (next === '{') {
      const end = raw.indexOf('}', i);
      return [this.vars.get(raw.slice(i + 2, end)) ?? '', end + 1];
    }
    if (next === '(') {
      let depth = 0, j = i + 1;
      for (; j < raw.length; j++) {
        if (raw[j] === '(') depth++;
        else if (raw[j] === ')' && --depth === 0) break;
      }
      let out = '';
      await this.runScript(raw.slice(i + 2, j), { stdout: d => { out += d; }, stderr: () => {}, stdin: '' });
      return [out.replace(/\n+$/, ''), j + 1];
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(raw.slice(i + 1));
    if (!m) return ['$', i + 1];
    return [this.vars.get(m[0]) ?? '', i + 1 + m[0].length];
  }
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function toCommandIO(io: ExecIO): CommandIO {
  return { stdout: io.stdout, stderr: io.stderr, stdin: io.stdin ?? '' };
}
