/**
 * Encodes a Swagger 2.0 document as the protobuf kube-apiserver serves at /openapi/v2
 * (`application/com.github.proto-openapi.spec.v2.v1.0+protobuf`): google/gnostic's openapi_v2.Document, which
 * kube-openapi builds with openapiv2.ParseDocument(json) and proto.Marshal. Field numbers are those of gnostic's
 * openapiv2/OpenAPIv2.proto. Maps are ordered (name, value) lists in the JSON's key order; vendor extensions and
 * defaults are an Any whose `yaml` holds the value as YAML, which is what kubectl's readers (kube-openapi
 * pkg/util/proto, cli-runtime's QueryParamVerifier) unmarshal.
 */
import { stringify } from 'yaml';
import { ProtoWriter } from './proto-writer.ts';

/** The parts of a Swagger 2.0 document gnostic's messages carry; `x-` keys ride along as vendor extensions. */
interface SchemaV2 {
  $ref?: string;
  format?: string;
  title?: string;
  description?: string;
  default?: unknown;
  multipleOf?: number;
  maximum?: number;
  exclusiveMaximum?: boolean;
  minimum?: number;
  exclusiveMinimum?: boolean;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  maxItems?: number;
  minItems?: number;
  uniqueItems?: boolean;
  maxProperties?: number;
  minProperties?: number;
  required?: string[];
  enum?: unknown[];
  additionalProperties?: boolean | SchemaV2;
  type?: string | string[];
  items?: SchemaV2 | SchemaV2[];
  allOf?: SchemaV2[];
  properties?: Record<string, SchemaV2>;
  discriminator?: string;
  readOnly?: boolean;
}

interface ParameterV2 {
  $ref?: string;
  description?: string;
  name?: string;
  in?: string;
  required?: boolean;
  schema?: SchemaV2;
  allowEmptyValue?: boolean;
  type?: string;
  format?: string;
  collectionFormat?: string;
  default?: unknown;
  uniqueItems?: boolean;
}

interface ResponseV2 {
  description?: string;
  schema?: SchemaV2;
}

interface OperationV2 {
  tags?: string[];
  summary?: string;
  description?: string;
  operationId?: string;
  produces?: string[];
  consumes?: string[];
  parameters?: ParameterV2[];
  responses?: Record<string, ResponseV2>;
  schemes?: string[];
  deprecated?: boolean;
}

type Method = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch';

type PathItemV2 = { $ref?: string; parameters?: ParameterV2[] } & Partial<Record<Method, OperationV2>>;

interface SecuritySchemeV2 {
  type?: string;
  name?: string;
  in?: string;
  description?: string;
}

interface DocumentV2 {
  swagger?: string;
  info?: { title?: string; version?: string; description?: string };
  host?: string;
  basePath?: string;
  schemes?: string[];
  consumes?: string[];
  produces?: string[];
  /** Path items under `/` keys, vendor extensions under `x-` keys. */
  paths?: Record<string, PathItemV2>;
  definitions?: Record<string, SchemaV2>;
  security?: Record<string, string[]>[];
  securityDefinitions?: Record<string, SecuritySchemeV2>;
}

// The same few extension values recur hundreds of times; the YAML library is slow enough to remember its answers.
const yamlCache = new Map<string, string>();
function yamlOf(v: unknown): string {
  const key = JSON.stringify(v);
  let text = yamlCache.get(key);
  if (text === undefined) yamlCache.set(key, (text = stringify(v, { version: '1.1', lineWidth: 0, indent: 2 })));
  return text;
}

/** Any { google.protobuf.Any value = 1; string yaml = 2; } */
const any = (v: unknown) => (w: ProtoWriter) => void w.string(2, yamlOf(v));

/** `repeated NamedAny vendor_extension`: every x- key of the object, in its order. */
function extensions(w: ProtoWriter, no: number, o: object): void {
  const named = Object.entries(o).filter(([k]) => k.startsWith('x-'));
  w.messages(no, named, (nw, [name, value]) => void nw.string(1, name).message(2, any(value)));
}

function named<T>(w: ProtoWriter, no: number, rec: Record<string, T> | undefined, value: (w: ProtoWriter, v: T) => void): void {
  w.messages(no, Object.entries(rec ?? {}), (nw, [name, v]) => void nw.string(1, name).message(2, (vw) => value(vw, v)));
}

function schema(w: ProtoWriter, s: SchemaV2): void {
  w.string(1, s.$ref)
    .string(2, s.format)
    .string(3, s.title)
    .string(4, s.description)
    .message(5, s.default === undefined ? undefined : any(s.default))
    .double(6, s.multipleOf)
    .double(7, s.maximum)
    .bool(8, s.exclusiveMaximum)
    .double(9, s.minimum)
    .bool(10, s.exclusiveMinimum)
    .int64(11, s.maxLength)
    .int64(12, s.minLength)
    .string(13, s.pattern)
    .int64(14, s.maxItems)
    .int64(15, s.minItems)
    .bool(16, s.uniqueItems)
    .int64(17, s.maxProperties)
    .int64(18, s.minProperties)
    .strings(19, s.required)
    .messages(20, s.enum, (ew, v) => any(v)(ew));
  if (s.additionalProperties !== undefined) {
    const ap = s.additionalProperties;
    w.message(21, (aw) => (typeof ap === 'boolean' ? aw.oneofBool(2, ap) : aw.message(1, (sw) => schema(sw, ap))));
  }
  const { type, items } = s;
  if (type !== undefined) w.message(22, (tw) => tw.strings(1, Array.isArray(type) ? type : [type]));
  if (items !== undefined) w.message(23, (iw) => iw.messages(1, Array.isArray(items) ? items : [items], schema));
  w.messages(24, s.allOf, schema);
  if (s.properties !== undefined) w.message(25, (pw) => named(pw, 1, s.properties, schema));
  w.string(26, s.discriminator).bool(27, s.readOnly);
  extensions(w, 31, s);
}

/** Parameter or $ref, as a ParametersItem. */
function parameter(w: ProtoWriter, p: ParameterV2): void {
  if (p.$ref) {
    w.message(2, (jw) => void jw.string(1, p.$ref).string(2, p.description));
    return;
  }
  w.message(1, (pw) => {
    if (p.in === 'body') {
      pw.message(1, (bw) => {
        bw.string(1, p.description).string(2, p.name).string(3, p.in).bool(4, p.required).message(5, (sw) => schema(sw, p.schema ?? {}));
        extensions(bw, 6, p);
      });
      return;
    }
    // NonBodyParameter: header 1, formData 2, query 3, path 4. Query and formData carry allowEmptyValue (5),
    // which shifts their later field numbers by one against header and path.
    const sub = { header: 1, formData: 2, query: 3, path: 4 }[p.in ?? ''];
    if (!sub) throw new Error(`unsupported parameter location ${p.in}`);
    const shift = sub === 2 || sub === 3 ? 1 : 0;
    pw.message(2, (nw) =>
      nw.message(sub, (qw) => {
        qw.bool(1, p.required).string(2, p.in).string(3, p.description).string(4, p.name);
        if (shift) qw.bool(5, p.allowEmptyValue);
        qw.string(5 + shift, p.type)
          .string(6 + shift, p.format)
          .string(8 + shift, p.collectionFormat)
          .message(9 + shift, p.default === undefined ? undefined : any(p.default))
          .bool(19 + shift, p.uniqueItems);
        extensions(qw, 22 + shift, p);
      }),
    );
  });
}

function operation(w: ProtoWriter, op: OperationV2): void {
  w.strings(1, op.tags).string(2, op.summary).string(3, op.description).string(5, op.operationId).strings(6, op.produces).strings(7, op.consumes);
  w.messages(8, op.parameters, parameter);
  w.message(9, (rw) => {
    named(rw, 1, op.responses, (vw, r) => {
      vw.message(1, (resp) => {
        resp.string(1, r.description);
        const rs = r.schema;
        if (rs) resp.message(2, (si) => si.message(1, (sw) => schema(sw, rs)));
        extensions(resp, 5, r);
      });
    });
  });
  w.strings(10, op.schemes).bool(11, op.deprecated);
  extensions(w, 13, op);
}

const METHODS: [Method, number][] = [['get', 2], ['put', 3], ['post', 4], ['delete', 5], ['options', 6], ['head', 7], ['patch', 8]];

function pathItem(w: ProtoWriter, item: PathItemV2): void {
  w.string(1, item.$ref);
  for (const [method, no] of METHODS) {
    const op = item[method];
    if (op) w.message(no, (ow) => operation(ow, op));
  }
  w.messages(9, item.parameters, parameter);
  extensions(w, 10, item);
}

/**
 * openapi_v2.Document for a Swagger 2.0 document (the subset kube-apiserver writes). The document is the one
 * swaggerSpec builds from our own schemas, so its shape is taken on trust rather than checked.
 */
export function encodeDocument(json: Record<string, unknown>): Buffer {
  const doc = json as DocumentV2;
  const w = new ProtoWriter();
  w.string(1, doc.swagger);
  const info = doc.info;
  if (info) w.message(2, (iw) => void iw.string(1, info.title).string(2, info.version).string(3, info.description));
  w.string(3, doc.host).string(4, doc.basePath).strings(5, doc.schemes).strings(6, doc.consumes).strings(7, doc.produces);
  const paths = doc.paths;
  if (paths) {
    w.message(8, (pw) => {
      extensions(pw, 1, paths);
      named(pw, 2, Object.fromEntries(Object.entries(paths).filter(([k]) => k.startsWith('/'))), pathItem);
    });
  }
  if (doc.definitions) w.message(9, (dw) => named(dw, 1, doc.definitions, schema));
  if (doc.security) {
    w.messages(12, doc.security, (sw, req) => named(sw, 1, req, (aw, scopes) => void aw.strings(1, scopes)));
  }
  if (doc.securityDefinitions) {
    w.message(13, (dw) =>
      named(dw, 1, doc.securityDefinitions, (iw, d) => {
        if (d.type !== 'apiKey') throw new Error(`unsupported security definition ${d.type}`);
        iw.message(2, (aw) => {
          aw.string(1, d.type).string(2, d.name).string(3, d.in).string(4, d.description);
          extensions(aw, 5, d);
        });
      }),
    );
  }
  extensions(w, 16, doc);
  return w.finish();
}
