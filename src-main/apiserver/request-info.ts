/**
 * What kube-apiserver's request-info resolver (k8s.io/apiserver endpoints/request/requestinfo.go) reads from a
 * request before authorization: verb, API group and version, namespace, resource, subresource and name.
 */
import { splitPath } from './request-target.ts';

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

const SPECIAL_VERBS = new Set(['proxy', 'watch']);
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function isWatch(query: URLSearchParams): boolean {
  const v = query.get('watch');
  if (v === null) return false;
  // ListOptions decoding takes Go's strconv.ParseBool; anything else still counts as a watch here.
  return !['false', '0', 'f', 'F', 'FALSE', 'False'].includes(v);
}

export function requestInfoOf(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = { isResourceRequest: false, path, verb: method.toLowerCase(), apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '' };
  let parts = splitPath(path);
  if (parts.length < 3 || (parts[0] !== 'api' && parts[0] !== 'apis')) return info;
  const prefix = parts[0];
  parts = parts.slice(1);
  if (prefix === 'apis') {
    if (parts.length < 3) return info;
    info.apiGroup = parts[0];
    parts = parts.slice(1);
  }
  info.isResourceRequest = true;
  info.apiVersion = parts[0];
  parts = parts.slice(1);
  if (SPECIAL_VERBS.has(parts[0])) {
    if (parts.length < 2) return info;
    info.verb = parts[0];
    parts = parts.slice(1);
  } else {
    const verbs: Record<string, string> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
    info.verb = verbs[method] ?? '';
  }
  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      info.namespace = parts[1];
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2);
    }
  }
  if (parts.length >= 3 && info.verb !== 'proxy') info.subresource = parts[2];
  if (parts.length >= 2) info.name = parts[1];
  if (parts.length >= 1) info.resource = parts[0];
  if (!info.name && info.verb === 'get') info.verb = isWatch(query) ? 'watch' : 'list';
  if (!info.name && info.verb === 'delete') info.verb = 'deletecollection';
  return info;
}
