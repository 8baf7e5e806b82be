/**
 * `kubectl explain` as 1.32 prints it (explain v2, plaintext template in k8s.io/kubectl/pkg/explain/v2/templates):
 * the group-version's OpenAPI v3 document is fetched, the kind found through the resource's path operations
 * (x-kubernetes-group-version-kind), the field path followed through $ref / allOf / items / additionalProperties,
 * and descriptions word-wrapped with go-wordwrap. Go template truthiness matters here (empty maps, lists and
 * strings are false), so `truthy` stands in for it.
 */
import { KubectlError } from './api.ts';
import type { Ctx } from './context.ts';

type Schema = Record<string, unknown>;
interface Doc {
  paths?: Record<string, Record<string, Schema>>;
  components?: { schemas?: Record<string, Schema> };
}
interface Gvk {
  group: string;
  version: string;
  kind: string;
}

function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === '' || v === 0) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v) && truthy(v);
const sortedKeys = (o: unknown): string[] => (isSchema(o) ? Object.keys(o).sort() : []);

/** go-wordwrap's WrapString (v1.0.1): breaks at white space only, keeps existing line breaks. */
export function wrapString(s: string, lim: number): string {
  let out = '';
  let current = 0;
  let word = '';
  let space = '';
  const len = (t: string) => [...t].length;
  for (const ch of s) {
    if (ch === '\n') {
      if (!word) {
        if (current + len(space) > lim) current = 0;
        else out += space;
      } else out += space + word;
      space = '';
      word = '';
      out += ch;
      current = 0;
    } else if (/\s/u.test(ch) && ch !== '\u00a0') {
      if (!space || word) {
        current += len(space) + len(word);
        out += space + word;
        space = '';
        word = '';
      }
      space += ch;
    } else {
      word += ch;
      if (current + len(space) + len(word) > lim && len(word) < lim) {
        out += '\n';
        current = 0;
        space = '';
      }
    }
  }
  if (!word) {
    if (current + len(space) <= lim) out += space;
  } else out += space + word;
  return out;
}

const indent = (n: number, s: string) => ' '.repeat(n) + s.replaceAll('\n', '\n' + ' '.repeat(n));

class Explainer {
  constructor(
    private readonly doc: Doc,
    private readonly recursive: boolean,
  ) {}

  resolveRef(ref: unknown): Schema | undefined {
    if (typeof ref !== 'string' || !ref.startsWith('#')) return undefined;
    let cur: unknown = this.doc;
    for (const k of ref.slice(1).split('/')) {
      if (!k) continue;
      const next = (cur as Record<string, unknown>)[k];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) return undefined;
      cur = next;
    }
    return cur as Schema;
  }

  private resolved(schema: Schema): Schema {
    const r = this.resolveRef(schema.$ref);
    return truthy(r) ? r! : schema;
  }

  typeGuess(s: Schema): string {
    if (truthy(s.items)) return `[]${this.typeGuess(s.items as Schema)}`;
    if (isSchema(s.additionalProperties)) return `map[string]${this.typeGuess(s.additionalProperties)}`;
    const allOf = s.allOf as Schema[] | undefined;
    if (truthy(allOf) && !truthy(s.properties) && allOf!.length === 1) return this.typeGuess(allOf![0]);
    if (truthy(s.$ref)) {
      const ref = String(s.$ref);
      const target = this.resolveRef(ref);
      if (!truthy(target) || !truthy(target!.type) || target!.type === 'object') return ref.split('/').pop()!.split('.').pop() || 'Object';
      return String(target!.type);
    }
    if (s.type === 'object') return 'Object';
    return truthy(s.type) ? String(s.type) : 'Object';
  }

  enumText(s: Schema, longView: boolean, limit: number, indentAmount = 0): string {
    const values = s.enum as unknown[] | undefined;
    if (!truthy(values)) return '';
    let out = longView ? 'ENUM:' : '\n' + ' '.repeat(indentAmount) + 'enum: ';
    for (const [i, v] of values!.entries()) {
      if (limit > -1 && i >= limit) {
        out += ', ....';
        break;
      }
      if (i > 0 && !longView) out += ', ';
      else if (longView) out += '\n    ';
      out += v === '' ? '""' : String(v);
    }
    return out;
  }

  description(schema: Schema): string {
    const s = this.resolved(schema);
    let out = truthy(s.description) ? `${String(s.description)}\n` : '';
    for (const sub of (s.allOf as Schema[] | undefined) ?? []) out += this.description(sub);
    if (truthy(s.items)) out += this.description(s.items as Schema);
    if (isSchema(s.additionalProperties)) out += this.description(s.additionalProperties);
    return out;
  }

  externalDocs(s: Schema, indentAmount: number, width: number): string {
    const ext = s.externalDocs as { description?: string; url?: string } | undefined;
    if (!truthy(ext)) return '';
    let out = indent(indentAmount, 'EXTERNAL DOCS:') + '\n';
    if (truthy(ext!.description)) out += indent(indentAmount + 4, wrapString(ext!.description!, width)) + '\n';
    if (truthy(ext!.url)) out += indent(indentAmount + 4, `URL: ${ext!.url}`) + '\n';
    return out;
  }

  output(schema: Schema, fieldPath: string[], history: Set<string>): string {
    const ref = typeof schema.$ref === 'string' ? schema.$ref : '';
    const next = new Set(history).add(ref);
    const resolved = this.resolved(schema);
    if (!fieldPath.length) {
      let out = 'DESCRIPTION:\n' + indent(4, wrapString(this.description(resolved) || '<empty>', 76)) + '\n';
      const ext = this.externalDocs(resolved, 0, 76);
      if (ext) out += '\n' + ext;
      const fields = this.fieldList(resolved, 1, new Set());
      if (fields) out += 'FIELDS:\n' + fields;
      return out;
    }
    if (ref && history.has(ref)) return '';
    const props = resolved.properties as Record<string, Schema> | undefined;
    if (truthy(props) && truthy(props![fieldPath[0]])) {
      const sub = props![fieldPath[0]];
      let out = '';
      if (fieldPath.length === 1) out += `FIELD: ${fieldPath[0]} <${this.typeGuess(sub)}>\n${this.enumText(sub, true, -1)}\n\n`;
      return out + this.output(sub, fieldPath.slice(1), new Set());
    }
    if (truthy(resolved.items)) return this.output(resolved.items as Schema, fieldPath, next);
    if (isSchema(resolved.additionalProperties)) return this.output(resolved.additionalProperties, fieldPath, next);
    for (const sub of (resolved.allOf as Schema[] | undefined) ?? []) {
      const out = this.output(sub, fieldPath, next);
      if (out) return out;
    }
    return '';
  }

  fieldList(schema: Schema, level: number, history: Set<string>): string {
    const ref = typeof schema.$ref === 'string' ? schema.$ref : '';
    if (ref && history.has(ref)) return '';
    const next = new Set(history).add(ref);
    const resolved = this.resolved(schema);
    let out = '';
    const props = (resolved.properties ?? {}) as Record<string, Schema>;
    for (const name of sortedKeys(props)) {
      out += this.fieldDetail(name, resolved, level);
      if (this.recursive) out += this.fieldList(props[name], level + 1, next);
    }
    for (const sub of (resolved.allOf as Schema[] | undefined) ?? []) out += this.fieldList(sub, level, next);
    if (truthy(resolved.items)) out += this.fieldList(resolved.items as Schema, level, next);
    if (isSchema(resolved.additionalProperties)) out += this.fieldList(resolved.additionalProperties, level, next);
    return out;
  }

  fieldDetail(name: string, parent: Schema, level: number): string {
    const indentAmount = level * 2;
    const field = (parent.properties as Record<string, Schema>)[name];
    const required = Array.isArray(parent.required) && parent.required.includes(name);
    let out = `${indent(indentAmount, name)}\t<${this.typeGuess(field)}>${required ? ' -required-' : ''}${this.enumText(field, false, 4, indentAmount)}\n`;
    if (this.recursive) return out;
    out += indent(indentAmount + 2, wrapString(truthy(field.description) ? String(field.description) : '<no description>', 78 - indentAmount)) + '\n';
    out += this.externalDocs(field, indentAmount + 2, 76 - indentAmount);
    return out + '\n';
  }

  /** The kind's schema: the one whose x-kubernetes-group-version-kind lists `gvk` (components in name order). */
  kindSchema(gvk: Gvk): Schema | undefined {
    const all = this.doc.components?.schemas ?? {};
    for (const name of sortedKeys(all)) {
      const tags = all[name]['x-kubernetes-group-version-kind'];
      if (Array.isArray(tags) && tags.some((t: Gvk) => t.group === gvk.group && t.version === gvk.version && t.kind === gvk.kind && Object.keys(t).length === 3)) return all[name];
    }
    return undefined;
  }
}

/** The GVK from the resource's list or item path operations, as the template searches them. */
function findGvk(doc: Doc, group: string, version: string, resource: string): Gvk | undefined {
  const prefix = group ? `/apis/${group}` : '/api';
  const candidates = [
    `${prefix}/${version}/${resource}`,
    `${prefix}/${version}/${resource}/{name}`,
    `${prefix}/${version}/namespaces/{namespace}/${resource}`,
    `${prefix}/${version}/namespaces/{namespace}/${resource}/{name}`,
  ];
  let gvk: Gvk | undefined;
  for (const path of candidates) {
    const item = doc.paths?.[path];
    if (!item) continue;
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      if (!truthy(item[method])) continue;
      // `with $gvk = ...` assigns before testing, so an operation without the extension clears an earlier find.
      gvk = item[method]['x-kubernetes-group-version-kind'] as Gvk | undefined;
      if (truthy(gvk)) break;
    }
  }
  return gvk;
}

export async function runExplain(ctx: Ctx): Promise<number> {
  if (ctx.args.length === 0) throw new KubectlError(`You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.`);
  const [typed, ...fieldPath] = ctx.args[0].split('.');
  // explain reports the RESTMapper's error as it is, without kubectl's `error: ` prefix.
  const r = await ctx.api.resolve(typed).catch((e: unknown) => {
    throw e instanceof KubectlError ? new KubectlError(`${e.message}\n`, e.exitCode, true) : e;
  });
  const gvPath = r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`;
  const index = await ctx.api.call<{ paths?: Record<string, { serverRelativeURL?: string }> }>('GET', '/openapi/v3');
  const url = index.paths?.[gvPath]?.serverRelativeURL;
  if (!url) throw new KubectlError(`couldn't find resource for "${r.group ? `${r.group}/` : ''}${r.version}, Resource=${r.resource}"`);
  const [path, query] = url.split('?');
  const doc = await ctx.api.call<Doc>('GET', path, { query: Object.fromEntries(new URLSearchParams(query ?? '')) });
  const gvk = findGvk(doc, r.group, r.version, r.resource);
  const gvr = `${r.group ? `${r.group}/` : ''}${r.version}, Resource=${r.resource}`;
  if (!gvk) throw new KubectlError(`GVR (${gvr}) not found in OpenAPI schema`);
  const explainer = new Explainer(doc, ctx.flags.bool('recursive'));
  // The template writes the header before it looks for the kind and the field, so it is printed even when those fail.
  ctx.io.stdout(`${gvk.group ? `GROUP:      ${gvk.group}\n` : ''}KIND:       ${gvk.kind}\nVERSION:    ${gvk.version}\n\n`);
  const schema = explainer.kindSchema(gvk);
  if (!schema) throw new KubectlError(`GVK ${gvk.group}/${gvk.version}, Kind=${gvk.kind} not found in OpenAPI schema`);
  const body = explainer.output(schema, fieldPath, new Set());
  if (!body) throw new KubectlError(`field "${fieldPath[fieldPath.length - 1]}" does not exist`);
  ctx.io.stdout(`${body}\n`);
  return 0;
}
