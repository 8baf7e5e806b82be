/**
 * Pod and pod-template validation (pkg/apis/core/validation/validation.go: ValidatePodSpec, validateContainers,
 * validateContainerCommon, validateContainerPorts, probes, tolerations, ValidatePodCreate, ValidatePodTemplateSpec).
 * Volumes are checked for names and for having exactly one source; resource quantities are not checked.
 */
import { type FieldError, field } from '../field-errors.ts';
import type { ObjectMeta } from '../types.ts';
import { inclusiveRangeError, isDNS1123Label, isDNS1123Subdomain, isValidPortName, isValidPortNum, isValidLabelValue, nameIsDNSSubdomain } from '../names.ts';
import { validateAnnotations, validateLabelName, validateLabels, validateNonnegative, validateObjectMeta } from './meta.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = any;

const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const VOLUME_SOURCES = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'flocker', 'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'quobyte', 'downwardAPI', 'fc', 'flexVolume', 'configMap',
  'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'storageos', 'projected', 'scaleIO',
  'csi', 'ephemeral', 'image',
];

export function dns1123LabelErrors(value: string, path: string): FieldError[] {
  return isDNS1123Label(value).map((m) => field.invalid(path, value, m));
}

export function dns1123SubdomainErrors(value: string, path: string): FieldError[] {
  return isDNS1123Subdomain(value).map((m) => field.invalid(path, value, m));
}

/** ValidatePortNumOrName (service targetPort, probe ports). */
export function validatePortNumOrName(port: number | string | undefined, path: string): FieldError[] {
  if (typeof port === 'string') return isValidPortName(port).map((m) => field.invalid(path, port, m));
  return isValidPortNum(port ?? 0).map((m) => field.invalid(path, port ?? 0, m));
}

function volumeNames(volumes: Obj[] | undefined): Set<string> {
  return new Set((volumes ?? []).map((v) => v?.name).filter(Boolean));
}

function volumeErrors(volumes: Obj[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (volumes ?? []).forEach((vol, i) => {
    const p = `${path}[${i}]`;
    const el: FieldError[] = [];
    const sources = VOLUME_SOURCES.filter((s) => vol?.[s] !== undefined && vol?.[s] !== null);
    sources.slice(1).forEach((s) => el.push(field.forbidden(`${p}.${s}`, 'may not specify more than 1 volume type')));
    if (sources.length === 0) el.push(field.required(p, 'must specify a volume type'));
    if (!vol?.name) el.push(field.required(`${p}.name`));
    else el.push(...dns1123LabelErrors(vol.name, `${p}.name`));
    if (names.has(vol?.name)) el.push(field.duplicate(`${p}.name`, vol.name));
    if (el.length === 0) names.add(vol.name);
    errs.push(...el);
  });
  return errs;
}

function validateContainerPorts(ports: Obj[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((port, i) => {
    const p = `${path}[${i}]`;
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length) msgs.forEach((m) => errs.push(field.invalid(`${p}.name`, port.name, m)));
      else if (names.has(port.name)) errs.push(field.duplicate(`${p}.name`, port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(field.required(`${p}.containerPort`));
    else for (const m of isValidPortNum(port.containerPort)) errs.push(field.invalid(`${p}.containerPort`, port.containerPort, m));
    if (port.hostPort) for (const m of isValidPortNum(port.hostPort)) errs.push(field.invalid(`${p}.hostPort`, port.hostPort, m));
    if (!port.protocol) errs.push(field.required(`${p}.protocol`));
    else if (!PORT_PROTOCOLS.includes(port.protocol)) errs.push(field.notSupported(`${p}.protocol`, port.protocol, PORT_PROTOCOLS));
  });
  return errs;
}

function validateEnv(env: Obj[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (env ?? []).forEach((ev, i) => {
    const p = `${path}[${i}].name`;
    // RelaxedEnvironmentVariableValidation is on by default from 1.32.
    if (!ev.name) errs.push(field.required(p));
    else if ([...String(ev.name)].some((c) => c < ' ' || c > '~' || c === '='))
      errs.push(field.invalid(p, ev.name, "a valid environment variable name must consist only of printable ASCII characters other than '='"));
  });
  return errs;
}

function validateVolumeMounts(mounts: Obj[] | undefined, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (mounts ?? []).forEach((m, i) => {
    const p = `${path}[${i}]`;
    if (!m.name) errs.push(field.required(`${p}.name`));
    if (!volumes.has(m.name)) errs.push(field.notFound(`${p}.name`, m.name ?? ''));
    if (!m.mountPath) errs.push(field.required(`${p}.mountPath`));
    if (seen.has(m.mountPath)) errs.push(field.invalid(`${p}.mountPath`, m.mountPath, 'must be unique'));
    seen.add(m.mountPath);
  });
  return errs;
}

function validateEnum(value: string | undefined, allowed: string[], path: string, sortedForMessage = allowed): FieldError[] {
  if (!value) return [field.required(path)];
  return allowed.includes(value) ? [] : [field.notSupported(path, value, sortedForMessage)];
}

function validateHandler(h: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const kind of ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep']) {
    const a = h?.[kind];
    if (!a) continue;
    const p = `${path}.${kind}`;
    if (n++ > 0) {
      errs.push(field.forbidden(p, 'may not specify more than 1 handler type'));
      continue;
    }
    if (kind === 'exec' && !(a.command ?? []).length) errs.push(field.required(`${p}.command`));
    if (kind === 'httpGet') {
      if (!a.path) errs.push(field.required(`${p}.path`));
      errs.push(...validatePortNumOrName(a.port, `${p}.port`));
      if (!['HTTP', 'HTTPS'].includes(a.scheme)) errs.push(field.notSupported(`${p}.scheme`, a.scheme ?? '', ['HTTP', 'HTTPS']));
    }
    if (kind === 'tcpSocket') errs.push(...validatePortNumOrName(a.port, `${p}.port`));
    if (kind === 'grpc') errs.push(...validatePortNumOrName(a.port ?? 0, `${p}.port`));
  }
  if (n === 0) errs.push(field.required(path, 'must specify a handler type'));
  return errs;
}

function validateProbe(probe: Obj, path: string, kind: 'liveness' | 'readiness' | 'startup'): FieldError[] {
  if (!probe) return [];
  const errs = validateHandler(probe, path);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'])
    errs.push(...validateNonnegative(probe[f], `${path}.${f}`));
  const tgps = probe.terminationGracePeriodSeconds;
  if (tgps !== undefined && tgps !== null && tgps <= 0) errs.push(field.invalid(`${path}.terminationGracePeriodSeconds`, tgps, 'must be greater than 0'));
  if (kind === 'readiness' && tgps !== undefined && tgps !== null)
    errs.push(field.invalid(`${path}.terminationGracePeriodSeconds`, tgps, 'must not be set for readinessProbes'));
  if (kind !== 'readiness' && probe.successThreshold !== 1)
    errs.push(field.invalid(`${path}.successThreshold`, probe.successThreshold ?? 0, 'must be 1'));
  return errs;
}

function validateContainerCommon(c: Obj, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(field.required(`${path}.name`));
  else errs.push(...dns1123LabelErrors(c.name, `${path}.name`));
  if (!c.image) errs.push(field.required(`${path}.image`));
  const tmp = c.terminationMessagePolicy;
  if (!tmp) errs.push(field.required(`${path}.terminationMessagePolicy`));
  else if (!['File', 'FallbackToLogsOnError'].includes(tmp))
    errs.push(field.notSupported(`${path}.terminationMessagePolicy`, tmp, ['File', 'FallbackToLogsOnError']));
  errs.push(...validateContainerPorts(c.ports, `${path}.ports`));
  errs.push(...validateEnv(c.env, `${path}.env`));
  errs.push(...validateVolumeMounts(c.volumeMounts, volumes, `${path}.volumeMounts`));
  errs.push(...validateEnum(c.imagePullPolicy, ['Always', 'IfNotPresent', 'Never'], `${path}.imagePullPolicy`));
  return errs;
}

function checkHostPortConflicts(containers: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) =>
    (c.ports ?? []).forEach((p: Obj, pi: number) => {
      if (!p.hostPort) return;
      const key = `${p.protocol ?? ''}/${p.hostIP ?? ''}/${p.hostPort}`;
      if (seen.has(key)) errs.push(field.duplicate(`${path}[${ci}].ports[${pi}].hostPort`, key));
      else seen.add(key);
    }),
  );
  return errs;
}

function validateContainers(containers: Obj[] | undefined, volumes: Set<string>, path: string): FieldError[] {
  if (!containers || containers.length === 0) return [field.required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, volumes, p));
    if (names.has(c.name)) errs.push(field.duplicate(`${p}.name`, c.name));
    else names.add(c.name);
    errs.push(...validateProbe(c.livenessProbe, `${p}.livenessProbe`, 'liveness'));
    errs.push(...validateProbe(c.readinessProbe, `${p}.readinessProbe`, 'readiness'));
    errs.push(...validateProbe(c.startupProbe, `${p}.startupProbe`, 'startup'));
    if (c.restartPolicy) errs.push(field.forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
  });
  errs.push(...checkHostPortConflicts(containers, path));
  return errs;
}

function validateInitContainers(init: Obj[] | undefined, regular: Obj[] | undefined, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>((regular ?? []).map((c) => c.name));
  (init ?? []).forEach((c, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, volumes, p));
    const restartAlways = c.restartPolicy === 'Always';
    if (c.restartPolicy !== undefined && c.restartPolicy !== 'Always')
      errs.push(field.notSupported(`${p}.restartPolicy`, c.restartPolicy, ['Always']));
    if (names.has(c.name)) errs.push(field.duplicate(`${p}.name`, c.name));
    else if (c.name) names.add(c.name);
    errs.push(...checkHostPortConflicts([c], path));
    if (restartAlways) {
      errs.push(...validateProbe(c.livenessProbe, `${p}.livenessProbe`, 'liveness'));
      errs.push(...validateProbe(c.readinessProbe, `${p}.readinessProbe`, 'readiness'));
      errs.push(...validateProbe(c.startupProbe, `${p}.startupProbe`, 'startup'));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'])
        if (c[f]) errs.push(field.forbidden(`${p}.${f}`, 'may not be set for init containers without restartPolicy=Always'));
    }
  });
  return errs;
}

export function validateTolerations(tolerations: Obj[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const p = `${path}[${i}]`;
    if (t.key) errs.push(...validateLabelName(t.key, `${p}.key`));
    if (!t.key && t.operator !== 'Exists')
      errs.push(field.invalid(`${p}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute')
      errs.push(field.invalid(`${p}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (!t.operator || t.operator === 'Equal') {
      const msgs = isValidLabelValue(t.value ?? '');
      if (msgs.length) errs.push(field.invalid(`${p}.operator`, t.value ?? '', msgs.join(';')));
    } else if (t.operator === 'Exists') {
      if (t.value) errs.push(field.invalid(`${p}.operator`, t.value, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(field.notSupported(`${p}.operator`, t.operator, ['Equal', 'Exists']));
    }
    if (t.effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect))
      errs.push(field.notSupported(`${p}.effect`, t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
  });
  return errs;
}

/** ValidatePodSpec, in upstream order. `isPod` is opts.ResourceIsPod (hostNetwork port rule). */
export function validatePodSpec(spec: Obj, path: string, isPod: boolean): FieldError[] {
  const s = spec ?? {};
  const errs: FieldError[] = [];
  if (s.terminationGracePeriodSeconds === undefined || s.terminationGracePeriodSeconds === null)
    errs.push(field.required(`${path}.terminationGracePeriodSeconds`));
  errs.push(...volumeErrors(s.volumes, `${path}.volumes`));
  const vols = volumeNames(s.volumes);
  errs.push(...validateContainers(s.containers, vols, `${path}.containers`));
  errs.push(...validateInitContainers(s.initContainers, s.containers, vols, `${path}.initContainers`));
  if (s.hostNetwork)
    (s.containers ?? []).forEach((c: Obj, ci: number) =>
      (c.ports ?? []).forEach((p: Obj, pi: number) => {
        const hp = p.hostPort ?? 0;
        if ((isPod || hp !== 0) && hp !== p.containerPort)
          errs.push(field.invalid(`${path}.containers[${ci}].ports[${pi}].hostPort`, hp, 'must match `containerPort` when `hostNetwork` is true'));
      }),
    );
  errs.push(...validateEnum(s.restartPolicy, ['Always', 'OnFailure', 'Never'], `${path}.restartPolicy`));
  errs.push(...validateEnum(s.dnsPolicy, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'], `${path}.dnsPolicy`));
  errs.push(...validateLabels(s.nodeSelector, `${path}.nodeSelector`));
  if (s.dnsPolicy === 'None') {
    if (!s.dnsConfig) errs.push(field.required(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
    else if (!(s.dnsConfig.nameservers ?? []).length)
      errs.push(field.required(`${path}.dnsConfig.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
  }
  if (s.serviceAccountName) errs.push(...dns1123SubdomainErrors(s.serviceAccountName, `${path}.serviceAccountName`));
  if (s.nodeName) errs.push(...dns1123SubdomainErrors(s.nodeName, `${path}.nodeName`));
  if (s.activeDeadlineSeconds !== undefined && s.activeDeadlineSeconds !== null) {
    const v = s.activeDeadlineSeconds;
    if (v < 1 || v > 2147483647) errs.push(field.invalid(`${path}.activeDeadlineSeconds`, v, inclusiveRangeError(1, 2147483647)));
  }
  if (s.hostname) errs.push(...dns1123LabelErrors(s.hostname, `${path}.hostname`));
  if (s.subdomain) errs.push(...dns1123LabelErrors(s.subdomain, `${path}.subdomain`));
  errs.push(...validateTolerations(s.tolerations, `${path}.tolerations`));
  if (s.priorityClassName) errs.push(...dns1123SubdomainErrors(s.priorityClassName, `${path}.priorityClassName`));
  if (s.preemptionPolicy !== undefined)
    errs.push(...validateEnum(s.preemptionPolicy, ['PreemptLowerPriority', 'Never'], `${path}.preemptionPolicy`));
  return errs;
}

/** validatePodMetadataAndSpec + ValidatePodCreate. */
export function validatePodCreate(pod: Obj): FieldError[] {
  const errs = validatePodMetadataAndSpec(pod);
  const s = pod.spec ?? {};
  if ((s.ephemeralContainers ?? []).length) errs.push(field.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (s.nodeName && (s.schedulingGates ?? []).length)
    errs.push(field.forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  return errs;
}

export function validatePodMetadataAndSpec(pod: Obj): FieldError[] {
  const errs = validateObjectMeta(pod.metadata as ObjectMeta, true, nameIsDNSSubdomain);
  errs.push(...validatePodSpec(pod.spec, 'spec', true));
  for (const list of ['containers', 'initContainers'])
    (pod.spec?.[list] ?? []).forEach((c: Obj, i: number) => {
      if (typeof c.image === 'string' && c.image.trim() !== c.image)
        errs.push(field.invalid(`spec.${list}[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
    });
  return errs;
}

/** ValidatePodTemplateSpec (used by Deployment and ReplicaSet). */
export function validatePodTemplateSpec(template: Obj, path: string): FieldError[] {
  const meta = template?.metadata ?? {};
  const errs = validateLabels(meta.labels, `${path}.labels`);
  errs.push(...validateAnnotations(meta.annotations, `${path}.annotations`));
  errs.push(...validatePodSpec(template?.spec, `${path}.spec`, false));
  if ((template?.spec?.ephemeralContainers ?? []).length)
    errs.push(field.forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  return errs;
}
