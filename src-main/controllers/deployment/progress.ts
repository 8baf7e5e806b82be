/**
 * The Progressing condition (pkg/controller/deployment/progress.go): NewReplicaSetAvailable, ReplicaSetUpdated or
 * ProgressDeadlineExceeded after progressDeadlineSeconds, and a requeue so a stuck rollout is noticed on time.
 */
import type { KubeObject } from '../../api/types.ts';
import { keyOf } from '../framework.ts';
import type { Ctx } from './context.ts';
import { calculateStatus, writeStatus } from './sync.ts';
import { asDeploy, deploymentComplete, deploymentProgressing, getCondition, newCondition, setCondition } from './util.ts';

/** math.MaxInt32: progressDeadlineSeconds that means "no deadline". */
const NO_DEADLINE = 2147483647;

/** syncRolloutStatus: status plus the Progressing condition (and a re-check when the deadline would pass). */
export function syncRolloutStatus(ctx: Ctx, all: KubeObject[], newRS: KubeObject | undefined): void {
  const d = ctx.d;
  const now = ctx.dc.rt.clock.now();
  const status = calculateStatus(ctx, all, newRS);
  const deadline = asDeploy(d).spec?.progressDeadlineSeconds ?? 600;
  const hasDeadline = deadline !== NO_DEADLINE;
  const cur = getCondition(asDeploy(d).status, 'Progressing');
  const complete = status.replicas === status.updatedReplicas && cur?.reason === 'NewReplicaSetAvailable';
  if (hasDeadline && !complete) {
    const rsName = newRS?.metadata.name;
    if (deploymentComplete(d, status)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${d.metadata.name}" has successfully progressed.`;
      setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetAvailable', msg, now));
    } else if (deploymentProgressing(d, status)) {
      const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
      const c = newCondition('Progressing', 'True', 'ReplicaSetUpdated', msg, now);
      if (cur) {
        if (cur.status === 'True') c.lastTransitionTime = cur.lastTransitionTime;
        status.conditions = status.conditions!.filter((x) => x.type !== 'Progressing');
      }
      setCondition(status, c);
    } else if (cur && cur.reason !== 'ProgressDeadlineExceeded' && cur.lastUpdateTime) {
      const due = Date.parse(cur.lastUpdateTime) + deadline * 1000;
      if (due < now) {
        const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`;
        setCondition(status, newCondition('Progressing', 'False', 'ProgressDeadlineExceeded', msg, now));
      }
    }
  }
  writeStatus(ctx, status);
  requeueStuckDeployment(ctx, deadline, now);
}

/** requeueStuckDeployment: sync again just after the deadline would pass, if the rollout is still progressing. */
function requeueStuckDeployment(ctx: Ctx, deadline: number, now: number): void {
  const after = getCondition(asDeploy(ctx.d).status, 'Progressing');
  if (deadline !== NO_DEADLINE && after?.reason === 'ReplicaSetUpdated' && !deploymentComplete(ctx.d, asDeploy(ctx.d).status ?? {}) && after.lastUpdateTime) {
    ctx.dc.queue.addAfter(keyOf(ctx.d), Math.max(1000, Date.parse(after.lastUpdateTime) + deadline * 1000 - now + 1000));
  }
}
