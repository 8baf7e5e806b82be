/**
 * Static validation per kind, as the registry strategies of kube-apiserver call it after defaulting:
 * validateCreate on POST, validateUpdate on PUT/PATCH (objects already defaulted, services already prepared with
 * prepareServiceForUpdate). Allocation (cluster IPs, node ports) is checked elsewhere.
 */
import type { FieldError } from '../field-errors.ts';
import type { KubeObject } from '../types.ts';
import { validateDeployment, validateDeploymentUpdate, validateReplicaSet, validateReplicaSetUpdate } from './apps.ts';
import { validateObjectMetaUpdate } from './meta.ts';
import {
  validateConfigMap,
  validateConfigMapUpdate,
  validateEndpoints,
  validateEndpointSlice,
  validateEndpointSliceUpdate,
  validateEvent,
  validateLease,
  validateNamespace,
  validateNamespaceUpdate,
  validateNode,
  validateNodeUpdate,
} from './other.ts';
import { validatePodCreate } from './pod.ts';
import { validatePodUpdate } from './pod-update.ts';
import { validateService, validateServiceUpdate } from './service.ts';

type Create = (o: KubeObject) => FieldError[];
type Update = (o: KubeObject, old: KubeObject) => FieldError[];

const CREATE: Record<string, Create> = {
  Namespace: validateNamespace,
  Node: validateNode,
  Pod: validatePodCreate,
  Deployment: validateDeployment,
  ReplicaSet: validateReplicaSet,
  Service: validateService,
  Endpoints: validateEndpoints,
  EndpointSlice: validateEndpointSlice,
  Event: validateEvent,
  Lease: validateLease,
  ConfigMap: validateConfigMap,
};

const UPDATE: Record<string, Update> = {
  Namespace: validateNamespaceUpdate,
  Node: validateNodeUpdate,
  Pod: validatePodUpdate,
  Deployment: validateDeploymentUpdate,
  ReplicaSet: validateReplicaSetUpdate,
  Service: validateServiceUpdate,
  Endpoints: (o, old) => [...validateObjectMetaUpdate(o.metadata, old.metadata), ...validateEndpoints(o)],
  EndpointSlice: validateEndpointSliceUpdate,
  Event: (o) => validateEvent(o),
  Lease: (o, old) => [...validateObjectMetaUpdate(o.metadata, old.metadata), ...validateLease(o)],
  ConfigMap: validateConfigMapUpdate,
};

export function validateCreate(obj: KubeObject): FieldError[] {
  return CREATE[obj.kind]?.(obj) ?? [];
}

export function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return UPDATE[obj.kind]?.(obj, old) ?? [];
}

export { validateObjectMeta, validateObjectMetaUpdate, validateLabels, validateLabelSelector, labelSelectorMatches, deepEqual } from './meta.ts';
export { nodePortRangeErrors, isHeadless, externallyAccessible } from './service.ts';
export { POD_UPDATE_FORBIDDEN_PREFIX, UPDATABLE_POD_SPEC_FIELDS } from './pod-update.ts';
