/**
 * resource.Quantity as kube-apiserver handles it: a JSON value decoded by Quantity.UnmarshalJSON, rounded up to
 * milli-units when it is a ResourceList value (SetDefaults_ResourceList), and written back with String().
 */
import { quantityString, roundUp } from './format.ts';
import { QUANTITY_ERRORS, QuantityError, parseQuantity, type Quantity } from './parse.ts';

export { canonicalString, quantityString, roundUp } from './format.ts';
export { QUANTITY_ERRORS, QuantityError, parseQuantity, type Format, type Quantity } from './parse.ts';

const MILLI = -3;

/**
 * Quantity.UnmarshalJSON: the text of a JSON number or the content of a string, trimmed; null is the zero Quantity.
 * A JSON number reaches us as a JS number, whose String() is the text Go's encoder (kubectl's) writes for it.
 */
export function decodeQuantity(raw: unknown): Quantity {
  if (raw === null || raw === undefined) return { kind: 'int', value: 0n, scale: 0, format: '', s: '' };
  if (typeof raw === 'string') return parseQuantity(raw.trim());
  if (typeof raw === 'number' || typeof raw === 'bigint') return parseQuantity(String(raw));
  throw new QuantityError(QUANTITY_ERRORS.format);
}

const cache = new Map<string, string>();
const CACHE_LIMIT = 4096;

/**
 * The string the apiserver stores and returns for `raw`; `resourceList` for the values of a v1.ResourceList.
 * Throws QuantityError for what the decoder rejects.
 */
export function storedQuantity(raw: unknown, resourceList: boolean): string {
  const key = typeof raw === 'string' ? `${resourceList ? 'r' : 'q'}${raw}` : undefined;
  const hit = key === undefined ? undefined : cache.get(key);
  if (hit !== undefined) return hit;
  const q = decodeQuantity(raw);
  const out = quantityString(resourceList ? roundUp(q, MILLI) : q);
  if (key !== undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, out);
  }
  return out;
}

/** The quantity as a number (AsApproximateFloat64), for arithmetic such as the scheduler's; 0 for what is invalid. */
export function quantityValue(raw: unknown): number {
  let q: Quantity;
  try {
    q = decodeQuantity(raw);
  } catch {
    return 0;
  }
  return q.kind === 'int' ? Number(q.value) * 10 ** q.scale : Number(q.unscaled) * 10 ** -q.scale;
}
