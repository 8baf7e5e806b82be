/** printf(1) formatting, shared by the printf builtin and awk. Reuses the format until args are consumed. */
import { ansiC } from './ansi-c.ts';

export function formatPrintf(format: string, args: (string | number)[], opts: { reuse?: boolean; escapes?: boolean } = {}): string {
  const fmt = opts.escapes === false ? format : ansiC(format.replace(/\\c[\s\S]*$/, ''));
  let out = '';
  let i = 0;
  do {
    const before = i;
    out += fmt.replace(/%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([sdifgGeExXoc%b])/g, (_m, flags: string, width?: string, prec?: string, conv?: string) => {
      if (conv === '%') return '%';
      if (width === '*') width = String(args[i++] ?? 0);
      if (prec === '*') prec = String(args[i++] ?? 0);
      const arg = args[i++];
      return pad(convert(conv!, arg, prec, flags), flags, width ? Number(width) : 0, conv!);
    });
    if (!opts.reuse || i === before || i >= args.length) break;
  } while (true);
  return out;
}

function toNumber(arg: string | number | undefined): number {
  if (typeof arg === 'number') return arg;
  if (arg === undefined || arg === '') return 0;
  if (/^['"]/.test(arg)) return arg.codePointAt(1) ?? 0;
  const n = Number(arg);
  return Number.isNaN(n) ? parseFloat(arg) || 0 : n;
}

function convert(conv: string, arg: string | number | undefined, prec: string | undefined, flags: string): string {
  const p = prec === undefined ? undefined : Number(prec);
  switch (conv) {
    case 's': { const s = String(arg ?? ''); return p === undefined ? s : s.slice(0, p); }
    case 'b': return ansiC(String(arg ?? ''));
    case 'c': return String(arg ?? '').charAt(0);
    case 'd': case 'i': { const n = Math.trunc(toNumber(arg)); return (flags.includes('+') && n >= 0 ? '+' : '') + String(n); }
    case 'f': { const n = toNumber(arg); return (flags.includes('+') && n >= 0 ? '+' : '') + n.toFixed(p ?? 6); }
    case 'e': case 'E': { const s = toNumber(arg).toExponential(p ?? 6).replace(/e([+-])(\d)$/, 'e$10$2'); return conv === 'E' ? s.toUpperCase() : s; }
    case 'g': case 'G': { const n = toNumber(arg); const s = String(Number(n.toPrecision(p || 6))); return conv === 'G' ? s.toUpperCase() : s; }
    case 'x': return Math.trunc(toNumber(arg)).toString(16);
    case 'X': return Math.trunc(toNumber(arg)).toString(16).toUpperCase();
    case 'o': return Math.trunc(toNumber(arg)).toString(8);
  }
  return '';
}

function pad(s: string, flags: string, width: number, conv: string): string {
  if (s.length >= width) return s;
  if (flags.includes('-')) return s.padEnd(width);
  if (flags.includes('0') && 'dfieEgGxXo'.includes(conv)) {
    const sign = /^[+-]/.test(s) ? s[0]! : '';
    return sign + s.slice(sign.length).padStart(width - sign.length, '0');
  }
  return s.padStart(width);
}
