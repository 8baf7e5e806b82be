/**
 * `kubectl get -w`: print the list (unless --watch-only), then stream Table watch events from the list's
 * resourceVersion. On one named object kubectl GETs it, then watches `metadata.name=X` from resourceVersion 0 and
 * drops the first event (it is the object already printed). The server closing the stream ends with exit 0.
 */
import { KubectlError, TABLE_ACCEPT, resourcePath } from './api.ts';
import type { Ctx } from './context.ts';
import { listQuery, type TargetSet } from './targets.ts';
import { WatchPrinter } from '../printers/text/watch.ts';
import type { Table } from '../printers/table/types.ts';
import type { Query } from './client.ts';

/** Splits a chunked body into the JSON lines of watch events. */
export async function* watchEvents(chunks: AsyncIterable<string>): AsyncGenerator<{ type: string; object: unknown }> {
  let buf = '';
  for await (const c of chunks) {
    buf += c;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) yield JSON.parse(line) as { type: string; object: unknown };
    }
  }
  if (buf.trim()) yield JSON.parse(buf) as { type: string; object: unknown };
}

export async function watchTargets(ctx: Ctx, set: TargetSet): Promise<number> {
  const kinds = new Set(set.targets.map((t) => t.resource));
  if (kinds.size !== 1 || (set.targets.length > 1 && set.targets.some((t) => t.name !== undefined))) {
    if (kinds.size > 1) throw new KubectlError('you may only specify a single resource type');
    throw new KubectlError('watch is only supported on individual resources and resource collections, but 2 resources were found');
  }
  const t = set.targets[0];
  const f = ctx.flags;
  const printer = new WatchPrinter(t.resource as never, {
    wide: f.str('output') === 'wide',
    noHeaders: f.bool('no-headers'),
    showLabels: f.bool('show-labels'),
    columnLabels: f.list('label-columns'),
    withNamespace: f.bool('all-namespaces') && t.resource.namespaced,
    withKind: f.bool('show-kind'),
    outputWatchEvents: f.bool('output-watch-events'),
  });
  const path = resourcePath(t.resource, t.namespace, t.name);
  const first = await ctx.api.call<Table & { metadata?: { resourceVersion?: string } }>('GET', path, {
    query: t.name === undefined ? listQuery(ctx, { limit: '500' }) : undefined,
    accept: TABLE_ACCEPT,
    resource: t.resource,
    name: t.name,
  });
  if (!f.bool('watch-only')) {
    if (first.rows.length === 0 && t.name === undefined) {
      ctx.io.stderr(t.namespace ? `No resources found in ${t.namespace} namespace.\n` : 'No resources found\n');
    }
    ctx.io.stdout(printer.print(first));
  }
  const listPath = resourcePath(t.resource, t.namespace);
  const query: Query =
    t.name !== undefined
      ? { fieldSelector: `metadata.name=${t.name}`, resourceVersion: '0', watch: 'true' }
      : listQuery(ctx, { resourceVersion: first.metadata?.resourceVersion ?? '0', watch: 'true' });
  const stream = await ctx.api.client.stream({ method: 'GET', path: listPath, query, headers: { Accept: TABLE_ACCEPT }, signal: ctx.io.signal });
  const onAbort = () => stream.close();
  ctx.io.signal?.addEventListener('abort', onAbort);
  try {
    let skip = t.name !== undefined;
    for await (const ev of watchEvents(stream.chunks)) {
      if (skip) {
        skip = false;
        continue;
      }
      if (ev.type === 'ERROR') {
        const s = ev.object as { message?: string };
        throw new KubectlError(s.message ?? 'watch error');
      }
      if (ev.type === 'BOOKMARK') continue;
      ctx.io.stdout(printer.print(ev.object as Table, ev.type));
    }
  } finally {
    ctx.io.signal?.removeEventListener('abort', onAbort);
  }
  return 0;
}
