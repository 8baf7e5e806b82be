import type { Strategy } from '../strategy.ts';

/** Namespaces finish deleting only when the namespace controller has emptied them and cleared spec.finalizers. */
export const namespaceStrategy: Strategy = {
  prepareForCreate(obj) {
    obj.status = { phase: 'Active' };
  },
  beforeDelete(obj) {
    return ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0;
  },
  deleting(obj) {
    obj.status = { ...(obj.status as object), phase: 'Terminating' };
  },
  deleteWhenFinalized: false,
};
