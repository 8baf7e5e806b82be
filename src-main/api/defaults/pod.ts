/**
 * Pod and pod-template defaults (pkg/apis/core/v1/defaults.go plus the declarative `+default` tags), and the
 * admission plugins that touch every pod: DefaultTolerationSeconds and Priority.
 * SetDefaults_PodSpec applies to templates too; SetDefaults_Pod (enableServiceLinks, requests from limits,
 * hostNetwork ports) only to Pods, which is why Deployment templates show no enableServiceLinks.
 */

import type { Container, EphemeralContainer, GRPCAction, HTTPGetAction, Pod, PodSpec, PodTemplateSpec, Probe, Toleration, Volume } from 'kubernetes-types/core/v1';

const isUnset = (v: unknown) => v === undefined || v === null || v === '';

/** The tag as k8s.io/kubernetes/pkg/util/parsers.ParseImageName sees it: no tag and no digest means "latest". */
export function imageTag(image: string): string {
  const [ref, digest] = image.split('@');
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  const tag = colon > lastSlash ? ref.slice(colon + 1) : '';
  return tag === '' && digest === undefined ? 'latest' : tag;
}

export function defaultImagePullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  return imageTag(image ?? '') === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHandler(h: { httpGet?: HTTPGetAction; grpc?: GRPCAction } | undefined): void {
  if (!h) return;
  if (h.httpGet) {
    if (isUnset(h.httpGet.path)) h.httpGet.path = '/';
    if (isUnset(h.httpGet.scheme)) h.httpGet.scheme = 'HTTP';
  }
  if (h.grpc && h.grpc.service === undefined) h.grpc.service = '';
}

export function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  defaultHandler(p);
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
}

export function defaultContainer(c: Container | EphemeralContainer): void {
  if (isUnset(c.imagePullPolicy)) c.imagePullPolicy = defaultImagePullPolicy(c.image);
  if (isUnset(c.terminationMessagePath)) c.terminationMessagePath = '/dev/termination-log';
  if (isUnset(c.terminationMessagePolicy)) c.terminationMessagePolicy = 'File';
  if (c.resources === undefined || c.resources === null) c.resources = {}; // a Go struct: always serialised
  for (const p of c.ports ?? []) if (isUnset(p.protocol)) p.protocol = 'TCP';
  for (const e of c.env ?? []) if (e.valueFrom?.fieldRef && isUnset(e.valueFrom.fieldRef.apiVersion)) e.valueFrom.fieldRef.apiVersion = 'v1';
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultHandler(c.lifecycle?.postStart);
  defaultHandler(c.lifecycle?.preStop);
}

const VOLUME_SOURCE_KEYS = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile',
  'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO',
  'storageos', 'csi', 'ephemeral', 'image',
];

/** A field by its JSON name, for checks over every volume source (some newer than kubernetes-types). */
const field = (o: object, key: string): unknown => (o as Record<string, unknown>)[key];

/** The `+default` tags of a source: fields left out or empty get their default, in the tag's order. */
function tagDefaults<T extends object>(source: T | undefined, defaults: Partial<T>): void {
  if (!source) return;
  for (const [k, dv] of Object.entries(defaults) as [keyof T, T[keyof T]][]) if (source[k] === undefined || source[k] === '') source[k] = dv;
}

function defaultVolume(v: Volume): void {
  if (!VOLUME_SOURCE_KEYS.some((k) => field(v, k) !== undefined && field(v, k) !== null)) v.emptyDir = {};
  for (const src of [v.secret, v.configMap, v.downwardAPI, v.projected]) if (src && src.defaultMode === undefined) src.defaultMode = 420;
  if (v.hostPath && v.hostPath.type === undefined) v.hostPath.type = '';
  for (const src of v.projected?.sources ?? [])
    if (src.serviceAccountToken && src.serviceAccountToken.expirationSeconds === undefined) src.serviceAccountToken.expirationSeconds = 3600;
  // SetDefaults_ObjectFieldSelector reaches every fieldRef, the volume ones too.
  for (const item of [...(v.downwardAPI?.items ?? []), ...(v.projected?.sources ?? []).flatMap((s) => s.downwardAPI?.items ?? [])])
    if (item.fieldRef && isUnset(item.fieldRef.apiVersion)) item.fieldRef.apiVersion = 'v1';
  // The `+default` tags of the in-tree sources.
  tagDefaults(v.rbd, { pool: 'rbd', user: 'admin', keyring: '/etc/ceph/keyring' });
  tagDefaults(v.iscsi, { iscsiInterface: 'default' });
  tagDefaults(v.azureDisk, { cachingMode: 'ReadWrite', fsType: 'ext4', readOnly: false, kind: 'Shared' });
  tagDefaults(v.scaleIO, { storageMode: 'ThinProvisioned', fsType: 'xfs' });
}

/** SetDefaults_PodSpec and the per-element defaults reached from a PodSpec (pods and templates alike). */
export function defaultPodSpec(spec: PodSpec): void {
  if (isUnset(spec.dnsPolicy)) spec.dnsPolicy = 'ClusterFirst';
  if (isUnset(spec.restartPolicy)) spec.restartPolicy = 'Always';
  if (spec.securityContext === undefined || spec.securityContext === null) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) spec.terminationGracePeriodSeconds = 30;
  if (isUnset(spec.schedulerName)) spec.schedulerName = 'default-scheduler';
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c);
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

export function defaultPodTemplate(template: PodTemplateSpec | undefined): void {
  if (!template) return;
  template.spec ??= {} as PodSpec; // the defaulting fills in a PodSpec; containers are validation's to require
  defaultPodSpec(template.spec);
}

/** SetDefaults_Pod + SetDefaults_PodSpec. */
export function defaultPod(pod: Pod): void {
  pod.spec ??= {} as PodSpec;
  const spec = pod.spec;
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    const resources = c.resources;
    const limits = resources?.limits;
    if (!resources || !limits) continue;
    const requests = (resources.requests ??= {});
    for (const [k, v] of Object.entries(limits)) if (!(k in requests)) requests[k] = v;
  }
  if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null) spec.enableServiceLinks = true;
  if (spec.hostNetwork)
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])])
      for (const p of c.ports ?? []) if (!p.hostPort) p.hostPort = p.containerPort;
  defaultPodSpec(spec);
}

/**
 * Admission for a new pod, as a kubeadm cluster's default plugins do it:
 * - Priority: no priorityClassName and no default class, so priority 0 and preemptionPolicy PreemptLowerPriority.
 * - DefaultTolerationSeconds: NoExecute tolerations for not-ready and unreachable, 300 s, unless the pod
 *   already tolerates them. Order as upstream appends them: not-ready first.
 * The ServiceAccount plugin (serviceAccountName default, the kube-api-access volume) is left to its own code.
 */
export function admitPod(pod: Pod, defaultTolerationSeconds = 300): void {
  pod.spec ??= {} as PodSpec;
  const spec = pod.spec;
  if (spec.priority === undefined || spec.priority === null) spec.priority = 0;
  if (isUnset(spec.preemptionPolicy)) spec.preemptionPolicy = 'PreemptLowerPriority';
  const tolerations: Toleration[] = spec.tolerations ?? [];
  const tolerates = (key: string) =>
    tolerations.some((t) => (t.operator === 'Exists' && !t.key) || (t.key === key && (!t.effect || t.effect === 'NoExecute')));
  const add: Toleration[] = [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'])
    if (!tolerates(key)) add.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: defaultTolerationSeconds });
  if (add.length) spec.tolerations = [...tolerations, ...add];
}
