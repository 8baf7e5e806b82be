/** `scale`, `label`, `annotate`, `set image`, `cordon`/`uncordon`: GET the object, PATCH it as kubectl does. */
import { KubectlError, kindPrefix, resourcePath, type ApiResource } from './api.ts';
import type { Ctx } from './context.ts';
import { resolveTargets } from './targets.ts';
import { goJSON } from './apply/three-way.ts';

type Obj = Record<string, unknown> & { metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown> };

interface Found {
  r: ApiResource;
  ns: string | undefined;
  o: Obj;
}

export async function namedObjects(ctx: Ctx, args: string[], what: string): Promise<Found[]> {
  const set = await resolveTargets(ctx, args, { allNamespaces: ctx.flags.spec('all-namespaces') ? ctx.flags.bool('all-namespaces') : false });
  if (set.targets.length === 0) throw new KubectlError(`You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'`);
  const out: Found[] = [];
  for (const t of set.targets) {
    if (t.name !== undefined) {
      out.push({ r: t.resource, ns: t.namespace, o: await ctx.api.call<Obj>('GET', resourcePath(t.resource, t.namespace, t.name), { resource: t.resource, name: t.name }) });
      continue;
    }
    const sel = ctx.flags.spec('selector') ? ctx.flags.str('selector') : '';
    const all = ctx.flags.spec('all') ? ctx.flags.bool('all') : false;
    if (!sel && !all) throw new KubectlError(`resource(s) were provided, but no name was specified`);
    const list = await ctx.api.call<{ items?: Obj[] }>('GET', resourcePath(t.resource, t.namespace), { query: sel ? { labelSelector: sel } : {}, resource: t.resource });
    for (const o of list.items ?? []) out.push({ r: t.resource, ns: o.metadata?.namespace, o });
  }
  void what;
  return out;
}

async function patch(ctx: Ctx, f: Found, body: unknown, type: 'merge' | 'strategic', manager: string): Promise<Obj> {
  const contentType = type === 'merge' ? 'application/merge-patch+json' : 'application/strategic-merge-patch+json';
  return ctx.api.call<Obj>('PATCH', resourcePath(f.r, f.ns, f.o.metadata?.name), { query: { fieldManager: manager }, body: goJSON(body), contentType, resource: f.r, name: f.o.metadata?.name });
}

export async function runScale(ctx: Ctx): Promise<number> {
  if (!ctx.flags.has('replicas')) throw new KubectlError('required flag(s) "replicas" not set');
  const replicas = ctx.flags.int('replicas');
  if (replicas < 0) throw new KubectlError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  for (const f of await namedObjects(ctx, ctx.args, 'scale')) {
    if (!f.r.subresources.includes('scale')) throw new KubectlError(`cannot scale ${f.r.kind}`);
    await ctx.api.call('PATCH', resourcePath(f.r, f.ns, f.o.metadata?.name, 'scale'), { body: goJSON({ spec: { replicas } }), contentType: 'application/merge-patch+json', resource: f.r, name: f.o.metadata?.name });
    ctx.io.stdout(`${kindPrefix(f.r)}/${f.o.metadata?.name} scaled\n`);
  }
  return 0;
}

/** `key=value` and `key-` arguments after the resource arguments. */
function splitPairs(args: string[]): { resources: string[]; set: Record<string, string>; remove: string[] } {
  const resources: string[] = [];
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const a of args) {
    if (a.includes('=')) set[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
    else if (a.endsWith('-') && resources.length > 0) remove.push(a.slice(0, -1));
    else resources.push(a);
  }
  return { resources, set, remove };
}

function labelOrAnnotate(field: 'labels' | 'annotations', verb: string) {
  return async (ctx: Ctx): Promise<number> => {
    const { resources, set, remove } = splitPairs(ctx.args);
    const noun = field === 'labels' ? 'label' : 'annotation';
    if (Object.keys(set).length === 0 && remove.length === 0 && !ctx.flags.bool('list')) throw new KubectlError(`at least one ${noun} update is required`);
    for (const f of await namedObjects(ctx, resources, verb)) {
      const current = { ...((f.o.metadata?.[field] as Record<string, string>) ?? {}) };
      const change: Record<string, string | null> = {};
      for (const [k, v] of Object.entries(set)) {
        if (k in current && current[k] !== v && !ctx.flags.bool('overwrite')) throw new KubectlError(`'${k}' already has a value (${current[k]}), and --overwrite is false`);
        if (current[k] !== v) change[k] = v;
      }
      for (const k of remove) if (k in current) change[k] = null;
      const name = `${kindPrefix(f.r)}/${f.o.metadata?.name}`;
      if (Object.keys(change).length === 0) {
        ctx.io.stdout(`${name} not ${verb}\n`);
        continue;
      }
      const body: Record<string, unknown> = { metadata: { [field]: change } };
      await patch(ctx, f, body, 'merge', `kubectl-${noun === 'label' ? 'label' : 'annotate'}`);
      ctx.io.stdout(`${name} ${verb}\n`);
    }
    return 0;
  };
}
export const runLabel = labelOrAnnotate('labels', 'labeled');
export const runAnnotate = labelOrAnnotate('annotations', 'annotated');

export async function runSetImage(ctx: Ctx): Promise<number> {
  const pairs = ctx.args.filter((a) => a.includes('='));
  const resources = ctx.args.filter((a) => !a.includes('='));
  if (pairs.length === 0) throw new KubectlError('at least one image update is required');
  for (const f of await namedObjects(ctx, resources, 'image')) {
    const podSpec = (f.r.kind === 'Pod' ? f.o.spec : (f.o.spec?.template as { spec?: Record<string, unknown> })?.spec) as { containers?: { name: string; image?: string }[]; initContainers?: { name: string }[] };
    const containers: Obj[] = [];
    for (const p of pairs) {
      const [cname, image] = [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)];
      const targets = cname === '*' ? (podSpec?.containers ?? []).map((c) => c.name) : [cname];
      for (const n of targets) {
        if (!(podSpec?.containers ?? []).some((c) => c.name === n)) throw new KubectlError(`unable to find container named "${n}"`);
        containers.push({ image, name: n } as Obj);
      }
    }
    const specPatch = { containers };
    const body = f.r.kind === 'Pod' ? { spec: specPatch } : { spec: { template: { spec: specPatch } } };
    await patch(ctx, f, body, 'strategic', 'kubectl-set');
    ctx.io.stdout(`${kindPrefix(f.r)}/${f.o.metadata?.name} image updated\n`);
  }
  return 0;
}

function cordon(unschedulable: boolean) {
  return async (ctx: Ctx): Promise<number> => {
    const r = await ctx.api.resolve('nodes');
    for (const name of ctx.args) {
      const node = await ctx.api.call<Obj>('GET', resourcePath(r, undefined, name), { resource: r, name });
      const prefix = `node/${name}`;
      if (!!node.spec?.unschedulable === unschedulable) {
        ctx.io.stdout(`${prefix} already ${unschedulable ? 'cordoned' : 'uncordoned'}\n`);
        continue;
      }
      await patch(ctx, { r, ns: undefined, o: node }, { spec: { unschedulable: unschedulable ? true : null } }, 'strategic', 'kubectl-cordon');
      ctx.io.stdout(`${prefix} ${unschedulable ? 'cordoned' : 'uncordoned'}\n`);
    }
    return 0;
  };
}
export const runCordon = cordon(true);
export const runUncordon = cordon(false);
export { patch as patchObject };
