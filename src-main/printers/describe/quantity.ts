/** Just enough of resource.Quantity for describe: parse, add, MilliValue/Value, and canonical String(). */

export type QuantityFormat = 'BinarySI' | 'DecimalSI';

export interface Quantity {
  /** Value in thousandths of the base unit. */
  milli: number;
  format: QuantityFormat;
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

export function parseQuantity(s: string | number | undefined): Quantity {
  if (s === undefined) return { milli: 0, format: 'DecimalSI' };
  const str = String(s).trim();
  const m = str.match(/^([+-]?[0-9.]+)([eE][+-]?[0-9]+|[KMGTPE]i|[numkMGTPE]?)$/);
  if (!m) return { milli: 0, format: 'DecimalSI' };
  const n = Number(m[1]);
  if (m[2] in BINARY) return { milli: Math.ceil(n * BINARY[m[2]] * 1000), format: 'BinarySI' };
  if (/^[eE]/.test(m[2])) return { milli: Math.ceil(n * 10 ** Number(m[2].slice(1)) * 1000), format: 'DecimalSI' };
  return { milli: Math.ceil(n * DECIMAL[m[2]] * 1000), format: 'DecimalSI' };
}

export function addQuantity(a: Quantity | undefined, b: Quantity): Quantity {
  if (!a) return { ...b };
  return { milli: a.milli + b.milli, format: a.milli === 0 ? b.format : a.format };
}

export function milliValue(q: Quantity | undefined): number {
  return q ? q.milli : 0;
}

/** Value(): rounded up to a whole unit. */
export function value(q: Quantity | undefined): number {
  return q ? Math.ceil(q.milli / 1000) : 0;
}

function decimalString(milli: number): string {
  if (milli % 1000 !== 0) return `${milli}m`;
  let v = milli / 1000;
  for (const [suffix, e] of [['E', 18], ['P', 15], ['T', 12], ['G', 9], ['M', 6], ['k', 3]] as const) {
    const f = 10 ** e;
    if (Math.abs(v) >= f && v % f === 0) return `${v / f}${suffix}`;
  }
  v = Math.trunc(v);
  return String(v);
}

export function quantityString(q: Quantity | undefined): string {
  if (!q || q.milli === 0) return '0';
  if (q.format === 'BinarySI' && q.milli % 1000 === 0) {
    const v = q.milli / 1000;
    for (const suffix of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
      const f = BINARY[suffix];
      if (Math.abs(v) >= f && v % f === 0) return `${v / f}${suffix}`;
    }
    if (Math.abs(v) < 1024) return String(v);
  }
  return decimalString(q.milli);
}
