/**
 * /openapi/v3 index and per group-version documents, as kube-apiserver serves them: component schemas named after
 * the Go packages, each kind tagged with x-kubernetes-group-version-kind, and path operations (PATCH with the
 * fieldValidation parameter) that kubectl inspects before apply. The component schemas were generated at build time
 * (schemas.generated.json, see write-schemas.ts); the documents are assembled once and kept in memory.
 */
import { createHash } from 'node:crypto';
import { RESOURCES, type ResourceInfo } from '../../api/resources.ts';
import generated from './schemas.generated.json' with { type: 'json' };
import { packageOf, type Schema } from './schema-types.ts';

export interface OpenApiDoc {
  json: string;
  hash: string;
}

let schemasCache: Record<string, Schema> | undefined;
let docsCache: Map<string, OpenApiDoc> | undefined;

/** Upstream definition name of a kind, e.g. io.k8s.api.apps.v1.Deployment. */
export function schemaNameOf(group: string, version: string, kind: string): string {
  const module = group === '' ? `core/${version}` : `${group.split('.')[0]}/${version}`;
  return `${packageOf(module)}.${kind}`;
}

/** Every generated schema, with group-version-kind extensions on the kinds we serve. */
export function schemas(): Record<string, Schema> {
  if (schemasCache) return schemasCache;
  const s = structuredClone(generated) as Record<string, Schema>;
  const tag = (name: string, group: string, version: string, kind: string) => {
    if (s[name]) s[name]['x-kubernetes-group-version-kind'] = [{ group, kind, version }];
  };
  for (const r of RESOURCES) {
    tag(schemaNameOf(r.group, r.version, r.kind), r.group, r.version, r.kind);
    tag(schemaNameOf(r.group, r.version, `${r.kind}List`), r.group, r.version, `${r.kind}List`);
  }
  tag('io.k8s.api.autoscaling.v1.Scale', 'autoscaling', 'v1', 'Scale');
  tag('io.k8s.api.policy.v1.Eviction', 'policy', 'v1', 'Eviction');
  tag('io.k8s.api.core.v1.Binding', '', 'v1', 'Binding');
  tag('io.k8s.apimachinery.pkg.apis.meta.v1.Status', '', 'v1', 'Status');
  tag('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions', '', 'v1', 'DeleteOptions');
  schemasCache = s;
  return s;
}

function closure(all: Record<string, Schema>, roots: string[]): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  const stack = [...roots];
  while (stack.length) {
    const name = stack.pop()!;
    if (out[name] || !all[name]) continue;
    out[name] = all[name];
    JSON.stringify(all[name], (k, v) => {
      if (k === '$ref' && typeof v === 'string') stack.push(v.replace('#/components/schemas/', ''));
      return v;
    });
  }
  return out;
}

function param(name: string, description: string, type = 'string'): Record<string, unknown> {
  return { name, in: 'query', description, schema: { type, uniqueItems: true } };
}

const REF = (n: string) => ({ $ref: `#/components/schemas/${n}` });

function operations(r: ResourceInfo): Record<string, unknown> {
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const kindSchema = schemaNameOf(r.group, r.version, r.kind);
  const body = (ct: string[]) => ({ content: Object.fromEntries(ct.map((c) => [c, { schema: REF(kindSchema) }])), required: true });
  const ok = { '200': { description: 'OK', content: { 'application/json': { schema: REF(kindSchema) } } } };
  const write = [
    param('dryRun', 'When present, indicates that modifications should not be persisted.'),
    param('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
    param('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict'),
  ];
  const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const coll = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.resource}` : `${prefix}/${r.resource}`;
  const op = (action: string, extra: Record<string, unknown>) => ({
    tags: [r.group ? `${r.group.split('.')[0]}_${r.version}` : `core_${r.version}`],
    operationId: `${action}${r.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    responses: ok,
    ...extra,
  });
  const paths: Record<string, unknown> = {
    [coll]: {
      get: op('list', {}),
      post: op('post', { requestBody: body(['*/*']), parameters: write }),
      ...(r.verbs.includes('deletecollection') ? { delete: op('deletecollection', {}) } : {}),
    },
    [`${coll}/{name}`]: {
      get: op('get', {}),
      put: op('put', { requestBody: body(['*/*']), parameters: write }),
      patch: op('patch', {
        requestBody: {
          content: Object.fromEntries(
            ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'].map((c) => [
              c,
              { schema: REF('io.k8s.apimachinery.pkg.apis.meta.v1.Patch') },
            ]),
          ),
          required: true,
        },
        parameters: [...write, param('force', 'Force is going to "force" Apply requests.', 'boolean')],
      }),
      delete: op('delete', {}),
    },
  };
  return paths;
}

/** The group-versions we serve, keyed like the /openapi/v3 index (`api/v1`, `apis/apps/v1`). */
function groupVersions(): Map<string, ResourceInfo[]> {
  const m = new Map<string, ResourceInfo[]>();
  for (const r of RESOURCES) {
    const key = r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`;
    m.set(key, [...(m.get(key) ?? []), r]);
  }
  return m;
}

function docs(): Map<string, OpenApiDoc> {
  if (docsCache) return docsCache;
  const all = schemas();
  const out = new Map<string, OpenApiDoc>();
  for (const [key, rs] of groupVersions()) {
    const roots = rs.flatMap((r) => [schemaNameOf(r.group, r.version, r.kind), schemaNameOf(r.group, r.version, `${r.kind}List`)]);
    roots.push('io.k8s.apimachinery.pkg.apis.meta.v1.Patch', 'io.k8s.apimachinery.pkg.apis.meta.v1.Status', 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions');
    if (key === 'apis/apps/v1' || key === 'api/v1') roots.push('io.k8s.api.autoscaling.v1.Scale');
    if (key === 'api/v1') roots.push('io.k8s.api.policy.v1.Eviction', 'io.k8s.api.core.v1.Binding');
    const doc = {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: 'v1.32.2' },
      paths: Object.assign({}, ...rs.map(operations)),
      components: { schemas: closure(all, roots) },
    };
    const json = JSON.stringify(doc);
    out.set(key, { json, hash: createHash('sha512').update(json).digest('hex').toUpperCase() });
  }
  docsCache = out;
  return out;
}

export function openApiIndex(): string {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [key, d] of docs()) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${d.hash}` };
  return JSON.stringify({ paths });
}

export function openApiDocument(key: string): OpenApiDoc | undefined {
  return docs().get(key);
}
