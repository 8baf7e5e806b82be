/** jq through jq-web (jq compiled to WebAssembly). Flags are passed to jq itself; -e is computed here. */
import { createRequire } from 'node:module';
import type { Command } from '../command.ts';
import { inputs } from './io.ts';

interface JqModule { raw(input: string, filter: string, flags?: string[]): string }
const require = createRequire(import.meta.url);
let loaded: Promise<JqModule> | undefined;
const loadJq = (): Promise<JqModule> => (loaded ??= Promise.resolve(require('jq-web') as Promise<JqModule>));

const PASS_FLAGS = new Set(['-r', '-c', '-s', '-n', '-j', '-a', '-S', '-C', '-M', '--raw-output', '--compact-output', '--slurp', '--null-input', '--sort-keys', '--tab', '--join-output']);

export const jq: Command = async (ctx) => {
  const args = ctx.argv.slice(1);
  const flags: string[] = [];
  const positional: string[] = [];
  let exitStatus = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-e' || a === '--exit-status') exitStatus = true;
    else if (a === '--arg' || a === '--argjson') { flags.push(a, args[++i]!, args[++i]!); }
    else if (/^-[rcsnjaSCMe]{2,}$/.test(a)) for (const f of a.slice(1)) f === 'e' ? (exitStatus = true) : flags.push(`-${f}`);
    else if (PASS_FLAGS.has(a)) flags.push(a);
    else if (a.startsWith('-') && a !== '-' && positional.length === 0 && !a.startsWith('-.')) {
      await ctx.stderr.write(`jq: Unknown option: ${a}\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq\n`);
      return 2;
    } else positional.push(a);
  }
  const filter = positional.shift() ?? '.';
  let input = '';
  for await (const { text } of inputs(ctx, positional)) input += text;
  const jqm = await loadJq();
  let output: string;
  try {
    // jq-web returns nothing at all for an empty input, where jq prints nothing and succeeds.
    output = jqm.raw(flags.includes('-n') ? 'null' : input, filter, flags.filter((f) => f !== '-C')) ?? '';
  } catch (e) {
    const err = e as { exitCode?: number; stderr?: string; message: string };
    await ctx.stderr.write((err.stderr ?? err.message).replace(/\n?$/, '\n'));
    // jq-web reports input parse errors as 5; jq itself exits 2 for them.
    return /^jq: parse error/.test(err.stderr ?? '') ? 2 : err.exitCode ?? 5;
  }
  if (output !== '') await ctx.stdout.write(output.endsWith('\n') || flags.includes('-j') ? output : output + '\n');
  if (!exitStatus) return 0;
  const lastLine = output.trimEnd().split('\n').at(-1);
  if (output.trim() === '') return 4;
  return lastLine === 'null' || lastLine === 'false' ? 1 : 0;
};
