/** `kubectl get`: server-side Tables for human output, plain JSON for -o json|yaml|name|jsonpath|custom-columns. */
import { KubectlError, ServerError, TABLE_ACCEPT, resourcePath, type ApiResource } from './api.ts';
import type { Ctx } from './context.ts';
import { GET_FORMATS, isObjectFormat, printObjects, type PrintedObject } from './output.ts';
import { listQuery, resolveTargets, type Target } from './targets.ts';
import { printGet, type GetSection } from '../printers/text/human.ts';
import type { Table } from '../printers/table/types.ts';
import { jsonPathValues, relaxedJSONPathExpression } from '../printers/text/jsonpath.ts';
import { watchTargets } from './get-watch.ts';
import type { Query } from './client.ts';

const NO_TYPE = `You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n`;

type Continued = { metadata?: { continue?: string } };

/** Lists in chunks of 500 as kubectl does (--chunk-size), following `continue` until the server has sent everything. */
async function chunks<T extends Continued>(fetch: (cont: string | undefined) => Promise<T>): Promise<T[]> {
  const pages = [await fetch(undefined)];
  for (let cont = pages[0].metadata?.continue; cont; cont = pages[pages.length - 1].metadata?.continue) pages.push(await fetch(cont));
  return pages;
}

async function fetchTable(ctx: Ctx, t: Target, extraQuery: Query): Promise<Table> {
  const path = resourcePath(t.resource, t.namespace, t.name);
  if (t.name !== undefined) return ctx.api.call<Table>('GET', path, { query: extraQuery, accept: TABLE_ACCEPT, resource: t.resource, name: t.name });
  const limit = extraQuery.includeObject ? undefined : '500';
  const pages = await chunks((cont) =>
    ctx.api.call<Table & Continued>('GET', path, { query: listQuery(ctx, { ...extraQuery, limit, continue: cont }), accept: TABLE_ACCEPT, resource: t.resource }),
  );
  return { ...pages[0], rows: pages.flatMap((p) => p.rows ?? []) };
}

export async function fetchObjects(ctx: Ctx, t: Target): Promise<Record<string, unknown>[]> {
  const path = resourcePath(t.resource, t.namespace, t.name);
  if (t.name !== undefined) return [await ctx.api.call('GET', path, { resource: t.resource, name: t.name })];
  const pages = await chunks((cont) =>
    ctx.api.call<{ items?: Record<string, unknown>[] } & Continued>('GET', path, { query: listQuery(ctx, { limit: '500', continue: cont }), resource: t.resource }),
  );
  return pages.flatMap((p) => p.items ?? []);
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = a === undefined || a === null ? '' : typeof a === 'object' ? JSON.stringify(a) : String(a);
  const sb = b === undefined || b === null ? '' : typeof b === 'object' ? JSON.stringify(b) : String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** kubectl's TableSorter: rows ordered by the --sort-by JSONPath evaluated on each row's object. */
function sortTable(table: Table, sortBy: string): Table {
  const expr = relaxedJSONPathExpression(sortBy);
  const keyed = table.rows.map((row) => ({ row, key: jsonPathValues(expr, row.object)[0] }));
  keyed.sort((x, y) => compareValues(x.key, y.key));
  return { ...table, rows: keyed.map((k) => k.row) };
}

function notFound(e: unknown): boolean {
  return e instanceof ServerError && e.status.reason === 'NotFound' && e.status.code === 404;
}

export async function runGet(ctx: Ctx): Promise<number> {
  const f = ctx.flags;
  const output = f.str('output');
  const allNamespaces = f.bool('all-namespaces');
  if (ctx.args.length === 0 && f.list('filename').length === 0 && !f.str('raw')) throw new KubectlError(NO_TYPE, 1, true);
  if (f.str('raw')) {
    const res = await ctx.api.send({ method: 'GET', path: f.str('raw'), headers: { Accept: 'application/json, */*' } });
    if (res.status >= 300) throw new ServerError(JSON.parse(res.body));
    ctx.io.stdout(res.body);
    return 0;
  }
  if (output && output !== 'wide' && !isObjectFormat(output)) {
    throw new KubectlError(`unable to match a printer suitable for the output format "${output}", allowed formats are: ${GET_FORMATS}`);
  }
  const set = await resolveTargets(ctx, ctx.args, { allNamespaces });
  if (f.bool('watch') || f.bool('watch-only')) return watchTargets(ctx, set);
  const errors: unknown[] = [];
  const ignoreNotFound = f.bool('ignore-not-found');

  if (output && output !== 'wide') {
    const items: PrintedObject[] = [];
    for (const t of set.targets) {
      try {
        for (const object of await fetchObjects(ctx, t)) items.push({ resource: t.resource, object });
      } catch (e) {
        if (!(ignoreNotFound && notFound(e))) errors.push(e);
      }
    }
    if (items.length > 0 || set.singleItem === false || errors.length === 0) {
      if (!(set.singleItem && items.length === 0)) {
        ctx.io.stdout(printObjects(output, items, set.singleItem, { showManagedFields: f.bool('show-managed-fields'), noHeaders: f.bool('no-headers'), allowed: GET_FORMATS }));
      }
    }
    return finish(ctx, errors);
  }

  const sortBy = f.str('sort-by');
  const sections: GetSection[] = [];
  for (const t of set.targets) {
    try {
      let table = await fetchTable(ctx, t, sortBy ? { includeObject: 'Object' } : {});
      if (sortBy) table = sortTable(table, sortBy);
      const last = sections[sections.length - 1];
      // Several names of one kind print as one table.
      if (last && t.name !== undefined && last.resource === (t.resource as never)) last.table = { ...last.table, rows: [...last.table.rows, ...table.rows] };
      else sections.push({ resource: t.resource as never, table });
    } catch (e) {
      if (!(ignoreNotFound && notFound(e))) errors.push(e);
    }
  }
  const out = printGet(sections, {
    wide: output === 'wide',
    noHeaders: f.bool('no-headers'),
    showLabels: f.bool('show-labels'),
    columnLabels: f.list('label-columns'),
    allNamespaces,
    namespace: ctx.namespace,
    withKind: set.multipleKinds || f.bool('show-kind'),
    ignoreNotFound: ignoreNotFound || errors.length > 0 || set.targets.some((t) => t.name !== undefined),
  });
  ctx.io.stdout(out.stdout);
  ctx.io.stderr(out.stderr);
  return finish(ctx, errors);
}

export function finish(ctx: Ctx, errors: unknown[]): number {
  if (errors.length === 0) return 0;
  throw errors.length === 1 ? errors[0] : new AggregateError(errors);
}

export type { ApiResource };
