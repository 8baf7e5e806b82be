/**
 * `kubectl delete`: DELETE with `{"propagationPolicy":"Background"}` (or the --cascade policy), print
 * `pod "x" deleted`, then wait until each object is gone (GET answering 404), as --wait=true does.
 */
import { KubectlError, ServerError, kindPrefix, qualified, resourcePath, type ApiResource } from './api.ts';
import type { Ctx } from './context.ts';
import { listQuery, resolveTargets } from './targets.ts';

const NOTHING = `You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'`;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

export async function runDelete(ctx: Ctx): Promise<number> {
  const f = ctx.flags;
  if (ctx.args.length === 0 && f.list('filename').length === 0) throw new KubectlError(NOTHING);
  const set = await resolveTargets(ctx, ctx.args, { allNamespaces: f.bool('all-namespaces') });
  const victims: { r: ApiResource; ns: string | undefined; name: string }[] = [];
  const errors: unknown[] = [];
  for (const t of set.targets) {
    if (t.name !== undefined) {
      victims.push({ r: t.resource, ns: t.namespace, name: t.name });
      continue;
    }
    if (!f.str('selector') && !f.bool('all') && !f.str('field-selector')) throw new KubectlError(`resource(s) were provided, but no name was specified`);
    const list = await ctx.api.call<{ items?: { metadata: { name: string; namespace?: string } }[] }>('GET', resourcePath(t.resource, t.namespace), { query: listQuery(ctx), resource: t.resource });
    for (const o of list.items ?? []) victims.push({ r: t.resource, ns: o.metadata.namespace, name: o.metadata.name });
  }
  if (victims.length === 0 && errors.length === 0) {
    const ns = set.targets[0]?.namespace;
    ctx.io.stderr(ns ? `No resources found\n` : 'No resources found\n');
    return 0;
  }
  const cascade = f.str('cascade');
  const policy = cascade === 'orphan' ? 'Orphan' : cascade === 'foreground' ? 'Foreground' : 'Background';
  const body: Record<string, unknown> = { propagationPolicy: policy };
  if (f.int('grace-period') >= 0 && f.has('grace-period')) body.gracePeriodSeconds = f.int('grace-period');
  if (f.bool('now')) body.gracePeriodSeconds = 1;
  if (f.bool('force')) body.gracePeriodSeconds = 0;
  const deleted: typeof victims = [];
  for (const v of victims) {
    try {
      await ctx.api.call('DELETE', resourcePath(v.r, v.ns, v.name), { body, resource: v.r, name: v.name });
      ctx.io.stdout(f.str('output') === 'name' ? `${kindPrefix(v.r)}/${v.name}\n` : `${kindPrefix(v.r)} "${v.name}" deleted\n`);
      deleted.push(v);
    } catch (e) {
      if (f.bool('ignore-not-found') && e instanceof ServerError && e.status.code === 404) continue;
      errors.push(e);
    }
  }
  if (f.bool('wait') && f.str('wait') !== 'false') {
    const timeout = f.duration('timeout') || 0;
    const started = Date.now();
    for (const v of deleted) {
      for (;;) {
        const res = await ctx.api.send({ method: 'GET', path: resourcePath(v.r, v.ns, v.name), headers: { Accept: 'application/json' } });
        if (res.status === 404 || ctx.io.signal?.aborted) break;
        if (timeout > 0 && Date.now() - started > timeout) {
          throw new KubectlError(`timed out waiting for the condition on ${qualified(v.r)}/${v.name}`);
        }
        await sleep(250, ctx.io.signal);
      }
    }
  }
  if (errors.length) throw errors.length === 1 ? errors[0] : new AggregateError(errors);
  return 0;
}
