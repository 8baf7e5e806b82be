/**
 * A write is acknowledged only once it is on disk: a changing request's response is held back until the journal's
 * fdatasync covering it has finished (etcd answers after its WAL fsync the same way). Node sends a response's
 * status and headers with its first body bytes, so holding `end` holds all of it. Should the disk fail, the
 * connection is dropped without an answer: the client must not believe the write was kept.
 */
import type { ServerResponse } from 'node:http';

export function holdUntilDurable(res: ServerResponse, durable: () => Promise<void>): void {
  const end = res.end;
  const held = (...args: unknown[]): ServerResponse => {
    res.end = end;
    durable().then(
      () => (end as (...a: unknown[]) => ServerResponse).apply(res, args),
      () => res.destroy(),
    );
    return res;
  };
  res.end = held as unknown as ServerResponse['end'];
}
