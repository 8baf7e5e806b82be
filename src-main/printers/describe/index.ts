/** Client-side `kubectl describe`: pure functions of the object, the related objects the real describer fetches, and now. */
export { describePod, podQOS } from './pod.ts';
export { describeService, formatEndpointSlices } from './service.ts';
export { describeDeployment, describeReplicaSet, splitReplicaSets } from './deployment.ts';
export { describeNode } from './node.ts';
export { describeNamespace, describeEndpoints, describeEndpointSlice, describeConfigMap, describeGeneric, smartLabelFor } from './misc.ts';
export { describeEvents } from './writer.ts';
