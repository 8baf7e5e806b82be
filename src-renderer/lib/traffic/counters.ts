/**
 * Traffic frames carry totals since each node worker started. The renderer keeps its own running totals from the
 * increases between frames, so a pod's counter never drops back when the node worker counting it restarts (its
 * totals start again at 0: a fall is a restart, and the new value is all new traffic).
 */
export type Totals = Record<string, number>;

export function deltas(previous: Totals | null, next: Totals): Totals {
  const out: Totals = {};
  for (const [key, value] of Object.entries(next)) {
    const before = previous?.[key] ?? 0;
    const increase = value >= before ? value - before : value;
    if (increase > 0) out[key] = increase;
  }
  return out;
}

export function accumulate(totals: Totals, increases: Totals): Totals {
  if (Object.keys(increases).length === 0) return totals;
  const out = { ...totals };
  for (const [key, n] of Object.entries(increases)) out[key] = (out[key] ?? 0) + n;
  return out;
}

export function podRequestTotals(frame: { pods: Record<string, { requests: number }> }): Totals {
  const out: Totals = {};
  for (const [key, { requests }] of Object.entries(frame.pods)) out[key] = requests;
  return out;
}

export function serviceConnectionTotals(frame: { services: Record<string, { connections: number }> }): Totals {
  const out: Totals = {};
  for (const [key, { connections }] of Object.entries(frame.services)) out[key] = connections;
  return out;
}

/**
 * Adds increases into `totals` in place. On a Svelte `$state` proxy only the keys that moved notify their readers, so
 * one busy pod re-renders one pod box, not all of them.
 */
export function addInto(totals: Totals, increases: Totals): void {
  for (const [key, n] of Object.entries(increases)) totals[key] = (totals[key] ?? 0) + n;
}

/** Frames carry only the entries that changed: the last value of each key is the merge of them all. */
export function mergeInto(last: Totals, next: Totals): void {
  for (const [key, n] of Object.entries(next)) last[key] = n;
}
