/**
 * API discovery as kube-apiserver serves it: aggregated (apidiscovery.k8s.io v2 / v2beta1, chosen from the Accept
 * header and echoed in Content-Type) and the legacy documents (APIVersions, APIGroupList, APIResourceList).
 */
import { RESOURCES, type ResourceInfo } from '../api/resources.ts';

interface Kind {
  group: string;
  version: string;
  kind: string;
}
interface SubresourceFacts {
  kind: (r: ResourceInfo) => Kind;
  verbs: string[];
}

const core = (kind: string): Kind => ({ group: '', version: 'v1', kind });
const SUBRESOURCES: Record<string, SubresourceFacts> = {
  status: { kind: (r) => ({ group: r.group, version: r.version, kind: r.kind }), verbs: ['get', 'patch', 'update'] },
  scale: { kind: () => ({ group: 'autoscaling', version: 'v1', kind: 'Scale' }), verbs: ['get', 'patch', 'update'] },
  log: { kind: () => core('Pod'), verbs: ['get'] },
  exec: { kind: () => core('PodExecOptions'), verbs: ['create', 'get'] },
  attach: { kind: () => core('PodAttachOptions'), verbs: ['create', 'get'] },
  portforward: { kind: () => core('PodPortForwardOptions'), verbs: ['create', 'get'] },
  binding: { kind: () => core('Binding'), verbs: ['create'] },
  eviction: { kind: () => ({ group: 'policy', version: 'v1', kind: 'Eviction' }), verbs: ['create'] },
  ephemeralcontainers: { kind: () => core('Pod'), verbs: ['get', 'patch', 'update'] },
  finalize: { kind: () => core('Namespace'), verbs: ['update'] },
  proxy: { kind: (r) => core(`${r.kind}ProxyOptions`), verbs: ['create', 'delete', 'get', 'patch', 'update'] },
};

export function subresourceFacts(r: ResourceInfo, sub: string): { kind: Kind; verbs: string[] } {
  const f = SUBRESOURCES[sub] ?? { kind: () => ({ group: r.group, version: r.version, kind: r.kind }), verbs: ['get'] };
  return { kind: f.kind(r), verbs: f.verbs };
}

function groupsInOrder(): string[] {
  const out: string[] = [];
  for (const r of RESOURCES) if (!out.includes(r.group)) out.push(r.group);
  return out;
}

function versionsOf(group: string): string[] {
  const out: string[] = [];
  for (const r of RESOURCES) if (r.group === group && !out.includes(r.version)) out.push(r.version);
  return out;
}

function sortedResources(group: string, version: string): ResourceInfo[] {
  return RESOURCES.filter((r) => r.group === group && r.version === version).sort((a, b) => a.resource.localeCompare(b.resource));
}

function aggregatedResource(r: ResourceInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: [...r.verbs].sort(),
  };
  if (r.shortNames.length) out.shortNames = r.shortNames;
  if (r.categories.length) out.categories = r.categories;
  if (r.subresources.length) {
    out.subresources = [...r.subresources].sort().map((s) => {
      const f = subresourceFacts(r, s);
      return { subresource: s, responseKind: f.kind, verbs: f.verbs };
    });
  }
  return out;
}

/** Body for GET /api (core only) or /apis (named groups), for discovery v2 or v2beta1. */
export function aggregatedDiscovery(which: 'api' | 'apis', version: 'v2' | 'v2beta1'): Record<string, unknown> {
  const groups = groupsInOrder().filter((g) => (which === 'api' ? g === '' : g !== ''));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((g) => ({
      metadata: { name: g, creationTimestamp: null },
      versions: versionsOf(g).map((v) => ({ version: v, resources: sortedResources(g, v).map(aggregatedResource), freshness: 'Current' })),
    })),
  };
}

export function aggregatedContentType(version: 'v2' | 'v2beta1'): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function apiGroupList(): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groupsInOrder()
      .filter((g) => g !== '')
      .map((g) => apiGroup(g)),
  };
}

export function apiGroup(g: string): Record<string, unknown> {
  const versions = versionsOf(g).map((v) => ({ groupVersion: `${g}/${v}`, version: v }));
  return { kind: 'APIGroup', apiVersion: 'v1', name: g, versions, preferredVersion: versions[0] };
}

export function isServedGroupVersion(group: string, version: string): boolean {
  return RESOURCES.some((r) => r.group === group && r.version === version);
}

export function isServedGroup(group: string): boolean {
  return group !== '' && RESOURCES.some((r) => r.group === group);
}

export function apiResourceList(group: string, version: string): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [];
  for (const r of sortedResources(group, version)) {
    const entry: Record<string, unknown> = { name: r.resource, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: [...r.verbs].sort() };
    if (r.shortNames.length) entry.shortNames = r.shortNames;
    if (r.categories.length) entry.categories = r.categories;
    resources.push(entry);
    for (const s of [...r.subresources].sort()) {
      const f = subresourceFacts(r, s);
      const sub: Record<string, unknown> = { name: `${r.resource}/${s}`, singularName: '', namespaced: r.namespaced, kind: f.kind.kind, verbs: f.verbs };
      if (f.kind.group !== r.group || f.kind.version !== r.version) {
        sub.group = f.kind.group;
        sub.version = f.kind.version;
      }
      resources.push(sub);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}
