/** File tools over the virtual filesystem: cat ls mkdir rm touch cp mv. Messages follow GNU coreutils. */
import type { Command, CommandContext } from '../command.ts';
import { basename } from '../fs/paths.ts';
import { FsError } from '../fs/virtual-fs.ts';
import { eachLine, hadFailure, invalidOption, parseFlags } from './io.ts';

const abs = (ctx: CommandContext, p: string): string => ctx.fs.resolve(ctx.cwd, p);

export const cat: Command = async (ctx) => {
  const { flags, rest, bad } = parseFlags(ctx.argv.slice(1), '', 'nAE');
  if (bad) return invalidOption(ctx, bad);
  let n = 0;
  await eachLine(ctx, rest, async (line) => {
    await ctx.stdout.write((flags.has('n') ? `${String(++n).padStart(6)}\t` : '') + line + '\n');
  });
  return hadFailure(ctx) ? 1 : 0;
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function modeString(type: 'file' | 'dir', mode: number): string {
  let s = type === 'dir' ? 'd' : '-';
  for (let shift = 6; shift >= 0; shift -= 3) {
    const bits = (mode >> shift) & 7;
    s += (bits & 4 ? 'r' : '-') + (bits & 2 ? 'w' : '-') + (bits & 1 ? 'x' : '-');
  }
  return s;
}

function lsTime(ms: number, now: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2);
  const recent = Math.abs(now - ms) < 182 * 86400_000;
  const tail = recent ? `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}` : ` ${d.getUTCFullYear()}`;
  return `${MONTHS[d.getUTCMonth()]} ${day} ${tail}`;
}

export const ls: Command = async (ctx) => {
  const { flags, rest, bad } = parseFlags(ctx.argv.slice(1), '', 'laAh1dF');
  if (bad) return invalidOption(ctx, bad);
  const targets = rest.length ? rest : ['.'];
  let status = 0;
  const long = flags.has('l');
  const render = async (entries: { name: string; path: string }[]): Promise<void> => {
    if (!long) {
      if (entries.length) await ctx.stdout.write(entries.map((e) => e.name).join(ctx.terminal.isTTY && !flags.has('1') ? '  ' : '\n') + '\n');
      return;
    }
    const stats = entries.map((e) => ({ e, st: ctx.fs.stat(e.path)! }));
    const width = Math.max(1, ...stats.map(({ st }) => String(st.size).length));
    for (const { e, st } of stats) {
      const links = st.type === 'dir' ? 2 : 1;
      await ctx.stdout.write(`${modeString(st.type, st.mode)} ${links} root root ${String(st.size).padStart(width)} ${lsTime(st.mtime, ctx.now())} ${e.name}\n`);
    }
  };
  const files: { name: string; path: string }[] = [];
  const dirs: string[] = [];
  for (const t of targets) {
    const st = ctx.fs.stat(abs(ctx, t));
    if (!st) {
      await ctx.stderr.write(`ls: cannot access '${t}': No such file or directory\n`);
      status = 2;
    } else if (st.type === 'dir' && !flags.has('d')) dirs.push(t);
    else files.push({ name: t, path: abs(ctx, t) });
  }
  await render(files);
  for (const [i, d] of dirs.entries()) {
    if (targets.length > 1) await ctx.stdout.write(`${files.length || i ? '\n' : ''}${d}:\n`);
    const dir = abs(ctx, d);
    let names = ctx.fs.readdir(dir);
    if (flags.has('a')) names = ['.', '..', ...names];
    else if (!flags.has('A')) names = names.filter((n) => !n.startsWith('.'));
    if (long) {
      const total = names.length ? Math.ceil(names.reduce((s, n) => s + (ctx.fs.stat(ctx.fs.resolve(dir, n))?.size ?? 0), 0) / 1024) * 4 : 0;
      await ctx.stdout.write(`total ${total}\n`);
    }
    await render(names.map((name) => ({ name, path: ctx.fs.resolve(dir, name) })));
  }
  return status;
};

export const mkdir: Command = async (ctx) => {
  const { flags, rest, bad } = parseFlags(ctx.argv.slice(1), 'm', 'pv');
  if (bad) return invalidOption(ctx, bad);
  if (rest.length === 0) return (await ctx.stderr.write("mkdir: missing operand\nTry 'mkdir --help' for more information.\n"), 1);
  let status = 0;
  for (const d of rest) {
    try {
      ctx.fs.mkdir(abs(ctx, d), { recursive: flags.has('p') });
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      if (e.code === 'EEXIST' && flags.has('p') && ctx.fs.isDir(abs(ctx, d))) continue;
      await ctx.stderr.write(`mkdir: cannot create directory '${d}': ${e.message}\n`);
      status = 1;
    }
  }
  return status;
};

export const rm: Command = async (ctx) => {
  const { flags, rest, bad } = parseFlags(ctx.argv.slice(1), '', 'rRfiv');
  if (bad) return invalidOption(ctx, bad);
  const force = flags.has('f');
  if (rest.length === 0 && !force) return (await ctx.stderr.write("rm: missing operand\nTry 'rm --help' for more information.\n"), 1);
  let status = 0;
  for (const p of rest) {
    const st = ctx.fs.stat(abs(ctx, p));
    if (!st) {
      if (!force) { await ctx.stderr.write(`rm: cannot remove '${p}': No such file or directory\n`); status = 1; }
      continue;
    }
    if (st.type === 'dir' && !flags.has('r') && !flags.has('R')) {
      await ctx.stderr.write(`rm: cannot remove '${p}': Is a directory\n`);
      status = 1;
      continue;
    }
    ctx.fs.rm(abs(ctx, p), { recursive: true });
  }
  return status;
};

export const touch: Command = async (ctx) => {
  const files = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  if (files.length === 0) return (await ctx.stderr.write("touch: missing file operand\nTry 'touch --help' for more information.\n"), 1);
  let status = 0;
  for (const f of files) {
    try {
      ctx.fs.touch(abs(ctx, f));
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      await ctx.stderr.write(`touch: cannot touch '${f}': ${e.message}\n`);
      status = 1;
    }
  }
  return status;
};

function copyOrMove(kind: 'cp' | 'mv'): Command {
  return async (ctx) => {
    const { flags, rest, bad } = parseFlags(ctx.argv.slice(1), '', 'rRfivap');
    if (bad) return invalidOption(ctx, bad);
    if (rest.length < 2) {
      await ctx.stderr.write(rest.length === 0 ? `${kind}: missing file operand\n` : `${kind}: missing destination file operand after '${rest[0]}'\n`);
      await ctx.stderr.write(`Try '${kind} --help' for more information.\n`);
      return 1;
    }
    const dest = rest.at(-1)!;
    const sources = rest.slice(0, -1);
    const destIsDir = ctx.fs.isDir(abs(ctx, dest));
    if (sources.length > 1 && !destIsDir) return (await ctx.stderr.write(`${kind}: target '${dest}': Not a directory\n`), 1);
    let status = 0;
    for (const s of sources) {
      const st = ctx.fs.stat(abs(ctx, s));
      if (!st) { await ctx.stderr.write(`${kind}: cannot stat '${s}': No such file or directory\n`); status = 1; continue; }
      const target = destIsDir ? ctx.fs.resolve(abs(ctx, dest), basename(s)) : abs(ctx, dest);
      try {
        if (kind === 'mv') ctx.fs.rename(abs(ctx, s), target);
        else if (st.type === 'dir') {
          if (!flags.has('r') && !flags.has('R') && !flags.has('a')) { await ctx.stderr.write(`cp: -r not specified; omitting directory '${s}'\n`); status = 1; continue; }
          ctx.fs.copyTree(abs(ctx, s), target);
        } else ctx.fs.copy(abs(ctx, s), target);
      } catch (e) {
        if (!(e instanceof FsError)) throw e;
        await ctx.stderr.write(`${kind}: cannot ${kind === 'mv' ? 'move' : 'create regular file'} '${kind === 'mv' ? s : dest}': ${e.message}\n`);
        status = 1;
      }
    }
    return status;
  };
}

export const cp = copyOrMove('cp');
export const mv = copyOrMove('mv');
