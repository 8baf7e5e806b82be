/** What the inspector shows: the thing last clicked on the map, in the resource list or in the trace list. */
export type Selection =
  | { kind: 'Node'; name: string }
  | { kind: 'Pod'; namespace: string; name: string }
  | { kind: 'Service'; namespace: string; name: string }
  | { kind: 'Trace'; id: number }
  | { kind: 'Object'; objectKind: string; namespace?: string; name: string };

class SelectionState {
  current = $state<Selection | null>(null);

  select(selection: Selection | null): void {
    this.current = selection;
  }

  is(selection: Selection): boolean {
    const c = this.current;
    if (!c || c.kind !== selection.kind) return false;
    return JSON.stringify(c) === JSON.stringify(selection);
  }
}

export const selection = new SelectionState();
