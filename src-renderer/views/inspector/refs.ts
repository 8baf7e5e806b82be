/** The ObjectRef (kind/namespace/name) for what is selected, as `object.yaml` / `object.describe` want it. */
import type { ObjectRef } from '../../../src-main/contract/contract.ts';
import type { Selection } from '../../lib/stores/selection.svelte.ts';

export function refOf(selection: Selection): ObjectRef | null {
  switch (selection.kind) {
    case 'Node':
      return { kind: 'Node', name: selection.name };
    case 'Pod':
      return { kind: 'Pod', namespace: selection.namespace, name: selection.name };
    case 'Service':
      return { kind: 'Service', namespace: selection.namespace, name: selection.name };
    case 'Object':
      return { kind: selection.objectKind, namespace: selection.namespace, name: selection.name };
    case 'Trace':
      return null;
  }
}

/** Rows of `kubectl get events` that are about this object (the OBJECT column reads `kind/name`). */
export function eventsAbout(rows: string[][], ref: ObjectRef): string[][] {
  const suffix = `/${ref.name}`;
  return rows.filter((row) => row.some((cell) => cell.toLowerCase() === `${ref.kind.toLowerCase()}${suffix}` || cell.endsWith(suffix)));
}
