/** Line-oriented text tools: head tail wc sort uniq cut tr tee base64. */
import type { Command } from '../command.ts';
import { eachLine, hadFailure, inputs, invalidOption, parseFlags, readOrReport, splitLines } from './io.ts';

function countArg(args: string[]): string[] {
  // `head -5` is `head -n 5`.
  return args.map((a) => (/^-\d+$/.test(a) ? `-n${a.slice(1)}` : a));
}

export const head: Command = async (ctx) => {
  const { flags, rest, bad } = parseFlags(countArg(ctx.argv.slice(1)), 'nc', 'qv');
  if (bad) return invalidOption(ctx, bad);
  const n = Number(flags.get('n') ?? 10);
  if (flags.has('c')) {
    for await (const { text } of inputs(ctx, rest)) await ctx.stdout.write(Buffer.from(text).subarray(0, Number(flags.get('c'))).toString());
    return hadFailure(ctx) ? 1 : 0;
  }
  const files = rest.length ? rest : ['-'];
  for (const [i, f] of files.entries()) {
    if (files.length > 1) await ctx.stdout.write(`${i ? '\n' : ''}==> ${f} <==\n`);
    let seen = 0;
    if (n <= 0) continue;
    await eachLine(ctx, [f], async (line) => {
      await ctx.stdout.write(line + '\n');
      return ++seen < n;
    });
  }
  return hadFailure(ctx) ? 1 : 0;
};

export const tail: Command = async (ctx) => {
  const { flags, rest, bad } = parseFlags(countArg(ctx.argv.slice(1)), 'ns', 'fFqv');
  if (bad) return invalidOption(ctx, bad);
  const spec = String(flags.get('n') ?? '10');
  const fromStart = spec.startsWith('+');
  const n = Number(spec.replace('+', ''));
  const pick = (lines: string[]): string[] => (fromStart ? lines.slice(Math.max(0, n - 1)) : n === 0 ? [] : lines.slice(-n));
  const follow = flags.has('f') || flags.has('F');
  if (rest.length === 0) {
    if (follow) {
      // Following a stream: print the last lines when input pauses is not possible; stream everything after start.
      await eachLine(ctx, [], async (line) => void (await ctx.stdout.write(line + '\n')));
      return 0;
    }
    const lines = splitLines(await ctx.stdin.readAll());
    for (const l of pick(lines)) await ctx.stdout.write(l + '\n');
    return 0;
  }
  for (const [i, f] of rest.entries()) {
    const text = await readOrReport(ctx, f);
    if (text === undefined) continue;
    if (rest.length > 1) await ctx.stdout.write(`${i ? '\n' : ''}==> ${f} <==\n`);
    for (const l of pick(splitLines(text))) await ctx.stdout.write(l + '\n');
  }
  if (follow && rest.length === 1) {
    const path = ctx.fs.resolve(ctx.cwd, rest[0]!);
    let size = ctx.fs.readFile(path).length;
    while (!ctx.signal.aborted) {
      await ctx.sleep(1000, ctx.signal).catch(() => {});
      if (ctx.signal.aborted) break;
      const now = ctx.fs.exists(path) ? ctx.fs.readFile(path) : '';
      if (now.length > size) await ctx.stdout.write(now.slice(size));
      else if (now.length < size) await ctx.stderr.write(`tail: ${rest[0]}: file truncated\n`);
      size = now.length;
    }
    return 130;
  }
  return hadFailure(ctx) ? 1 : 0;
};

export const wc: Command = async (ctx) => {
  const { flags, rest, bad } = parseFlags(ctx.argv.slice(1), '', 'lwcm');
  if (bad) return invalidOption(ctx, bad);
  const all = !flags.has('l') && !flags.has('w') && !flags.has('c') && !flags.has('m');
  const rows: { counts: number[]; name: string }[] = [];
  for await (const { name, text } of inputs(ctx, rest)) {
    const counts: number[] = [];
    if (all || flags.has('l')) counts.push((text.match(/\n/g) ?? []).length);
    if (all || flags.has('w')) counts.push(text.split(/\s+/).filter(Boolean).length);
    if (flags.has('m')) counts.push([...text].length);
    if (all || flags.has('c')) counts.push(Buffer.byteLength(text));
    rows.push({ counts, name: rest.length ? name : '' });
  }
  if (rows.length > 1) rows.push({ counts: rows[0]!.counts.map((_, i) => rows.reduce((s, r) => s + r.counts[i]!, 0)), name: 'total' });
  const single = rows.length === 1 && rows[0]!.counts.length === 1;
  const width = single ? 0 : Math.max(rest.length ? 1 : 7, ...rows.flatMap((r) => r.counts.map((c) => String(c).length)));
  for (const r of rows) await ctx.stdout.write(r.counts.map((c) => String(c).padStart(width)).join(' ') + (r.name ? ` ${r.name}` : '') + '\n');
  return hadFailure(ctx) ? 1 : 0;
};

export const sort: Command = async (ctx) => {
  const { flags, rest, bad } = parseFlags(ctx.argv.slice(1), 'kt', 'nrufhV');
  if (bad) return invalidOption(ctx, bad);
  let lines: string[] = [];
  for await (const { text } of inputs(ctx, rest)) lines.push(...splitLines(text));
  const sep = flags.get('t') as string | undefined;
  const keySpec = flags.get('k') as string | undefined;
  const keyOf = (line: string): string => {
    if (!keySpec) return line;
    const [start, end] = keySpec.split(',').map((k) => Number.parseInt(k, 10));
    const fields = sep ? line.split(sep) : line.trim().split(/\s+/);
    return fields.slice(start! - 1, end ? end : undefined).join(sep ?? ' ');
  };
  const numeric = flags.has('n') || flags.has('h') || Boolean(keySpec?.includes('n'));
  const fold = flags.has('f');
  const cmp = (a: string, b: string): number => {
    const ka = keyOf(a), kb = keyOf(b);
    if (numeric) {
      const d = (parseFloat(ka) || 0) - (parseFloat(kb) || 0);
      if (d !== 0) return d;
    } else {
      const x = fold ? ka.toLowerCase() : ka, y = fold ? kb.toLowerCase() : kb;
      if (x !== y) return x < y ? -1 : 1;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  };
  lines.sort(cmp);
  if (flags.has('r') || keySpec?.includes('r')) lines.reverse();
  if (flags.has('u')) lines = lines.filter((l, i) => i === 0 || cmp(lines[i - 1]!, l) !== 0);
  for (const l of lines) await ctx.stdout.write(l + '\n');
  return hadFailure(ctx) ? 2 : 0;
};

export const uniq: Command = async (ctx) => {
  const { flags, rest, bad } = parseFlags(ctx.argv.slice(1), '', 'cdui');
  if (bad) return invalidOption(ctx, bad);
  let prev: string | undefined;
  let count = 0;
  const emit = async (): Promise<void> => {
    if (prev === undefined) return;
    if (flags.has('d') && count < 2) return;
    if (flags.has('u') && count > 1) return;
    await ctx.stdout.write(flags.has('c') ? `${String(count).padStart(7)} ${prev}\n` : `${prev}\n`);
  };
  const same = (a: string, b: string): boolean => (flags.has('i') ? a.toLowerCase() === b.toLowerCase() : a === b);
  await eachLine(ctx, rest.slice(0, 1), async (line) => {
    if (prev !== undefined && same(prev, line)) { count++; return; }
    await emit();
    prev = line;
    count = 1;
  });
  await emit();
  return hadFailure(ctx) ? 1 : 0;
};

function parseRanges(spec: string): (i: number) => boolean {
  const ranges = spec.split(',').map((r) => {
    const [a, b] = r.includes('-') ? r.split('-') : [r, r];
    return [a ? Number(a) : 1, b ? Number(b) : Infinity] as const;
  });
  return (i) => ranges.some(([a, b]) => i >= a && i <= b);
}

export const cut: Command = async (ctx) => {
  const { flags, rest, bad } = parseFlags(ctx.argv.slice(1), 'dfcb', 's');
  if (bad) return invalidOption(ctx, bad);
  const fields = flags.get('f') as string | undefined;
  const chars = (flags.get('c') ?? flags.get('b')) as string | undefined;
  if (!fields && !chars) return (await ctx.stderr.write("cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n"), 1);
  const delim = (flags.get('d') as string | undefined) ?? '\t';
  const want = parseRanges((fields ?? chars)!);
  await eachLine(ctx, rest, async (line) => {
    if (chars) return void (await ctx.stdout.write([...line].filter((_, i) => want(i + 1)).join('') + '\n'));
    if (!line.includes(delim)) return void (flags.has('s') ? undefined : await ctx.stdout.write(line + '\n'));
    await ctx.stdout.write(line.split(delim).filter((_, i) => want(i + 1)).join(delim) + '\n');
  });
  return hadFailure(ctx) ? 1 : 0;
};

function expandSet(set: string): string[] {
  const classes: Record<string, string> = { '[:lower:]': 'a-z', '[:upper:]': 'A-Z', '[:digit:]': '0-9', '[:space:]': ' \t\n\r\v\f', '[:alpha:]': 'a-zA-Z', '[:alnum:]': 'a-zA-Z0-9' };
  for (const [k, v] of Object.entries(classes)) set = set.split(k).join(v);
  set = set.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\\\/g, '\\');
  const out: string[] = [];
  const chars = [...set];
  for (let i = 0; i < chars.length; i++) {
    if (chars[i + 1] === '-' && i + 2 < chars.length) {
      for (let c = chars[i]!.codePointAt(0)!; c <= chars[i + 2]!.codePointAt(0)!; c++) out.push(String.fromCodePoint(c));
      i += 2;
    } else out.push(chars[i]!);
  }
  return out;
}

export const tr: Command = async (ctx) => {
  const { flags, rest, bad } = parseFlags(ctx.argv.slice(1), '', 'dsc');
  if (bad) return invalidOption(ctx, bad);
  const from = expandSet(rest[0] ?? '');
  const to = expandSet(rest[1] ?? '');
  if (rest.length === 0 || (!flags.has('d') && !flags.has('s') && rest.length < 2)) {
    await ctx.stderr.write(rest.length === 0 ? "tr: missing operand\n" : `tr: missing operand after '${rest[0]}'\nTwo strings must be given when translating.\n`);
    await ctx.stderr.write("Try 'tr --help' for more information.\n");
    return 1;
  }
  const inFrom = (c: string): boolean => from.includes(c) !== flags.has('c');
  let last = '';
  for (let chunk = await ctx.stdin.read(); chunk !== null; chunk = await ctx.stdin.read()) {
    let outText = '';
    for (const c of chunk) {
      let r = c;
      if (flags.has('d')) { if (inFrom(c)) continue; }
      else if (to.length && inFrom(c)) r = to[Math.min(from.indexOf(c), to.length - 1)] ?? to.at(-1)!;
      const squeezeSet = flags.has('d') || !to.length ? from : to;
      if (flags.has('s') && r === last && squeezeSet.includes(r)) continue;
      outText += r;
      last = r;
    }
    await ctx.stdout.write(outText);
  }
  return 0;
};

export const tee: Command = async (ctx) => {
  const { flags, rest, bad } = parseFlags(ctx.argv.slice(1), '', 'a');
  if (bad) return invalidOption(ctx, bad);
  const paths = rest.map((f) => ctx.fs.resolve(ctx.cwd, f));
  for (const p of paths) if (!flags.has('a')) ctx.fs.writeFile(p, '');
  for (let chunk = await ctx.stdin.read(); chunk !== null; chunk = await ctx.stdin.read()) {
    for (const p of paths) ctx.fs.appendFile(p, chunk);
    await ctx.stdout.write(chunk);
  }
  return 0;
};

export const base64: Command = async (ctx) => {
  const { flags, rest, bad } = parseFlags(ctx.argv.slice(1), 'w', 'di');
  if (bad) return invalidOption(ctx, bad);
  let text = '';
  for await (const chunk of inputs(ctx, rest)) text += chunk.text;
  if (flags.has('d')) {
    const clean = text.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return (await ctx.stderr.write('base64: invalid input\n'), 1);
    await ctx.stdout.write(Buffer.from(clean, 'base64').toString('utf8'));
    return 0;
  }
  const wrap = Number(flags.get('w') ?? 76);
  const encoded = Buffer.from(text, 'utf8').toString('base64');
  const lines = wrap > 0 ? encoded.match(new RegExp(`.{1,${wrap}}`, 'g')) ?? [''] : [encoded];
  await ctx.stdout.write(lines.join('\n') + '\n');
  return hadFailure(ctx) ? 1 : 0;
};
