/**
 * The RollingUpdate strategy (pkg/controller/deployment/rolling.go): grow the new ReplicaSet within maxSurge, then
 * shrink the old ones within maxUnavailable (unhealthy replicas first), one step per sync.
 */
import type { KubeObject } from '../../api/types.ts';
import { byCreation } from '../util.ts';
import type { Ctx } from './context.ts';
import { syncRolloutStatus } from './progress.ts';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSet } from './sync.ts';
import { active, asDeploy, deploymentComplete, maxUnavailable, newRSNewReplicas, replicasOf, rsReplicas, sumSpec, sumStatus } from './util.ts';

export function rolloutRolling(ctx: Ctx, rsList: KubeObject[]): void {
  let [newRS, old] = getAllReplicaSetsAndSyncRevision(ctx, rsList, true);
  const all = () => [...old, newRS!];
  const scaled = reconcileNewReplicaSet(ctx, all(), newRS!);
  newRS = scaled[1];
  if (scaled[0]) return syncRolloutStatus(ctx, all(), newRS);
  if (reconcileOldReplicaSets(ctx, newRS, old)) return syncRolloutStatus(ctx, all(), newRS);
  if (deploymentComplete(ctx.d, asDeploy(ctx.d).status ?? {})) old = cleanupDeployment(ctx, old);
  syncRolloutStatus(ctx, all(), newRS);
}

/** reconcileNewReplicaSet: [scaled, the new ReplicaSet as saved]. */
function reconcileNewReplicaSet(ctx: Ctx, all: KubeObject[], newRS: KubeObject): [boolean, KubeObject] {
  if (rsReplicas(newRS) === replicasOf(ctx.d)) return [false, newRS];
  const target = rsReplicas(newRS) > replicasOf(ctx.d) ? replicasOf(ctx.d) : newRSNewReplicas(ctx.d, all, newRS);
  return scaleReplicaSet(ctx, newRS, target);
}

/** reconcileOldReplicaSets: unhealthy old replicas first, then down to minAvailable. Mutates `old` in place. */
function reconcileOldReplicaSets(ctx: Ctx, newRS: KubeObject, old: KubeObject[]): boolean {
  const oldCount = sumSpec(old);
  if (oldCount === 0) return false;
  const minAvailable = replicasOf(ctx.d) - maxUnavailable(ctx.d);
  const newUnavailable = rsReplicas(newRS) - sumStatus([newRS], 'availableReplicas');
  const maxScaledDown = sumSpec([...old, newRS]) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = cleanupUnhealthyReplicas(ctx, old, maxScaledDown);
  const scaledDown = scaleDownOldReplicaSetsForRollingUpdate(ctx, newRS, old);
  return cleaned + scaledDown > 0;
}

const replaceIn = (list: KubeObject[], rs: KubeObject) => list.splice(list.findIndex((x) => x.metadata.uid === rs.metadata.uid), 1, rs);

/** cleanupUnhealthyReplicas: scale old ReplicaSets down by their unavailable replicas, oldest first. */
function cleanupUnhealthyReplicas(ctx: Ctx, old: KubeObject[], maxScaledDown: number): number {
  let total = 0;
  for (const rs of active(old).sort(byCreation)) {
    if (total >= maxScaledDown) break;
    const unhealthy = rsReplicas(rs) - sumStatus([rs], 'availableReplicas');
    if (rsReplicas(rs) === 0 || unhealthy <= 0) continue;
    const down = Math.min(maxScaledDown - total, unhealthy);
    replaceIn(old, scaleReplicaSet(ctx, rs, rsReplicas(rs) - down)[1]);
    total += down;
  }
  return total;
}

/** scaleDownOldReplicaSetsForRollingUpdate: as far as availability above minAvailable allows, oldest first. */
function scaleDownOldReplicaSetsForRollingUpdate(ctx: Ctx, newRS: KubeObject, old: KubeObject[]): number {
  const minAvailable = replicasOf(ctx.d) - maxUnavailable(ctx.d);
  const availableCount = sumStatus([...old, newRS], 'availableReplicas');
  if (availableCount <= minAvailable) return 0;
  const want = availableCount - minAvailable;
  let done = 0;
  for (const rs of active(old).sort(byCreation)) {
    if (done >= want) break;
    if (rsReplicas(rs) === 0) continue;
    const down = Math.min(rsReplicas(rs), want - done);
    replaceIn(old, scaleReplicaSet(ctx, rs, rsReplicas(rs) - down)[1]);
    done += down;
  }
  return done;
}
