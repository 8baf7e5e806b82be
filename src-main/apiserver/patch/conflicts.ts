/**
 * Server-side apply conflicts as kube-apiserver reports them (managedfields/internal/conflict.go): a 409 Status with
 * reason Conflict, one FieldManagerConflict cause per field, managers printed as `"name"` for Apply and
 * `"name" [with subresource "s"] using <apiVersion>` for Update.
 */
import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1';
import { StatusError } from '../../api/errors.ts';
import { pathString, type FieldPath } from './field-set.ts';

export interface Conflict {
  manager: ManagedFieldsEntry;
  path: FieldPath;
}

/** The manager identity upstream keys its sets by (BuildManagerIdentifier: JSON without time and fields). */
export function managerIdentity(e: ManagedFieldsEntry): string {
  const id: Record<string, string> = { manager: e.manager ?? '', operation: e.operation ?? '' };
  if (e.operation !== 'Apply' && e.apiVersion) id.apiVersion = e.apiVersion;
  if (e.subresource) id.subresource = e.subresource;
  return JSON.stringify(id);
}

export function printManager(e: ManagedFieldsEntry): string {
  let s = JSON.stringify(e.manager ?? '');
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  return e.operation === 'Update' ? `${s} using ${e.apiVersion ?? ''}` : s;
}

export function conflictMessage(conflicts: Conflict[]): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].manager)}: ${pathString(conflicts[0].path)}`;
  const byManager = new Map<string, Conflict[]>();
  for (const c of conflicts) {
    const id = managerIdentity(c.manager);
    byManager.set(id, [...(byManager.get(id) ?? []), c]);
  }
  const lines: string[] = [];
  for (const id of [...byManager.keys()].sort()) {
    const group = byManager.get(id)!;
    lines.push(`conflicts with ${printManager(group[0].manager)}:`);
    for (const c of group) lines.push(`- ${pathString(c.path)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** errors.NewApplyConflict: details carry only the causes. */
export function applyConflictError(conflicts: Conflict[]): StatusError {
  const sorted = [...conflicts].sort((a, b) => (managerIdentity(a.manager) < managerIdentity(b.manager) ? -1 : managerIdentity(a.manager) > managerIdentity(b.manager) ? 1 : 0));
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: conflictMessage(sorted),
    reason: 'Conflict',
    details: { causes: sorted.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.manager)}`, field: pathString(c.path) })) },
    code: 409,
  });
}
