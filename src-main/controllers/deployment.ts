/** The Deployment controller (pkg/controller/deployment: deployment_controller.go, sync.go, rolling.go, recreate.go, progress.go). */
import type { DeploymentStatus } from 'kubernetes-types/apps/v1';
import { isStatusError } from '../api/errors.ts';
import { byKind } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { podTemplateHash } from '../api/names.ts';
import { labelSelectorMatcher } from '../store/selectors.ts';
import { recorderFor } from './events.ts';
import { createObject, deleteObject, keyOf, mutate, splitKey, type Runtime } from './framework.ts';
import { asPod, byCreation, claim, controllerRef, newControllerRef } from './util.ts';
import {
  DESIRED_REPLICAS, REVISION, asDeploy, asRS, deploymentComplete, deploymentProgressing, equalIgnoreHash, getCondition, isRolling,
  maxSurge, maxUnavailable, newCondition, proportion, replicasOf, revisionOf, rsReplicas, setCondition, setNewRSAnnotations,
  setReplicasAnnotations, sumSpec, sumStatus, active, compactStatus,
} from './deployment-util.ts';

const DEPLOY = byKind('Deployment');
const RS = byKind('ReplicaSet');
const PODS = byKind('Pod');

export function startDeploymentController(rt: Runtime): void {
  const dInf = rt.informers.for(DEPLOY);
  const rsInf = rt.informers.for(RS);
  const podInf = rt.informers.for(PODS);
  const record = recorderFor(rt.reg, rt.clock, { component: 'deployment-controller' });
  const queue = rt.queue('deployment', sync);

  dInf.on((_t, o) => queue.add(keyOf(o)));
  rsInf.on((type, o, old) => {
    const ref = controllerRef(o);
    const oldRef = old && controllerRef(old);
    if (oldRef?.kind === 'Deployment' && oldRef.uid !== ref?.uid) queue.add(`${o.metadata.namespace}/${oldRef.name}`);
    if (ref) {
      if (ref.kind === 'Deployment') queue.add(`${o.metadata.namespace}/${ref.name}`);
    } else if (type !== 'DELETED') {
      for (const d of dInf.list(o.metadata.namespace)) if (labelSelectorMatcher(asDeploy(d).spec?.selector)(o.metadata.labels)) queue.add(keyOf(d));
    }
  });
  // Recreate waits for old pods to be gone.
  podInf.on((type, o) => {
    if (type !== 'DELETED') return;
    const ref = controllerRef(o);
    if (ref?.kind !== 'ReplicaSet') return;
    const rs = rsInf.get(o.metadata.namespace, ref.name);
    const dref = rs && controllerRef(rs);
    if (dref?.kind === 'Deployment') queue.add(`${o.metadata.namespace}/${dref.name}`);
  });

  function sync(key: string): void {
    const [ns, name] = splitKey(key);
    const found = dInf.get(ns, name);
    if (!found) return;
    const ctx = { d: found };
    const rsList = claim(rt, found, asDeploy(found).spec?.selector, rsInf.list(ns), RS);
    if (found.metadata.deletionTimestamp) return syncStatus(ctx, rsList, true);
    checkPaused(ctx);
    if (asDeploy(ctx.d).spec?.paused) return scaleSync(ctx, rsList);
    if (isScalingEvent(ctx, rsList)) return scaleSync(ctx, rsList);
    if (isRolling(ctx.d)) rolloutRolling(ctx, rsList);
    else rolloutRecreate(ctx, rsList);
  }

  type Ctx = { d: KubeObject };

  function writeStatus(ctx: Ctx, status: DeploymentStatus): void {
    const clean = compactStatus(status);
    if (JSON.stringify(clean) === JSON.stringify(ctx.d.status ?? {})) return;
    ctx.d = mutate(rt, DEPLOY, ctx.d, (x) => (x.status = clean), true);
  }

  function checkPaused(ctx: Ctx): void {
    const cond = getCondition(asDeploy(ctx.d).status, 'Progressing');
    const paused = !!asDeploy(ctx.d).spec?.paused;
    if (!cond) return;
    const status = structuredClone(asDeploy(ctx.d).status ?? {});
    if (paused && cond.reason !== 'DeploymentPaused') setCondition(status, newCondition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', rt.clock.now()));
    else if (!paused && cond.reason === 'DeploymentPaused') setCondition(status, newCondition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', rt.clock.now()));
    else return;
    writeStatus(ctx, status);
  }

  function findNewRS(d: KubeObject, rsList: KubeObject[]): KubeObject | undefined {
    return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(asRS(rs).spec?.template, asDeploy(d).spec?.template));
  }

  /** getAllReplicaSetsAndSyncRevision + getNewReplicaSet. */
  function getAll(ctx: Ctx, listed: KubeObject[], create: boolean): [KubeObject | undefined, KubeObject[]] {
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
      newRS = createNewRS(ctx, old, newRevision);
      setDeploymentRevision(ctx, newRevision);
      setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${newRS.metadata.name}"`, rt.clock.now()));
      statusChanged = true;
    }
    if (statusChanged) writeStatus(ctx, { ...status, conditions: status.conditions });
    return [newRS, old];
  }

  function setDeploymentRevision(ctx: Ctx, revision: string): void {
    if (ctx.d.metadata.annotations?.[REVISION] === revision) return;
    ctx.d = mutate(rt, DEPLOY, ctx.d, (x) => (x.metadata.annotations = { ...(x.metadata.annotations ?? {}), [REVISION]: revision }));
  }

  function createNewRS(ctx: Ctx, old: KubeObject[], revision: string): KubeObject {
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

  /** NewRSNewReplicas. */
  function newRSNewReplicas(d: KubeObject, all: KubeObject[], newRS: KubeObject | undefined): number {
    if (!isRolling(d)) return replicasOf(d);
    const current = sumSpec(all.filter((x) => x !== newRS)) + rsReplicas(newRS);
    const maxTotal = replicasOf(d) + maxSurge(d);
    if (current >= maxTotal) return rsReplicas(newRS);
    return rsReplicas(newRS) + Math.min(maxTotal - current, replicasOf(d) - rsReplicas(newRS));
  }

  function scaleRS(ctx: Ctx, rs: KubeObject, newScale: number, op?: string): [boolean, KubeObject] {
    const size = rsReplicas(rs);
    const probe = structuredClone(rs) as KubeObject;
    const annChanged = setReplicasAnnotations(probe, replicasOf(ctx.d), replicasOf(ctx.d) + maxSurge(ctx.d));
    if (size === newScale && !annChanged) return [false, rs];
    const saved = mutate(rt, RS, rs, (x) => {
      (x.spec as { replicas: number }).replicas = newScale;
      x.metadata.annotations = probe.metadata.annotations;
    });
    if (size !== newScale) {
      record(ctx.d, 'Normal', 'ScalingReplicaSet', `Scaled ${op ?? (size < newScale ? 'up' : 'down')} replica set ${rs.metadata.name} from ${size} to ${newScale}`);
    }
    return [size !== newScale, saved];
  }

  function isScalingEvent(ctx: Ctx, rsList: KubeObject[]): boolean {
    const [newRS, old] = getAll(ctx, rsList, false);
    for (const rs of active([...old, newRS])) {
      const desired = rs.metadata.annotations?.[DESIRED_REPLICAS];
      if (desired !== undefined && Number(desired) !== replicasOf(ctx.d)) return true;
    }
    return false;
  }

  /** sync(): scaling (proportional during a rollout), cleanup, status. */
  function scaleSync(ctx: Ctx, rsList: KubeObject[]): void {
    let [newRS, old] = getAll(ctx, rsList, false);
    const refreshed = scale(ctx, newRS, old);
    newRS = refreshed.find((x) => x.metadata.uid === newRS?.metadata.uid) ?? newRS;
    old = refreshed.filter((x) => x.metadata.uid !== newRS?.metadata.uid);
    if (asDeploy(ctx.d).spec?.paused && !newRS) {
      /* kept as upstream: a paused deployment never creates its new ReplicaSet */
    }
    const all = newRS ? [...old, newRS] : old;
    if (!asDeploy(ctx.d).spec?.paused && deploymentComplete(ctx.d, asDeploy(ctx.d).status ?? {})) cleanup(ctx, old);
    writeStatus(ctx, calculateStatus(ctx.d, all, newRS));
  }

  function scale(ctx: Ctx, newRS: KubeObject | undefined, old: KubeObject[]): KubeObject[] {
    const all = newRS ? [...old, newRS] : [...old];
    const act = active(all);
    const replace = (rs: KubeObject) => all.splice(all.findIndex((x) => x.metadata.uid === rs.metadata.uid), 1, rs);
    // FindActiveOrLatest
    let only: KubeObject | undefined;
    if (act.length === 1) only = act[0];
    else if (act.length === 0 && all.length) only = newRS ?? [...old].sort(byCreation).reverse()[0];
    if (only) {
      if (rsReplicas(only) !== replicasOf(ctx.d)) replace(scaleRS(ctx, only, replicasOf(ctx.d))[1]);
      return all;
    }
    const saturated =
      newRS && rsReplicas(newRS) === replicasOf(ctx.d) && Number(newRS.metadata.annotations?.[DESIRED_REPLICAS]) === replicasOf(ctx.d) && sumStatus([newRS], 'availableReplicas') === replicasOf(ctx.d);
    if (saturated) {
      for (const o of active(old)) replace(scaleRS(ctx, o, 0)[1]);
      return all;
    }
    if (!isRolling(ctx.d)) return all;
    const allowed = replicasOf(ctx.d) > 0 ? replicasOf(ctx.d) + maxSurge(ctx.d) : 0;
    const toAdd = allowed - sumSpec(act);
    const ordered = [...act].sort((a, b) => {
      const bySize = toAdd > 0 ? rsReplicas(b) - rsReplicas(a) : rsReplicas(b) - rsReplicas(a);
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
      replace(scaleRS(ctx, rs, size, op)[1]);
    });
    return all;
  }

  function rolloutRolling(ctx: Ctx, rsList: KubeObject[]): void {
    let [newRS, old] = getAll(ctx, rsList, true);
    const all = () => [...old, newRS!];
    // reconcileNewReplicaSet
    let scaled = false;
    if (rsReplicas(newRS) !== replicasOf(ctx.d)) {
      const target = rsReplicas(newRS) > replicasOf(ctx.d) ? replicasOf(ctx.d) : newRSNewReplicas(ctx.d, all(), newRS);
      [scaled, newRS] = scaleRS(ctx, newRS!, target);
    }
    if (scaled) return syncRolloutStatus(ctx, all(), newRS);
    if (reconcileOld(ctx, newRS!, old)) return syncRolloutStatus(ctx, all(), newRS);
    if (deploymentComplete(ctx.d, asDeploy(ctx.d).status ?? {})) old = cleanup(ctx, old);
    syncRolloutStatus(ctx, all(), newRS);
  }

  /** reconcileOldReplicaSets: unhealthy old replicas first, then down to minAvailable. Mutates `old` in place. */
  function reconcileOld(ctx: Ctx, newRS: KubeObject, old: KubeObject[]): boolean {
    const oldCount = sumSpec(old);
    if (oldCount === 0) return false;
    const minAvailable = replicasOf(ctx.d) - maxUnavailable(ctx.d);
    const newUnavailable = rsReplicas(newRS) - sumStatus([newRS], 'availableReplicas');
    const maxScaledDown = sumSpec([...old, newRS]) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    const set = (rs: KubeObject) => old.splice(old.findIndex((x) => x.metadata.uid === rs.metadata.uid), 1, rs);
    let total = 0;
    for (const rs of active(old).sort(byCreation)) {
      if (total >= maxScaledDown) break;
      const unhealthy = rsReplicas(rs) - sumStatus([rs], 'availableReplicas');
      if (rsReplicas(rs) === 0 || unhealthy <= 0) continue;
      const down = Math.min(maxScaledDown - total, unhealthy);
      set(scaleRS(ctx, rs, rsReplicas(rs) - down)[1]);
      total += down;
    }
    // scaleDownOldReplicaSetsForRollingUpdate
    const availableCount = sumStatus([...old, newRS], 'availableReplicas');
    if (availableCount > minAvailable) {
      const want = availableCount - minAvailable;
      let done = 0;
      for (const rs of active(old).sort(byCreation)) {
        if (done >= want) break;
        if (rsReplicas(rs) === 0) continue;
        const down = Math.min(rsReplicas(rs), want - done);
        set(scaleRS(ctx, rs, rsReplicas(rs) - down)[1]);
        done += down;
      }
      total += done;
    }
    return total > 0;
  }

  function rolloutRecreate(ctx: Ctx, rsList: KubeObject[]): void {
    let [newRS, old] = getAll(ctx, rsList, false);
    let scaledDown = false;
    for (const rs of active(old)) {
      const [s, saved] = scaleRS(ctx, rs, 0);
      old = old.map((x) => (x.metadata.uid === saved.metadata.uid ? saved : x));
      scaledDown ||= s;
    }
    const all = () => (newRS ? [...old, newRS] : old);
    if (scaledDown) return syncRolloutStatus(ctx, all(), newRS);
    // oldPodsRunning
    const oldUids = new Set(old.map((x) => x.metadata.uid));
    const oldPods = podInf
      .list(ctx.d.metadata.namespace)
      .filter((p) => oldUids.has(controllerRef(p)?.uid) && !['Failed', 'Succeeded'].includes(asPod(p).status?.phase ?? ''));
    if (sumStatus(old, 'replicas') > 0 || oldPods.length > 0) return syncRolloutStatus(ctx, all(), newRS);
    if (!newRS) [newRS, old] = getAll(ctx, rsList, true);
    if (rsReplicas(newRS) !== replicasOf(ctx.d)) newRS = scaleRS(ctx, newRS!, replicasOf(ctx.d))[1];
    if (deploymentComplete(ctx.d, asDeploy(ctx.d).status ?? {})) old = cleanup(ctx, old);
    syncRolloutStatus(ctx, all(), newRS);
  }

  /** cleanupDeployment: keep revisionHistoryLimit old ReplicaSets, delete the oldest empty ones. */
  function cleanup(ctx: Ctx, old: KubeObject[]): KubeObject[] {
    const limit = asDeploy(ctx.d).spec?.revisionHistoryLimit ?? 10;
    const alive = old.filter((rs) => !rs.metadata.deletionTimestamp);
    const diff = alive.length - limit;
    if (diff <= 0) return old;
    const byRev = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    const gone = new Set<string>();
    for (const rs of byRev.slice(0, diff)) {
      const st = asRS(rs).status;
      if ((st?.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > (st?.observedGeneration ?? 0)) continue;
      deleteObject(rt, RS, rs);
      gone.add(rs.metadata.uid!);
    }
    return old.filter((rs) => !gone.has(rs.metadata.uid!));
  }

  function syncStatus(ctx: Ctx, rsList: KubeObject[], _deleting: boolean): void {
    const [newRS, old] = getAll(ctx, rsList, false);
    writeStatus(ctx, calculateStatus(ctx.d, newRS ? [...old, newRS] : old, newRS));
  }

  /** syncRolloutStatus: status plus the Progressing condition (and a re-check when the deadline would pass). */
  function syncRolloutStatus(ctx: Ctx, all: KubeObject[], newRS: KubeObject | undefined): void {
    const d = ctx.d;
    const now = rt.clock.now();
    const status = calculateStatus(d, all, newRS);
    const deadline = asDeploy(d).spec?.progressDeadlineSeconds ?? 600;
    const hasDeadline = deadline !== 2147483647;
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
    // requeueStuckDeployment
    const after = getCondition(asDeploy(ctx.d).status, 'Progressing');
    if (hasDeadline && after?.reason === 'ReplicaSetUpdated' && !deploymentComplete(ctx.d, asDeploy(ctx.d).status ?? {}) && after.lastUpdateTime) {
      queue.addAfter(keyOf(ctx.d), Math.max(1000, Date.parse(after.lastUpdateTime) + deadline * 1000 - now + 1000));
    }
  }

  function calculateStatus(d: KubeObject, all: KubeObject[], newRS: KubeObject | undefined): DeploymentStatus {
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
    if (available >= replicasOf(d) - maxUnavailable(d)) {
      setCondition(status, newCondition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', rt.clock.now()));
    } else {
      setCondition(status, newCondition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', rt.clock.now()));
    }
    return status;
  }
}
