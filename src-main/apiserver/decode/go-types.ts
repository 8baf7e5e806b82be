/**
 * The type errors Go's decoders find when a body's values do not fit the kind's Go struct, walked along the OpenAPI
 * schema and worded as each decoder words them:
 * - `json`: encoding/json (create, update, JSON and merge patch): `json: cannot unmarshal number into Go struct field
 *   ConfigMap.data of type string`, the first error in document order;
 * - `unstructured`: runtime.DefaultUnstructuredConverter (strategic merge patch): `cannot convert int64 to string`;
 * - `smd`: structured-merge-diff's typed conversion (server-side apply): `.data.a: expected string, got ...`, all.
 * Go type names come from the generated reflect table where it has the struct, else from the schema.
 */
import { POD_TEMPLATE_TYPES_1_32 } from '../../api/go-hash/types-1.32.ts';
import type { Schema } from '../openapi/schema-types.ts';

export type DecodeStyle = 'json' | 'unstructured' | 'smd';

const REF = (s: Schema | undefined) => (s?.$ref ?? s?.allOf?.[0]?.$ref)?.replace('#/components/schemas/', '');
const goName = (def: string) => def.split('.').slice(-2).join('.');

/** Named Go types of fields outside the PodTemplateSpec tree (which the reflect table covers). */
const NAMED: Record<string, Record<string, string>> = {
  'v1.ServicePort': { protocol: 'v1.Protocol' },
  'v1.ServiceSpec': {
    type: 'v1.ServiceType', sessionAffinity: 'v1.ServiceAffinity', externalTrafficPolicy: 'v1.ServiceExternalTrafficPolicy',
    internalTrafficPolicy: '*v1.ServiceInternalTrafficPolicy', ipFamilyPolicy: '*v1.IPFamilyPolicy', ipFamilies: '[]v1.IPFamily',
  },
  'v1.DeploymentStrategy': { type: 'v1.DeploymentStrategyType' },
  'v1.Secret': { type: 'v1.SecretType', data: 'map[string][]uint8' },
  'v1.ConfigMap': { binaryData: 'map[string][]uint8' },
  'v1.NamespaceSpec': { finalizers: '[]v1.FinalizerName' },
};

function schemaGoType(s: Schema | undefined, all: Record<string, Schema>): string {
  const ref = REF(s);
  if (ref) return goName(ref);
  if (!s) return 'interface {}';
  if (s.type === 'string') return s.format === 'byte' ? '[]uint8' : 'string';
  if (s.type === 'integer') return s.format === 'int64' ? 'int64' : 'int32';
  if (s.type === 'number') return 'float64';
  if (s.type === 'boolean') return 'bool';
  if (s.type === 'array') return `[]${schemaGoType(s.items, all)}`;
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') return `map[string]${schemaGoType(s.additionalProperties, all)}`;
  return 'interface {}';
}

function fieldGoType(parent: string, json: string, prop: Schema, all: Record<string, Schema>): string {
  const named = NAMED[parent]?.[json];
  if (named) return named;
  const t = POD_TEMPLATE_TYPES_1_32[parent];
  if (t && t.k === 'struct') {
    const f = t.f.find((x) => x[1] === json);
    if (f) return f[2];
  }
  return schemaGoType(prop, all);
}

const deref = (t: string) => t.replace(/^\*+/, '');
const elemOf = (t: string) => {
  const d = deref(t);
  if (d.startsWith('[]')) return d.slice(2);
  const m = /^map\[[^\]]+\](.*)$/.exec(d);
  if (m) return m[1];
  const table = POD_TEMPLATE_TYPES_1_32[d];
  return table && (table.k === 'map' || table.k === 'slice' || table.k === 'ptr') ? table.e : 'interface {}';
};

export interface TypeMismatch {
  value: unknown;
  /** The Go type the value had to decode into (pointers dropped). */
  goType: string;
  /** What the schema says the target is. */
  shape: 'struct' | 'slice' | 'map' | 'string' | 'int' | 'float' | 'bool' | 'intstr' | 'quantity' | 'time' | 'bytes';
  /** Innermost Go struct and the JSON field names from the root (encoding/json's error context). */
  struct: string;
  fields: string[];
  /** Full path with indexes and keys, as structured-merge-diff prints it (`.spec.ports[0].port`). */
  path: string;
  unknownField?: boolean;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const INT_RANGE: Record<string, [number, number]> = { int32: [-(2 ** 31), 2 ** 31 - 1], int64: [-(2 ** 63), 2 ** 63 - 1] };
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Walks `value` along `def`, calling `found` for each mismatch; stops when it returns true. */
export function walkTypes(def: string, value: unknown, all: Record<string, Schema>, found: (m: TypeMismatch) => boolean, reportUnknown = false): void {
  const stop = { now: false };
  const report = (m: TypeMismatch) => {
    if (found(m)) stop.now = true;
  };
  const visit = (v: unknown, s: Schema | undefined, goType: string, struct: string, fields: string[], path: string): void => {
    if (stop.now || v === null || v === undefined) return;
    const ref = REF(s);
    const t = ref ? all[ref] : s;
    const base = { value: v, goType: deref(goType), struct, fields, path };
    if (ref === 'io.k8s.apimachinery.pkg.util.intstr.IntOrString') {
      if (typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v) && v >= INT_RANGE.int32[0] && v <= INT_RANGE.int32[1])) return;
      return report({ ...base, shape: 'intstr' });
    }
    if (ref === 'io.k8s.apimachinery.pkg.api.resource.Quantity') {
      if (typeof v === 'number' || typeof v === 'string') return;
      return report({ ...base, shape: 'quantity' });
    }
    if (ref === 'io.k8s.apimachinery.pkg.apis.meta.v1.Time' || ref === 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime') {
      if (typeof v === 'string' && (v === '' || RFC3339.test(v))) return;
      return report({ ...base, shape: 'time' });
    }
    if (!t || t['x-kubernetes-preserve-unknown-fields'] || goType === 'interface {}') return;
    if (t.properties) {
      if (!isObj(v)) return report({ ...base, shape: 'struct' });
      const name = ref ? goName(ref) : deref(goType);
      for (const [k, child] of Object.entries(v)) {
        const prop = t.properties[k];
        if (!prop) {
          if (reportUnknown) report({ ...base, value: child, shape: 'struct', path: `${path}.${k}`, unknownField: true });
          if (stop.now) return;
          continue;
        }
        visit(child, prop, fieldGoType(name, k, prop, all), name.split('.').pop()!, [...fields, k], `${path}.${k}`);
        if (stop.now) return;
      }
      return;
    }
    const d = deref(goType);
    if (t.type === 'array' || d.startsWith('[]')) {
      if (d === '[]uint8') {
        if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) return report({ ...base, shape: 'bytes' });
        return;
      }
      if (!Array.isArray(v)) return report({ ...base, shape: 'slice' });
      v.forEach((item, i) => !stop.now && visit(item, t.items, elemOf(goType), struct, fields, `${path}[${i}]`));
      return;
    }
    if (t.type === 'object' && t.additionalProperties && typeof t.additionalProperties === 'object') {
      if (!isObj(v)) return report({ ...base, shape: 'map' });
      const ap = t.additionalProperties;
      for (const [k, child] of Object.entries(v)) {
        visit(child, ap, elemOf(goType), struct, fields, `${path}.${k}`);
        if (stop.now) return;
      }
      return;
    }
    if (t.type === 'string' && typeof v !== 'string') return report({ ...base, shape: 'string' });
    if (t.type === 'boolean' && typeof v !== 'boolean') return report({ ...base, shape: 'bool' });
    if (t.type === 'number' && typeof v !== 'number') return report({ ...base, shape: 'float' });
    if (t.type === 'integer') {
      const range = INT_RANGE[d] ?? INT_RANGE.int64;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < range[0] || v > range[1]) return report({ ...base, shape: 'int' });
    }
  };
  const root = all[def];
  visit(value, root, goName(def), '', [], '');
}

/** What encoding/json calls a JSON value in its type errors. */
function jsonKind(v: unknown, target: TypeMismatch['shape']): string {
  if (typeof v === 'string') return 'string';
  // An int target names the literal that failed ParseInt (a fraction or out of range).
  if (typeof v === 'number') return target === 'int' || target === 'intstr' ? `number ${v}` : 'number';
  if (typeof v === 'boolean') return 'bool';
  return Array.isArray(v) ? 'array' : 'object';
}

/** How the unstructured converter names a value's Go type (ints are int64 after PreserveInts). */
function unstructuredType(v: unknown): { type: string; kind: string } {
  if (typeof v === 'string') return { type: 'string', kind: 'string' };
  if (typeof v === 'number') return Number.isInteger(v) ? { type: 'int64', kind: 'int64' } : { type: 'float64', kind: 'float64' };
  if (typeof v === 'boolean') return { type: 'bool', kind: 'bool' };
  return Array.isArray(v) ? { type: '[]interface {}', kind: 'slice' } : { type: 'map[string]interface {}', kind: 'map' };
}

const QUANTITY_ERR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

function base64Error(v: unknown): string {
  if (typeof v !== 'string') return '';
  const bad = v.search(/[^A-Za-z0-9+/=]/);
  return `illegal base64 data at input byte ${bad >= 0 ? bad : Math.max(0, v.length - (v.length % 4 || 4))}`;
}

function timeError(v: unknown): string {
  const s = String(v);
  return `parsing time ${JSON.stringify(s)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(s)} as "2006"`;
}

/** encoding/json's text for a mismatch. */
export function jsonTypeError(m: TypeMismatch): string {
  const into = (type: string) =>
    m.struct || m.fields.length ? `into Go struct field ${m.struct}.${m.fields.join('.')} of type ${type}` : `into Go value of type ${type}`;
  switch (m.shape) {
    case 'intstr':
      return `json: cannot unmarshal ${jsonKind(m.value, 'intstr')} ${into('int32')}`;
    case 'quantity':
      return QUANTITY_ERR;
    case 'time':
      return typeof m.value === 'string' ? timeError(m.value) : `json: cannot unmarshal ${jsonKind(m.value, 'time')} ${into('string')}`;
    case 'bytes':
      return typeof m.value === 'string' ? base64Error(m.value) : `json: cannot unmarshal ${jsonKind(m.value, 'bytes')} ${into('[]uint8')}`;
    default:
      return `json: cannot unmarshal ${jsonKind(m.value, m.shape)} ${into(m.goType)}`;
  }
}

/** runtime.DefaultUnstructuredConverter's text for a mismatch (strategic merge patch results). */
export function unstructuredTypeError(m: TypeMismatch): string {
  const src = unstructuredType(m.value);
  switch (m.shape) {
    case 'struct':
      return `cannot restore struct from: ${src.kind}`;
    case 'slice':
      return `cannot restore slice from ${src.kind}`;
    case 'map':
      return `cannot restore map from ${src.kind}`;
    case 'string':
      return src.type === 'int64' ? `cannot convert int64 to ${m.goType}` : 'unrecognized type: string';
    case 'int':
      return src.type === 'float64' ? `cannot convert float64 to ${m.goType}` : `unrecognized type: ${/int64/.test(m.goType) ? 'int64' : 'int32'}`;
    case 'bool':
      return 'unrecognized type: bool';
    case 'float':
      return 'unrecognized type: float64';
    case 'intstr':
      return `json: cannot unmarshal ${jsonKind(m.value, 'intstr')} into Go value of type int32`;
    case 'quantity':
      return QUANTITY_ERR;
    case 'time':
      return typeof m.value === 'string' ? timeError(m.value) : `json: cannot unmarshal ${jsonKind(m.value, 'time')} into Go value of type string`;
    case 'bytes':
      return base64Error(m.value) || `cannot restore slice from ${src.kind}`;
  }
}

/** structured-merge-diff's text for one mismatch. */
export function smdTypeError(m: TypeMismatch): string {
  const path = m.path || '';
  if (m.unknownField) return `${path}: field not declared in schema`;
  const v = m.value;
  const goV = typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' ? (Array.isArray(v) ? '[]interface {}{...}' : 'map[string]interface {}{...}') : String(v);
  switch (m.shape) {
    case 'string':
    case 'time':
      return `${path}: expected string, got &value.valueUnstructured{Value:${goV}}`;
    case 'int':
    case 'float':
      return `${path}: expected numeric (int or float), got ${unstructuredType(v).type}`;
    case 'bool':
      return `${path}: expected boolean, got &{${String(v)}}`;
    case 'slice':
      return `${path}: expected list, got &{${String(v)}}`;
    case 'struct':
    case 'map':
      return `${path}: expected map, got &{${typeof v === 'string' ? v : String(v)}}`;
    default:
      return `${path}: expected any scalar, got &{${String(v)}}`;
  }
}

/** The first mismatch in document order (what the Go JSON and unstructured decoders stop at). */
export function firstTypeMismatch(def: string, value: unknown, all: Record<string, Schema>): TypeMismatch | undefined {
  let first: TypeMismatch | undefined;
  walkTypes(def, value, all, (m) => {
    first = m;
    return true;
  });
  return first;
}

/** Every mismatch and unknown field (what structured-merge-diff reports for an apply). */
export function allTypeMismatches(def: string, value: unknown, all: Record<string, Schema>): TypeMismatch[] {
  const out: TypeMismatch[] = [];
  walkTypes(
    def,
    value,
    all,
    (m) => {
      out.push(m);
      return false;
    },
    true,
  );
  return out;
}

