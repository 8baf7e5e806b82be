/** seq sleep date yes xargs watch. Time comes from the context's clock so tests run on a manual clock. */
import type { Command } from '../command.ts';
import { inputs, invalidOption, parseFlags } from './io.ts';

export const seq: Command = async (ctx) => {
  // Not digits as flags: `seq 3 -1 1` counts down.
  const { flags, rest, bad } = parseFlags(ctx.argv.slice(1), 'sf', 'w');
  if (bad) return invalidOption(ctx, bad);
  const nums = rest.map(Number);
  if (rest.length === 0 || rest.length > 3 || nums.some(Number.isNaN)) {
    const badArg = rest.find((r) => Number.isNaN(Number(r)));
    await ctx.stderr.write(badArg ? `seq: invalid floating point argument: '${badArg}'\n` : 'seq: missing operand\n');
    await ctx.stderr.write("Try 'seq --help' for more information.\n");
    return 1;
  }
  const [first, step, last] = nums.length === 1 ? [1, 1, nums[0]!] : nums.length === 2 ? [nums[0]!, 1, nums[1]!] : [nums[0]!, nums[1]!, nums[2]!];
  const sep = (flags.get('s') as string | undefined) ?? '\n';
  const width = flags.has('w') ? String(Math.trunc(last)).length : 0;
  const decimals = Math.max(...rest.map((r) => (r.includes('.') ? r.split('.')[1]!.length : 0)));
  let out = '';
  let first1 = true;
  for (let v = first; step > 0 ? v <= last + 1e-9 : v >= last - 1e-9; v += step) {
    if (ctx.signal.aborted) return 130;
    out += (first1 ? '' : sep) + v.toFixed(decimals).padStart(width, '0');
    first1 = false;
    if (out.length > 8192) { await ctx.stdout.write(out); out = ''; if (ctx.stdout.closed) return 141; }
    if (step === 0) break;
  }
  if (!first1 || out) await ctx.stdout.write(out + '\n');
  return 0;
};

function parseDuration(arg: string): number | undefined {
  const m = /^(\d*\.?\d+)([smhd]?)$/.exec(arg);
  if (!m) return undefined;
  return Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2]!] ?? 1) * 1000;
}

export const sleep: Command = async (ctx) => {
  const args = ctx.argv.slice(1);
  if (args.length === 0) return (await ctx.stderr.write("sleep: missing operand\nTry 'sleep --help' for more information.\n"), 1);
  let total = 0;
  for (const a of args) {
    const ms = parseDuration(a);
    if (ms === undefined) return (await ctx.stderr.write(`sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`), 1);
    total += ms;
  }
  if (total > 0) await ctx.sleep(total, ctx.signal);
  return ctx.signal.aborted ? 130 : 0;
};

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number): string => String(n).padStart(2, '0');

/** `date` in UTC, the format of coreutils' default: `Thu Jan  1 00:00:00 UTC 2026`. */
export function formatDate(ms: number, format?: string): string {
  const d = new Date(ms);
  const fields: Record<string, string> = {
    a: DAYS[d.getUTCDay()]!, b: MONTHS[d.getUTCMonth()]!, d: p2(d.getUTCDate()), e: String(d.getUTCDate()).padStart(2), H: p2(d.getUTCHours()),
    M: p2(d.getUTCMinutes()), S: p2(d.getUTCSeconds()), Y: String(d.getUTCFullYear()), m: p2(d.getUTCMonth() + 1), y: p2(d.getUTCFullYear() % 100),
    Z: 'UTC', z: '+0000', s: String(Math.floor(ms / 1000)), N: String(d.getUTCMilliseconds() * 1e6).padStart(9, '0'), n: '\n', t: '\t', '%': '%',
    F: `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`, T: `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`,
  };
  return (format ?? '%a %b %e %T %Z %Y').replace(/%([a-zA-Z%])/g, (m, c: string) => fields[c] ?? m);
}

export const date: Command = async (ctx) => {
  const fmt = ctx.argv.slice(1).find((a) => a.startsWith('+'));
  let format = fmt?.slice(1);
  if (ctx.argv.includes('-u') === false && ctx.argv.includes('-R')) format = '%a, %d %b %Y %T %z';
  if (ctx.argv.includes('-I')) format = '%F';
  await ctx.stdout.write(formatDate(ctx.now(), format) + '\n');
  return 0;
};

export const yes: Command = async (ctx) => {
  const line = (ctx.argv.length > 1 ? ctx.argv.slice(1).join(' ') : 'y') + '\n';
  const block = line.repeat(Math.max(1, Math.floor(4096 / line.length)));
  while (!ctx.signal.aborted && !ctx.stdout.closed) {
    await ctx.stdout.write(block);
    await new Promise((r) => setImmediate(r));
  }
  return ctx.stdout.closed ? 141 : 130;
};

export const xargs: Command = async (ctx) => {
  const { flags, rest, bad } = parseFlags(ctx.argv.slice(1), 'nIdL', 'rt0');
  if (bad) return invalidOption(ctx, bad);
  const command = rest.length ? rest : ['echo'];
  let text = '';
  for await (const c of inputs(ctx, [])) text += c.text;
  const items = flags.has('0') ? text.split('\0').filter(Boolean) : flags.has('I') || flags.has('L') || flags.has('d') ? text.split((flags.get('d') as string) ?? '\n').filter(Boolean) : text.split(/\s+/).filter(Boolean);
  if (items.length === 0 && flags.has('r')) return 0;
  const replace = flags.get('I') as string | undefined;
  const per = replace ? 1 : Number(flags.get('n') ?? flags.get('L') ?? (items.length || 1));
  let status = 0;
  for (let i = 0; i < Math.max(items.length, 1); i += per) {
    if (ctx.signal.aborted) return 130;
    const batch = items.slice(i, i + per);
    const argv = replace ? command.map((a) => a.split(replace).join(batch[0] ?? '')) : [...command, ...batch];
    if (flags.has('t')) await ctx.stderr.write(argv.join(' ') + '\n');
    const s = await ctx.shell.exec(argv);
    if (s !== 0) status = s === 127 ? 127 : 123;
  }
  return status;
};

/** watch: re-runs the command line every interval, redrawing with procps' header. */
export const watch: Command = async (ctx) => {
  const { flags, rest, bad } = parseFlags(ctx.argv.slice(1), 'n', 'tdx');
  if (bad) return invalidOption(ctx, bad);
  if (rest.length === 0) return (await ctx.stderr.write("Usage:\n watch [options] command\n"), 1);
  const seconds = Math.max(0.1, Number(flags.get('n') ?? 2));
  const line = rest.join(' ');
  const header = `Every ${seconds.toFixed(1)}s: ${line}`;
  while (!ctx.signal.aborted) {
    const result = await ctx.shell.capture(line, { signal: ctx.signal });
    if (ctx.signal.aborted) break;
    let screen = '\x1b[H\x1b[2J';
    if (!flags.has('t')) {
      const right = `${ctx.shell.hostname}: ${formatDate(ctx.now())}`;
      const gap = Math.max(1, ctx.terminal.columns - header.length - right.length);
      screen += `${header}${' '.repeat(gap)}${right}\n\n`;
    }
    screen += (result.stdout + result.stderr).split('\n').slice(0, Math.max(1, ctx.terminal.rows - 2)).join('\n');
    await ctx.stdout.write(screen);
    await ctx.sleep(seconds * 1000, ctx.signal).catch(() => {});
  }
  return 130;
};
