/**
 * The steps every path of a Deployment sync shares (pkg/controller/deployment/sync.go): finding or creating the new
 * ReplicaSet and syncing the revision, scaling (proportionally during a rollout), cleaning up old ReplicaSets beyond
 * revisionHistoryLimit, and computing and writing the status.
 */
import type { DeploymentStatus } from 'kubernetes-types/apps/v1';
import { isStatusError } from '../../api/errors.ts';
import { podTemplateHash } from '../../api/names.ts';
import { byKind } from '../../api/resources.ts';
import type { KubeObject } from '../../api/types.ts';
import { createObject, deleteObject, mutate } from '../framework.ts';
import { byCreation, controllerRef, newControllerRef } from '../util.ts';
import type { Ctx } from './context.ts';
import {
  DESIRED_REPLICAS, REVISION, active, asDeploy, asRS, compactStatus, deploymentComplete, equalIgnoreHash, findNewRS, getCondition,
  isRolling, maxSurge, maxUnavailable, newCondition, newRSNewReplicas, proportion, replicasOf, revisionOf, rsReplicas, setCondition,
  setNewRSAnnotations, setReplicasAnnotations, sumSpec, sumStatus,
} from './util.ts';

const DEPLOY = byKind('Deployment');
const RS = byKind('ReplicaSet');

/** The status subresource write, skipped when nothing changed. */
export function writeStatus(ctx: Ctx, status: DeploymentStatus): void {
  const clean = compactStatus(status);
  if (JSON.stringify(clean) === JSON.stringify(ctx.d.status ?? {})) return;
  ctx.d = mutate(ctx.dc.rt, DEPLOY, ctx.d, (x) => (x.status = clean), true);
}

/** syncStatusOnly: a Deployment being deleted only gets its status brought up to date. */
export function syncStatusOnly(ctx: Ctx, rsList: KubeObject[]): void {
  const [newRS, old] = getAllReplicaSetsAndSyncRevision(ctx, rsList, false);
  writeStatus(ctx, calculateStatus(ctx, newRS ? [...old, newRS] : old, newRS));
}

/** sync: scaling (proportional during a rollout), cleanup, status; for paused Deployments and replicas changes. */
export function sync(ctx: Ctx, rsList: KubeObject[]): void {
  let [newRS, old] = getAllReplicaSetsAndSyncRevision(ctx, rsList, false);
  const refreshed = scale(ctx, newRS, old);
  newRS = refreshed.find((x) => x.metadata.uid === newRS?.metadata.uid) ?? newRS;
  old = refreshed.filter((x) => x.metadata.uid !== newRS?.metadata.uid);
  // As upstream: a paused Deployment never creates its new ReplicaSet here.
  const all = newRS ? [...old, newRS] : old;
  if (!asDeploy(ctx.d).spec?.paused && deploymentComplete(ctx.d, asDeploy(ctx.d).status ?? {})) cleanupDeployment(ctx, old);
  writeStatus(ctx, calculateStatus(ctx, all, newRS));
}

/** checkPausedConditions: the Progressing condition says DeploymentPaused / DeploymentResumed. */
export function checkPausedConditions(ctx: Ctx): void {
  const cond = getCondition(asDeploy(ctx.d).status, 'Progressing');
  const paused = !!asDeploy(ctx.d).spec?.paused;
  if (!cond) return;
  const { clock } = ctx.dc.rt;
  const status = structuredClone(asDeploy(ctx.d).status ?? {});
  if (paused && cond.reason !== 'DeploymentPaused') setCondition(status, newCondition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', clock.now()));
  else if (!paused && cond.reason === 'DeploymentPaused') setCondition(status, newCondition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', clock.now()));
  else return;
  writeStatus(ctx, status);
}

/** isScalingEvent: an active ReplicaSet's desired-replicas annotation differs from spec.replicas. */
export function isScalingEvent(ctx: Ctx, rsList: KubeObject[]): boolean {
  const [newRS, old] = getAllReplicaSetsAndSyncRevision(ctx, rsList, false);
  for (const rs of active([...old, newRS])) {
    const desired = rs.metadata.annotations?.[DESIRED_REPLICAS];
    if (desired !== undefined && Number(desired) !== replicasOf(ctx.d)) return true;
  }
  return false;
}

/** getAllReplicaSetsAndSyncRevision + getNewReplicaSet: [new (found, or created when `create`), old]. */
export function getAllReplicaSetsAndSyncRevision(ctx: Ctx, listed: KubeObject[], create: boolean): [KubeObject | undefined, KubeObject[]] {
  const { rt, rsInf } = ctx.dc;
  // Earlier steps of this sync may have written some of them: take the cached (newest) versions.
  const rsList = listed
    .map((rs) => rsInf.get(rs.metadata.namespace, rs.metadata.name!))
    .filter((rs): rs is KubeObject => !!rs && listed.some((x) => x.metadata.uid === rs.metadata.uid));
  const existing = findNewRS(ctx.d, rsList);
  const old = rsList.filter((rs) => rs !== existing);
  const newRevision = String(Math.max(0, ...old.map(revisionOf)) + 1);
  const status = structuredClone(asDeploy(ctx.d).status ?? {});
  let statusChanged = false;
  let newRS = existing;
  if (existing) {
    const copy = structuredClone(existing) as KubeObject;
    const annChanged = setNewRSAnnotations(ctx.d, copy, newRevision, true);
    const minReady = asDeploy(ctx.d).spec?.minReadySeconds || undefined;
    const minChanged = (asRS(existing).spec?.minReadySeconds || undefined) !== minReady;
    if (annChanged || minChanged) {
      newRS = mutate(rt, RS, existing, (x) => {
        x.metadata.annotations = copy.metadata.annotations;
        if (minChanged && minReady) (x.spec as { minReadySeconds?: number }).minReadySeconds = minReady;
        else if (minChanged) delete (x.spec as { minReadySeconds?: number }).minReadySeconds;
      });
    }
    setDeploymentRevision(ctx, newRS!.metadata.annotations?.[REVISION] ?? newRevision);
    if (!getCondition(status, 'Progressing')) {
      setCondition(status, newCondition('Progressing', 'True', 'FoundNewReplicaSet', `Found new replica set "${newRS!.metadata.name}"`, rt.clock.now()));
      statusChanged = true;
    }
  } else if (create) {
    newRS = createNewReplicaSet(ctx, old, newRevision);
    setDeploymentRevision(ctx, newRevision);
    setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${newRS.metadata.name}"`, rt.clock.now()));
    statusChanged = true;
  }
  if (statusChanged) writeStatus(ctx, { ...status, conditions: status.conditions });
  return [newRS, old];
}

function setDeploymentRevision(ctx: Ctx, revision: string): void {
  if (ctx.d.metadata.annotations?.[REVISION] === revision) return;
  ctx.d = mutate(ctx.dc.rt, DEPLOY, ctx.d, (x) => (x.metadata.annotations = { ...(x.metadata.annotations ?? {}), [REVISION]: revision }));
}

/** The create half of getNewReplicaSet: named by pod-template-hash, with collisionCount bumped on a clash. */
function createNewReplicaSet(ctx: Ctx, old: KubeObject[], revision: string): KubeObject {
  const { rt, record } = ctx.dc;
  const d = asDeploy(ctx.d);
  const template = structuredClone(d.spec!.template);
  const collisions = d.status?.collisionCount;
  const hash = podTemplateHash(template, collisions);
  const labels = { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash };
  template.metadata = { ...(template.metadata ?? {}), labels };
  const selector = structuredClone(d.spec!.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), 'pod-template-hash': hash };
  const rs = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `${ctx.d.metadata.name}-${hash}`, namespace: ctx.d.metadata.namespace, labels, ownerReferences: [newControllerRef(ctx.d)] },
    spec: { replicas: 0, ...(d.spec?.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}), selector, template },
  } as unknown as KubeObject;
  setNewRSAnnotations(ctx.d, rs, revision, false);
  const replicas = newRSNewReplicas(ctx.d, old, undefined);
  (rs.spec as { replicas: number }).replicas = replicas;
  let created: KubeObject;
  try {
    created = createObject(rt, RS, ctx.d.metadata.namespace, rs);
  } catch (e) {
    if (!isStatusError(e, 'AlreadyExists')) throw e;
    const clash = rt.reg.tryGet(RS, ctx.d.metadata.namespace, rs.metadata.name!);
    if (clash && controllerRef(clash)?.uid === ctx.d.metadata.uid && equalIgnoreHash(asRS(clash).spec?.template, d.spec?.template)) return clash;
    // A hash collision: bump collisionCount so the next sync computes a different name.
    writeStatus(ctx, { ...(d.status ?? {}), collisionCount: (collisions ?? 0) + 1 });
    throw e;
  }
  if (replicas > 0) record(ctx.d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`);
  return created;
}

/** scaleReplicaSetAndRecordEvent + scaleReplicaSet: [scaled, the ReplicaSet as saved]. */
export function scaleReplicaSet(ctx: Ctx, rs: KubeObject, newScale: number, op?: string): [boolean, KubeObject] {
  const size = rsReplicas(rs);
  const probe = structuredClone(rs) as KubeObject;
  const annChanged = setReplicasAnnotations(probe, replicasOf(ctx.d), replicasOf(ctx.d) + maxSurge(ctx.d));
  if (size === newScale && !annChanged) return [false, rs];
  const saved = mutate(ctx.dc.rt, RS, rs, (x) => {
    (x.spec as { replicas: number }).replicas = newScale;
    x.metadata.annotations = probe.metadata.annotations;
  });
  if (size !== newScale) {
    ctx.dc.record(ctx.d, 'Normal', 'ScalingReplicaSet', `Scaled ${op ?? (size < newScale ? 'up' : 'down')} replica set ${rs.metadata.name} from ${size} to ${newScale}`);
  }
  return [size !== newScale, saved];
}

/** scale: the one active (or latest) ReplicaSet to spec.replicas, or the surplus spread proportionally. */
export function scale(ctx: Ctx, newRS: KubeObject | undefined, old: KubeObject[]): KubeObject[] {
  const all = newRS ? [...old, newRS] : [...old];
  const act = active(all);
  const replace = (rs: KubeObject) => all.splice(all.findIndex((x) => x.metadata.uid === rs.metadata.uid), 1, rs);
  // FindActiveOrLatest
  let only: KubeObject | undefined;
  if (act.length === 1) only = act[0];
  else if (act.length === 0 && all.length) only = newRS ?? [...old].sort(byCreation).reverse()[0];
  if (only) {
    if (rsReplicas(only) !== replicasOf(ctx.d)) replace(scaleReplicaSet(ctx, only, replicasOf(ctx.d))[1]);
    return all;
  }
  const saturated =
    newRS && rsReplicas(newRS) === replicasOf(ctx.d) && Number(newRS.metadata.annotations?.[DESIRED_REPLICAS]) === replicasOf(ctx.d) && sumStatus([newRS], 'availableReplicas') === replicasOf(ctx.d);
  if (saturated) {
    for (const o of active(old)) replace(scaleReplicaSet(ctx, o, 0)[1]);
    return all;
  }
  if (!isRolling(ctx.d)) return all;
  const allowed = replicasOf(ctx.d) > 0 ? replicasOf(ctx.d) + maxSurge(ctx.d) : 0;
  const toAdd = allowed - sumSpec(act);
  const ordered = [...act].sort((a, b) => {
    const bySize = rsReplicas(b) - rsReplicas(a);
    if (bySize !== 0) return bySize;
    return toAdd > 0 ? byCreation(b, a) : byCreation(a, b);
  });
  const op = toAdd > 0 ? 'up' : toAdd < 0 ? 'down' : undefined;
  let added = 0;
  const sizes = new Map<KubeObject, number>();
  for (const rs of ordered) {
    const p = toAdd !== 0 ? proportion(rs, ctx.d, toAdd, added) : 0;
    sizes.set(rs, rsReplicas(rs) + p);
    added += p;
  }
  ordered.forEach((rs, i) => {
    let size = sizes.get(rs)!;
    if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
    replace(scaleReplicaSet(ctx, rs, size, op)[1]);
  });
  return all;
}

/** cleanupDeployment: keep revisionHistoryLimit old ReplicaSets, delete the oldest empty ones. */
export function cleanupDeployment(ctx: Ctx, old: KubeObject[]): KubeObject[] {
  const limit = asDeploy(ctx.d).spec?.revisionHistoryLimit ?? 10;
  const alive = old.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = alive.length - limit;
  if (diff <= 0) return old;
  const byRev = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  const gone = new Set<string>();
  for (const rs of byRev.slice(0, diff)) {
    const st = asRS(rs).status;
    if ((st?.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > (st?.observedGeneration ?? 0)) continue;
    deleteObject(ctx.dc.rt, RS, rs);
    gone.add(rs.metadata.uid!);
  }
  return old.filter((rs) => !gone.has(rs.metadata.uid!));
}

/** calculateStatus: the counts over all ReplicaSets and the Available condition. */
export function calculateStatus(ctx: Ctx, all: KubeObject[], newRS: KubeObject | undefined): DeploymentStatus {
  const d = ctx.d;
  const available = sumStatus(all, 'availableReplicas');
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: sumStatus(all, 'replicas'),
    updatedReplicas: newRS ? sumStatus([newRS], 'replicas') : 0,
    readyReplicas: sumStatus(all, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sumSpec(all) - available),
    conditions: structuredClone(asDeploy(d).status?.conditions ?? []),
  };
  const collision = asDeploy(d).status?.collisionCount;
  if (collision !== undefined) status.collisionCount = collision;
  const { clock } = ctx.dc.rt;
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', clock.now()));
  } else {
    setCondition(status, newCondition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', clock.now()));
  }
  return status;
}
