/** `kubectl describe deployment` and `describe replicaset` (describe.go). */
import type { Event, Pod } from 'kubernetes-types/core/v1';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import { rfc1123z } from '../duration.ts';
import { formatLabelSelector, selectorString } from '../labels.ts';
import { describePodTemplate } from './containers.ts';
import { controlledBy, describeEvents, LEVEL_0, LEVEL_1, PrefixWriter, printAnnotationsMultiline, printLabelsMultiline } from './writer.ts';

function replicaSetsByLabels(rss: ReplicaSet[]): string {
  const list = rss.map((rs) => `${rs.metadata?.name ?? ''} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`).join(', ');
  return list === '' ? '<none>' : list;
}

function templateWithoutHash(rs: ReplicaSet): string {
  const t = structuredClone(rs.spec?.template ?? {});
  if (t.metadata?.labels) delete t.metadata.labels['pod-template-hash'];
  return JSON.stringify(t, Object.keys(flatKeys(t)).sort());
}

function flatKeys(o: unknown, acc: Record<string, true> = {}): Record<string, true> {
  if (o && typeof o === 'object') for (const [k, v] of Object.entries(o)) {
    acc[k] = true;
    flatKeys(v, acc);
  }
  return acc;
}

/** deploymentutil.GetAllReplicaSets: the new RS has the deployment's template (ignoring pod-template-hash). */
export function splitReplicaSets(d: Deployment, owned: ReplicaSet[]): { newRS?: ReplicaSet; oldRSs: ReplicaSet[] } {
  const want = templateWithoutHash({ spec: { template: d.spec?.template } } as ReplicaSet);
  const sorted = [...owned].sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''));
  const newRS = sorted.find((rs) => templateWithoutHash(rs) === want);
  return { newRS, oldRSs: sorted.filter((rs) => rs !== newRS) };
}

/** `replicaSets`: the ReplicaSets the deployment owns (the describer lists them by the deployment's selector). */
export function describeDeployment(d: Deployment, replicaSets: ReplicaSet[], events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = d.spec;
  w.write(LEVEL_0, `Name:\t${d.metadata?.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${d.metadata?.namespace ?? ''}\n`);
  w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(d.metadata?.creationTimestamp)}\n`);
  printLabelsMultiline(w, 'Labels', d.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', d.metadata?.annotations);
  w.write(LEVEL_0, `Selector:\t${selectorString(spec?.selector) ?? ''}\n`);
  const st = d.status ?? {};
  w.write(LEVEL_0, `Replicas:\t${spec?.replicas ?? 0} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`);
  w.write(LEVEL_0, `StrategyType:\t${spec?.strategy?.type ?? ''}\n`);
  w.write(LEVEL_0, `MinReadySeconds:\t${spec?.minReadySeconds ?? 0}\n`);
  const ru = spec?.strategy?.rollingUpdate;
  if (ru) w.write(LEVEL_0, `RollingUpdateStrategy:\t${ru.maxUnavailable ?? ''} max unavailable, ${ru.maxSurge ?? ''} max surge\n`);
  describePodTemplate(spec?.template, w);
  if (st.conditions?.length) {
    w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(LEVEL_1, '----\t------\t------\n');
    for (const c of st.conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  // kubectl prints these only when it found the deployment's ReplicaSets (the real one, checked against 1.32).
  if (replicaSets.length > 0) {
    const { newRS, oldRSs } = splitReplicaSets(d, replicaSets);
    w.write(LEVEL_0, `OldReplicaSets:\t${replicaSetsByLabels(oldRSs)}\n`);
    w.write(LEVEL_0, `NewReplicaSet:\t${replicaSetsByLabels(newRS ? [newRS] : [])}\n`);
  }
  describeEvents(events, w, now);
  return w.done();
}

/** `pods`: the pods the ReplicaSet controls (counted by phase for `Pods Status`). */
export function describeReplicaSet(rs: ReplicaSet, pods: Pod[], events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const count = (phase: string) => pods.filter((p) => p.status?.phase === phase).length;
  w.write(LEVEL_0, `Name:\t${rs.metadata?.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${rs.metadata?.namespace ?? ''}\n`);
  w.write(LEVEL_0, `Selector:\t${formatLabelSelector(rs.spec?.selector)}\n`);
  printLabelsMultiline(w, 'Labels', rs.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', rs.metadata?.annotations);
  const ctl = controlledBy(rs.metadata);
  if (ctl) w.write(LEVEL_0, `Controlled By:\t${ctl}\n`);
  w.write(LEVEL_0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 0} desired\n`);
  w.write(LEVEL_0, 'Pods Status:\t');
  w.write(LEVEL_0, `${count('Running')} Running / ${count('Pending')} Waiting / ${count('Succeeded')} Succeeded / ${count('Failed')} Failed\n`);
  describePodTemplate(rs.spec?.template, w);
  if (rs.status?.conditions?.length) {
    w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(LEVEL_1, '----\t------\t------\n');
    for (const c of rs.status.conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  describeEvents(events, w, now);
  return w.done();
}
