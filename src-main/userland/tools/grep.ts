/** grep with -i -v -c -n -E -F -o -q -w -l -h -r-less file arguments; exit 1 when nothing matched, 2 on errors. */
import type { Command } from '../command.ts';
import { eachLine, hadFailure, parseFlags } from './io.ts';

/** Converts a POSIX basic regular expression to a JS one (\( \) \{ \} \| are the operators; ( ) { } | literal). */
export function breToJs(re: string): string {
  let out = '';
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === '\\' && i + 1 < re.length) {
      const n = re[++i]!;
      out += '(){}|+?'.includes(n) ? n : `\\${n}`;
    } else out += '(){}|+?'.includes(c) ? `\\${c}` : c;
  }
  return out;
}

export function posixClasses(re: string): string {
  return re.replace(/\[:(alpha|digit|alnum|space|upper|lower|punct|xdigit):\]/g, (_m, c: string) => ({
    alpha: 'a-zA-Z', digit: '0-9', alnum: 'a-zA-Z0-9', space: ' \\t\\n\\r\\f\\v', upper: 'A-Z', lower: 'a-z', punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f',
  })[c]!);
}

export const grep: Command = async (ctx) => {
  const args = ctx.argv.slice(1).map((a) => (a === '--color=auto' || a === '--color=never' ? '' : a)).filter(Boolean);
  const { flags, values, rest, bad } = parseFlags(args, 'eA', 'ivcnEFoqwlhHsPx');
  if (bad) {
    await ctx.stderr.write(`grep: invalid option -- '${bad}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n`);
    return 2;
  }
  const given = values.get('e') ?? (rest.length ? [rest.shift()!] : undefined);
  if (given === undefined) {
    await ctx.stderr.write("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
    return 2;
  }
  // Every -e, and every line of a pattern, is a pattern of its own: a line matches when any of them does.
  const patterns = given.flatMap((p) => p.split('\n'));
  const one = (pattern: string) => posixClasses(flags.has('F') ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : flags.has('E') || flags.has('P') ? pattern : breToJs(pattern));
  let source = patterns.length === 1 ? one(patterns[0]!) : patterns.map((p) => `(?:${one(p)})`).join('|');
  if (flags.has('w')) source = `(?<![\\w])(?:${source})(?![\\w])`;
  if (flags.has('x')) source = `^(?:${source})$`;
  let re: RegExp;
  try {
    re = new RegExp(source, flags.has('i') ? 'gi' : 'g');
  } catch {
    await ctx.stderr.write('grep: Unmatched ( or \\(\n');
    return 2;
  }
  const showName = rest.length > 1 ? !flags.has('h') : flags.has('H');
  const counts = new Map<string, number>();
  let matched = false;
  let lineNo = 0;
  let currentFile = '';
  await eachLine(ctx, rest, async (line, file) => {
    if (file !== currentFile) { currentFile = file; lineNo = 0; }
    lineNo++;
    re.lastIndex = 0;
    const hit = re.test(line) !== flags.has('v');
    if (!hit) return;
    matched = true;
    if (flags.has('q')) return false;
    counts.set(file, (counts.get(file) ?? 0) + 1);
    if (flags.has('c') || flags.has('l')) return;
    const prefix = (showName ? `${file}:` : '') + (flags.has('n') ? `${lineNo}:` : '');
    if (flags.has('o') && !flags.has('v')) {
      re.lastIndex = 0;
      for (const m of line.matchAll(re)) if (m[0] !== '') await ctx.stdout.write(prefix + m[0] + '\n');
    } else await ctx.stdout.write(prefix + line + '\n');
  });
  if (flags.has('c')) for (const f of rest.length ? rest : ['(standard input)']) await ctx.stdout.write((showName ? `${f}:` : '') + (counts.get(f) ?? 0) + '\n');
  if (flags.has('l')) for (const f of counts.keys()) await ctx.stdout.write(f + '\n');
  if (hadFailure(ctx) && !flags.has('q')) return 2;
  return matched ? 0 : 1;
};
