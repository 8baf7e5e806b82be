/**
 * resource.ParseQuantity (k8s.io/apimachinery v0.32): the scanner, the suffix table, the int64 fast path (which keeps
 * the input string when it is already "canonical" by its cheap test) and the inf.Dec fallback rounded up to nano.
 */

export type Format = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

/**
 * A parsed quantity. `int` is int64Amount (value × 10^scale), `dec` is inf.Dec (unscaled × 10^-scale, inf's
 * upside-down scale). `s` is the cached string String() returns as is; '' when it must be computed.
 */
export type Quantity =
  | { kind: 'int'; value: bigint; scale: number; format: Format | ''; s: string }
  | { kind: 'dec'; unscaled: bigint; scale: number; format: Format | ''; s: string };

const SPLIT_RE = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

/** The three errors of ParseQuantity, with their Go messages. */
export const QUANTITY_ERRORS = {
  format: `quantities must match the regular expression '${SPLIT_RE}'`,
  numeric: 'unable to parse numeric part of quantity',
  suffix: "unable to parse quantity's suffix",
} as const;

export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityError';
  }
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
/** Nano: the finest scale a Quantity keeps. */
const NANO = -9;
/** maxInt64Factors: 18 decimal digits always fit an int64. */
const MAX_INT64_FACTORS = 18;

const isDigit = (c: string) => c >= '0' && c <= '9';
const SUFFIX_CHARS = 'eEinumkKMGTP';

interface Scanned {
  positive: boolean;
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

/** parseQuantityString: sign, leading zeros dropped, numerator, optional `.denominator`, suffix. */
function scan(str: string): Scanned {
  const end = str.length;
  let positive = true;
  let pos = 0;
  if (pos < end && (str[0] === '-' || str[0] === '+')) {
    positive = str[0] === '+';
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  if (i >= end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
  const num = str.slice(pos, i) || '0';
  pos = i;
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    if (i >= end) return { positive, value: str, num, denom: str.slice(pos), suffix: '' };
    denom = str.slice(pos, i);
    pos = i;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos])) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos < end) throw new QuantityError(QUANTITY_ERRORS.format);
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** quantitySuffixer.interpret: SI tables first, then e/E with an int64 exponent (kept as int32, as Go converts it). */
function interpret(suffix: string): { base: 2 | 10; exponent: number; format: Format } {
  if (Object.hasOwn(DECIMAL, suffix)) return { base: 10, exponent: DECIMAL[suffix], format: 'DecimalSI' };
  if (Object.hasOwn(BINARY, suffix)) return { base: 2, exponent: BINARY[suffix], format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    const parsed = BigInt(suffix.slice(1));
    if (parsed >= INT64_MIN && parsed <= INT64_MAX) return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
  }
  throw new QuantityError(QUANTITY_ERRORS.suffix);
}

export const pow10 = (n: number) => 10n ** BigInt(n);

/** inf.Dec.SetString: optional sign, digits with at most one point; at least one digit. */
function decFromString(value: string): { unscaled: bigint; scale: number } {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/.exec(value);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new QuantityError(QUANTITY_ERRORS.numeric);
  const frac = m[3] ?? '';
  const unscaled = BigInt(`${m[2]}${frac}` || '0');
  return { unscaled: m[1] === '-' ? -unscaled : unscaled, scale: frac.length };
}

const digitCount = (x: bigint) => (x < 0n ? -x : x).toString().length;

/**
 * inf.Dec.Round(x, scale, inf.RoundUp): away from zero, the result at exactly `scale`. A scale more than the value's
 * digits away collapses to ±1 unit without writing out 10^huge (Go would, for an absurd exponent such as 1e-99999).
 */
export function roundDecUp(unscaled: bigint, from: number, to: number): bigint {
  if (from <= to) return unscaled * pow10(to - from);
  if (from - to > digitCount(unscaled) + 1) return unscaled === 0n ? 0n : unscaled < 0n ? -1n : 1n;
  const div = pow10(from - to);
  const q = unscaled / div;
  return unscaled % div === 0n ? q : q + (unscaled < 0n ? -1n : 1n);
}

/** ParseQuantity. Throws QuantityError with the apimachinery message. */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityError(QUANTITY_ERRORS.format);
  if (str === '0') return { kind: 'int', value: 0n, scale: 0, format: 'DecimalSI', s: str };
  const { positive, value, num, denom, suffix } = scan(str);
  const { base, exponent, format } = interpret(suffix);

  let precision: number;
  let scale = 0;
  let mantissa = 1n;
  if (format === 'BinarySI') {
    if (exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(exponent);
      // 1Mi (2^20) has ~6 digits of decimal precision: float32(exponent)*3/10 as Go computes it.
      precision = 15 - num.length - Math.trunc(Math.fround(Math.fround(exponent * 3) / 10)) - 1;
    } else precision = -1;
  } else {
    scale = exponent;
    precision = MAX_INT64_FACTORS - (num.length + denom.length);
  }

  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= NANO) {
      const shifted = num + denom;
      const v = BigInt(shifted);
      const product = v * mantissa;
      if (product <= INT64_MAX) {
        const result = positive ? product : -product;
        const canonical =
          format === 'BinarySI' ? exponent % 10 === 0 && (v & 7n) !== 0n : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return { kind: 'int', value: result, scale, format, s: canonical ? str : '' };
      }
    }
  }

  const amount = decFromString(value);
  let unscaled = amount.unscaled;
  let decScale = amount.scale;
  if (base === 10) decScale -= exponent;
  else unscaled <<= BigInt(exponent);
  const negative = unscaled < 0n;
  if (negative) unscaled = -unscaled;
  // Non-zero values round up to the nano unit: ask for a resource, get some.
  if (unscaled !== 0n) {
    unscaled = roundDecUp(unscaled, decScale, -NANO);
    decScale = -NANO;
  }
  let fmt = format;
  if (fmt === 'BinarySI' && compareDec(unscaled, decScale, INT64_MAX, 0) > 0) {
    unscaled = INT64_MAX;
    decScale = 0;
  }
  if (fmt === 'BinarySI' && unscaled > 0n && compareDec(unscaled, decScale, 1n, 0) < 0) fmt = 'DecimalSI';
  return { kind: 'dec', unscaled: negative ? -unscaled : unscaled, scale: decScale, format: fmt, s: '' };
}

/** Compares a × 10^-as with b × 10^-bs. */
export function compareDec(a: bigint, as: number, b: bigint, bs: number): number {
  const s = Math.max(as, bs);
  const x = a * pow10(s - as);
  const y = b * pow10(s - bs);
  return x < y ? -1 : x > y ? 1 : 0;
}
