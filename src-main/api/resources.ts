/** The kinds this cluster serves, with the discovery facts kubectl relies on (plural, short names, scope, verbs). */
export interface ResourceInfo {
  group: string; // '' for core
  version: string;
  kind: string;
  resource: string; // plural, as in URLs
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  subresources: string[];
  verbs: string[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function res(
  group: string,
  version: string,
  kind: string,
  resource: string,
  namespaced: boolean,
  shortNames: string[] = [],
  categories: string[] = [],
  subresources: string[] = [],
  verbs: string[] = ALL_VERBS,
): ResourceInfo {
  return { group, version, kind, resource, singular: kind.toLowerCase(), namespaced, shortNames, categories, subresources, verbs };
}

export const RESOURCES: readonly ResourceInfo[] = [
  res('', 'v1', 'Namespace', 'namespaces', false, ['ns'], [], ['status', 'finalize'], ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']),
  res('', 'v1', 'Node', 'nodes', false, ['no'], [], ['status', 'proxy']),
  res('', 'v1', 'Pod', 'pods', true, ['po'], ['all'], ['status', 'log', 'exec', 'portforward', 'binding', 'eviction', 'attach', 'ephemeralcontainers']),
  res('', 'v1', 'Service', 'services', true, ['svc'], ['all'], ['status', 'proxy'], ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']),
  res('', 'v1', 'Endpoints', 'endpoints', true, ['ep']),
  res('', 'v1', 'ConfigMap', 'configmaps', true, ['cm']),
  res('', 'v1', 'Event', 'events', true, ['ev']),
  res('apps', 'v1', 'Deployment', 'deployments', true, ['deploy'], ['all'], ['status', 'scale']),
  res('apps', 'v1', 'ReplicaSet', 'replicasets', true, ['rs'], ['all'], ['status', 'scale']),
  res('apps', 'v1', 'DaemonSet', 'daemonsets', true, ['ds'], ['all'], ['status']),
  res('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true),
  res('coordination.k8s.io', 'v1', 'Lease', 'leases', true),
];

export function apiVersionOf(r: ResourceInfo): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** `pods`, `deployments.apps`: how kube-apiserver names a resource in messages. */
export function qualifiedResource(r: ResourceInfo): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

export function byKind(kind: string): ResourceInfo {
  const r = RESOURCES.find((x) => x.kind === kind);
  if (!r) throw new Error(`unknown kind ${kind}`);
  return r;
}

export function byResource(group: string, resource: string): ResourceInfo | undefined {
  return RESOURCES.find((x) => x.group === group && x.resource === resource);
}

/** Resolves what a user types (`svc`, `deploy`, `pods`, `deployment.apps`) to a resource. */
export function lookupResource(name: string): ResourceInfo | undefined {
  const lower = name.toLowerCase();
  const [base, ...groupParts] = lower.split('.');
  const group = groupParts.join('.');
  return RESOURCES.find(
    (r) =>
      (!group || r.group === group) &&
      (r.resource === base || r.singular === base || r.shortNames.includes(base) || r.kind.toLowerCase() === base),
  );
}
