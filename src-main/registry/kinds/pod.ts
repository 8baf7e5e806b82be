import type { KubeObject, Pod } from '../../api/types.ts';
import type { Strategy } from '../strategy.ts';

function phase(o: KubeObject): string | undefined {
  return (o as unknown as Pod).status?.phase;
}

export const podStrategy: Strategy = {
  prepareForCreate(obj) {
    obj.status = { phase: 'Pending', qosClass: 'BestEffort' };
  },
  gracePeriod(obj, requested) {
    const pod = obj as unknown as Pod;
    // An unscheduled or finished pod has no kubelet to wait for (pkg/registry/core/pod/strategy.go CheckGracefulDelete).
    if (!pod.spec?.nodeName || phase(obj) === 'Succeeded' || phase(obj) === 'Failed') return 0;
    return Math.max(0, requested ?? pod.spec?.terminationGracePeriodSeconds ?? 30);
  },
};
