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

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

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
function extensions(w: ProtoWriter, no: number, o: Json): void {
  const named = Object.entries(o).filter(([k]) => k.startsWith('x-'));
  w.messages(no, named, (nw, [name, value]) => void nw.string(1, name).message(2, any(value)));
}

function named<T>(w: ProtoWriter, no: number, rec: Record<string, T> | undefined, value: (w: ProtoWriter, v: T) => void): void {
  w.messages(no, Object.entries(rec ?? {}), (nw, [name, v]) => void nw.string(1, name).message(2, (vw) => value(vw, v)));
}

function schema(w: ProtoWriter, s: Json): void {
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
    .messages(20, s.enum as unknown[] | undefined, (ew, v) => any(v)(ew));
  if (s.additionalProperties !== undefined) {
    const ap = s.additionalProperties;
    w.message(21, (aw) => (typeof ap === 'boolean' ? aw.oneofBool(2, ap) : aw.message(1, (sw) => schema(sw, ap))));
  }
  if (s.type !== undefined) w.message(22, (tw) => tw.strings(1, Array.isArray(s.type) ? s.type : [s.type]));
  if (s.items !== undefined) w.message(23, (iw) => iw.messages(1, Array.isArray(s.items) ? s.items : [s.items], schema));
  w.messages(24, s.allOf as Json[] | undefined, schema);
  if (s.properties !== undefined) w.message(25, (pw) => named(pw, 1, s.properties, schema));
  w.string(26, s.discriminator).bool(27, s.readOnly);
  extensions(w, 31, s);
}

/** Parameter or $ref, as a ParametersItem. */
function parameter(w: ProtoWriter, p: Json): void {
  if (p.$ref) {
    w.message(2, (jw) => void jw.string(1, p.$ref).string(2, p.description));
    return;
  }
  w.message(1, (pw) => {
    if (p.in === 'body') {
      pw.message(1, (bw) => {
        bw.string(1, p.description).string(2, p.name).string(3, p.in).bool(4, p.required).message(5, (sw) => schema(sw, p.schema));
        extensions(bw, 6, p);
      });
      return;
    }
    // NonBodyParameter: header 1, formData 2, query 3, path 4. Query and formData carry allowEmptyValue (5),
    // which shifts their later field numbers by one against header and path.
    const sub = { header: 1, formData: 2, query: 3, path: 4 }[p.in as string];
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

function operation(w: ProtoWriter, op: Json): void {
  w.strings(1, op.tags).string(2, op.summary).string(3, op.description).string(5, op.operationId).strings(6, op.produces).strings(7, op.consumes);
  w.messages(8, op.parameters as Json[] | undefined, parameter);
  w.message(9, (rw) => {
    named(rw, 1, op.responses as Record<string, Json>, (vw, r) => {
      vw.message(1, (resp) => {
        resp.string(1, r.description);
        if (r.schema) resp.message(2, (si) => si.message(1, (sw) => schema(sw, r.schema)));
        extensions(resp, 5, r);
      });
    });
  });
  w.strings(10, op.schemes).bool(11, op.deprecated);
  extensions(w, 13, op);
}

const METHODS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

function pathItem(w: ProtoWriter, item: Json): void {
  w.string(1, item.$ref);
  for (const [method, no] of Object.entries(METHODS)) if (item[method]) w.message(no, (ow) => operation(ow, item[method]));
  w.messages(9, item.parameters as Json[] | undefined, parameter);
  extensions(w, 10, item);
}

/** openapi_v2.Document for a Swagger 2.0 document (the subset kube-apiserver writes). */
export function encodeDocument(doc: Json): Buffer {
  const w = new ProtoWriter();
  w.string(1, doc.swagger);
  if (doc.info) w.message(2, (iw) => void iw.string(1, doc.info.title).string(2, doc.info.version).string(3, doc.info.description));
  w.string(3, doc.host).string(4, doc.basePath).strings(5, doc.schemes).strings(6, doc.consumes).strings(7, doc.produces);
  if (doc.paths) {
    w.message(8, (pw) => {
      extensions(pw, 1, doc.paths);
      named(pw, 2, Object.fromEntries(Object.entries(doc.paths as Json).filter(([k]) => k.startsWith('/'))), pathItem);
    });
  }
  if (doc.definitions) w.message(9, (dw) => named(dw, 1, doc.definitions, schema));
  if (doc.security) {
    w.messages(12, doc.security as Record<string, string[]>[], (sw, req) => named(sw, 1, req, (aw, scopes) => void aw.strings(1, scopes)));
  }
  if (doc.securityDefinitions) {
    w.message(13, (dw) =>
      named(dw, 1, doc.securityDefinitions as Record<string, Json>, (iw, d) => {
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
