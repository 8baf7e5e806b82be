/**
 * Swagger 2.0 `definitions` from our OpenAPI v3 component schemas, in the shape kube-openapi writes for /openapi/v2:
 * a reference is `$ref` beside its description and vendor extensions (v3 wraps it in allOf), IntOrString is
 * `type: string, format: int-or-string`, Quantity a plain string, and free-form objects are `type: object` without
 * x-kubernetes-preserve-unknown-fields. Map keys come out sorted, as Go's encoding/json writes them.
 */
import type { Schema } from '../schema-types.ts';

const V3_REF = '#/components/schemas/';
const V2_REF = '#/definitions/';

/** Field order of kube-openapi's spec.Schema JSON; vendor extensions follow, sorted. */
const ORDER = ['$ref', 'description', 'type', 'format', 'default', 'enum', 'required', 'items', 'properties', 'additionalProperties'];

export function sortedRecord<T>(rec: Record<string, T>, map: (v: T) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(rec).sort()) out[k] = map(rec[k]);
  return out;
}

function toV2Ref(ref: string): string {
  return ref.startsWith(V3_REF) ? V2_REF + ref.slice(V3_REF.length) : ref;
}

export function toV2Schema(s: Schema): Record<string, unknown> {
  const src: Schema = { ...s };
  const wrapped = src.allOf?.length === 1 && src.allOf[0].$ref ? src.allOf[0].$ref : undefined;
  if (wrapped) {
    delete src.allOf;
    src.$ref = wrapped;
  }
  if (src.oneOf) {
    // IntOrString and Quantity: v3's oneOf [integer|number, string] is a string in Swagger 2.0.
    delete src.oneOf;
    src.type = 'string';
  }
  delete src['x-kubernetes-preserve-unknown-fields'];
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(src)) {
    if (v === undefined) continue;
    if (k === '$ref') fields[k] = toV2Ref(v as string);
    else if (k === 'items') fields[k] = toV2Schema(v as Schema);
    else if (k === 'additionalProperties') fields[k] = typeof v === 'boolean' ? v : toV2Schema(v as Schema);
    else if (k === 'properties') fields[k] = sortedRecord(v as Record<string, Schema>, toV2Schema);
    else if (k === 'allOf') fields[k] = (v as Schema[]).map(toV2Schema);
    else fields[k] = v;
  }
  const out: Record<string, unknown> = {};
  for (const k of ORDER) if (k in fields) out[k] = fields[k];
  for (const k of Object.keys(fields).sort()) if (!(k in out)) out[k] = fields[k];
  return out;
}

export function toV2Definitions(all: Record<string, Schema>): Record<string, unknown> {
  return sortedRecord(all, toV2Schema);
}
