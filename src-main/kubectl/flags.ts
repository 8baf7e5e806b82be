/**
 * Command-line parsing as cobra/pflag do it for kubectl. Each command's flag table is read from the real help text
 * (`    -n, --namespace='':` lines: the default's shape gives the type), so the flags we accept are exactly the
 * real ones. Interspersed flags and args, `--`, `-abc` shorthand chains, `-nfoo`, `--x=y`, NoOptDefVal flags.
 */
import { HELP_TEXTS } from './help/help-texts.ts';

export type FlagType = 'bool' | 'string' | 'int' | 'duration' | 'slice' | 'array';

export interface FlagSpec {
  name: string;
  short?: string;
  type: FlagType;
  def: string;
  /** The value a bare `--flag` means for non-bool flags (pflag NoOptDefVal). */
  noOptDefVal?: string;
}

/** Flags kubectl declares with StringArray (no comma splitting); other `[]` flags are StringSlice. */
const STRING_ARRAY = new Set(['from-literal', 'env', 'annotations', 'overrides', 'from-env-file', 'override-type', 'as-group', 'labels', 'port', 'tcp', 'filename']);
const NO_OPT_DEFAULTS: Record<string, string> = { 'dry-run': 'unchanged', validate: 'strict', cascade: 'background', 'output-watch-events': 'true' };

export class FlagError extends Error {}

function typeOf(def: string): FlagType {
  if (def === 'true' || def === 'false') return 'bool';
  if (/^-?\d+$/.test(def)) return 'int';
  if (/^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/.test(def)) return 'duration';
  if (def.startsWith('[')) return 'slice';
  return 'string';
}

function parseSpecs(text: string): FlagSpec[] {
  const out: FlagSpec[] = [];
  for (const m of text.matchAll(/^ {4}(?:-(\S), )?--([\w-]+)=(.*):$/gm)) {
    let def = m[3];
    if (def.startsWith("'") && def.endsWith("'")) def = def.slice(1, -1);
    const name = m[2];
    let type = typeOf(m[3].startsWith("'") ? "''" : def);
    if (type === 'slice') {
      if (STRING_ARRAY.has(name)) type = 'array';
      def = '';
    }
    out.push({ name, short: m[1], type, def, noOptDefVal: NO_OPT_DEFAULTS[name] });
  }
  return out;
}

const specCache = new Map<string, FlagSpec[]>();

/** The command's own flags followed by the global ones. */
export function flagSpecs(cmdPath: string): FlagSpec[] {
  let specs = specCache.get(cmdPath);
  if (!specs) {
    const own = cmdPath === '' ? [] : parseSpecs(HELP_TEXTS[cmdPath] ?? '');
    const globals = parseSpecs(HELP_TEXTS.options).filter((g) => !own.some((o) => o.name === g.name));
    specs = [...own, ...globals, { name: 'help', short: 'h', type: 'bool', def: 'false' }];
    specCache.set(cmdPath, specs);
  }
  return specs;
}

export function globalFlagSpecs(): FlagSpec[] {
  return flagSpecs('');
}

export function parseGoBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

/** Go's time.ParseDuration for the units kubectl users type; milliseconds. */
export function parseGoDuration(s: string): number | undefined {
  if (s === '0') return 0;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let i = 0;
  let total = 0;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? -1 : 1;
    i = 1;
  }
  if (i >= s.length) return undefined;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * units[m[2]];
    i = re.lastIndex;
  }
  return sign * total;
}

export class Flags {
  readonly values = new Map<string, string | string[]>();
  readonly changed = new Set<string>();
  constructor(readonly specs: FlagSpec[]) {}

  spec(name: string): FlagSpec | undefined {
    return this.specs.find((s) => s.name === name);
  }
  has(name: string): boolean {
    return this.changed.has(name);
  }
  str(name: string): string {
    const v = this.values.get(name);
    if (v !== undefined) return Array.isArray(v) ? v.join(',') : v;
    return this.spec(name)?.def ?? '';
  }
  bool(name: string): boolean {
    return parseGoBool(this.str(name)) ?? false;
  }
  int(name: string): number {
    return Number(this.str(name) || 0);
  }
  /** Milliseconds. */
  duration(name: string): number {
    return parseGoDuration(this.str(name)) ?? 0;
  }
  list(name: string): string[] {
    const v = this.values.get(name);
    return Array.isArray(v) ? v : v === undefined ? [] : [v];
  }

  set(spec: FlagSpec, raw: string): void {
    const flagName = `--${spec.name}`;
    const invalid = (why: string) => new FlagError(`invalid argument "${raw}" for "${spec.short ? `-${spec.short}, ` : ''}${flagName}" flag: ${why}`);
    switch (spec.type) {
      case 'bool':
        if (parseGoBool(raw) === undefined) throw invalid(`strconv.ParseBool: parsing "${raw}": invalid syntax`);
        break;
      case 'int':
        if (!/^[+-]?\d+$/.test(raw)) throw invalid(`strconv.ParseInt: parsing "${raw}": invalid syntax`);
        break;
      case 'duration':
        if (parseGoDuration(raw) === undefined) throw invalid(`time: invalid duration "${raw}"`);
        break;
    }
    if (spec.type === 'slice' || spec.type === 'array') {
      const prev = this.changed.has(spec.name) ? this.list(spec.name) : [];
      const add = spec.type === 'slice' ? (raw === '' ? [] : raw.split(',')) : [raw];
      this.values.set(spec.name, [...prev, ...add]);
    } else this.values.set(spec.name, raw);
    this.changed.add(spec.name);
  }
}

export interface ParsedArgs {
  flags: Flags;
  args: string[];
  /** Index in args where `--` was seen, or -1 (cobra's ArgsLenAtDash). */
  argsLenAtDash: number;
}

export function parseArgs(cmdPath: string, argv: string[]): ParsedArgs {
  const flags = new Flags(flagSpecs(cmdPath));
  const args: string[] = [];
  let dash = -1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      dash = args.length;
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const spec = flags.spec(name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) flags.set(spec, a.slice(eq + 1));
      else if (spec.type === 'bool') flags.set(spec, 'true');
      else if (spec.noOptDefVal !== undefined) flags.set(spec, spec.noOptDefVal);
      else if (i + 1 < argv.length) flags.set(spec, argv[++i]);
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      let rest = a.slice(1);
      while (rest.length > 0) {
        const c = rest[0];
        const spec = flags.specs.find((s) => s.short === c);
        if (!spec) throw new FlagError(`unknown shorthand flag: '${c}' in ${a}`);
        rest = rest.slice(1);
        if (rest.startsWith('=')) {
          flags.set(spec, rest.slice(1));
          rest = '';
        } else if (spec.type === 'bool') flags.set(spec, 'true');
        else if (spec.noOptDefVal !== undefined) flags.set(spec, spec.noOptDefVal);
        else if (rest.length > 0) {
          flags.set(spec, rest);
          rest = '';
        } else if (i + 1 < argv.length) flags.set(spec, argv[++i]);
        else throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
      }
      continue;
    }
    args.push(a);
  }
  return { flags, args, argsLenAtDash: dash };
}

/**
 * cobra's Find: the command path named by the leading non-flag words (global flags may come first), and the
 * remaining argv with those words removed.
 */
export function splitCommand(argv: string[], isCommand: (path: string) => boolean): { path: string; rest: string[] } {
  const globals = globalFlagSpecs();
  const rest: string[] = [];
  let path = '';
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a.startsWith('-') && a.length > 1) {
      rest.push(a);
      const long = a.startsWith('--');
      const name = long ? a.slice(2).split('=')[0] : a.slice(1);
      const spec = globals.find((s) => (long ? s.name === name : s.short === name));
      if (spec && spec.type !== 'bool' && !a.includes('=') && spec.noOptDefVal === undefined && i + 1 < argv.length) rest.push(argv[++i]);
      continue;
    }
    const next = path ? `${path} ${a}` : a;
    if (isCommand(next)) {
      path = next;
      continue;
    }
    if (path === '') return { path: `?${a}`, rest: argv };
    break;
  }
  return { path, rest: [...rest, ...argv.slice(i)] };
}
