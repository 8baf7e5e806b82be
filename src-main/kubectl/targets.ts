/** Turning `TYPE[,TYPE] [NAME...]`, `TYPE/NAME ...` and `-f` into (resource, namespace, name) targets. */
import { KubectlError, type ApiResource } from './api.ts';
import type { Ctx } from './context.ts';
import { readManifests } from './manifest.ts';
import type { Query } from './client.ts';

export interface Target {
  resource: ApiResource;
  /** The request namespace (undefined for cluster-scoped kinds or `-A`). */
  namespace: string | undefined;
  /** Undefined: the whole list. */
  name?: string;
  source?: string;
}

export interface TargetSet {
  targets: Target[];
  /** More than one kind was asked for (kubectl then prints `kind/` prefixes). */
  multipleKinds: boolean;
  /** One object named (kubectl prints it alone rather than as a List). */
  singleItem: boolean;
}

export async function resolveTargets(ctx: Ctx, args: string[], opts: { allNamespaces?: boolean; requireNames?: boolean } = {}): Promise<TargetSet> {
  const ns = (r: ApiResource) => (!r.namespaced ? undefined : opts.allNamespaces ? undefined : ctx.namespace);
  const filenames = ctx.flags.spec('filename') ? ctx.flags.list('filename') : [];
  if (filenames.length > 0) {
    const manifests = await readManifests(ctx.io, filenames, ctx.flags.spec('recursive') ? ctx.flags.bool('recursive') : false);
    const targets: Target[] = [];
    for (const m of manifests) {
      const apiVersion = String(m.object.apiVersion ?? '');
      const kind = String(m.object.kind ?? '');
      const r = await ctx.api.byKind(apiVersion, kind);
      if (!r) throw new KubectlError(`resource mapping not found for name: "${(m.object.metadata as { name?: string })?.name ?? ''}" namespace: "" from "${m.source}": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first`);
      const meta = (m.object.metadata ?? {}) as { name?: string; namespace?: string };
      targets.push({ resource: r, namespace: r.namespaced ? meta.namespace || ctx.namespace : undefined, name: meta.name, source: m.source });
    }
    return { targets, multipleKinds: new Set(targets.map((t) => t.resource)).size > 1, singleItem: targets.length === 1 };
  }
  if (args.length === 0) return { targets: [], multipleKinds: false, singleItem: false };
  if (args.some((a) => a.includes('/'))) {
    const targets: Target[] = [];
    for (const a of args) {
      const slash = a.indexOf('/');
      if (slash < 0) throw new KubectlError(`there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'`);
      const r = await ctx.api.resolve(a.slice(0, slash));
      const name = a.slice(slash + 1);
      if (!name) throw new KubectlError(`arguments in resource/name form must have a single resource and name`);
      targets.push({ resource: r, namespace: r.namespaced ? ctx.namespace : undefined, name });
    }
    return { targets, multipleKinds: new Set(targets.map((t) => t.resource)).size > 1, singleItem: targets.length === 1 };
  }
  const types = args[0].split(',').filter((t) => t !== '');
  const names = args.slice(1);
  const resources: ApiResource[] = [];
  let viaCategory = false;
  for (const t of types) {
    const cat = await ctx.api.category(t.toLowerCase());
    if (cat.length > 0 && t.toLowerCase() === 'all') {
      viaCategory = true;
      for (const r of cat) if (!resources.includes(r)) resources.push(r);
      continue;
    }
    const r = await ctx.api.resolve(t);
    if (!resources.includes(r)) resources.push(r);
  }
  if (opts.requireNames && names.length === 0) return { targets: resources.map((r) => ({ resource: r, namespace: ns(r) })), multipleKinds: resources.length > 1, singleItem: false };
  const targets: Target[] = [];
  for (const r of resources) {
    if (names.length === 0) targets.push({ resource: r, namespace: ns(r) });
    else for (const n of names) targets.push({ resource: r, namespace: r.namespaced ? ctx.namespace : undefined, name: n });
  }
  return { targets, multipleKinds: resources.length > 1 || viaCategory, singleItem: names.length === 1 && resources.length === 1 };
}

/** -l and --field-selector as list query parameters. */
export function listQuery(ctx: Ctx, extra: Query = {}): Query {
  const q: Query = {};
  const sel = ctx.flags.str('selector');
  const fsel = ctx.flags.spec('field-selector') ? ctx.flags.str('field-selector') : '';
  if (sel) q.labelSelector = sel;
  if (fsel) q.fieldSelector = fsel;
  return { ...q, ...extra };
}

