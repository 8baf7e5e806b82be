/**
 * Strategic-merge-patch and list-type metadata of the fields that have it, from the upstream struct tags
 * (`patchStrategy`, `patchMergeKey`, `+listType`, `+listMapKey` in k8s.io/api/{core,apps}/v1/types.go and
 * apimachinery meta/v1/types.go). kubernetes-types' .d.ts files do not carry them.
 */
type Meta = Record<string, unknown>;

const CORE = 'io.k8s.api.core.v1';
const APPS = 'io.k8s.api.apps.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

function merge(key: string, extra: Meta = {}): Meta {
  return { 'x-kubernetes-patch-merge-key': key, 'x-kubernetes-patch-strategy': 'merge', ...extra };
}
function listMap(...keys: string[]): Meta {
  return { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': keys };
}
const atomic: Meta = { 'x-kubernetes-list-type': 'atomic' };
const set: Meta = { 'x-kubernetes-list-type': 'set' };

const containerFields = (kind: string): Record<string, Meta> => ({
  [`${CORE}.${kind}.ports`]: merge('containerPort', listMap('containerPort', 'protocol')),
  [`${CORE}.${kind}.env`]: merge('name', listMap('name')),
  [`${CORE}.${kind}.volumeMounts`]: merge('mountPath', listMap('mountPath')),
  [`${CORE}.${kind}.volumeDevices`]: merge('devicePath', listMap('devicePath')),
  [`${CORE}.${kind}.command`]: atomic,
  [`${CORE}.${kind}.args`]: atomic,
  [`${CORE}.${kind}.envFrom`]: atomic,
  [`${CORE}.${kind}.resizePolicy`]: atomic,
});

export const PATCH_META: Record<string, Meta> = {
  [`${META}.ObjectMeta.finalizers`]: { 'x-kubernetes-patch-strategy': 'merge', ...set },
  [`${META}.ObjectMeta.ownerReferences`]: merge('uid', listMap('uid')),
  [`${META}.ObjectMeta.managedFields`]: atomic,
  [`${META}.LabelSelector.matchExpressions`]: atomic,
  ...containerFields('Container'),
  ...containerFields('EphemeralContainer'),
  [`${CORE}.PodSpec.containers`]: merge('name', listMap('name')),
  [`${CORE}.PodSpec.initContainers`]: merge('name', listMap('name')),
  [`${CORE}.PodSpec.ephemeralContainers`]: merge('name', listMap('name')),
  [`${CORE}.PodSpec.volumes`]: merge('name', { 'x-kubernetes-patch-strategy': 'merge,retainKeys', ...listMap('name') }),
  [`${CORE}.PodSpec.imagePullSecrets`]: merge('name', listMap('name')),
  [`${CORE}.PodSpec.hostAliases`]: merge('ip', listMap('ip')),
  [`${CORE}.PodSpec.tolerations`]: atomic,
  [`${CORE}.PodSpec.topologySpreadConstraints`]: merge('topologyKey', listMap('topologyKey', 'whenUnsatisfiable')),
  [`${CORE}.PodSpec.schedulingGates`]: merge('name', listMap('name')),
  [`${CORE}.PodSpec.resourceClaims`]: merge('name', { 'x-kubernetes-patch-strategy': 'merge,retainKeys', ...listMap('name') }),
  [`${CORE}.PodStatus.conditions`]: merge('type', listMap('type')),
  [`${CORE}.PodStatus.podIPs`]: merge('ip', listMap('ip')),
  [`${CORE}.PodStatus.hostIPs`]: merge('ip', listMap('ip')),
  [`${CORE}.ServiceSpec.ports`]: merge('port', listMap('port', 'protocol')),
  [`${CORE}.ServiceSpec.clusterIPs`]: atomic,
  [`${CORE}.ServiceSpec.ipFamilies`]: atomic,
  [`${CORE}.ServiceSpec.externalIPs`]: atomic,
  [`${CORE}.ServiceStatus.conditions`]: merge('type', listMap('type')),
  [`${CORE}.NodeSpec.podCIDRs`]: { 'x-kubernetes-patch-strategy': 'merge', ...set },
  [`${CORE}.NodeSpec.taints`]: atomic,
  [`${CORE}.NodeStatus.conditions`]: merge('type', listMap('type')),
  [`${CORE}.NodeStatus.addresses`]: merge('type', listMap('type')),
  [`${CORE}.NamespaceStatus.conditions`]: merge('type', listMap('type')),
  [`${CORE}.EndpointSubset.addresses`]: atomic,
  [`${CORE}.EndpointSubset.ports`]: atomic,
  [`${APPS}.DeploymentSpec.strategy`]: { 'x-kubernetes-patch-strategy': 'retainKeys' },
  [`${APPS}.DeploymentStatus.conditions`]: merge('type', listMap('type')),
  [`${APPS}.ReplicaSetStatus.conditions`]: merge('type', listMap('type')),
};
