/**
 * The Deployment controller (pkg/controller/deployment/deployment_controller.go): event handlers that queue the
 * owning Deployment, and syncDeployment, which picks the path: status only (being deleted), scaling (paused, or a
 * replicas change), or a rollout by strategy (rolling.ts, recreate.ts). The shared steps are in sync.ts, the
 * Progressing condition in progress.ts.
 */
import { byKind } from '../../api/resources.ts';
import { labelSelectorMatcher } from '../../store/selectors.ts';
import { recorderFor } from '../events.ts';
import { keyOf, splitKey, type Runtime } from '../framework.ts';
import { claim, controllerRef } from '../util.ts';
import type { DeploymentController } from './context.ts';
import { checkPausedConditions, isScalingEvent, sync, syncStatusOnly } from './sync.ts';
import { rolloutRolling } from './rolling.ts';
import { rolloutRecreate } from './recreate.ts';
import { asDeploy, isRolling } from './util.ts';

const DEPLOY = byKind('Deployment');
const RS = byKind('ReplicaSet');
const PODS = byKind('Pod');

export function startDeploymentController(rt: Runtime): void {
  const dInf = rt.informers.for(DEPLOY);
  const rsInf = rt.informers.for(RS);
  const podInf = rt.informers.for(PODS);
  const record = recorderFor(rt.reg, rt.clock, { component: 'deployment-controller' });
  const dc: DeploymentController = { rt, dInf, rsInf, podInf, record, queue: rt.queue('deployment', (key) => syncDeployment(dc, key)) };
  const { queue } = dc;

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
}

export function syncDeployment(dc: DeploymentController, key: string): void {
  const [ns, name] = splitKey(key);
  const found = dc.dInf.get(ns, name);
  if (!found) return;
  const ctx = { dc, d: found };
  const rsList = claim(dc.rt, found, asDeploy(found).spec?.selector, dc.rsInf.list(ns), RS);
  if (found.metadata.deletionTimestamp) return syncStatusOnly(ctx, rsList);
  checkPausedConditions(ctx);
  if (asDeploy(ctx.d).spec?.paused) return sync(ctx, rsList);
  if (isScalingEvent(ctx, rsList)) return sync(ctx, rsList);
  if (isRolling(ctx.d)) rolloutRolling(ctx, rsList);
  else rolloutRecreate(ctx, rsList);
}
