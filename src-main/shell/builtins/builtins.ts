/** Shell builtins: they run in the shell itself and may change its state. */
import { FsError } from '../../userland/fs/virtual-fs.ts';
import { ansiC } from '../interpreter/expand.ts';
import { ExitSignal, LoopSignal, ReturnSignal } from '../interpreter/state.ts';
import { binaryTest, unaryTest } from '../interpreter/test-clause.ts';
import { formatPrintf } from '../../userland/printf-format.ts';
import type { Builtin, BuiltinContext } from './types.ts';

const out = (ctx: BuiltinContext, s: string): Promise<void> => ctx.stdout.write(s);
const err = (ctx: BuiltinContext, s: string): Promise<void> => ctx.stderr.write(s);

const cd: Builtin = async (ctx) => {
  const args = ctx.argv.slice(1);
  if (args.length > 1) return (await err(ctx, 'bash: cd: too many arguments\n'), 1);
  let target = args[0] ?? ctx.state.get('HOME') ?? ctx.fs.home;
  if (target === '-') {
    target = ctx.state.get('OLDPWD') ?? '';
    if (!target) return (await err(ctx, 'bash: cd: OLDPWD not set\n'), 1);
    await out(ctx, target + '\n');
  }
  const path = ctx.fs.resolve(ctx.state.cwd, target);
  const st = ctx.fs.stat(path);
  const why = !st ? 'No such file or directory' : st.type !== 'dir' ? 'Not a directory' : undefined;
  if (why) {
    // busybox ash (a pod's sh) words it its own way and fails with 2.
    if (ctx.state.get('SHELL') === '/bin/sh') return (await err(ctx, `sh: cd: can't cd to ${target}: ${why}\n`), 2);
    return (await err(ctx, `bash: cd: ${target}: ${why}\n`), 1);
  }
  ctx.state.set('OLDPWD', ctx.state.cwd);
  ctx.state.cwd = path;
  ctx.state.set('PWD', path);
  return 0;
};

const echo: Builtin = async (ctx) => {
  let args = ctx.argv.slice(1);
  let newline = true;
  let escapes = false;
  while (args.length && /^-[neE]+$/.test(args[0]!)) {
    for (const f of args[0]!.slice(1)) {
      if (f === 'n') newline = false;
      else if (f === 'e') escapes = true;
      else escapes = false;
    }
    args = args.slice(1);
  }
  let text = args.join(' ');
  if (escapes) {
    const cut = text.indexOf('\\c');
    if (cut >= 0) { text = text.slice(0, cut); newline = false; }
    text = ansiC(text.replace(/\\0([0-7]{1,3})/g, '\\$1'));
  }
  await out(ctx, text + (newline ? '\n' : ''));
  return 0;
};

const printf: Builtin = async (ctx) => {
  const [format, ...args] = ctx.argv.slice(1);
  if (format === undefined) return (await err(ctx, 'printf: usage: printf [-v var] format [arguments]\n'), 2);
  await out(ctx, formatPrintf(format, args, { reuse: true }));
  return 0;
};

const exportBuiltin: Builtin = async (ctx) => {
  const args = ctx.argv.slice(1).filter((a) => a !== '-p');
  if (args.length === 0) {
    for (const [k, v] of [...ctx.state.vars].sort(([a], [b]) => a.localeCompare(b))) if (v.exported) await out(ctx, `declare -x ${k}="${v.value}"\n`);
    return 0;
  }
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq >= 0) ctx.state.set(a.slice(0, eq), a.slice(eq + 1), true);
    else ctx.state.export(a);
  }
  return 0;
};

const unset: Builtin = async (ctx) => {
  for (const a of ctx.argv.slice(1)) {
    if (a === '-f') continue;
    if (ctx.argv.includes('-f')) ctx.state.functions.delete(a);
    else ctx.state.unset(a);
  }
  return 0;
};

const set: Builtin = async (ctx) => {
  const args = ctx.argv.slice(1);
  if (args.length === 0) {
    for (const [k, v] of [...ctx.state.vars].sort(([a], [b]) => a.localeCompare(b))) await out(ctx, `${k}=${quoteIfNeeded(v.value)}\n`);
    return 0;
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') { ctx.state.positional = args.slice(i + 1); break; }
    if (/^[-+][a-zA-Z]+$/.test(a)) {
      if (a.slice(1).includes('e')) ctx.state.errexit = a[0] === '-';
      if (a === '-o' || a === '+o') i++;
      continue;
    }
    if (a === '-o' || a === '+o') { if (args[i + 1] === 'errexit') ctx.state.errexit = a === '-o'; i++; continue; }
    ctx.state.positional = args.slice(i);
    break;
  }
  return 0;
};

const env: Builtin = async (ctx) => {
  if (ctx.argv.length > 1) {
    let i = 1;
    const assigns: string[] = [];
    while (i < ctx.argv.length && /^\w+=/.test(ctx.argv[i]!)) assigns.push(ctx.argv[i++]!);
    if (i < ctx.argv.length) return ctx.shell.exec(ctx.argv.slice(i));
    for (const a of assigns) ctx.env[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
  }
  for (const [k, v] of Object.entries(ctx.env)) await out(ctx, `${k}=${v}\n`);
  return 0;
};

const exit: Builtin = async (ctx) => {
  const arg = ctx.argv[1];
  if (arg !== undefined && !/^-?\d+$/.test(arg)) {
    await err(ctx, `bash: exit: ${arg}: numeric argument required\n`);
    throw new ExitSignal(2);
  }
  // A node's terminal shell is a login bash (as after ssh): it says `logout`; busybox ash in a container says nothing,
  // and neither does a shell running a line without a terminal (`ssh node cmd`, `kubelab shell -c`).
  if (ctx.interactive && ctx.terminal.isTTY && ctx.state.get('SHELL') !== '/bin/sh') await err(ctx, 'logout\n');
  throw new ExitSignal(arg === undefined ? ctx.state.lastStatus : ((Number(arg) % 256) + 256) % 256);
};

const returnBuiltin: Builtin = async (ctx) => {
  if (ctx.state.localFrames.length === 0) {
    await err(ctx, 'bash: return: can only `return\' from a function or sourced script\n');
    return 1;
  }
  throw new ReturnSignal(ctx.argv[1] === undefined ? ctx.state.lastStatus : Number(ctx.argv[1]) & 255);
};

/** bash's checks (builtins/break.def); busybox ash ignores a break outside a loop. */
const loopControl = (kind: 'break' | 'continue'): Builtin => async (ctx) => {
  const arg = ctx.argv[1];
  const ash = ctx.state.get('SHELL') === '/bin/sh';
  if (arg !== undefined && !/^-?\d+$/.test(arg)) return (await err(ctx, ash ? `sh: ${kind}: Illegal number: ${arg}\n` : `bash: ${kind}: ${arg}: numeric argument required\n`), ash ? 2 : 128);
  const levels = arg === undefined ? 1 : Number(arg);
  if (levels < 1) return (await err(ctx, ash ? `sh: ${kind}: Illegal number: ${arg}\n` : `bash: ${kind}: ${arg}: loop count out of range\n`), ash ? 2 : 1);
  if (ctx.state.loopDepth === 0) return ash ? 0 : (await err(ctx, `bash: ${kind}: only meaningful in a \`for', \`while', or \`until' loop\n`), 0);
  throw new LoopSignal(kind, Math.min(levels, ctx.state.loopDepth));
};

const shift: Builtin = async (ctx) => {
  const n = Number(ctx.argv[1] ?? 1);
  if (n > ctx.state.positional.length) return 1;
  ctx.state.positional = ctx.state.positional.slice(n);
  return 0;
};

const history: Builtin = async (ctx) => {
  if (ctx.argv[1] === '-c') { ctx.state.history.length = 0; return 0; }
  const list = ctx.state.history;
  const n = ctx.argv[1] ? Number(ctx.argv[1]) : list.length;
  const start = Math.max(0, list.length - n);
  for (let i = start; i < list.length; i++) await out(ctx, `${String(i + 1).padStart(5)}  ${list[i]}\n`);
  return 0;
};

const clear: Builtin = async (ctx) => {
  await out(ctx, '\x1b[H\x1b[2J\x1b[3J');
  return 0;
};

const help: Builtin = async (ctx) => {
  await out(ctx, 'kubelab shell. These commands are available:\n\n');
  const names = [...new Set([...ctx.builtinNames(), ...ctx.registry.names()])].sort();
  for (const name of names) {
    const summary = ctx.registry.get(name)?.summary ?? (ctx.builtinNames().includes(name) ? 'shell builtin' : '');
    await out(ctx, ` ${name.padEnd(12)} ${summary}\n`);
  }
  return 0;
};

const read: Builtin = async (ctx) => {
  const names = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  const got = await ctx.stdin.readLine();
  const line = got ?? '';
  const fields = line.trim().split(/[ \t]+/);
  const vars = names.length ? names : ['REPLY'];
  vars.forEach((v, i) => ctx.state.set(v, i === vars.length - 1 ? fields.slice(i).join(' ') : fields[i] ?? ''));
  return got !== null ? 0 : 1;
};

const test: Builtin = async (ctx) => {
  let args = ctx.argv.slice(1);
  if (ctx.argv[0] === '[') {
    if (args.at(-1) !== ']') return (await err(ctx, "bash: [: missing `]'\n"), 2);
    args = args.slice(0, -1);
  }
  try {
    return evalTestArgs(args, ctx) ? 0 : 1;
  } catch (e) {
    await err(ctx, `bash: ${ctx.argv[0]}: ${(e as Error).message}\n`);
    return 2;
  }
};

function evalTestArgs(args: string[], ctx: BuiltinContext): boolean {
  if (args[0] === '!') return !evalTestArgs(args.slice(1), ctx);
  const and = args.indexOf('-a');
  if (and > 0) return evalTestArgs(args.slice(0, and), ctx) && evalTestArgs(args.slice(and + 1), ctx);
  const or = args.indexOf('-o');
  if (or > 0) return evalTestArgs(args.slice(0, or), ctx) || evalTestArgs(args.slice(or + 1), ctx);
  if (args.length === 0) return false;
  if (args.length === 1) return args[0] !== '';
  if (args.length === 2) return unaryTest(args[0]!, args[1]!, ctx.fs, ctx.state.cwd);
  return binaryTest(args[1]!, args[0]!, args[2]!);
}

const typeBuiltin: Builtin = async (ctx) => {
  let status = 0;
  for (const name of ctx.argv.slice(1)) {
    if (ctx.state.functions.has(name)) await out(ctx, `${name} is a function\n`);
    else if (ctx.builtinNames().includes(name)) await out(ctx, `${name} is a shell builtin\n`);
    else if (ctx.registry.has(name)) await out(ctx, `${name} is /usr/bin/${name}\n`);
    else { await err(ctx, `bash: type: ${name}: not found\n`); status = 1; }
  }
  return status;
};

function quoteIfNeeded(v: string): string {
  return /^[\w./:=@%+-]*$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

export function createBuiltins(): Map<string, Builtin> {
  return new Map<string, Builtin>([
    ['cd', cd], ['pwd', async (ctx) => (await out(ctx, ctx.state.cwd + '\n'), 0)], ['echo', echo], ['printf', printf],
    ['export', exportBuiltin], ['unset', unset], ['set', set], ['env', env], ['true', async () => 0], [':', async () => 0],
    ['false', async () => 1], ['exit', exit], ['return', returnBuiltin], ['break', loopControl('break')],
    ['continue', loopControl('continue')], ['shift', shift], ['history', history], ['clear', clear], ['help', help],
    ['read', read], ['test', test], ['[', test], ['type', typeBuiltin],
  ]);
}

export { FsError };
