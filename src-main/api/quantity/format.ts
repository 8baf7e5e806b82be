/**
 * Quantity.String() as kube-apiserver 1.32 serialises it (CanonicalizeBytes), and Quantity.RoundUp, which
 * SetDefaults_ResourceList applies to every value of a ResourceList.
 */
import { type Format, type Quantity, pow10, roundDecUp } from './parse.ts';

const DECIMAL_SUFFIX: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIX: Record<number, string> = { 1: 'Ki', 2: 'Mi', 3: 'Gi', 4: 'Ti', 5: 'Pi', 6: 'Ei' };

/** The exact value as n × 10^exp10. */
function exact(q: Quantity): { n: bigint; exp10: number } {
  return q.kind === 'int' ? { n: q.value, exp10: q.scale } : { n: q.unscaled, exp10: -q.scale };
}

const abs = (x: bigint) => (x < 0n ? -x : x);

/** The value at scale 0 when it has no fractional part. */
function integral(n: bigint, exp10: number): bigint | undefined {
  if (exp10 >= 0) return n * pow10(exp10);
  const div = pow10(-exp10);
  return n % div === 0n ? n / div : undefined;
}

/** CanonicalizeBytes: the largest exponent (or suffix) of the quantity's format that loses no precision. */
export function canonicalString(q: Quantity): string {
  let { n, exp10 } = exact(q);
  if (n === 0n) return '0';
  // A Quantity built without a format (the zero value's '') prints as DecimalExponent.
  let format: Format = q.format || 'DecimalExponent';
  if (format === 'BinarySI') {
    // Between -1024 and 1024, or with a fraction, a BinarySI value is shown as DecimalSI.
    const small = exp10 >= 0 ? abs(n) * pow10(exp10) < 1024n : abs(n) < 1024n * pow10(-exp10);
    const whole = small ? undefined : integral(n, exp10);
    if (whole === undefined) format = 'DecimalSI';
    else {
      let v = whole;
      let e = 0;
      while (abs(v) >= 1024n && v % 1024n === 0n) {
        v /= 1024n;
        e++;
      }
      // 1.32 ignores a missing suffix (beyond Ei), as for DecimalSI below.
      return `${v}${BINARY_SUFFIX[e] ?? ''}`;
    }
  }
  // AsCanonicalBytes: every factor of ten into the exponent, then down to a multiple of 3.
  while (n % 10n === 0n) {
    n /= 10n;
    exp10++;
  }
  while (exp10 % 3 !== 0) {
    n *= 10n;
    exp10--;
  }
  if (format === 'DecimalSI') {
    // Past "E" (10^18) 1.32 drops the suffix it cannot find: "1000E" serialises as "1" (kubernetes#141249, fixed
    // in later releases by falling back to "1e21").
    return `${n}${DECIMAL_SUFFIX[exp10] ?? ''}`;
  }
  return exp10 === 0 ? `${n}` : `${n}e${exp10}`;
}

/** Quantity.String(): the string kept from parsing when there is one, else the canonical form. */
export function quantityString(q: Quantity): string {
  return q.s !== '' ? q.s : canonicalString(q);
}

/**
 * Quantity.RoundUp(scale): no finer than 10^scale, away from zero. An int64 amount already coarse enough keeps its
 * string; an inf.Dec is always re-rounded (to inf scale -scale) and loses it.
 */
export function roundUp(q: Quantity, scale: number): Quantity {
  if (q.kind === 'dec') return { ...q, unscaled: roundDecUp(q.unscaled, q.scale, -scale), scale: -scale, s: '' };
  if (q.scale >= scale) return q;
  return { ...q, value: roundDecUp(q.value, -q.scale, -scale), scale, s: '' };
}
