/** Maps /api and /apis paths to a resource request: group, version, namespace, resource, name, subresource. */
import { byResource, type ResourceInfo } from '../api/resources.ts';
import { isServedGroupVersion } from './discovery.ts';
import { splitPath } from './request-target.ts';

export type ResourcePath =
  | { kind: 'resource'; r: ResourceInfo; namespace?: string; name?: string; subresource?: string }
  | { kind: 'groupVersion'; group: string; version: string }
  | { kind: 'group'; group: string }
  | { kind: 'unknownResource' }
  | { kind: 'unknown' };

/** `path` is already percent-decoded (RequestTarget.path); segments are taken literally, `..` included. */
export function parseResourcePath(path: string): ResourcePath {
  const segs = splitPath(path);
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api') {
    if (segs.length < 2) return { kind: 'unknown' };
    group = '';
    version = segs[1];
    rest = segs.slice(2);
  } else if (segs[0] === 'apis') {
    if (segs.length < 2) return { kind: 'unknown' };
    if (segs.length === 2) return { kind: 'group', group: segs[1] };
    group = segs[1];
    version = segs[2];
    rest = segs.slice(3);
  } else return { kind: 'unknown' };
  if (!isServedGroupVersion(group, version)) return { kind: 'unknown' };
  if (rest.length === 0) return { kind: 'groupVersion', group, version };
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const inner = byResource(group, rest[2]);
    const nsResource = byResource('', 'namespaces');
    if (inner && inner.namespaced && inner.version === version) {
      namespace = rest[1];
      rest = rest.slice(2);
    } else if (group === '' && rest.length === 3 && nsResource?.subresources.includes(rest[2])) {
      return { kind: 'resource', r: nsResource, name: rest[1], subresource: rest[2] };
    } else return { kind: 'unknownResource' };
  }
  const r = byResource(group, rest[0]);
  if (!r || r.version !== version || rest.length > 3) return { kind: 'unknownResource' };
  if (namespace === undefined && r.namespaced && rest.length > 1) return { kind: 'unknownResource' };
  return { kind: 'resource', r, namespace, name: rest[1], subresource: rest[2] };
}
