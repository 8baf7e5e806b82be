/** sed subset: s/re/rep/[gpI N], d, p, q, with -n, -e (several), -E, -i, and line-number / /re/ / $ addresses. */
import type { Command } from '../command.ts';
import { breToJs, posixClasses } from './grep.ts';
import { eachLine, readOrReport, splitLines } from './io.ts';

interface SedCmd { addr?: (line: string, n: number, last: boolean) => boolean; op: string; re?: RegExp; rep?: string; global?: boolean; print?: boolean; text?: string }

function splitDelimited(src: string, start: number, delim: string): [string, number] {
  let out = '';
  let i = start;
  for (; i < src.length && src[i] !== delim; i++) {
    if (src[i] === '\\' && src[i + 1] === delim) { out += delim; i++; } else if (src[i] === '\\') { out += src[i]! + src[++i]!; } else out += src[i];
  }
  return [out, i + 1];
}

export function parseSed(script: string, extended: boolean): SedCmd[] {
  const cmds: SedCmd[] = [];
  const toRe = (s: string, fl = ''): RegExp => new RegExp(posixClasses(extended ? s : breToJs(s)), fl);
  let i = 0;
  while (i < script.length) {
    while (i < script.length && /[\s;]/.test(script[i]!)) i++;
    if (i >= script.length) break;
    let addr: SedCmd['addr'];
    const num = /^(\d+|\$)/.exec(script.slice(i));
    if (num) {
      const n = num[1] === '$' ? -1 : Number(num[1]);
      addr = (_l, ln, last) => (n === -1 ? last : ln === n);
      i += num[0].length;
    } else if (script[i] === '/') {
      const [re, next] = splitDelimited(script, i + 1, '/');
      const r = toRe(re);
      addr = (l) => r.test(l);
      i = next;
    }
    if (i >= script.length) throw new Error(`-e expression #1, char ${i}: missing command`);
    const op = script[i++]!;
    if (op === 's') {
      const delim = script[i]!;
      const [re, a] = splitDelimited(script, i + 1, delim);
      const [rep, b] = splitDelimited(script, a, delim);
      let j = b;
      let fl = '';
      while (j < script.length && /[gpIi0-9]/.test(script[j]!)) fl += script[j++];
      i = j;
      cmds.push({ addr, op, re: toRe(re, (fl.includes('g') ? 'g' : '') + (/[Ii]/.test(fl) ? 'i' : '')), rep, global: fl.includes('g'), print: fl.includes('p') });
    } else if ('dpq='.includes(op)) cmds.push({ addr, op });
    else throw new Error(`-e expression #1, char ${i}: unknown command: \`${op}'`);
  }
  return cmds;
}

function replacement(rep: string, m: RegExpExecArray | string[]): string {
  return rep.replace(/\\(\d)|\\n|\\t|\\(.)|&/g, (all, d?: string, lit?: string) => {
    if (all === '&') return m[0] ?? '';
    if (all === '\\n') return '\n';
    if (all === '\\t') return '\t';
    if (d !== undefined) return m[Number(d)] ?? '';
    return lit ?? '';
  });
}

export const sed: Command = async (ctx) => {
  const args = ctx.argv.slice(1);
  const scripts: string[] = [];
  const files: string[] = [];
  let quiet = false, extended = false, inPlace = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-e') scripts.push(args[++i] ?? '');
    else if (a === '-n') quiet = true;
    else if (a === '-E' || a === '-r') extended = true;
    else if (a === '-i') inPlace = true;
    else if (/^-[nErie]+$/.test(a)) { quiet ||= a.includes('n'); extended ||= /[Er]/.test(a); inPlace ||= a.includes('i'); if (a.endsWith('e')) scripts.push(args[++i] ?? ''); }
    else if (scripts.length === 0 && !a.startsWith('-')) scripts.push(a);
    else files.push(a);
  }
  if (scripts.length === 0) return (await ctx.stderr.write('Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n'), 1);
  let cmds: SedCmd[];
  try {
    cmds = scripts.flatMap((s) => parseSed(s, extended));
  } catch (e) {
    await ctx.stderr.write(`sed: ${(e as Error).message}\n`);
    return 1;
  }
  let n = 0;
  let quit = false;
  const apply = (line: string, last: boolean): string => {
    n++;
    let out = '';
    let pattern = line;
    for (const c of cmds) {
      if (c.addr && !c.addr(pattern, n, last)) continue;
      if (c.op === 'd') return out;
      if (c.op === 'p') out += pattern + '\n';
      if (c.op === '=') out += `${n}\n`;
      if (c.op === 'q') { quit = true; break; }
      if (c.op === 's') {
        c.re!.lastIndex = 0;
        if (!c.re!.test(pattern)) continue;
        c.re!.lastIndex = 0;
        pattern = pattern.replace(c.re!, (...m) => replacement(c.rep!, m.slice(0, -2).map((x) => (x === undefined ? '' : String(x)))));
        if (c.print) out += pattern + '\n';
      }
    }
    return out + (quiet ? '' : pattern + '\n');
  };
  if (inPlace) {
    for (const f of files) {
      const text = await readOrReport(ctx, f);
      if (text === undefined) continue;
      const lines = splitLines(text);
      n = 0;
      ctx.fs.writeFile(ctx.fs.resolve(ctx.cwd, f), lines.map((l, i) => apply(l, i === lines.length - 1)).join(''));
    }
    return 0;
  }
  // One line of look-ahead so `$` knows the last line.
  let pending: string | undefined;
  await eachLine(ctx, files, async (line) => {
    if (pending !== undefined) await ctx.stdout.write(apply(pending, false));
    pending = line;
    return !quit;
  });
  if (pending !== undefined && !quit) await ctx.stdout.write(apply(pending, true));
  return 0;
};
