/**
 * applyDefaults: the scheme defaulting kube-apiserver runs on every decoded object (pkg/apis/core/v1/defaults.go,
 * pkg/apis/apps/v1/defaults.go, pkg/apis/discovery/v1/defaults.go, declarative `+default` tags), plus the
 * create-time canonicalisation of namespaces and services that always happens before validation, and every
 * resource.Quantity in the form decoding and SetDefaults_ResourceList leave it.
 * Mutates a fresh (unfrozen) object.
 */
import type { Deployment, DeploymentSpec, ReplicaSet, ReplicaSetSpec } from 'kubernetes-types/apps/v1';
import type { Endpoints, Namespace, Node, Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { KubeObject } from '../types.ts';
import { defaultPod, defaultPodTemplate } from './pod.ts';
import { defaultService } from './service.ts';
import { canonicalizeQuantities, canonicalizeStatusQuantities } from './quantities.ts';

// A decoded object's spec may lack what the Go types require (a selector, a template): defaulting runs before
// validation, which reports what is missing. Hence `{} as T` where a struct is made up.

function defaultDeployment(d: Deployment): void {
  d.spec ??= {} as DeploymentSpec;
  const s = d.spec;
  if (s.replicas === undefined || s.replicas === null) s.replicas = 1;
  s.strategy ??= {};
  if (!s.strategy.type) s.strategy.type = 'RollingUpdate';
  if (s.strategy.type === 'RollingUpdate') {
    s.strategy.rollingUpdate ??= {};
    if ((s.strategy.rollingUpdate.maxUnavailable ?? null) === null) s.strategy.rollingUpdate.maxUnavailable = '25%';
    if ((s.strategy.rollingUpdate.maxSurge ?? null) === null) s.strategy.rollingUpdate.maxSurge = '25%';
  }
  if (s.revisionHistoryLimit === undefined || s.revisionHistoryLimit === null) s.revisionHistoryLimit = 10;
  if (s.progressDeadlineSeconds === undefined || s.progressDeadlineSeconds === null) s.progressDeadlineSeconds = 600;
  s.template ??= {};
  defaultPodTemplate(s.template);
}

function defaultReplicaSet(rs: ReplicaSet): void {
  rs.spec ??= {} as ReplicaSetSpec;
  if (rs.spec.replicas === undefined || rs.spec.replicas === null) rs.spec.replicas = 1;
  rs.spec.template ??= {};
  defaultPodTemplate(rs.spec.template);
}

/** SetDefaults_Namespace + NamespaceStatus, and the namespace strategy's PrepareForCreate (spec.finalizers). */
function defaultNamespace(ns: Namespace): void {
  if (ns.metadata?.name) ns.metadata.labels = { ...(ns.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns.metadata.name };
  ns.spec ??= {};
  if (!(ns.spec.finalizers ?? []).length) ns.spec.finalizers = ['kubernetes'];
  ns.status ??= {};
  if (!ns.status.phase) ns.status.phase = 'Active';
}

function defaultNode(node: Node): void {
  const st = node.status;
  if (st && st.capacity && !st.allocatable) st.allocatable = { ...st.capacity };
}

function defaultEndpoints(ep: Endpoints): void {
  for (const ss of ep.subsets ?? []) for (const p of ss.ports ?? []) if (!p.protocol) p.protocol = 'TCP';
}

function defaultEndpointSlice(slice: EndpointSlice): void {
  for (const p of slice.ports ?? []) {
    if (p.name === undefined || p.name === null) p.name = '';
    if (p.protocol === undefined || p.protocol === null) p.protocol = 'TCP';
  }
}

/** Each defaulter sees the object as its kind's published type (the registry only hands it that kind). */
const ofKind =
  <T>(defaulter: (o: T) => void) =>
  (o: KubeObject): void =>
    defaulter(o as unknown as T);

const DEFAULTERS: Record<string, (o: KubeObject) => void> = {
  Pod: ofKind<Pod>(defaultPod),
  Deployment: ofKind<Deployment>(defaultDeployment),
  ReplicaSet: ofKind<ReplicaSet>(defaultReplicaSet),
  Service: ofKind<Service>(defaultService),
  Namespace: ofKind<Namespace>(defaultNamespace),
  Node: ofKind<Node>(defaultNode),
  Endpoints: ofKind<Endpoints>(defaultEndpoints),
  EndpointSlice: ofKind<EndpointSlice>(defaultEndpointSlice),
};

export function applyDefaults(obj: KubeObject): void {
  DEFAULTERS[obj.kind]?.(obj);
  // Decoding already parsed the quantities; doing it last also covers what defaulting copied (requests from limits).
  canonicalizeQuantities(obj);
}

/**
 * The defaulting a status update's decoding applies to the status it keeps: the node's allocatable from its
 * capacity (SetDefaults_NodeStatus) and the status quantities. Touches nothing outside `status`.
 */
export function applyStatusDefaults(obj: KubeObject): void {
  if (obj.kind === 'Node') defaultNode(obj as unknown as Node);
  canonicalizeStatusQuantities(obj);
}

export { admitPod, defaultPodSpec, defaultContainer, defaultPodTemplate, defaultImagePullPolicy, imageTag } from './pod.ts';
export { defaultServiceSpec, prepareServiceForUpdate, serviceExternallyAccessible } from './service.ts';
