/** Which strategy each kind gets: its own rules (kinds/) wrapped in the common machinery. */
import type { Strategy } from './strategy.ts';
import { podStrategy } from './kinds/pod.ts';
import { serviceStrategy } from './kinds/service.ts';
import { namespaceStrategy } from './kinds/namespace.ts';
import { withMachinery } from './machinery.ts';

const STATUS_KINDS = new Set(['Pod', 'Service', 'Deployment', 'ReplicaSet', 'Node', 'Namespace']);

const cache = new Map<string, Strategy>();

export function strategyFor(kind: string): Strategy {
  let s = cache.get(kind);
  if (!s) {
    const specific: Strategy = kind === 'Pod' ? podStrategy : kind === 'Service' ? serviceStrategy : kind === 'Namespace' ? namespaceStrategy : {};
    s = withMachinery(kind, { hasStatus: STATUS_KINDS.has(kind), ...specific });
    cache.set(kind, s);
  }
  return s;
}
