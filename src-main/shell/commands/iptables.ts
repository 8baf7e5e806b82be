/** iptables, iptables-save and conntrack on a node: views of the tables kube-proxy wrote in that node's worker. */
import type { CommandResult } from '../../contract/command-result.ts';
import type { CommandContext } from '../../userland/command.ts';
import type { ClusterCommandDeps } from './deps.ts';
import { nodeOf } from './place.ts';
import type { NodeCallArgs, NodeCallResult } from '../../node/calls.ts';

type Out = CommandResult;

async function emit(ctx: CommandContext, out: Out): Promise<number> {
  if (out.stdout) await ctx.stdout.write(out.stdout);
  if (out.stderr) await ctx.stderr.write(out.stderr);
  return out.code;
}

async function call<M extends 'iptablesZero' | 'iptablesRules' | 'iptablesList' | 'iptablesSave' | 'conntrack'>(ctx: CommandContext, deps: ClusterCommandDeps, tool: string, method: M, ...args: NodeCallArgs<M>): Promise<NodeCallResult<M> | undefined> {
  if (deps.place.kind === 'pod') {
    await ctx.stderr.write(`${tool}: Permission denied (you must be root)\n`);
    return undefined;
  }
  const node = nodeOf(deps.cluster, deps.place)!;
  try {
    return await node.call(method, ...args);
  } catch (e) {
    await ctx.stderr.write(`${tool}: ${(e as Error).message}\n`);
    return undefined;
  }
}

export interface IptablesArgs { table: 'nat' | 'filter'; action: 'list' | 'save' | 'zero'; chain?: string; numeric: boolean; verbose: boolean; exact: boolean; lineNumbers: boolean }

export function parseIptablesArgs(args: string[]): IptablesArgs | string {
  const o: IptablesArgs = { table: 'filter', action: 'list', numeric: false, verbose: false, exact: false, lineNumbers: false };
  let action: IptablesArgs['action'] | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-t' || a === '--table') {
      const t = args[++i];
      if (t !== 'nat' && t !== 'filter') return `iptables v1.8.10 (nf_tables): can't initialize iptables table \`${t ?? ''}': Table does not exist (do you need to insmod?)\nPerhaps iptables or your kernel needs to be upgraded.`;
      o.table = t;
    } else if (a === '--line-numbers') o.lineNumbers = true;
    else if (a === '--list') action = 'list';
    else if (a === '--list-rules') action = 'save';
    else if (a === '--zero') action = 'zero';
    else if (a === '--numeric') o.numeric = true;
    else if (a === '--verbose') o.verbose = true;
    else if (a === '--exact') o.exact = true;
    else if (/^-[LSZnvx]+$/.test(a)) {
      for (const c of a.slice(1)) {
        if (c === 'L') action = 'list';
        else if (c === 'S') action = 'save';
        else if (c === 'Z') action = action ?? 'zero';
        else if (c === 'n') o.numeric = true;
        else if (c === 'v') o.verbose = true;
        else if (c === 'x') o.exact = true;
      }
    } else if (!a.startsWith('-')) o.chain = a;
    else return `iptables v1.8.10 (nf_tables): unknown option "${a}"\nTry \`iptables -h' or 'iptables --help' for more information.`;
  }
  if (!action) return "iptables v1.8.10 (nf_tables): no command specified\nTry `iptables -h' or 'iptables --help' for more information.";
  o.action = action;
  return o;
}

export async function iptables(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const parsed = parseIptablesArgs(ctx.argv.slice(1));
  if (typeof parsed === 'string') return emit(ctx, { stdout: '', stderr: parsed + '\n', code: 2 });
  const { table, chain } = parsed;
  if (parsed.action === 'zero') {
    const ok = await call(ctx, deps, 'iptables', 'iptablesZero', table);
    return ok === undefined && deps.place.kind === 'pod' ? 4 : 0;
  }
  const out = parsed.action === 'save'
    ? await call(ctx, deps, 'iptables', 'iptablesRules', { table, chain })
    : await call(ctx, deps, 'iptables', 'iptablesList', { table, chain, numeric: parsed.numeric, verbose: parsed.verbose, exact: parsed.exact, lineNumbers: parsed.lineNumbers });
  return out ? emit(ctx, out) : 4;
}

export async function iptablesSave(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const args = ctx.argv.slice(1);
  let table: 'nat' | 'filter' | undefined;
  let counters = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-t' || a === '--table') {
      const t = args[++i];
      if (t !== 'nat' && t !== 'filter') return emit(ctx, { stdout: '', stderr: `iptables-save v1.8.10 (nf_tables): Cannot initialize: Table does not exist (do you need to insmod?)\n\n`, code: 1 });
      table = t;
    } else if (a === '-c' || a === '--counters') counters = true;
  }
  const text = await call(ctx, deps, 'iptables-save', 'iptablesSave', { table, counters, at: ctx.now() });
  if (text === undefined) return 1;
  await ctx.stdout.write(text);
  return 0;
}

export async function conntrack(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const args = ctx.argv.slice(1);
  const filter: Record<string, string | number> = {};
  let action: 'L' | 'C' | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-L' || a === '--dump') action = 'L';
    else if (a === '-C' || a === '--count') action = 'C';
    else if (a === '-p' || a === '--proto') filter.proto = args[++i] ?? '';
    else if (a === '-s' || a === '--orig-src' || a === '--src') filter.src = args[++i] ?? '';
    else if (a === '-d' || a === '--orig-dst' || a === '--dst') filter.dst = args[++i] ?? '';
    else if (a === '-r' || a === '--reply-src') filter.replySrc = args[++i] ?? '';
    else if (a === '--dport' || a === '--orig-port-dst') filter.dport = Number(args[++i]);
    else return emit(ctx, { stdout: '', stderr: `conntrack v1.4.8 (conntrack-tools): unknown option \`${a}'\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`, code: 2 });
  }
  if (!action) return emit(ctx, { stdout: '', stderr: "conntrack v1.4.8 (conntrack-tools): no command specified\nTry `conntrack -h' or 'conntrack --help' for more information.\n", code: 2 });
  const out = await call(ctx, deps, 'conntrack', 'conntrack', action === 'C' ? {} : filter);
  if (!out) return 1;
  if (action === 'C') {
    await ctx.stdout.write(`${out.stdout.split('\n').filter(Boolean).length}\n`);
    return 0;
  }
  return emit(ctx, out);
}
