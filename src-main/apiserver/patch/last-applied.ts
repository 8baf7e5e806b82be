/**
 * The client-side apply annotation under server-side apply by `kubectl` (managedfields/internal lastappliedupdater.go,
 * lastappliedmanager.go): the annotation follows each new configuration without changing field ownership.
 */
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The annotation sync of a `kubectl` server-side apply happens after the field manager ran: it changes no ownership. */
export function keepLastAppliedAsBefore(before: Obj, after: Obj): void {
  const prev = (before.metadata as { annotations?: Record<string, string> }).annotations?.[LAST_APPLIED];
  const meta = after.metadata as { annotations?: Record<string, string> };
  if (prev === undefined || meta.annotations?.[LAST_APPLIED] === undefined) return;
  after.metadata = { ...meta, annotations: { ...meta.annotations, [LAST_APPLIED]: prev } };
}

/** Go's encoding of an unstructured object: map keys sorted. */
function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  if (isObj(v)) return `{${Object.keys(v).filter((k) => v[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${sortedJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** lastAppliedUpdater: a server-side apply by `kubectl` keeps an existing client-side apply annotation in step. */
export function syncLastApplied(merged: Obj, applied: Obj, manager: string): void {
  const annotations = (merged.metadata as { annotations?: Record<string, string> } | undefined)?.annotations;
  if (manager !== 'kubectl' || !annotations?.[LAST_APPLIED]) return;
  const config = structuredClone(applied);
  const meta = config.metadata as { annotations?: Record<string, string> } | undefined;
  if (meta?.annotations) delete meta.annotations[LAST_APPLIED];
  annotations[LAST_APPLIED] = `${sortedJson(config)}\n`;
}
