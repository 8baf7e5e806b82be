/**
 * Bearer-token authentication and the anonymous user, as kube-apiserver's defaults have them: the only identity
 * our API server knows is the holder of its token; a request with no bearer token is system:anonymous (which
 * RBAC's system:public-info-viewer lets read the health and version endpoints); a wrong token is refused (401).
 */
import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { errors, type Status } from '../api/errors.ts';
import { goQuote } from '../api/go-quote.ts';
import type { RequestInfo } from './request-info.ts';

export type Identity = 'token' | 'anonymous' | 'invalid';

/** bearertoken.Authenticator: no header, another scheme or an empty token is no credential at all. */
export function identify(req: IncomingMessage, token: string): Identity {
  const header = (req.headers.authorization ?? '').trim();
  if (header === '') return 'anonymous';
  const parts = header.split(' ');
  if (parts.length < 2 || parts[0].toLowerCase() !== 'bearer') return 'anonymous';
  // strings.SplitN(auth, " ", 3): the token is the second part, whatever follows it.
  const given = Buffer.from(parts[1]);
  if (given.length === 0) return 'anonymous';
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want) ? 'token' : 'invalid';
}

export function authenticated(req: IncomingMessage, token: string): boolean {
  return identify(req, token) === 'token';
}

/** The non-resource URLs system:public-info-viewer grants (verb get) to everyone. */
const PUBLIC_INFO = new Set(['/healthz', '/livez', '/readyz', '/version', '/version/']);

export function publicInfoAllowed(info: RequestInfo): boolean {
  return !info.isResourceRequest && info.verb === 'get' && PUBLIC_INFO.has(info.path);
}

const sanitize = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** responsewriters.ForbiddenStatusError for system:anonymous, with RBAC's empty reason. */
export function anonymousForbidden(info: RequestInfo): Status {
  const user = 'system:anonymous';
  if (!info.isResourceRequest) {
    const s = errors.forbiddenPath(sanitize(`User ${goQuote(user)} cannot ${info.verb} path ${goQuote(info.path)}`)).status;
    return s;
  }
  const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  const where = info.namespace ? `in the namespace ${goQuote(info.namespace)}` : 'at the cluster scope';
  const msg = sanitize(`User ${goQuote(user)} cannot ${info.verb} resource ${goQuote(resource)} in API group ${goQuote(info.apiGroup)} ${where}`);
  return errors.forbidden({ group: info.apiGroup, resource: info.resource }, info.name, msg).status;
}
