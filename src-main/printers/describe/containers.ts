/** Container and pod-template sections of kubectl describe (describe.go describeContainers, DescribePodTemplate). */
import type { Container, ContainerState, ContainerStatus, PodTemplateSpec, Volume } from 'kubernetes-types/core/v1';
import { rfc1123z } from '../duration.ts';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, printAnnotationsMultiline, printLabelsMultiline, printTolerationsMultilineWithIndent, type PrefixWriter } from './writer.ts';

function stringOrNone(s: string): string {
  return s === '' ? '<none>' : s;
}

function describeStatus(stateName: string, state: ContainerState | undefined, w: PrefixWriter): void {
  if (state?.running) {
    w.write(LEVEL_2, `${stateName}:\tRunning\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state?.waiting) {
    w.write(LEVEL_2, `${stateName}:\tWaiting\n`);
    if (state.waiting.reason) w.write(LEVEL_3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(LEVEL_2, `${stateName}:\tTerminated\n`);
    if (t.reason) w.write(LEVEL_3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(LEVEL_3, `Message:\t${t.message}\n`);
    w.write(LEVEL_3, `Exit Code:\t${t.exitCode}\n`);
    if ((t.signal ?? 0) > 0) w.write(LEVEL_3, `Signal:\t${t.signal}\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(LEVEL_3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else w.write(LEVEL_2, `${stateName}:\tWaiting\n`);
}

function describeResources(c: Container, w: PrefixWriter): void {
  for (const [title, list] of [['Limits', c.resources?.limits], ['Requests', c.resources?.requests]] as const) {
    if (!list || Object.keys(list).length === 0) continue;
    w.write(LEVEL_2, `${title}:\n`);
    for (const name of Object.keys(list).sort()) w.write(LEVEL_3, `${name}:\t${list[name]}\n`);
  }
}

function describeContainers(label: string, containers: Container[], statuses: ContainerStatus[] | undefined, w: PrefixWriter, space: string): void {
  const byName = new Map((statuses ?? []).map((s) => [s.name, s]));
  if (containers.length === 0) w.write(LEVEL_0, `${space}${label}: <none>\n`);
  else w.write(LEVEL_0, `${space}${label}:\n`);
  for (const c of containers) {
    const status = byName.get(c.name);
    const ok = statuses !== undefined && status !== undefined;
    w.write(LEVEL_1, `${space ? ' ' : ''}${c.name}:\n`);
    if (ok) w.write(LEVEL_2, `Container ID:\t${status.containerID ?? ''}\n`);
    w.write(LEVEL_2, `Image:\t${c.image ?? ''}\n`);
    if (ok) w.write(LEVEL_2, `Image ID:\t${status.imageID ?? ''}\n`);
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(',');
    if (ports.includes(',')) w.write(LEVEL_2, `Ports:\t${ports}\n`);
    else w.write(LEVEL_2, `Port:\t${stringOrNone(ports)}\n`);
    const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(',');
    if (hostPorts.includes(',')) w.write(LEVEL_2, `Host Ports:\t${hostPorts}\n`);
    else w.write(LEVEL_2, `Host Port:\t${stringOrNone(hostPorts)}\n`);
    if (c.restartPolicy) w.write(LEVEL_2, `Restart Policy:\t${c.restartPolicy}\n`);
    if (c.command?.length) {
      w.write(LEVEL_2, 'Command:\n');
      for (const s of c.command) w.write(LEVEL_3, `${s.replace(/\n/g, '\n' + ' '.repeat(6))}\n`);
    }
    if (c.args?.length) {
      w.write(LEVEL_2, 'Args:\n');
      for (const s of c.args) w.write(LEVEL_3, `${s.replace(/\n/g, '\n' + ' '.repeat(6))}\n`);
    }
    if (ok) {
      describeStatus('State', status.state, w);
      if (status.lastState?.terminated) describeStatus('Last State', status.lastState, w);
      w.write(LEVEL_2, `Ready:\t${status.ready ? 'True' : 'False'}\n`);
      w.write(LEVEL_2, `Restart Count:\t${status.restartCount ?? 0}\n`);
    }
    describeResources(c, w);
    if (!c.env?.length) w.write(LEVEL_2, 'Environment:\t<none>\n');
    else {
      w.write(LEVEL_2, 'Environment:\n');
      for (const e of c.env) {
        if (e.value !== undefined || !e.valueFrom) w.write(LEVEL_3, `${e.name}:\t${(e.value ?? '').replace(/\n/g, '\n' + ' '.repeat(6))}\n`);
        else if (e.valueFrom.fieldRef) w.write(LEVEL_3, `${e.name}:\t (${e.valueFrom.fieldRef.apiVersion ?? 'v1'}:${e.valueFrom.fieldRef.fieldPath})\n`);
        else if (e.valueFrom.configMapKeyRef) {
          const r = e.valueFrom.configMapKeyRef;
          w.write(LEVEL_3, `${e.name}:\t<set to the key '${r.key}' of config map '${r.name}'>\tOptional: ${r.optional ? 'true' : 'false'}\n`);
        } else if (e.valueFrom.secretKeyRef) {
          const r = e.valueFrom.secretKeyRef;
          w.write(LEVEL_3, `${e.name}:\t<set to the key '${r.key}' in secret '${r.name}'>\tOptional: ${r.optional ? 'true' : 'false'}\n`);
        } else w.write(LEVEL_3, `${e.name}:\t\n`);
      }
    }
    const mounts = c.volumeMounts ?? [];
    w.write(LEVEL_2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`);
    for (const m of [...mounts].sort((a, b) => (a.mountPath < b.mountPath ? -1 : 1))) {
      const flags: string[] = [m.readOnly ? 'ro' : 'rw'];
      if (m.subPath) flags.push(`path="${m.subPath}"`);
      w.write(LEVEL_3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
    }
  }
}

export function describeContainerList(label: string, containers: Container[], statuses: ContainerStatus[] | undefined, w: PrefixWriter, space = ''): void {
  describeContainers(label, containers, statuses, w, space);
}

export function describeVolumes(volumes: Volume[] | undefined, w: PrefixWriter, space: string): void {
  if (!volumes || volumes.length === 0) {
    w.write(LEVEL_0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(LEVEL_0, `${space}Volumes:\n`);
  for (const vol of volumes) {
    w.write(LEVEL_1, `${space}${vol.name}:\n`);
    if (vol.configMap) {
      w.write(LEVEL_2, 'Type:\tConfigMap (a volume populated by a ConfigMap)\n');
      w.write(LEVEL_2, `Name:\t${vol.configMap.name ?? ''}\n`);
      w.write(LEVEL_2, `Optional:\t${vol.configMap.optional ? 'true' : 'false'}\n`);
    } else if (vol.emptyDir) {
      w.write(LEVEL_2, 'Type:\tEmptyDir (a temporary directory that shares a pod\'s lifetime)\n');
      w.write(LEVEL_2, `Medium:\t${vol.emptyDir.medium ?? ''}\n`);
      w.write(LEVEL_2, `SizeLimit:\t${vol.emptyDir.sizeLimit ?? '<unset>'}\n`);
    } else if (vol.hostPath) {
      w.write(LEVEL_2, 'Type:\tHostPath (bare host directory volume)\n');
      w.write(LEVEL_2, `Path:\t${vol.hostPath.path}\n`);
      w.write(LEVEL_2, `HostPathType:\t${vol.hostPath.type ?? ''}\n`);
    } else if (vol.secret) {
      w.write(LEVEL_2, 'Type:\tSecret (a volume populated by a Secret)\n');
      w.write(LEVEL_2, `SecretName:\t${vol.secret.secretName ?? ''}\n`);
      w.write(LEVEL_2, `Optional:\t${vol.secret.optional ? 'true' : 'false'}\n`);
    } else w.write(LEVEL_2, '<unknown>\n');
  }
}

export function describePodTemplate(template: PodTemplateSpec | undefined, w: PrefixWriter): void {
  w.write(LEVEL_0, 'Pod Template:\n');
  if (!template) {
    w.write(LEVEL_1, '<unset>');
    return;
  }
  printLabelsMultiline(w, '  Labels', template.metadata?.labels);
  if (Object.keys(template.metadata?.annotations ?? {}).length > 0) printAnnotationsMultiline(w, '  Annotations', template.metadata?.annotations);
  const spec = template.spec;
  if (spec?.serviceAccountName) w.write(LEVEL_1, `Service Account:\t${spec.serviceAccountName}\n`);
  if (spec?.initContainers?.length) describeContainers('Init Containers', spec.initContainers, undefined, w, '  ');
  describeContainers('Containers', spec?.containers ?? [], undefined, w, '  ');
  describeVolumes(spec?.volumes, w, '  ');
  if (spec?.priorityClassName) w.write(LEVEL_1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  printLabelsMultiline(w, '  Node-Selectors', spec?.nodeSelector);
  printTolerationsMultilineWithIndent(w, '', '  Tolerations', '\t', spec?.tolerations);
}
