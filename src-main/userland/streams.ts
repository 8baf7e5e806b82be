/**
 * Text streams between commands. A Pipe buffers chunks with a high-water mark so `yes | head -n 1` terminates:
 * writers await `write()` while the buffer is full, and once the reader closes the pipe further writes are dropped
 * and `onBroken` fires (the interpreter aborts the writer, like SIGPIPE).
 */
import type { TextInput, TextOutput } from './command.ts';

/** The three streams a command runs with, and its abort signal. */
export interface ShellIO {
  stdin: TextInput;
  stdout: TextOutput;
  stderr: TextOutput;
  signal: AbortSignal;
  /** stdout goes to the terminal (not a pipe or file). */
  tty: boolean;
}

const HIGH_WATER = 64 * 1024;

export class Pipe implements TextInput, TextOutput {
  private chunks: string[] = [];
  private buffered = 0;
  private ended = false;
  private broken = false;
  private readWaiters: (() => void)[] = [];
  private writeWaiters: (() => void)[] = [];
  private brokenListeners: (() => void)[] = [];

  get closed(): boolean {
    return this.broken;
  }

  write(text: string): Promise<void> {
    if (this.broken || this.ended || text === '') return Promise.resolve();
    this.chunks.push(text);
    this.buffered += text.length;
    this.wake(this.readWaiters);
    if (this.buffered < HIGH_WATER) return Promise.resolve();
    return new Promise((resolve) => this.writeWaiters.push(resolve));
  }

  /** Takes what was written but never read (a terminal's type-ahead the command did not consume). */
  drain(): string {
    const text = this.chunks.join('');
    this.chunks = [];
    this.buffered = 0;
    this.wake(this.writeWaiters);
    return text;
  }

  /** Writer side finished. */
  end(): void {
    this.ended = true;
    this.wake(this.readWaiters);
  }

  /** Reader side gone: drop buffered data, release writers. */
  closeReader(): void {
    if (this.broken) return;
    this.broken = true;
    this.chunks = [];
    this.buffered = 0;
    this.wake(this.writeWaiters);
    for (const l of this.brokenListeners.splice(0)) l();
  }

  onBroken(listener: () => void): void {
    if (this.broken) listener();
    else this.brokenListeners.push(listener);
  }

  async read(): Promise<string | null> {
    for (;;) {
      if (this.chunks.length > 0) {
        const chunk = this.chunks.join('');
        this.chunks = [];
        this.buffered = 0;
        this.wake(this.writeWaiters);
        return chunk;
      }
      if (this.ended || this.broken) return null;
      await new Promise<void>((resolve) => this.readWaiters.push(resolve));
    }
  }

  /** One line without its newline (the rest stays buffered), or null at end of input. */
  async readLine(): Promise<string | null> {
    for (;;) {
      const text = this.chunks.join('');
      const nl = text.indexOf('\n');
      if (nl >= 0 || ((this.ended || this.broken) && text !== '')) {
        const line = nl >= 0 ? text.slice(0, nl) : text;
        const rest = nl >= 0 ? text.slice(nl + 1) : '';
        this.chunks = rest ? [rest] : [];
        this.buffered = rest.length;
        this.wake(this.writeWaiters);
        return line;
      }
      if (this.ended || this.broken) return null;
      await new Promise<void>((resolve) => this.readWaiters.push(resolve));
    }
  }

  async readAll(): Promise<string> {
    let all = '';
    for (let c = await this.read(); c !== null; c = await this.read()) all += c;
    return all;
  }

  lines(): AsyncIterable<string> {
    return linesOf(this);
  }

  [Symbol.asyncIterator](): AsyncIterator<string> {
    return chunksOf(this)[Symbol.asyncIterator]();
  }

  private wake(waiters: (() => void)[]): void {
    for (const w of waiters.splice(0)) w();
  }
}

async function* chunksOf(input: { read(): Promise<string | null> }): AsyncGenerator<string> {
  for (let c = await input.read(); c !== null; c = await input.read()) yield c;
}

/** Lines without their trailing newline; a last unterminated line is yielded too. */
export async function* linesOf(input: { read(): Promise<string | null> }): AsyncGenerator<string> {
  let pending = '';
  for (let c = await input.read(); c !== null; c = await input.read()) {
    pending += c;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      yield pending.slice(0, nl);
      pending = pending.slice(nl + 1);
    }
  }
  if (pending !== '') yield pending;
}

/** A finished input holding fixed text (files, here-documents, here-strings). */
export function stringInput(text: string): TextInput {
  const pipe = new Pipe();
  void pipe.write(text);
  pipe.end();
  return pipe;
}

export const emptyInput = (): TextInput => stringInput('');

/** Collects everything written (command substitution, runLine). */
export class StringOutput implements TextOutput {
  text = '';
  readonly closed = false;
  write(s: string): Promise<void> {
    this.text += s;
    return Promise.resolve();
  }
}

export class CallbackOutput implements TextOutput {
  readonly closed = false;
  constructor(private readonly cb: (s: string) => void) {}
  write(s: string): Promise<void> {
    if (s) this.cb(s);
    return Promise.resolve();
  }
}

export const nullOutput: TextOutput = { closed: false, write: () => Promise.resolve() };
