/**
 * `JSON.stringify(a) === JSON.stringify(b)` without building the strings: key order matters, undefined (and
 * function) members are skipped, undefined in arrays is null, non-finite numbers are null.
 */
export type KeyRule = 'omit' | ((a: unknown, b: unknown) => boolean) | undefined;

const absent = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

function scalar(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? (Object.is(v, -0) ? 0 : v) : null;
  return absent(v) ? null : v;
}

function valueEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const ta = typeof a === 'object' && a !== null;
  const tb = typeof b === 'object' && b !== null;
  if (!ta || !tb) return !ta && !tb && scalar(a) === scalar(b);
  if (typeof (a as { toJSON?: unknown }).toJSON === 'function' || typeof (b as { toJSON?: unknown }).toJSON === 'function') {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!valueEqual(a[i], bb[i])) return false;
    return true;
  }
  return jsonEqual(a, b);
}

/** `rule(key)` for the top-level keys only: 'omit' leaves the member out, a function compares the two values. */
export function jsonEqual(a: unknown, b: unknown, rule?: (key: string) => KeyRule): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null || Array.isArray(a) || Array.isArray(b)) return valueEqual(a, b);
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const oa = a as Record<string, unknown>;
  const ob = b as Record<string, unknown>;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < ka.length && (absent(oa[ka[i]]) || rule?.(ka[i]) === 'omit')) i++;
    while (j < kb.length && (absent(ob[kb[j]]) || rule?.(kb[j]) === 'omit')) j++;
    if (i === ka.length || j === kb.length) return i === ka.length && j === kb.length;
    const k = ka[i];
    if (k !== kb[j]) return false;
    const r = rule?.(k);
    if (!(typeof r === 'function' ? r(oa[k], ob[k]) : valueEqual(oa[k], ob[k]))) return false;
    i++;
    j++;
  }
}
