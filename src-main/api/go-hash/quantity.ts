/**
 * resource.Quantity as the controller holds it: the apiserver serialises a quantity with String() and a client
 * decodes that string with ParseQuantity, which caches it in `s` only when its fast path finds it canonical, and
 * falls back to an inf.Dec for values its int64 path cannot hold.
 * Returned as a plain object keyed by the Go field names of resource.Quantity (k8s.io/apimachinery v0.32).
 */
import { parseQuantity, storedQuantity, type Format } from '../quantity/index.ts';

export interface GoQuantity {
  i: { value: string; scale: number };
  d: { Dec: { unscaled: { neg: boolean; abs: string[] | null }; scale: number } | null };
  s: string;
  Format: Format | '';
}

/** big.Int's nat: little-endian 64-bit words of the magnitude, nil for zero. */
function words(x: bigint): string[] | null {
  const out: string[] = [];
  for (let v = x < 0n ? -x : x; v > 0n; v >>= 64n) out.push((v & 0xffffffffffffffffn).toString());
  return out.length ? out : null;
}

/**
 * The Quantity a controller decodes from what the apiserver stores for `raw` (already stored values are stored
 * unchanged); `resourceList` for the values of a v1.ResourceList, which defaulting rounds up to milli-units.
 */
export function controllerQuantity(raw: unknown, resourceList = false): GoQuantity {
  const p = parseQuantity(storedQuantity(raw ?? null, resourceList));
  if (p.kind === 'int') return { i: { value: p.value.toString(), scale: p.scale }, d: { Dec: null }, s: p.s, Format: p.format };
  return {
    i: { value: '0', scale: 0 },
    d: { Dec: { unscaled: { neg: p.unscaled < 0n, abs: words(p.unscaled) }, scale: p.scale } },
    s: '',
    Format: p.format,
  };
}
