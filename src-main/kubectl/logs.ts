/** `kubectl logs`: pods/log with container, tailLines, previous, follow (streamed). TYPE/NAME picks a pod. */
import { KubectlError, errorFromResponse, resourcePath } from './api.ts';
import type { Ctx } from './context.ts';
import type { Query } from './client.ts';

type Pod = { metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; spec?: { containers?: { name: string }[] }; status?: { phase?: string } };

const USAGE = `error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n`;

export async function findPod(ctx: Ctx, arg: string): Promise<Pod> {
  const pods = await ctx.api.resolve('pods');
  if (!arg.includes('/')) return ctx.api.call<Pod>('GET', resourcePath(pods, ctx.namespace, arg), { resource: pods, name: arg });
  const [typed, name] = arg.split('/');
  const r = await ctx.api.resolve(typed);
  if (r === pods) return ctx.api.call<Pod>('GET', resourcePath(pods, ctx.namespace, name), { resource: pods, name });
  const o = await ctx.api.call<{ spec?: { selector?: { matchLabels?: Record<string, string> } | Record<string, string> } }>('GET', resourcePath(r, ctx.namespace, name), { resource: r, name });
  const sel = (o.spec?.selector as { matchLabels?: Record<string, string> })?.matchLabels ?? (o.spec?.selector as Record<string, string>);
  const list = await ctx.api.call<{ items?: Pod[] }>('GET', resourcePath(pods, ctx.namespace), { query: { labelSelector: Object.entries(sel ?? {}).map(([k, v]) => `${k}=${v}`).join(',') }, resource: pods });
  const pod = (list.items ?? []).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))[0];
  if (!pod) throw new KubectlError(`timed out waiting for the condition`);
  return pod;
}

export function pickContainer(ctx: Ctx, pod: Pod, flag: string): string {
  const containers = pod.spec?.containers ?? [];
  if (flag) return flag;
  const def = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (def) return def;
  if (containers.length > 1) ctx.io.stderr(`Defaulted container "${containers[0].name}" out of: ${containers.map((c) => c.name).join(', ')}\n`);
  return containers[0]?.name ?? '';
}

export async function runLogs(ctx: Ctx): Promise<number> {
  if (ctx.args.length === 0) throw new KubectlError(USAGE, 1, true);
  const pod = await findPod(ctx, ctx.args[0]);
  const container = pickContainer(ctx, pod, ctx.flags.str('container') || ctx.args[1] || '');
  const f = ctx.flags;
  const query: Query = { container };
  if (f.bool('follow')) query.follow = 'true';
  if (f.bool('previous')) query.previous = 'true';
  if (f.int('tail') >= 0 && f.has('tail')) query.tailLines = String(f.int('tail'));
  if (f.bool('timestamps')) query.timestamps = 'true';
  const path = resourcePath(await ctx.api.resolve('pods'), pod.metadata.namespace ?? ctx.namespace, pod.metadata.name, 'log');
  const pods = await ctx.api.resolve('pods');
  if (!f.bool('follow')) {
    const res = await ctx.api.send({ method: 'GET', path, query, headers: { Accept: 'application/json, */*' } });
    if (res.status >= 300) throw errorFromResponse(res, 'GET', pods, pod.metadata.name);
    ctx.io.stdout(res.body);
    return 0;
  }
  const stream = await ctx.api.client.stream({ method: 'GET', path, query, headers: { Accept: 'application/json, */*' }, signal: ctx.io.signal });
  if (stream.status >= 300) {
    let body = '';
    for await (const c of stream.chunks) body += c;
    throw errorFromResponse({ status: stream.status, headers: stream.headers, body }, 'GET', pods, pod.metadata.name);
  }
  const onAbort = () => stream.close();
  ctx.io.signal?.addEventListener('abort', onAbort);
  try {
    for await (const c of stream.chunks) ctx.io.stdout(c);
  } finally {
    ctx.io.signal?.removeEventListener('abort', onAbort);
  }
  return 0;
}
