/** pkg/controller/deployment/util/deployment_util.go, the parts the controller needs. */
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { KubeObject } from '../../api/types.ts';
import { isoTime } from '../../clock/clock.ts';
import { byCreation, scaledValue } from '../util.ts';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const SKIPPED = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, 'deprecated.deployment.rollback.to']);
const REV_HISTORY_LIMIT_CHARS = 2000;

export const asDeploy = (o: KubeObject) => o as unknown as Deployment;
export const asRS = (o: KubeObject) => o as unknown as ReplicaSet;

export const replicasOf = (d: KubeObject) => asDeploy(d).spec?.replicas ?? 1;
export const rsReplicas = (rs: KubeObject | undefined) => (rs ? (asRS(rs).spec?.replicas ?? 1) : 0);
export const isRolling = (d: KubeObject) => (asDeploy(d).spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

/** ResolveFenceposts: surge rounds up, unavailable down; both zero makes unavailable 1. */
export function fenceposts(d: KubeObject): [number, number] {
  const ru = asDeploy(d).spec?.strategy?.rollingUpdate;
  const desired = replicasOf(d);
  const surge = scaledValue(ru?.maxSurge, desired, true, '25%');
  let unavailable = scaledValue(ru?.maxUnavailable, desired, false, '25%');
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export function maxSurge(d: KubeObject): number {
  return isRolling(d) ? fenceposts(d)[0] : 0;
}

export function maxUnavailable(d: KubeObject): number {
  if (!isRolling(d) || replicasOf(d) === 0) return 0;
  return Math.min(fenceposts(d)[1], replicasOf(d));
}

export const sumSpec = (rss: KubeObject[]) => rss.reduce((n, rs) => n + rsReplicas(rs), 0);
export const sumStatus = (rss: KubeObject[], f: 'replicas' | 'readyReplicas' | 'availableReplicas') =>
  rss.reduce((n, rs) => n + ((asRS(rs).status as Record<string, number> | undefined)?.[f] ?? 0), 0);

export function revisionOf(rs: KubeObject): number {
  return Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;
}

/** Templates equal once the pod-template-hash label is ignored (EqualIgnoreHash). */
export function equalIgnoreHash(a: unknown, b: unknown): boolean {
  const strip = (t: unknown) => {
    const c = structuredClone((t ?? {}) as { metadata?: { labels?: Record<string, string> } });
    if (c.metadata?.labels) {
      delete c.metadata.labels['pod-template-hash'];
      if (Object.keys(c.metadata.labels).length === 0) delete c.metadata.labels;
    }
    return canonical(c);
  };
  return strip(a) === strip(b);
}

function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

/** SetNewReplicaSetAnnotations: copies the Deployment's annotations and moves the revision; true when changed. */
export function setNewRSAnnotations(d: KubeObject, rs: KubeObject, newRevision: string, exists: boolean): boolean {
  const ann = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIPPED.has(k) || ann[k] === v) continue;
    ann[k] = v;
    changed = true;
  }
  const oldRevision = ann[REVISION];
  const oldInt = Number(oldRevision ?? 0) || 0;
  const newInt = Number(newRevision);
  if (oldInt < newInt) {
    ann[REVISION] = newRevision;
    changed = true;
  }
  if (oldRevision !== undefined && oldInt < newInt) {
    const hist = ann[REVISION_HISTORY];
    if (!hist) ann[REVISION_HISTORY] = oldRevision;
    else {
      let parts = hist.split(',');
      let total = hist.length + oldRevision.length + 1;
      while (total > REV_HISTORY_LIMIT_CHARS && parts.length) {
        total -= parts[0].length + 1;
        parts = parts.slice(1);
      }
      ann[REVISION_HISTORY] = [...parts, oldRevision].join(',');
    }
  }
  if (!exists) changed = setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d)) || changed;
  return changed;
}

export function setReplicasAnnotations(rs: KubeObject, desired: number, max: number): boolean {
  const ann = (rs.metadata.annotations ??= {});
  if (ann[DESIRED_REPLICAS] === String(desired) && ann[MAX_REPLICAS] === String(max)) return false;
  ann[DESIRED_REPLICAS] = String(desired);
  ann[MAX_REPLICAS] = String(max);
  return true;
}

export function newCondition(type: string, status: string, reason: string, message: string, now: number): DeploymentCondition {
  const t = isoTime(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/** SetDeploymentCondition: same status and reason keeps the old one; a changed one moves to the end. */
export function setCondition(status: DeploymentStatus, c: DeploymentCondition): void {
  const list = (status as { conditions?: DeploymentCondition[] }).conditions ?? [];
  const cur = list.find((x) => x.type === c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  const next = { ...c };
  if (cur && cur.status === c.status) next.lastTransitionTime = cur.lastTransitionTime;
  (status as { conditions?: DeploymentCondition[] }).conditions = [...list.filter((x) => x.type !== c.type), next];
}

export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** DeploymentComplete. */
export function deploymentComplete(d: KubeObject, s: DeploymentStatus): boolean {
  return (
    (s.updatedReplicas ?? 0) === replicasOf(d) &&
    (s.replicas ?? 0) === replicasOf(d) &&
    (s.availableReplicas ?? 0) === replicasOf(d) &&
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** DeploymentProgressing. */
export function deploymentProgressing(d: KubeObject, s: DeploymentStatus): boolean {
  const old = asDeploy(d).status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** GetReplicaSetProportion / getReplicaSetFraction (proportional scaling during a rollout). */
export function proportion(rs: KubeObject, d: KubeObject, toAdd: number, added: number): number {
  const size = rsReplicas(rs);
  if (size === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (replicasOf(d) === 0) fraction = -size;
  else {
    const maxNow = replicasOf(d) + maxSurge(d);
    let before = Number(rs.metadata.annotations?.[MAX_REPLICAS] ?? 0) || 0;
    if (!before) before = asDeploy(d).status?.replicas ?? 0;
    fraction = before === 0 ? 0 : Math.round((size * maxNow) / before) - size;
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

export const active = (rss: Array<KubeObject | undefined>): KubeObject[] => rss.filter((x): x is KubeObject => !!x && rsReplicas(x) > 0);

/** omitempty as the Go struct has it. */
export function compactStatus(s: DeploymentStatus): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (v === undefined || v === 0 || (Array.isArray(v) && v.length === 0)) {
      if (k === 'collisionCount' && v === 0) out[k] = 0;
      continue;
    }
    out[k] = v;
  }
  return out;
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's (pod-template-hash aside). */
export function findNewRS(d: KubeObject, rsList: KubeObject[]): KubeObject | undefined {
  return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(asRS(rs).spec?.template, asDeploy(d).spec?.template));
}

/** NewRSNewReplicas: how far the new ReplicaSet may grow now (all at once for Recreate, within maxSurge for RollingUpdate). */
export function newRSNewReplicas(d: KubeObject, all: KubeObject[], newRS: KubeObject | undefined): number {
  if (!isRolling(d)) return replicasOf(d);
  const current = sumSpec(all.filter((x) => x !== newRS)) + rsReplicas(newRS);
  const maxTotal = replicasOf(d) + maxSurge(d);
  if (current >= maxTotal) return rsReplicas(newRS);
  return rsReplicas(newRS) + Math.min(maxTotal - current, replicasOf(d) - rsReplicas(newRS));
}
