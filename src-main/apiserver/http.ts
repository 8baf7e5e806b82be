/** Small HTTP helpers: JSON and Status responses, request bodies, query parameters. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError, errors, type Status } from '../api/errors.ts';
import { goQuote } from '../api/go-quote.ts';

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  // Encoded once: Content-Length and the write share the bytes (a 2 MB Table is one buffer, not two passes).
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': bytes.length, 'Cache-Control': 'no-cache, private' });
  res.end(bytes);
}

export function sendStatus(res: ServerResponse, status: Status): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, status.code, status);
}

export function sendError(res: ServerResponse, e: unknown): void {
  if (e instanceof StatusError) {
    // Go's server closes a connection whose request body was left unread.
    if (e.status.code === 413) res.shouldKeepAlive = false;
    return sendStatus(res, e.status);
  }
  const message = e instanceof Error ? e.message : String(e);
  sendStatus(res, errors.internal(message).status);
}

/** kube-apiserver's answer for a path no handler owns. */
export function sendNotFoundPath(res: ServerResponse): void {
  sendStatus(res, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server could not find the requested resource',
    reason: 'NotFound',
    details: {},
    code: 404,
  });
}

/** go-restful's answer for an unknown resource under a served group-version. */
export function sendPlain404(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end('404 page not found\n');
}

/** kube-apiserver's MaxRequestBodyBytes (3 MiB). */
export const MAX_BODY = 3 * 1024 * 1024;
/** After a 413, what is still being sent is read and dropped (so the client sees the answer) up to this much. */
const DRAIN_AFTER_LIMIT = 32 * 1024 * 1024;

/**
 * The body as limitedReadBody reads it: more than MAX_BODY bytes is a 413. The rest of an oversized body is drained
 * rather than reset, so that the client, still sending, reads the status (kubectl prints its message).
 */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (over) {
        if (size > MAX_BODY + DRAIN_AFTER_LIMIT) req.destroy();
        return;
      }
      if (size > MAX_BODY) {
        over = true;
        chunks.length = 0;
        const timer = setTimeout(() => req.destroy(), 10_000);
        timer.unref();
        req.once('end', () => clearTimeout(timer));
        reject(new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Request entity too large: limit is 3145728', reason: 'RequestEntityTooLarge', code: 413 }));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

export class Query {
  constructor(private readonly params: URLSearchParams) {}
  get(name: string): string | undefined {
    const v = this.params.get(name);
    return v === null ? undefined : v;
  }
  all(name: string): string[] {
    return this.params.getAll(name);
  }
  bool(name: string): boolean {
    const v = this.params.get(name);
    return v !== null && v !== 'false' && v !== '0';
  }
  int(name: string): number | undefined {
    const raw = this.params.get(name);
    const v = raw?.trim();
    if (v === undefined || v === '') return undefined;
    // Convert_Slice_string_To_int64: strconv.ParseInt's error, as a 400.
    if (!/^[+-]?\d+$/.test(v)) throw errors.badRequest(`strconv.ParseInt: parsing ${goQuote(v)}: invalid syntax`);
    const n = BigInt(v);
    if (n > 9223372036854775807n || n < -9223372036854775808n) throw errors.badRequest(`strconv.ParseInt: parsing ${goQuote(v)}: value out of range`);
    return Number(n);
  }
}

/** net.NewWarningHeader: code 299, agent "-", the text quoted with only `"` and `\` escaped. */
export function warningHeader(text: string): string {
  return `299 - "${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

const TRUNCATE_AT_TOTAL_RUNES = 4 * 1024;
const TRUNCATE_ITEM_RUNES = 256;
/** unicode.IsControl: C0, DEL and C1. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * The Warning header values kube-apiserver's warning recorder writes for these texts: duplicates and texts with
 * control characters dropped, every text cut to 256 runes once the total passes 4096. Returned as Node sends
 * header bytes (latin1 code units), so that UTF-8 text reaches the wire as the bytes Go writes.
 */
export function warningHeaders(texts: string[]): string[] {
  const seen = new Set<string>();
  const ordered: string[] = [];
  let out: string[] = [];
  let written = 0;
  let truncating = false;
  const cut = (t: string) => [...t].slice(0, TRUNCATE_ITEM_RUNES).join('');
  for (const t of texts) {
    // recorder.AddWarning, step by step.
    if (!t) continue;
    if (written >= TRUNCATE_AT_TOTAL_RUNES && truncating) break;
    if (seen.has(t)) continue;
    seen.add(t);
    ordered.push(t);
    const text = truncating ? cut(t) : t;
    if (!validText(text)) continue;
    const n = [...text].length;
    if (written + n <= TRUNCATE_AT_TOTAL_RUNES || truncating) {
      written += n;
      out.push(text);
      continue;
    }
    truncating = true;
    written = 0;
    out = [];
    for (const w of ordered) {
      const c = cut(w);
      if (!validText(c)) continue;
      written += [...c].length;
      out.push(c);
    }
  }
  return out.map((t) => Buffer.from(warningHeader(t), 'utf8').toString('latin1'));
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** NewWarningHeader refuses text that is not valid UTF-8 or holds control characters. */
const validText = (t: string) => !CONTROL.test(t) && !LONE_SURROGATE.test(t);

/** Go net/http's answer to a request target it cannot parse (a bad percent escape), before any handler runs. */
export function sendGoBadRequest(res: ServerResponse): void {
  res.shouldKeepAlive = false;
  res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
  res.end('400 Bad Request');
}
