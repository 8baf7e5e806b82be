/**
 * The Recreate strategy (pkg/controller/deployment/recreate.go): scale every old ReplicaSet to 0, wait until none of
 * their pods runs, then create and scale up the new one.
 */
import type { KubeObject } from '../../api/types.ts';
import { asPod, controllerRef } from '../util.ts';
import type { Ctx } from './context.ts';
import { syncRolloutStatus } from './progress.ts';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSet } from './sync.ts';
import { active, asDeploy, deploymentComplete, replicasOf, rsReplicas, sumStatus } from './util.ts';

export function rolloutRecreate(ctx: Ctx, rsList: KubeObject[]): void {
  let [newRS, old] = getAllReplicaSetsAndSyncRevision(ctx, rsList, false);
  const all = () => (newRS ? [...old, newRS] : old);
  const [scaledDown, saved] = scaleDownOldReplicaSetsForRecreate(ctx, old);
  old = saved;
  if (scaledDown) return syncRolloutStatus(ctx, all(), newRS);
  if (oldPodsRunning(ctx, old)) return syncRolloutStatus(ctx, all(), newRS);
  if (!newRS) [newRS, old] = getAllReplicaSetsAndSyncRevision(ctx, rsList, true);
  // scaleUpNewReplicaSetForRecreate
  if (rsReplicas(newRS) !== replicasOf(ctx.d)) newRS = scaleReplicaSet(ctx, newRS!, replicasOf(ctx.d))[1];
  if (deploymentComplete(ctx.d, asDeploy(ctx.d).status ?? {})) old = cleanupDeployment(ctx, old);
  syncRolloutStatus(ctx, all(), newRS);
}

/** scaleDownOldReplicaSetsForRecreate: [any scaled, the old ReplicaSets as saved]. */
function scaleDownOldReplicaSetsForRecreate(ctx: Ctx, old: KubeObject[]): [boolean, KubeObject[]] {
  let scaledDown = false;
  for (const rs of active(old)) {
    const [s, saved] = scaleReplicaSet(ctx, rs, 0);
    old = old.map((x) => (x.metadata.uid === saved.metadata.uid ? saved : x));
    scaledDown ||= s;
  }
  return [scaledDown, old];
}

/** oldPodsRunning: an old ReplicaSet still reports replicas, or one of its pods has not finished. */
function oldPodsRunning(ctx: Ctx, old: KubeObject[]): boolean {
  const oldUids = new Set(old.map((x) => x.metadata.uid));
  const oldPods = ctx.dc.podInf
    .list(ctx.d.metadata.namespace)
    .filter((p) => oldUids.has(controllerRef(p)?.uid) && !['Failed', 'Succeeded'].includes(asPod(p).status?.phase ?? ''));
  return sumStatus(old, 'replicas') > 0 || oldPods.length > 0;
}
