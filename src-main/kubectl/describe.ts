/**
 * `kubectl describe`: fetch the object and what its describer needs (events by involvedObject, replica sets by
 * selector, endpoint slices by service name, pods on a node, the node's lease), then the shared describe printers.
 * A name that is not found falls back to objects whose names start with it, as kubectl does.
 */
import type { ConfigMap, Endpoints, Event, Namespace, Node, Pod, Service } from 'kubernetes-types/core/v1';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import { KubectlError, ServerError, resourcePath, type ApiResource } from './api.ts';
import type { Ctx } from './context.ts';
import { listQuery, resolveTargets } from './targets.ts';
import {
  describeConfigMap, describeDeployment, describeEndpointSlice, describeEndpoints, describeGeneric, describeNamespace,
  describeNode, describePod, describeReplicaSet, describeService,
} from '../printers/describe/index.ts';
import type { KubeObject } from '../api/types.ts';
import { selectorString } from '../printers/labels.ts';

type Obj = Record<string, unknown> & { metadata?: { name?: string; namespace?: string; uid?: string } };

async function listItems<T>(ctx: Ctx, r: ApiResource | undefined, ns: string | undefined, query: Record<string, string>): Promise<T[]> {
  if (!r) return [];
  const list = await ctx.api.call<{ items?: T[] }>('GET', resourcePath(r, ns), { query, resource: r });
  return list.items ?? [];
}

async function eventsFor(ctx: Ctx, o: Obj, kind: string): Promise<Event[] | undefined> {
  if (!ctx.flags.bool('show-events')) return undefined;
  const r = await ctx.api.resolve('events');
  const m = o.metadata ?? {};
  const sel = [`involvedObject.kind=${kind}`, `involvedObject.uid=${m.uid ?? ''}`, `involvedObject.name=${m.name ?? ''}`];
  if (m.namespace) sel.push(`involvedObject.namespace=${m.namespace}`);
  return listItems<Event>(ctx, r, m.namespace, { fieldSelector: sel.join(','), limit: '500' });
}

async function maybe(ctx: Ctx, typed: string): Promise<ApiResource | undefined> {
  try {
    return await ctx.api.resolve(typed);
  } catch {
    return undefined;
  }
}

async function describeOne(ctx: Ctx, r: ApiResource, o: Obj, now: number): Promise<string> {
  const ns = o.metadata?.namespace;
  const events = await eventsFor(ctx, o, r.kind);
  switch (`${r.group}/${r.kind}`) {
    case '/Pod':
      return describePod(o as Pod, events, now);
    case '/Service': {
      const slices = await listItems<EndpointSlice>(ctx, await maybe(ctx, 'endpointslices.discovery.k8s.io'), ns, { labelSelector: `kubernetes.io/service-name=${o.metadata?.name}` });
      return describeService(o as Service, slices, events, now);
    }
    case 'apps/Deployment': {
      const sel = selectorString((o as Deployment).spec?.selector) ?? '';
      const rss = await listItems<ReplicaSet>(ctx, await maybe(ctx, 'replicasets.apps'), ns, { labelSelector: sel, limit: '500' });
      return describeDeployment(o as Deployment, rss, events, now);
    }
    case 'apps/ReplicaSet': {
      const sel = selectorString((o as ReplicaSet).spec?.selector) ?? '';
      const pods = await listItems<Pod>(ctx, await maybe(ctx, 'pods'), ns, { labelSelector: sel });
      return describeReplicaSet(o as ReplicaSet, pods, events, now);
    }
    case '/Node': {
      const pods = await listItems<Pod>(ctx, await maybe(ctx, 'pods'), undefined, { fieldSelector: `spec.nodeName=${o.metadata?.name},status.phase!=Succeeded,status.phase!=Failed` });
      let lease: Lease | undefined;
      const lr = await maybe(ctx, 'leases.coordination.k8s.io');
      if (lr) {
        try {
          lease = await ctx.api.call<Lease>('GET', resourcePath(lr, 'kube-node-lease', o.metadata?.name));
        } catch {
          lease = undefined;
        }
      }
      return describeNode(o as Node, pods, events, lease, now);
    }
    case '/Namespace':
      return describeNamespace(o as Namespace);
    case '/Endpoints':
      return describeEndpoints(o as Endpoints, events, now);
    case 'discovery.k8s.io/EndpointSlice':
      return describeEndpointSlice(o as unknown as EndpointSlice, events, now);
    case '/ConfigMap':
      return describeConfigMap(o as ConfigMap, events, now);
  }
  return describeGeneric(o as KubeObject, events, now);
}

export async function runDescribe(ctx: Ctx): Promise<number> {
  if (ctx.args.length === 0 && ctx.flags.list('filename').length === 0) {
    throw new KubectlError('You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.');
  }
  const set = await resolveTargets(ctx, ctx.args, { allNamespaces: ctx.flags.bool('all-namespaces') });
  const found: { r: ApiResource; o: Obj }[] = [];
  const errors: unknown[] = [];
  for (const t of set.targets) {
    const path = resourcePath(t.resource, t.namespace, t.name);
    if (t.name === undefined) {
      const list = await ctx.api.call<{ items?: Obj[] }>('GET', path, { query: listQuery(ctx, { limit: '500' }), resource: t.resource });
      for (const o of list.items ?? []) found.push({ r: t.resource, o });
      continue;
    }
    try {
      found.push({ r: t.resource, o: await ctx.api.call<Obj>('GET', path, { resource: t.resource, name: t.name }) });
    } catch (e) {
      if (!(e instanceof ServerError && e.status.code === 404)) throw e;
      const list = await ctx.api.call<{ items?: Obj[] }>('GET', resourcePath(t.resource, t.namespace), { resource: t.resource });
      const prefixed = (list.items ?? []).filter((o) => o.metadata?.name?.startsWith(t.name!));
      if (prefixed.length === 0) errors.push(e);
      for (const o of prefixed) found.push({ r: t.resource, o });
    }
  }
  const now = ctx.io.now?.() ?? Date.now();
  let first = true;
  for (const { r, o } of found) {
    const text = await describeOne(ctx, r, o, now);
    ctx.io.stdout(first ? text : `\n\n${text}`);
    first = false;
  }
  if (found.length === 0 && errors.length === 0 && set.targets.every((t) => t.name === undefined)) {
    const t = set.targets[0];
    ctx.io.stderr(t?.namespace ? `No resources found in ${t.namespace} namespace.\n` : 'No resources found\n');
  }
  if (errors.length) throw errors.length === 1 ? errors[0] : new AggregateError(errors);
  return 0;
}
