/**
 * Patch metadata from the server's OpenAPI v3, fetched as kubectl fetches it (`/openapi/v3`, then the
 * group-version document by its hashed URL): x-kubernetes-patch-strategy / -merge-key on properties.
 */
import type { Api } from '../api.ts';
import { NO_SCHEMA, type PatchMeta, type PatchSchema } from './three-way.ts';

type Schema = {
  $ref?: string;
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
};
interface Doc {
  components?: { schemas?: Record<string, Schema> };
}

export class OpenApi {
  private index?: Record<string, { serverRelativeURL: string }>;
  private readonly docs = new Map<string, Doc | undefined>();
  constructor(private readonly api: Api) {}

  /** False when the server has no OpenAPI v3 (kubectl then cannot validate: `failed to download openapi`). */
  async available(): Promise<boolean> {
    if (!this.index) {
      const res = await this.api.send({ method: 'GET', path: '/openapi/v3', query: { timeout: '32s' }, headers: { Accept: 'application/json, */*' } });
      if (res.status !== 200) return false;
      this.index = (JSON.parse(res.body) as { paths?: Record<string, { serverRelativeURL: string }> }).paths ?? {};
    }
    return true;
  }

  private async doc(groupVersion: string): Promise<Doc | undefined> {
    const key = groupVersion.includes('/') ? `apis/${groupVersion}` : `api/${groupVersion}`;
    if (this.docs.has(key)) return this.docs.get(key);
    let doc: Doc | undefined;
    if (await this.available()) {
      const entry = this.index?.[key];
      if (entry) {
        const url = new URL(entry.serverRelativeURL, 'http://x');
        const query: Record<string, string> = { timeout: '32s' };
        url.searchParams.forEach((v, k) => (query[k] = v));
        const res = await this.api.send({ method: 'GET', path: url.pathname, query, headers: { Accept: 'application/json' } });
        if (res.status === 200) doc = JSON.parse(res.body) as Doc;
      }
    }
    this.docs.set(key, doc);
    return doc;
  }

  async patchSchema(apiVersion: string, kind: string): Promise<PatchSchema> {
    const doc = await this.doc(apiVersion);
    const schemas = doc?.components?.schemas ?? {};
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const root = Object.values(schemas).find((s) => (s['x-kubernetes-group-version-kind'] ?? []).some((g) => g.group === group && g.version === version && g.kind === kind));
    return root ? wrap(root, schemas) : NO_SCHEMA;
  }
}

function deref(s: Schema | undefined, all: Record<string, Schema>): Schema | undefined {
  let cur = s;
  for (let i = 0; cur && i < 10; i++) {
    if (cur.$ref) cur = all[cur.$ref.replace('#/components/schemas/', '')];
    else if (cur.allOf?.length === 1 && !cur.properties) cur = cur.allOf[0];
    else break;
  }
  return cur;
}

function wrap(s: Schema, all: Record<string, Schema>): PatchSchema {
  return {
    field(key: string) {
      const obj = deref(s, all);
      const prop = obj?.properties?.[key];
      if (!prop) {
        const extra = obj?.additionalProperties;
        return { meta: {}, schema: typeof extra === 'object' ? wrap(extra, all) : NO_SCHEMA };
      }
      const meta: PatchMeta = { strategy: prop['x-kubernetes-patch-strategy'], mergeKey: prop['x-kubernetes-patch-merge-key'] };
      const value = deref(prop, all);
      const inner = value?.items ? value.items : prop;
      return { meta, schema: wrap(inner, all) };
    },
  };
}
