/**
 * go-spew's `%#v` (ConfigState{Indent: " ", SortKeys: true, DisableMethods: true, SpewKeys: true}, as
 * k8s.io/kubernetes/pkg/util/hash.DeepHashObject uses it) of the Go value a client decodes from a JSON object:
 * types are printed for the root and every struct field, never for slice elements, map keys or map values;
 * pointers print as `(*T)` (or `<*>` where types are not shown) then their target; strings raw; nil as `<nil>`.
 *
 * JSON maps onto Go as the kube-controller-manager sees it (protobuf from the apiserver): an absent field is the
 * zero value, and an empty list or map decodes as nil.
 */
import { controllerQuantity } from './quantity.ts';
import type { GoType, GoTypeTable } from './table.ts';

/** Types whose JSON form is not an object of their fields: converted to one keyed by their Go field names (the JSON
 * names the table gives untagged fields). */
const DECODERS: Partial<Record<string, (json: unknown) => Record<string, unknown>>> = {
  'resource.Quantity': (json) => controllerQuantity(json) as unknown as Record<string, unknown>,
  'intstr.IntOrString': (json) =>
    typeof json === 'string' ? { Type: 1, IntVal: 0, StrVal: json } : { Type: 0, IntVal: Number(json ?? 0), StrVal: '' },
  'v1.Time': (json) => {
    if (json !== undefined && json !== null) throw new Error('go-hash: a set timestamp in a pod template is not supported');
    return { Time: { wall: 0, ext: 0, loc: null } };
  },
};

const isEmpty = (v: unknown) =>
  v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && Object.keys(v as object).length === 0);

export class Spewer {
  constructor(private readonly types: GoTypeTable) {}

  private type(name: string): GoType {
    const t = this.types[name];
    if (!t) throw new Error(`go-hash: unknown Go type ${name}`);
    return t;
  }

  /** `%#v` of the value of Go type `name` decoded from `json`. */
  format(name: string, json: unknown, showType = true): string {
    const t = this.type(name);
    if (t.k === 'ptr') {
      if (json === undefined || json === null) return showType ? `(${name})<nil>` : '<nil>';
      return (showType ? `(${name})` : '<*>') + this.format(t.e, json, false);
    }
    const prefix = showType ? `(${name})` : '';
    switch (t.k) {
      case 'struct':
        return prefix + this.struct(name, json);
      case 'slice':
        if (isEmpty(json)) return `${prefix}<nil>`;
        return `${prefix}[${(json as unknown[]).map((e) => this.format(t.e, e, false)).join(' ')}]`;
      case 'map': {
        if (isEmpty(json)) return `${prefix}<nil>`;
        const o = json as Record<string, unknown>;
        const keys = Object.keys(o).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
        // SetDefaults_ResourceList rounds every value up to milli-units before it is stored.
        const value = (v: unknown) => (name === 'v1.ResourceList' ? this.struct(t.e, controllerQuantity(v, true), true) : this.format(t.e, v, false));
        return `${prefix}map[${keys.map((k) => `${this.format(t.key, k, false)}:${value(o[k])}`).join(' ')}]`;
      }
      case 'string':
        return prefix + (json === undefined || json === null ? '' : String(json));
      case 'bool':
        return prefix + String(json === true);
      case 'opaque':
        throw new Error(`go-hash: cannot print ${name}`);
      default:
        return prefix + (json === undefined || json === null ? '0' : BigInt(json as number | string).toString());
    }
  }

  /** A struct's fields; `decoded` when `json` is already keyed by Go field names. */
  private struct(name: string, json: unknown, decoded = false): string {
    const t = this.type(name);
    if (t.k !== 'struct') throw new Error(`go-hash: ${name} is not a struct`);
    const decode = decoded ? undefined : DECODERS[name];
    const obj = (decode ? decode(json) : (json ?? {})) as Record<string, unknown>;
    const parts = t.f.map(([goName, jsonName, type, inline]) => `${goName}:${this.format(type, inline ? obj : obj[jsonName], true)}`);
    return `{${parts.join(' ')}}`;
  }
}
