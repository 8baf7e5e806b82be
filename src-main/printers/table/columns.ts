/** Column definitions per kind, as pkg/printers/internalversion/printers.go AddHandlers declares them. */
import { DOC } from './descriptions.ts';
import type { TableColumnDefinition } from './types.ts';

function col(name: string, type: string, description: string, priority = 0, format = ''): TableColumnDefinition {
  return { name, type, format, description, priority };
}

const NAME = col('Name', 'string', DOC['ObjectMeta.name'], 0, 'name');
const AGE = col('Age', 'string', DOC['ObjectMeta.creationTimestamp']);
const CONTAINERS = col('Containers', 'string', 'Names of each container in the template.', 1);
const IMAGES = col('Images', 'string', 'Images referenced by each container in the template.', 1);

/** Name, the kind's own columns, Age: what most printers declare. */
function named(...own: TableColumnDefinition[]): TableColumnDefinition[] {
  return [NAME, ...own, AGE];
}

/** Deployment and ReplicaSet: their counts, then the pod template's containers and images and the selector (wide). */
function workload(kind: 'Deployment' | 'ReplicaSet', ...counts: TableColumnDefinition[]): TableColumnDefinition[] {
  return [...named(...counts), CONTAINERS, IMAGES, col('Selector', 'string', DOC[`${kind}Spec.selector`], 1)];
}

export const COLUMNS: Record<string, TableColumnDefinition[]> = {
  Pod: [
    ...named(
      col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'string', 'The aggregate status of the containers in this pod.'),
      col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    ),
    col('IP', 'string', DOC['PodStatus.podIP'], 1),
    col('Node', 'string', DOC['PodSpec.nodeName'], 1),
    col('Nominated Node', 'string', DOC['PodStatus.nominatedNodeName'], 1),
    col('Readiness Gates', 'string', DOC['PodSpec.readinessGates'], 1),
  ],
  Service: [
    ...named(
      col('Type', 'string', DOC['ServiceSpec.type']),
      col('Cluster-IP', 'string', DOC['ServiceSpec.clusterIP']),
      col('External-IP', 'string', DOC['ServiceSpec.externalIPs']),
      col('Port(s)', 'string', DOC['ServiceSpec.ports']),
    ),
    col('Selector', 'string', DOC['ServiceSpec.selector'], 1),
  ],
  Deployment: workload(
    'Deployment',
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'string', DOC['DeploymentStatus.updatedReplicas']),
    col('Available', 'string', DOC['DeploymentStatus.availableReplicas']),
  ),
  ReplicaSet: workload(
    'ReplicaSet',
    col('Desired', 'integer', DOC['ReplicaSetSpec.replicas']),
    col('Current', 'integer', DOC['ReplicaSetStatus.replicas']),
    col('Ready', 'integer', DOC['ReplicaSetStatus.readyReplicas']),
  ),
  Endpoints: named(col('Endpoints', 'string', DOC['Endpoints.subsets'])),
  EndpointSlice: named(
    col('AddressType', 'string', DOC['EndpointSlice.addressType']),
    col('Ports', 'string', DOC['EndpointSlice.ports']),
    col('Endpoints', 'string', DOC['EndpointSlice.endpoints']),
  ),
  Node: [
    ...named(col('Status', 'string', 'The status of the node'), col('Roles', 'string', 'The roles of the node')),
    col('Version', 'string', DOC['NodeSystemInfo.kubeletVersion']),
    col('Internal-IP', 'string', DOC['NodeStatus.addresses'], 1),
    col('External-IP', 'string', DOC['NodeStatus.addresses'], 1),
    col('OS-Image', 'string', DOC['NodeSystemInfo.osImage'], 1),
    col('Kernel-Version', 'string', DOC['NodeSystemInfo.kernelVersion'], 1),
    col('Container-Runtime', 'string', DOC['NodeSystemInfo.containerRuntimeVersion'], 1),
  ],
  Namespace: named(col('Status', 'string', 'The status of the namespace')),
  Event: [
    col('Last Seen', 'string', DOC['Event.lastTimestamp']),
    col('Type', 'string', DOC['Event.type']),
    col('Reason', 'string', DOC['Event.reason']),
    col('Object', 'string', DOC['Event.involvedObject']),
    col('Subobject', 'string', DOC['ObjectReference.fieldPath'], 1),
    col('Source', 'string', DOC['Event.source'], 1),
    col('Message', 'string', DOC['Event.message']),
    col('First Seen', 'string', DOC['Event.firstTimestamp'], 1),
    col('Count', 'string', DOC['Event.count'], 1),
    col('Name', 'string', DOC['ObjectMeta.name'], 1, 'name'),
  ],
  Lease: named(col('Holder', 'string', DOC['LeaseSpec.holderIdentity'])),
  ConfigMap: named(col('Data', 'string', DOC['ConfigMap.data'])),
};

/** What kube-apiserver's default table convertor serves for kinds without a printer: Name and Created At. */
export const DEFAULT_COLUMNS: TableColumnDefinition[] = [
  NAME,
  col('Created At', 'date', DOC['ObjectMeta.creationTimestamp']),
];
