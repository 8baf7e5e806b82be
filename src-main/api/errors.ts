/** Kubernetes Status errors with the reasons, codes and messages kube-apiserver uses (apimachinery/pkg/api/errors). */
import { type FieldError, errorBody, fieldErrorString } from './field-errors.ts';
import { goQuote } from './go-quote.ts';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
    this.name = 'StatusError';
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string | undefined {
    return this.status.reason;
  }
}

export function isStatusError(e: unknown, reason?: string): e is StatusError {
  return e instanceof StatusError && (reason === undefined || e.status.reason === reason);
}

function status(code: number, reason: string, message: string, details?: Status['details']): StatusError {
  // Field order as Go's metav1.Status marshals: details before code.
  const s: Status = details
    ? { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code }
    : { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  return new StatusError(s);
}

/** A group-qualified resource such as `deployments.apps`, split the way errors carry it. */
export interface GroupResource {
  group: string;
  resource: string;
}

function qr(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

export const errors = {
  notFound: (gr: GroupResource, name: string) =>
    status(404, 'NotFound', `${qr(gr)} ${goQuote(name)} not found`, { name, group: gr.group || undefined, kind: gr.resource }),
  alreadyExists: (gr: GroupResource, name: string) =>
    status(409, 'AlreadyExists', `${qr(gr)} ${goQuote(name)} already exists`, { name, group: gr.group || undefined, kind: gr.resource }),
  conflict: (gr: GroupResource, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again') =>
    status(409, 'Conflict', `Operation cannot be fulfilled on ${qr(gr)} ${goQuote(name)}: ${why}`, { name, group: gr.group || undefined, kind: gr.resource }),
  /** kind like `Deployment`, group like `apps`: message uses `Deployment.apps`, details.kind stays `Deployment`. */
  invalid: (group: string, kind: string, name: string, errs: FieldError[]) => {
    const qk = group ? `${kind}.${group}` : kind;
    const agg = errs.length === 1 ? fieldErrorString(errs[0]) : `[${errs.map(fieldErrorString).join(', ')}]`;
    return status(422, 'Invalid', `${qk} ${goQuote(name)} is invalid: ${agg}`, {
      name: name || undefined,
      group: group || undefined,
      kind: kind || undefined,
      causes: errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field })),
    });
  },
  badRequest: (message: string) => status(400, 'BadRequest', message),
  requestEntityTooLarge: (message: string) => status(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`),
  /** NewGenericServerResponse(422, ...): the server's own words, not the patcher's. */
  unprocessable: () => status(422, 'Invalid', 'the server rejected our request due to an error in our request', {}),
  /** NewMethodNotSupported-free form: go-restful's 405 through NewGenericServerResponse (empty details). */
  methodNotAllowed: () => status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {}),
  gone: (message: string) => status(410, 'Expired', message),
  unauthorized: () => status(401, 'Unauthorized', 'Unauthorized'),
  /** NewForbidden: the name is left out of the message (and details) when empty. */
  forbidden: (gr: GroupResource, name: string, why: string) =>
    status(403, 'Forbidden', name ? `${qr(gr)} ${goQuote(name)} is forbidden: ${why}` : `${qr(gr)} is forbidden: ${why}`, {
      name: name || undefined,
      group: gr.group || undefined,
      kind: gr.resource,
    }),
  /** NewForbidden for a non-resource path (no group or resource). */
  forbiddenPath: (why: string) => status(403, 'Forbidden', `forbidden: ${why}`, {}),
  notAcceptable: (message: string) => status(406, 'NotAcceptable', message),
  unsupportedMediaType: (message: string) => status(415, 'UnsupportedMediaType', message),
  /** go-restful's 415 (route Consumes mismatch) through NewGenericServerResponse. */
  unsupportedMediaTypeRoute: () => status(415, 'UnsupportedMediaType', '415: Unsupported Media Type', {}),
  internal: (message: string) => status(500, 'InternalError', `Internal error occurred: ${message}`),
  tooManyRequests: (message: string) => status(429, 'TooManyRequests', message),
};
