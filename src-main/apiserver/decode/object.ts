/**
 * An object body decoded as a create or update handler decodes it (apimachinery's json/yaml/protobuf serializer
 * through the versioning codec, then handlers.transformDecodeError):
 * 1. the body read as JSON, YAML or protobuf by its Content-Type (415 otherwise), nesting bounded at 10,000;
 * 2. apiVersion and kind read (SimpleMetaFactory.Interpret) and defaulted from the URL's group, version and kind
 *    (gvkWithDefaults) when the body lacks them, as official clients send them;
 * 3. a kind or version the scheme does not have, or a kind other than the URL's, refused with the scheme's words;
 * 4. the values checked against the kind's Go types (encoding/json's type errors).
 * Errors are 400s worded as kube-apiserver words them, with summarizeData's excerpt when the kind is unknown.
 */
import { errors } from '../../api/errors.ts';
import { RESOURCES, type ResourceInfo } from '../../api/resources.ts';
import { contentTypeOf } from '../negotiate.ts';
import { schemaNameOf, schemas } from '../openapi/openapi.ts';
import { decodeProtobufObject } from '../protobuf.ts';
import { firstTypeMismatch, jsonTypeError } from './go-types.ts';
import { DecodeError, goJsonParse } from './json.ts';
import { goYamlParse } from './yaml.ts';

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

const FIND_KIND = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

export const UNSUPPORTED_BODY =
  'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf';

/** handlers.summarizeData: the first 30 bytes, as text when they open an object, else in hex. */
export function summarizeData(body: Buffer, max = 30): string {
  if (body.length === 0) return '<empty>';
  const head = body.subarray(0, max);
  const more = body.length > max ? ' ...' : '';
  return body[0] === 0x7b ? `${head.toString('utf8')}${more}` : `${head.toString('hex')}${more}`;
}

function unrecognized(kind: string, err: string, body: Buffer): Error {
  return errors.badRequest(`the object provided is unrecognized (must be of type ${kind}): ${err} (${summarizeData(body)})`);
}

function cannotHandle(actual: Gvk, into: string, err: string): Error {
  return errors.badRequest(`${actual.kind} in version ${JSON.stringify(actual.version)} cannot be handled as a ${into}: ${err}`);
}

const jsonKindOf = (v: unknown) => (typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : Array.isArray(v) ? 'array' : 'object');

/** schema.ParseGroupVersion. */
function parseGroupVersion(gv: string): { group: string; version: string } {
  if (gv === '' || gv === '/') return { group: '', version: '' };
  const parts = gv.split('/');
  if (parts.length === 1) return { group: '', version: gv };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  throw new DecodeError(`unexpected GroupVersion string: ${gv}`);
}

/**
 * Whether the scheme has the kind: the ones we serve, and any other top-level kind of the API packages (the
 * generated schemas hold every type of k8s.io/api; a kind has apiVersion, kind and metadata).
 */
function registered(gvk: Gvk, into: Gvk): boolean {
  if (gvk.group === into.group && gvk.version === into.version && gvk.kind === into.kind) return true;
  if (RESOURCES.some((r: ResourceInfo) => r.group === gvk.group && r.version === gvk.version && r.kind === gvk.kind)) return true;
  if (!/^[A-Z][A-Za-z0-9]*$/.test(gvk.kind) || !/^v\d+((alpha|beta)\d+)?$/.test(gvk.version) || !/^[a-z0-9.-]*$/.test(gvk.group)) return false;
  const props = schemas()[schemaNameOf(gvk.group, gvk.version, gvk.kind)]?.properties;
  return !!props && 'apiVersion' in props && 'kind' in props && 'metadata' in props;
}

/** Internal (hub) package of a group, as conversion errors name the destination type. */
const internalPackage = (group: string) => (group === '' ? 'core' : group.split('.')[0]);

/** The raw value of a body by Content-Type, before any kind is known; DecodeError for Go's decoder errors. */
async function rawValue(body: Buffer, contentType: string | undefined): Promise<unknown> {
  const ct = contentTypeOf(contentType);
  if (ct === 'application/json' || ct === '') return goJsonParse(body.toString('utf8'));
  if (ct === 'application/yaml') return goYamlParse(body.toString('utf8'));
  if (ct === 'application/vnd.kubernetes.protobuf') return decodeProtobufObject(body);
  throw errors.unsupportedMediaType(UNSUPPORTED_BODY);
}

/** Throws 415 before the body is read, as NegotiateInputSerializer does. */
export function checkBodyContentType(contentType: string | undefined): void {
  const ct = contentTypeOf(contentType);
  if (!['application/json', '', 'application/yaml', 'application/vnd.kubernetes.protobuf'].includes(ct)) throw errors.unsupportedMediaType(UNSUPPORTED_BODY);
}

/**
 * Decodes an object body for the kind `into` (the URL's; or e.g. autoscaling/v1 Scale for a scale subresource).
 * The result carries the defaulted apiVersion and kind.
 */
export async function decodeBodyAs(into: Gvk, body: Buffer, contentType: string | undefined): Promise<Record<string, unknown>> {
  let value: unknown;
  try {
    value = await rawValue(body, contentType);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    const ct = contentTypeOf(contentType);
    // Go's YAML errors come before version/kind is read; JSON syntax errors come from reading it.
    const text = ct === 'application/yaml' || ct === 'application/vnd.kubernetes.protobuf' ? e.message : `couldn't get version/kind; json parse error: ${e.message}`;
    throw unrecognized(into.kind, text, body);
  }
  if (value === null) value = {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw unrecognized(into.kind, `couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKindOf(value)} into Go value of type ${FIND_KIND}`, body);
  }
  const obj = value as Record<string, unknown>;
  for (const f of ['apiVersion', 'kind'] as const) {
    if (obj[f] !== undefined && obj[f] !== null && typeof obj[f] !== 'string') {
      throw unrecognized(into.kind, `couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKindOf(obj[f])} into Go struct field .${f} of type string`, body);
    }
  }
  let gv: { group: string; version: string };
  try {
    gv = parseGroupVersion((obj.apiVersion as string | undefined) ?? '');
  } catch (e) {
    throw unrecognized(into.kind, (e as Error).message, body);
  }
  // gvkWithDefaults.
  const actual: Gvk = { group: gv.group, version: gv.version, kind: (obj.kind as string | undefined) || into.kind };
  if (!actual.version && !actual.group) Object.assign(actual, { group: into.group, version: into.version });
  if (!actual.version && actual.group === into.group) actual.version = into.version;
  if (!actual.version) throw cannotHandle(actual, into.kind, `Object 'apiVersion' is missing in '${body.toString('utf8')}'`);
  const gvText = actual.group ? `${actual.group}/${actual.version}` : actual.version;
  if (!registered(actual, into)) throw cannotHandle(actual, into.kind, `no kind ${JSON.stringify(actual.kind)} is registered for version ${JSON.stringify(gvText)} in scheme "pkg/api/legacyscheme/scheme.go:30"`);
  const def = schemaNameOf(actual.group, actual.version, actual.kind);
  const mismatch = firstTypeMismatch(def, obj, schemas());
  if (mismatch) throw cannotHandle(actual, into.kind, jsonTypeError(mismatch));
  if (actual.kind !== into.kind || actual.group !== into.group) {
    throw cannotHandle(actual, into.kind, `converting (${actual.version}.${actual.kind}) to (${internalPackage(into.group)}.${into.kind}): unknown conversion`);
  }
  obj.apiVersion = gvText;
  obj.kind = actual.kind;
  return obj;
}
