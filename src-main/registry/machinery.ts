/** Plugs the kind-independent defaulting, admission and validation of api/ into every strategy. */
import { applyDefaults, applyStatusDefaults, admitPod } from '../api/defaults/index.ts';
import { validateCreate, validateUpdate } from '../api/validation/index.ts';
import type { Strategy } from './strategy.ts';

export function withMachinery(kind: string, s: Strategy): Strategy {
  return {
    defaults: applyDefaults,
    statusDefaults: applyStatusDefaults,
    validateCreate,
    validateUpdate,
    ...(kind === 'Pod' ? { admit: (o) => admitPod(o as never) } : {}),
    ...s,
  };
}
