/**
 * `kubectl apply -f` (client-side apply) and `kubectl create -f`: objects from manifests, the namespace defaulted,
 * `kubectl.kubernetes.io/last-applied-configuration` kept, a three-way strategic merge patch for existing objects.
 */
import { KubectlError, ServerError, kindPrefix, resourcePath, type ApiResource } from '../api.ts';
import type { Ctx } from '../context.ts';
import { withSource } from '../errors.ts';
import { readManifests, type Manifest } from '../manifest.ts';
import { isObjectFormat, printObjects } from '../output.ts';
import { OpenApi } from './openapi.ts';
import { goJSON, threeWayMergePatch } from './three-way.ts';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
type Obj = Record<string, unknown> & { metadata?: Record<string, unknown> & { name?: string; namespace?: string; annotations?: Record<string, string> } };

interface Prepared {
  resource: ApiResource;
  object: Obj;
  source: string;
}

/** Resource mapping and namespace defaulting, as the resource builder does for `-f`. */
export async function prepareObjects(ctx: Ctx, manifests: Manifest[]): Promise<Prepared[]> {
  const out: Prepared[] = [];
  for (const m of manifests) {
    const object = structuredClone(m.object) as Obj;
    const apiVersion = String(object.apiVersion ?? '');
    const kind = String(object.kind ?? '');
    if (!kind) throw new KubectlError(`error validating "${m.source}": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false`);
    const r = await ctx.api.byKind(apiVersion, kind);
    if (!r) {
      throw new KubectlError(`resource mapping not found for name: "${object.metadata?.name ?? ''}" namespace: "${object.metadata?.namespace ?? ''}" from "${m.source}": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first`);
    }
    object.metadata ??= {};
    if (r.namespaced) {
      const ns = object.metadata.namespace;
      if (ns && ctx.namespaceExplicit && ns !== ctx.namespace) {
        throw new KubectlError(`the namespace from the provided object "${ns}" does not match the namespace "${ctx.namespace}". You must pass '--namespace=${ns}' to perform this operation.`);
      }
      if (!ns) object.metadata.namespace = ctx.namespace;
    }
    out.push({ resource: r, object, source: m.source });
  }
  return out;
}

function validationQuery(ctx: Ctx): string {
  const v = ctx.flags.str('validate');
  if (v === 'false' || v === 'ignore') return 'Ignore';
  if (v === 'warn') return 'Warn';
  return 'Strict';
}

/** GetModifiedConfiguration: the manifest without the annotation, as compact JSON plus a newline. */
export function modifiedConfiguration(object: Obj): { modified: Obj; annotation: string } {
  const modified = structuredClone(object);
  modified.metadata ??= {};
  const annotations = { ...(modified.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  modified.metadata.annotations = annotations;
  const annotation = goJSON(modified) + '\n';
  modified.metadata.annotations = { ...annotations, [LAST_APPLIED]: annotation };
  return { modified, annotation };
}

function name(o: Obj): string {
  return o.metadata?.name ?? '';
}

export async function runApply(ctx: Ctx): Promise<number> {
  const files = ctx.flags.list('filename');
  if (files.length === 0 && !ctx.flags.str('kustomize')) throw new KubectlError('must specify one of -f and -k');
  const output = ctx.flags.str('output');
  if (output && !isObjectFormat(output)) throw new KubectlError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,name,yaml`);
  const manifests = await readManifests(ctx.io, files, ctx.flags.bool('recursive'));
  if (manifests.length === 0) throw new KubectlError('no objects passed to apply');
  const openapi = new OpenApi(ctx.api);
  const validation = validationQuery(ctx);
  if (validation !== 'Ignore' && !(await openapi.available())) {
    throw new KubectlError(`error validating "${manifests[0].source}": error validating data: failed to download openapi: the server could not find the requested resource; if you choose to ignore these errors, turn validation off with --validate=false`);
  }
  const prepared = await prepareObjects(ctx, manifests);
  const errors: unknown[] = [];
  const query = { fieldManager: 'kubectl-client-side-apply', fieldValidation: validation };
  for (const p of prepared) {
    const r = p.resource;
    const ns = r.namespaced ? (p.object.metadata?.namespace as string) : undefined;
    const { modified } = modifiedConfiguration(p.object);
    try {
      let current: Obj | undefined;
      try {
        current = await ctx.api.call<Obj>('GET', resourcePath(r, ns, name(p.object)), { resource: r, name: name(p.object) });
      } catch (e) {
        if (!(e instanceof ServerError && e.status.code === 404)) throw e;
      }
      let result: Obj;
      let verb: string;
      if (!current) {
        result = await ctx.api.call<Obj>('POST', resourcePath(r, ns), { query, body: modified, resource: r });
        verb = 'created';
      } else {
        const originalText = current.metadata?.annotations?.[LAST_APPLIED];
        if (originalText === undefined) {
          ctx.io.stderr(`Warning: resource ${r.resource}/${name(p.object)} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`);
        }
        const original = originalText ? (JSON.parse(originalText) as Obj) : undefined;
        const schema = await openapi.patchSchema(String(p.object.apiVersion), String(p.object.kind));
        const patch = threeWayMergePatch(original, modified, current, schema);
        if (Object.keys(patch).length === 0) {
          result = current;
          verb = 'unchanged';
        } else {
          result = await ctx.api.call<Obj>('PATCH', resourcePath(r, ns, name(p.object)), { query, body: goJSON(patch), contentType: 'application/strategic-merge-patch+json', resource: r, name: name(p.object) });
          verb = 'configured';
        }
      }
      if (output) ctx.io.stdout(printObjects(output, [{ resource: r, object: result }], prepared.length === 1));
      else ctx.io.stdout(`${kindPrefix(r)}/${name(p.object)} ${verb}\n`);
    } catch (e) {
      errors.push(withSource(e, current_verb(e), p.source));
    }
  }
  if (errors.length) throw errors.length === 1 ? errors[0] : new AggregateError(errors);
  return 0;
}

/** kubectl's apply reports failed creates as `error when creating`, failed patches as `error when patching`. */
function current_verb(e: unknown): string {
  return e instanceof ServerError && e.status.reason === 'Conflict' ? 'patching' : 'creating';
}

/** `kubectl create -f`: POST each object (with --save-config, the annotation too). */
export async function runCreateFromFiles(ctx: Ctx): Promise<number> {
  const files = ctx.flags.list('filename');
  const manifests = await readManifests(ctx.io, files, ctx.flags.bool('recursive'));
  const validation = validationQuery(ctx);
  if (validation !== 'Ignore' && !(await new OpenApi(ctx.api).available())) {
    throw new KubectlError(`error validating "${manifests[0]?.source ?? ''}": error validating data: failed to download openapi: the server could not find the requested resource; if you choose to ignore these errors, turn validation off with --validate=false`);
  }
  const prepared = await prepareObjects(ctx, manifests);
  const output = ctx.flags.str('output');
  const errors: unknown[] = [];
  for (const p of prepared) {
    const r = p.resource;
    const ns = r.namespaced ? (p.object.metadata?.namespace as string) : undefined;
    const body = ctx.flags.bool('save-config') ? modifiedConfiguration(p.object).modified : p.object;
    try {
      const created = await ctx.api.call<Obj>('POST', resourcePath(r, ns), { query: { fieldManager: 'kubectl-create', fieldValidation: validation }, body, resource: r });
      ctx.io.stdout(output ? printObjects(output, [{ resource: r, object: created }], prepared.length === 1) : `${kindPrefix(r)}/${name(created)} created\n`);
    } catch (e) {
      errors.push(withSource(e, 'creating', p.source));
    }
  }
  if (errors.length) throw errors.length === 1 ? errors[0] : new AggregateError(errors);
  return 0;
}
