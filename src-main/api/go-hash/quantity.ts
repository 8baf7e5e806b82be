/**
 * resource.Quantity as the controller holds it. The apiserver serialises a quantity in canonical form
 * (Quantity.String()), and a client decodes that string with ParseQuantity, which caches the string in `s` only when
 * it is already canonical for its fast path, and falls back to an inf.Dec for values its int64 path cannot hold.
 * Returned as a plain object keyed by the Go field names of resource.Quantity (k8s.io/apimachinery v0.32).
 */

type Format = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

export interface GoQuantity {
  i: { value: string; scale: number };
  d: { Dec: { unscaled: { neg: boolean; abs: string[] | null }; scale: number } | null };
  s: string;
  Format: Format | '';
}

const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIX: Record<number, string> = Object.fromEntries(Object.entries(DECIMAL).map(([s, e]) => [e, s]));
const BINARY_SUFFIX: Record<number, string> = Object.fromEntries(Object.entries(BINARY).map(([s, e]) => [e / 10, s]));
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

interface Parts {
  positive: boolean;
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

/** parseQuantityString. */
function split(str: string): Parts {
  const m = /^([+-]?)(0*)([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(str);
  if (!m) throw new Error(`quantity ${str}`);
  const [, sign, , num, denom = '', suffix] = m;
  if (!/^(?:[eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i|)$/.test(suffix)) throw new Error(`quantity ${str}`);
  const value = str.slice(0, str.length - suffix.length);
  return { positive: sign !== '-', value, num: num === '' ? '0' : num, denom, suffix };
}

function interpret(suffix: string): { base: 2 | 10; exponent: number; format: Format } {
  if (suffix in DECIMAL) return { base: 10, exponent: DECIMAL[suffix], format: 'DecimalSI' };
  if (suffix in BINARY) return { base: 2, exponent: BINARY[suffix], format: 'BinarySI' };
  return { base: 10, exponent: Number(suffix.slice(1)), format: 'DecimalExponent' };
}

const pow10 = (n: number) => 10n ** BigInt(n);

/** inf.Dec: unscaled * 10^-scale. */
interface Dec {
  unscaled: bigint;
  scale: number;
}

function decFromString(value: string): Dec {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/.exec(value)!;
  const frac = m[3] ?? '';
  const unscaled = BigInt(`${m[2] || '0'}${frac}` || '0');
  return { unscaled: m[1] === '-' ? -unscaled : unscaled, scale: frac.length };
}

/** inf.Dec.Round(x, scale, inf.RoundUp): away from zero. */
function roundUp(d: Dec, scale: number): Dec {
  if (d.scale <= scale) return { unscaled: d.unscaled * pow10(scale - d.scale), scale };
  const div = pow10(d.scale - scale);
  const q = d.unscaled / div;
  const away = d.unscaled % div === 0n ? 0n : d.unscaled < 0n ? -1n : 1n;
  return { unscaled: q + away, scale };
}

const cmpDec = (a: Dec, b: Dec) => {
  const s = Math.max(a.scale, b.scale);
  const x = a.unscaled * pow10(s - a.scale);
  const y = b.unscaled * pow10(s - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
};

type Parsed = { kind: 'int'; value: bigint; scale: number; format: Format; s: string } | { kind: 'dec'; dec: Dec; format: Format };

/** ParseQuantity (apimachinery v0.32). */
function parseQuantity(str: string): Parsed {
  if (str === '0') return { kind: 'int', value: 0n, scale: 0, format: 'DecimalSI', s: str };
  const { positive, value, num, denom, suffix } = split(str);
  const { base, exponent, format } = interpret(suffix);
  let precision = 0;
  let scale = 0;
  let mantissa = 1n;
  if (format === 'BinarySI') {
    if (exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(exponent);
      precision = 15 - num.length - Math.trunc(Math.fround((exponent * 3) / 10)) - 1;
    } else precision = -1;
  } else {
    scale = exponent;
    precision = 18 - (num.length + denom.length);
  }
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= -9) {
      const shifted = num + denom;
      const v = BigInt(shifted);
      if (v > INT64_MAX) throw new Error(`quantity ${str}`);
      const product = v * mantissa;
      if (product <= INT64_MAX && product >= INT64_MIN) {
        const result = positive ? product : -product;
        const canonical =
          format === 'BinarySI'
            ? exponent % 10 === 0 && (v & 7n) !== 0n
            : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return { kind: 'int', value: result, scale, format, s: canonical ? str : '' };
      }
    }
  }
  let amount = decFromString(value);
  if (base === 10) amount = { unscaled: amount.unscaled, scale: amount.scale - exponent };
  else amount = { unscaled: amount.unscaled << BigInt(exponent), scale: amount.scale };
  const negative = amount.unscaled < 0n;
  if (negative) amount = { unscaled: -amount.unscaled, scale: amount.scale };
  if (amount.unscaled !== 0n) amount = roundUp(amount, 9);
  let fmt = format;
  if (fmt === 'BinarySI' && cmpDec(amount, { unscaled: INT64_MAX, scale: 0 }) > 0) amount = { unscaled: INT64_MAX, scale: 0 };
  if (fmt === 'BinarySI' && cmpDec(amount, { unscaled: 1n, scale: 0 }) < 0 && amount.unscaled > 0n) fmt = 'DecimalSI';
  if (negative) amount = { unscaled: -amount.unscaled, scale: amount.scale };
  return { kind: 'dec', dec: amount, format: fmt };
}

/** The exact value as n * 10^exp10. */
function exact(p: Parsed): { n: bigint; exp10: number } {
  return p.kind === 'int' ? { n: p.value, exp10: p.scale } : { n: p.dec.unscaled, exp10: -p.dec.scale };
}

/** Quantity.String(): CanonicalizeBytes. */
function canonical(p: Parsed): string {
  let { n, exp10 } = exact(p);
  if (n === 0n) return '0';
  let format = p.format || 'DecimalExponent';
  const abs = (x: bigint) => (x < 0n ? -x : x);
  if (format === 'BinarySI') {
    const integral = exp10 >= 0 || n % pow10(-exp10) === 0n;
    const whole = exp10 >= 0 ? n * pow10(exp10) : n / pow10(-exp10);
    const small = exp10 >= 0 ? abs(whole) < 1024n : abs(n) < 1024n * pow10(-exp10);
    if (small || !integral) format = 'DecimalSI';
    else {
      let v = whole;
      let e = 0;
      while (v % 1024n === 0n && e < 6) {
        v /= 1024n;
        e++;
      }
      return `${v}${BINARY_SUFFIX[e] ?? ''}`;
    }
  }
  // AsCanonicalBytes: exponent a multiple of 3, mantissa without a trailing 000 group.
  while (exp10 % 3 !== 0) {
    n *= 10n;
    exp10--;
  }
  while (n % 1000n === 0n) {
    n /= 1000n;
    exp10 += 3;
  }
  if (format === 'DecimalSI' && exp10 in DECIMAL_SUFFIX) return `${n}${DECIMAL_SUFFIX[exp10]}`;
  return exp10 === 0 ? `${n}` : `${n}e${exp10}`;
}

function words(x: bigint): string[] | null {
  const out: string[] = [];
  for (let v = x < 0n ? -x : x; v > 0n; v >>= 64n) out.push((v & 0xffffffffffffffffn).toString());
  return out.length ? out : null;
}

/** Quantity.RoundUp(-3), as SetDefaults_ResourceList applies to every value of a ResourceList: away from zero. */
function roundUpToMilli(p: Parsed): Parsed {
  const { n, exp10 } = exact(p);
  if (exp10 >= -3) return p;
  const div = pow10(-3 - exp10);
  const away = n % div === 0n ? 0n : n < 0n ? -1n : 1n;
  return { kind: 'int', value: n / div + away, scale: -3, format: p.format, s: '' };
}

/**
 * The Quantity a controller decodes from the apiserver's canonical serialisation of `raw`; `resourceList` for the
 * values of a v1.ResourceList, which defaulting rounds up to milli-units first.
 */
export function controllerQuantity(raw: unknown, resourceList = false): GoQuantity {
  const str = raw === undefined || raw === null ? '0' : String(raw).trim();
  const stored = resourceList ? roundUpToMilli(parseQuantity(str)) : parseQuantity(str);
  const p = parseQuantity(canonical(stored));
  if (p.kind === 'int') return { i: { value: p.value.toString(), scale: p.scale }, d: { Dec: null }, s: p.s, Format: p.format };
  return {
    i: { value: '0', scale: 0 },
    d: { Dec: { unscaled: { neg: p.dec.unscaled < 0n, abs: words(p.dec.unscaled) }, scale: p.dec.scale } },
    s: '',
    Format: p.format,
  };
}
