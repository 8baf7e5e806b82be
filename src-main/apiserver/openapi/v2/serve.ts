/**
 * GET /openapi/v2 as kube-openapi's handler answers it: the first Accept clause (by q, then specificity) that matches
 * JSON or the gnostic protobuf picks the body (the deprecated `…spec.v2@v1.0+protobuf` is answered with the
 * `…spec.v2.v1.0+protobuf` Content-Type), 406 when none does. Go's http.ServeContent adds ETag/Last-Modified
 * revalidation (304, which kubectl's disk cache relies on), and the gzip wrapper compresses bodies of 1400 bytes or
 * more for clients that accept gzip.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { swaggerDocument } from './document.ts';

const PROTOBUF = 'com.github.proto-openapi.spec.v2.v1.0+protobuf';
const PROTOBUF_DEPRECATED = 'com.github.proto-openapi.spec.v2@v1.0+protobuf';
const ACCEPTED = [
  { subtype: 'json', protobuf: false },
  { subtype: PROTOBUF_DEPRECATED, protobuf: true },
  { subtype: PROTOBUF, protobuf: true },
];
const GZIP_MIN_SIZE = 1400;

interface Clause {
  type: string;
  subtype: string;
  q: number;
}

/** goautoneg.ParseAccept: clauses ordered by q, then concrete types before wildcards. */
function parseAccept(header: string): Clause[] {
  const clauses = header
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [range, ...params] = part.split(';').map((s) => s.trim());
      let q = 1;
      for (const p of params) {
        const [k, v] = p.split('=').map((s) => s.trim());
        if (k === 'q') q = Number(v);
      }
      const [type, subtype = '*'] = range === '*' ? ['*', '*'] : range.split('/');
      return { type, subtype, q };
    });
  return clauses
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.q - a.c.q || Number(a.c.type === '*') - Number(b.c.type === '*') || Number(a.c.subtype === '*') - Number(b.c.subtype === '*') || a.i - b.i)
    .map(({ c }) => c);
}

function negotiate(accept: string | undefined): { protobuf: boolean; contentType: string } | undefined {
  for (const clause of parseAccept(accept || '*/*')) {
    for (const a of ACCEPTED) {
      if (clause.type !== 'application' && clause.type !== '*') continue;
      if (clause.subtype !== a.subtype && clause.subtype !== '*') continue;
      return { protobuf: a.protobuf, contentType: `application/${a.protobuf ? PROTOBUF : a.subtype}` };
    }
  }
  return undefined;
}

/** Go's checkIfNoneMatch (weak comparison) or, without If-None-Match, checkIfModifiedSince. */
function notModified(req: IncomingMessage, etag: string, lastModified: Date): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    return inm.split(',').some((t) => {
      const tag = t.trim().replace(/^W\//, '');
      return tag === '*' || tag === etag;
    });
  }
  const ims = req.headers['if-modified-since'];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && lastModified.getTime() <= since;
}

const gzipped = new WeakMap<Buffer, Buffer>();

export function serveOpenApiV2(req: IncomingMessage, res: ServerResponse): void {
  const doc = swaggerDocument();
  res.setHeader('Vary', ['Accept-Encoding', 'Accept']);
  res.setHeader('Cache-Control', 'no-cache, private');
  const choice = negotiate(req.headers.accept);
  if (!choice) {
    res.writeHead(406, { 'Content-Length': 0 });
    res.end();
    return;
  }
  const etag = `"${doc.etag}"`;
  res.setHeader('Etag', etag);
  if (notModified(req, etag, doc.lastModified)) {
    res.writeHead(304);
    res.end();
    return;
  }
  let body = choice.protobuf ? doc.protobuf : doc.json;
  const headers: Record<string, string | number> = { 'Content-Type': choice.contentType, 'Last-Modified': doc.lastModified.toUTCString() };
  if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && body.length >= GZIP_MIN_SIZE) {
    let gz = gzipped.get(body);
    if (!gz) gzipped.set(body, (gz = gzipSync(body)));
    body = gz;
    headers['Content-Encoding'] = 'gzip';
  }
  headers['Content-Length'] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}
