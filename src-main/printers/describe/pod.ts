/** `kubectl describe pod` (describe.go describePod), given the pod and the events the describer lists. */
import type { Event, Pod } from 'kubernetes-types/core/v1';
import { rfc1123z, translateTimestampUntil } from '../duration.ts';
import { describeContainerList, describeVolumes } from './containers.ts';
import { controlledBy, describeEvents, LEVEL_0, LEVEL_1, PrefixWriter, printAnnotationsMultiline, printLabelsMultiline, printTolerationsMultilineWithIndent } from './writer.ts';

/** The QoS class (status.qosClass when the kubelet set it, else computed as pkg/apis/core/helper/qos does). */
export function podQOS(pod: Pod): string {
  if (pod.status?.qosClass) return pod.status.qosClass;
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (!lim[r] || (req[r] !== undefined && req[r] !== lim[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function describePod(pod: Pod, events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = pod.spec ?? { containers: [] };
  const status = pod.status ?? {};
  const meta = pod.metadata ?? {};
  w.write(LEVEL_0, `Name:\t${meta.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${meta.namespace ?? ''}\n`);
  if (spec.priority !== undefined && spec.priority !== null) w.write(LEVEL_0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(LEVEL_0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.runtimeClassName) w.write(LEVEL_0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec.serviceAccountName) w.write(LEVEL_0, `Service Account:\t${spec.serviceAccountName}\n`);
  if (!spec.nodeName) w.write(LEVEL_0, 'Node:\t<none>\n');
  else w.write(LEVEL_0, `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n`);
  if (status.startTime) w.write(LEVEL_0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  if (meta.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    w.write(LEVEL_0, `Status:\tTerminating (lasts ${translateTimestampUntil(meta.deletionTimestamp, now)})\n`);
    w.write(LEVEL_0, `Termination Grace Period:\t${meta.deletionGracePeriodSeconds ?? 0}s\n`);
  } else w.write(LEVEL_0, `Status:\t${status.phase ?? ''}\n`);
  if (status.reason) w.write(LEVEL_0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(LEVEL_0, `Message:\t${status.message}\n`);
  w.write(LEVEL_0, `IP:\t${status.podIP ?? ''}\n`);
  if (!status.podIPs?.length) w.write(LEVEL_0, 'IPs:\t<none>\n');
  else {
    w.write(LEVEL_0, 'IPs:\n');
    for (const ip of status.podIPs) w.write(LEVEL_0, `  IP:\t${ip.ip}\n`);
  }
  const ctl = controlledBy(meta);
  if (ctl) w.write(LEVEL_0, `Controlled By:\t${ctl}\n`);
  if (status.nominatedNodeName) w.write(LEVEL_0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
  if (spec.initContainers?.length) describeContainerList('Init Containers', spec.initContainers, status.initContainerStatuses ?? [], w);
  describeContainerList('Containers', spec.containers, status.containerStatuses ?? [], w);
  if (spec.readinessGates?.length) {
    w.write(LEVEL_0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of spec.readinessGates) {
      const c = (status.conditions ?? []).find((x) => x.type === g.conditionType);
      w.write(LEVEL_1, `${g.conditionType} \t${c?.status ?? '<none>'} \n`);
    }
  }
  if (status.conditions?.length) {
    w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\n');
    for (const c of status.conditions) w.write(LEVEL_1, `${c.type} \t${c.status} \n`);
  }
  describeVolumes(spec.volumes, w, '');
  w.write(LEVEL_0, `QoS Class:\t${podQOS(pod)}\n`);
  printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector);
  printTolerationsMultilineWithIndent(w, '', 'Tolerations', '\t', spec.tolerations);
  describeEvents(events, w, now);
  return w.done();
}
