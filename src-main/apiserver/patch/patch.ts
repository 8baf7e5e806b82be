/** PATCH bodies by Content-Type: JSON patch, JSON merge patch, strategic merge patch and server-side apply. */
import { errors } from '../../api/errors.ts';
import type { ResourceInfo } from '../../api/resources.ts';
import { schemaNameOf, schemas } from '../openapi/openapi.ts';
import { strategicMergePatch } from './smp.ts';
import { fieldSetOf } from './managed-fields.ts';
import { syncLastApplied } from './last-applied.ts';
import { deleteAt, memberPaths, setHas } from './field-set.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

/** go-restful's answer when no PATCH route consumes the Content-Type (through kube's serviceErrorHandler). */
export function unsupportedPatchType(): Error {
  return errors.unsupportedMediaTypeRoute();
}

/** RFC 7386. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return patch;
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function strategicPatch(r: ResourceInfo, target: unknown, patch: unknown, kind = { group: r.group, version: r.version, kind: r.kind }): unknown {
  const all = schemas();
  return strategicMergePatch(target, patch, { all, root: all[schemaNameOf(kind.group, kind.version, kind.kind)] });
}

/**
 * Server-side apply onto a live object: merges the configuration like a strategic patch and removes the fields this
 * manager applied before but no longer does (when no other applier owns them), list items included.
 */
export function serverSideApply(r: ResourceInfo, live: Obj, applied: Obj, manager: string): Obj {
  const merged = strategicPatch(r, live, applied) as Obj;
  const meta = live.metadata as { managedFields?: Array<{ manager?: string; operation?: string; fieldsV1?: Obj }> } | undefined;
  const entries = meta?.managedFields ?? [];
  const previous = entries.find((e) => e.manager === manager && e.operation === 'Apply');
  if (previous?.fieldsV1) {
    const now = fieldSetOf(applied);
    const otherAppliers = entries.filter((e) => e !== previous && e.operation === 'Apply' && e.fieldsV1);
    for (const path of memberPaths(previous.fieldsV1)) {
      if (setHas(now, path)) continue;
      // Only appliers' ownership keeps a dropped field (Updater.prune adds back what other appliers own).
      if (otherAppliers.some((e) => setHas(e.fieldsV1, path))) continue;
      deleteAt(merged, path);
    }
  }
  syncLastApplied(merged, applied, manager);
  return merged;
}
