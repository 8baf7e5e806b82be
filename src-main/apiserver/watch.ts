/**
 * Watches over HTTP: status and headers flushed at once, then one JSON event per line on a chunked stream.
 * Objects become one-row Tables when the Table Accept was sent; BOOKMARKs on allowWatchBookmarks; 410 Gone is an
 * ERROR event; the stream ends after timeoutSeconds (cluster time).
 */
import { isStatusError } from '../api/errors.ts';
import { apiVersionOf } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import type { WatchEvent } from '../store/store.ts';
import type { ResourceRequest } from './context.ts';
import { tableContentType, tableOf, wantsTable } from './output.ts';
import { objectJson } from './serialize.ts';
import { parseFieldSelector, parseLabelSelector } from '../store/selectors.ts';

const BOOKMARK_EVERY_MS = 60_000;

export function watchObjects(rr: ResourceRequest): void {
  const { res, query, ctx } = rr;
  const table = wantsTable(rr);
  let fieldSelector = query.get('fieldSelector');
  // The list options decode (selectors, timeoutSeconds) before the stream starts: errors are a 400, not an event.
  parseLabelSelector(query.get('labelSelector'));
  parseFieldSelector(fieldSelector, rr.r.kind);
  const timeout = query.int('timeoutSeconds');
  if (rr.name) fieldSelector = [fieldSelector, `metadata.name=${rr.name.replace(/[\\,=]/g, (c) => `\\${c}`)}`].filter(Boolean).join(',');
  res.writeHead(200, { 'Content-Type': table ? tableContentType(table) : 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();

  let closed = false;
  let lastRv = query.get('resourceVersion') || ctx.registry.store.resourceVersion;
  const timers: number[] = [];
  const send = (ev: { type: string; object: unknown }) => {
    if (!closed) res.write(`${JSON.stringify(ev)}\n`);
  };
  /** A stored object's event line, its JSON shared by all watchers (the same bytes as send() would write). */
  const sendObject = (type: string, o: KubeObject) => {
    if (table) send({ type, object: tableOf(rr, [o], table) });
    else if (!closed) res.write(`{"type":${JSON.stringify(type)},"object":${objectJson(o)}}\n`);
  };

  let stop = () => {};
  const finish = () => {
    if (closed) return;
    closed = true;
    stop();
    for (const t of timers) ctx.clock.clearTimeout(t);
    res.end();
  };
  res.on('close', finish);

  try {
    const w = ctx.registry.watch(
      rr.r,
      { namespace: rr.namespace, labelSelector: query.get('labelSelector'), fieldSelector, resourceVersion: query.get('resourceVersion') },
      (ev: WatchEvent) => {
        lastRv = ev.object.metadata.resourceVersion ?? lastRv;
        if (ev.type === 'BOOKMARK') send({ type: ev.type, object: ev.object });
        else sendObject(ev.type, ev.object);
      },
    );
    stop = () => w.stop();
  } catch (e) {
    if (isStatusError(e)) {
      send({ type: 'ERROR', object: e.status });
      finish();
      return;
    }
    throw e;
  }

  if (query.bool('allowWatchBookmarks')) {
    timers.push(
      ctx.clock.setInterval(() => {
        send({ type: 'BOOKMARK', object: { kind: rr.r.kind, apiVersion: apiVersionOf(rr.r), metadata: { resourceVersion: lastRv } } });
      }, BOOKMARK_EVERY_MS),
    );
  }
  if (timeout !== undefined && timeout > 0) timers.push(ctx.clock.setTimeout(finish, timeout * 1000));
}
