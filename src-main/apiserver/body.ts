/**
 * Unknown-field detection against the OpenAPI schemas for fieldValidation=Strict|Warn|Ignore (decoding itself is
 * in decode/).
 */
import { errors } from '../api/errors.ts';
import type { ResourceInfo } from '../api/resources.ts';
import { schemaNameOf, schemas } from './openapi/openapi.ts';
import { resolveSchema, type Schema } from './openapi/schema-types.ts';
import { goQuote } from '../api/go-quote.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidationOf(v: string | undefined): FieldValidation {
  if (v === undefined || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw errors.badRequest(`fieldValidation parameter unsupported: ${v}`);
}

export { goJsonError } from './decode/json.ts';

const resolve = resolveSchema;

/** Paths (`spec.foo`, `spec.template.spec.containers[0].bar`) of fields the kind's schema does not know. */
export function unknownFields(r: ResourceInfo, obj: unknown, kindOverride?: { group: string; version: string; kind: string }, patchDirectives = false, prune = false): string[] {
  const all = schemas();
  const k = kindOverride ?? r;
  const root = all[schemaNameOf(k.group, k.version, k.kind)];
  const out: string[] = [];
  const walk = (value: unknown, s: Schema | undefined, path: string) => {
    const schema = resolve(s, all);
    if (!schema || value === null || typeof value !== 'object') return;
    if (schema['x-kubernetes-preserve-unknown-fields']) return;
    if (Array.isArray(value)) {
      if (schema.items) value.forEach((v, i) => walk(v, schema.items, `${path}[${i}]`));
      return;
    }
    const rec = value as Record<string, unknown>;
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      for (const [key, v] of Object.entries(rec)) walk(v, schema.additionalProperties, `${path}[${key}]`);
      return;
    }
    if (!schema.properties) return;
    for (const [key, v] of Object.entries(rec)) {
      if (patchDirectives && (key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/') || key.startsWith('$deleteFromPrimitiveList/'))) continue;
      const p = schema.properties[key];
      const at = path ? `${path}.${key}` : key;
      if (!p) {
        out.push(at);
        if (prune) delete rec[key];
        continue;
      }
      walk(v, p, at);
    }
  };
  walk(obj, root, '');
  return out;
}

/** Drops what Go's decoder would not keep: fields the kind's schema does not have. */
export function pruneUnknownFields(r: ResourceInfo, obj: unknown, kindOverride?: { group: string; version: string; kind: string }): void {
  unknownFields(r, obj, kindOverride, false, true);
}

/** Applies fieldValidation: throws BadRequest for Strict, returns warnings for Warn. */
export function checkFields(r: ResourceInfo, obj: unknown, mode: FieldValidation, kindOverride?: { group: string; version: string; kind: string }, patchDirectives = false): string[] {
  if (mode === 'Ignore') {
    if (!patchDirectives) pruneUnknownFields(r, obj, kindOverride);
    return [];
  }
  const unknown = unknownFields(r, obj, kindOverride, patchDirectives);
  if (!patchDirectives) pruneUnknownFields(r, obj, kindOverride);
  if (unknown.length === 0) return [];
  const k = kindOverride ?? r;
  if (mode === 'Strict') {
    const list = unknown.map((f) => `unknown field ${goQuote(f)}`).join(', ');
    throw errors.badRequest(`${k.kind} in version "${k.version}" cannot be handled as a ${k.kind}: strict decoding error: ${list}`);
  }
  return unknown.map((f) => `unknown field ${goQuote(f)}`);
}
