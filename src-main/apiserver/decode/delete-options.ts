/**
 * A DELETE body (meta/v1 DeleteOptions). kube-apiserver hands its decoder's error straight to scope.err, which
 * makes any error that is not a Status a 500; we keep the decoder's words and answer 400, as the request is at
 * fault (the fuzz table records this divergence).
 */
import { errors } from '../../api/errors.ts';
import { schemas } from '../openapi/openapi.ts';
import { firstTypeMismatch, jsonTypeError } from './go-types.ts';
import { DecodeError, goJsonParse } from './json.ts';

const DELETE_OPTIONS = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';
const FIND_KIND = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

export function decodeDeleteOptions(text: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = goJsonParse(text);
  } catch (e) {
    if (e instanceof DecodeError) throw errors.badRequest(`couldn't get version/kind; json parse error: ${e.message}`);
    throw e;
  }
  if (v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    const kind = Array.isArray(v) ? 'array' : typeof v === 'boolean' ? 'bool' : typeof v;
    throw errors.badRequest(`couldn't get version/kind; json parse error: json: cannot unmarshal ${kind} into Go value of type ${FIND_KIND}`);
  }
  const mismatch = firstTypeMismatch(DELETE_OPTIONS, v, schemas());
  if (mismatch) throw errors.badRequest(jsonTypeError(mismatch));
  return v as Record<string, unknown>;
}
