/** Helpers shared by the file and text tools. */
import type { CommandContext } from '../command.ts';
import { FsError } from '../fs/virtual-fs.ts';

/** Parses short flags (`-nv`, `-n 5`, `-n5`); `withValue` lists flags taking a value. Unknown flags are reported. */
/** Short flags; a flag with a value keeps its last value in `flags` and every value, in order, in `values`. */
export function parseFlags(args: string[], withValue: string, known: string): { flags: Map<string, string | true>; values: Map<string, string[]>; rest: string[]; bad?: string } {
  const flags = new Map<string, string | true>();
  const values = new Map<string, string[]>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') { rest.push(...args.slice(i + 1)); break; }
    // No long options are modelled: getopt_long reports the whole word.
    if (a.startsWith('--')) return { flags, values, rest, bad: a };
    if (!a.startsWith('-') || a === '-' || /^-\d/.test(a) && !known.includes('0')) { rest.push(a); continue; }
    for (let j = 1; j < a.length; j++) {
      const f = a[j]!;
      if (!known.includes(f) && !withValue.includes(f)) return { flags, values, rest, bad: f };
      if (withValue.includes(f)) {
        const v = a.slice(j + 1) || args[++i];
        if (v === undefined) return { flags, values, rest, bad: f };
        flags.set(f, v);
        values.set(f, [...(values.get(f) ?? []), v]);
        break;
      }
      flags.set(f, true);
    }
  }
  return { flags, values, rest };
}

export async function invalidOption(ctx: CommandContext, flag: string): Promise<number> {
  const name = ctx.argv[0];
  const what = flag.startsWith('--') ? `unrecognized option '${flag}'` : `invalid option -- '${flag}'`;
  await ctx.stderr.write(`${name}: ${what}\nTry '${name} --help' for more information.\n`);
  return 1;
}

/** Reads each named file (or stdin for none / `-`), reporting missing ones like coreutils. */
export async function* inputs(ctx: CommandContext, files: string[]): AsyncGenerator<{ name: string; text: string }> {
  if (files.length === 0) files = ['-'];
  for (const f of files) {
    if (f === '-') { yield { name: '(standard input)', text: await ctx.stdin.readAll() }; continue; }
    const text = readOrReport(ctx, f);
    if (text !== undefined) yield { name: f, text: await text };
  }
}

export function readOrReport(ctx: CommandContext, file: string): Promise<string> | undefined {
  if (file === '') {
    // coreutils quotes an empty name (an empty path names nothing, not the working directory).
    void ctx.stderr.write(`${ctx.argv[0]}: '': No such file or directory\n`);
    failures.add(ctx);
    return undefined;
  }
  try {
    return Promise.resolve(ctx.fs.readFile(ctx.fs.resolve(ctx.cwd, file)));
  } catch (e) {
    if (!(e instanceof FsError)) throw e;
    void ctx.stderr.write(`${ctx.argv[0]}: ${file}: ${e.message}\n`);
    failures.add(ctx);
    return undefined;
  }
}

const failures = new WeakSet<CommandContext>();
/** True if a file read for this command failed (exit 1 / 2 at the end). */
export const hadFailure = (ctx: CommandContext): boolean => failures.has(ctx);

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Streams lines of the named files (or stdin, line by line as it arrives) to `fn`; stops when fn returns false. */
export async function eachLine(ctx: CommandContext, files: string[], fn: (line: string, file: string) => Promise<boolean | void> | boolean | void): Promise<void> {
  if (files.length === 0) files = ['-'];
  for (const f of files) {
    if (f === '-') {
      for (let l = await ctx.stdin.readLine(); l !== null; l = await ctx.stdin.readLine()) {
        if (ctx.signal.aborted || (await fn(l, '(standard input)')) === false) return;
      }
      continue;
    }
    const text = await readOrReport(ctx, f);
    if (text === undefined) continue;
    for (const l of splitLines(text)) if ((await fn(l, f)) === false) return;
  }
}
