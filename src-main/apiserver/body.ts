/**
 * Request bodies: JSON, YAML and protobuf decoding with the apiserver's decoder messages, and unknown-field
 * detection against the OpenAPI schemas for fieldValidation=Strict|Warn|Ignore.
 */
import YAML from 'yaml';
import { errors } from '../api/errors.ts';
import type { ResourceInfo } from '../api/resources.ts';
import { schemaNameOf, schemas } from './openapi/openapi.ts';
import { resolveSchema, type Schema } from './openapi/schema-types.ts';
import { decodeProtobufObject } from './protobuf.ts';
import { contentTypeOf } from './negotiate.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidationOf(v: string | undefined): FieldValidation {
  if (v === undefined || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw errors.badRequest(`fieldValidation parameter unsupported: ${v}`);
}

/** Go's encoding/json wording for a syntax error, from what JSON.parse reports. */
export function goJsonError(text: string, e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /position (\d+)/.exec(msg);
  const token = /Unexpected token '?(.)'?,/.exec(msg);
  if (!m && !token) return 'unexpected end of JSON input';
  const pos = m ? Number(m[1]) : text.indexOf(token![1]);
  if (pos >= text.length) return 'unexpected end of JSON input';
  const ch = text[pos];
  let i = pos - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  const prev = i >= 0 ? text[i] : '';
  let context = 'looking for beginning of value';
  if (prev === '{' || (prev === ',' && enclosing(text, i) === '{')) context = 'looking for beginning of object key string';
  else if (prev === '"' && enclosing(text, i) === '{' && isKey(text, i)) context = "after object key";
  else if (/[\w"\]}]/.test(prev) && enclosing(text, i) === '{') context = 'after object key:value pair';
  else if (/[\w"\]}]/.test(prev) && enclosing(text, i) === '[') context = 'after array element';
  else if (/[\w"\]}]/.test(prev) && enclosing(text, i) === '') context = 'after top-level value';
  const shown = ch === "'" ? "'\\''" : `'${ch}'`;
  return `invalid character ${shown} ${context}`;
}

function enclosing(text: string, upto: number): string {
  const stack: string[] = [];
  let inStr = false;
  for (let i = 0; i <= upto; i++) {
    const c = text[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if (c === '{' || c === '[') stack.push(c);
    else if (c === '}' || c === ']') stack.pop();
  }
  return stack[stack.length - 1] ?? '';
}

function isKey(text: string, quoteEnd: number): boolean {
  let i = quoteEnd - 1;
  while (i >= 0 && !(text[i] === '"' && text[i - 1] !== '\\')) i--;
  i--;
  while (i >= 0 && /\s/.test(text[i])) i--;
  return text[i] === '{' || text[i] === ',';
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw errors.badRequest(`couldn't get version/kind; json parse error: ${goJsonError(text, e)}`);
  }
}

export function parseYaml(text: string): unknown {
  try {
    const docs = YAML.parseAllDocuments(text);
    const doc = docs[0];
    if (!doc) return {};
    if (doc.errors.length) throw doc.errors[0];
    return doc.toJS();
  } catch (e) {
    const m = e as { linePos?: Array<{ line: number }>; message?: string };
    const line = m.linePos?.[0]?.line ?? 1;
    throw errors.badRequest(`yaml: line ${line}: ${(m.message ?? String(e)).split('\n')[0].replace(/ at line \d+, column \d+.*$/, '')}`);
  }
}

/** Decodes an object body by its Content-Type; 415 for anything the apiserver would not accept. */
export function decodeObject(body: Buffer, contentType: string | undefined): Record<string, unknown> {
  const ct = contentTypeOf(contentType);
  let obj: unknown;
  if (ct === 'application/json' || ct === '') obj = parseJson(body.toString('utf8'));
  else if (ct === 'application/yaml') obj = parseYaml(body.toString('utf8'));
  else if (ct === 'application/vnd.kubernetes.protobuf') obj = decodeProtobufObject(body);
  else throw errors.unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw errors.badRequest(`couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(obj) ? 'array' : typeof obj} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  }
  return obj as Record<string, unknown>;
}

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
    const list = unknown.map((f) => `unknown field "${f}"`).join(', ');
    throw errors.badRequest(`${k.kind} in version "${k.version}" cannot be handled as a ${k.kind}: strict decoding error: ${list}`);
  }
  return unknown.map((f) => `unknown field "${f}"`);
}
