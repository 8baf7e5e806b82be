/**
 * Serves the built renderer (dist/renderer) in serve mode, behind the token: `/?token=T` sets a port-scoped,
 * HttpOnly, SameSite=Strict cookie and redirects to the same path without the token, so it does not linger in the
 * address bar or history; later requests need the cookie. Every response carries the strict CSP.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { CONTENT_TYPES, RENDERER_SECURITY_HEADERS } from './csp.ts';
import { cookieName, readCookie, requestUrl, tokensEqual } from './token.ts';
import { hostAllowed, hostRefusal } from '../../apiserver/host-header.ts';

export interface ServeRendererOptions {
  distDir: string;
  token: string;
}

const UNAUTHORIZED_PAGE =
  '<!doctype html><meta charset="utf-8"><title>kubelab</title>' +
  '<p>Open the URL that <code>kubelab serve</code> printed (it ends with <code>?token=…</code>).</p>';

function send(res: ServerResponse, status: number, body: string, type = 'text/html; charset=utf-8'): void {
  res.writeHead(status, { ...RENDERER_SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

async function fileIfExists(path: string): Promise<number | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : null;
  } catch {
    return null;
  }
}

/** Answers every request it is given: the host routes here whatever is not its API server's or `/ui/ws`. */
export async function serveRenderer(req: IncomingMessage, res: ServerResponse, options: ServeRendererOptions): Promise<void> {
  if (!hostAllowed(req)) return send(res, 403, `${hostRefusal(req)}\n`, 'text/plain; charset=utf-8');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'Method Not Allowed', 'text/plain; charset=utf-8');
  }
  const url = requestUrl(req);
  const name = cookieName(req);
  const queryToken = url.searchParams.get('token');
  if (queryToken !== null) {
    if (!tokensEqual(queryToken, options.token)) return send(res, 401, UNAUTHORIZED_PAGE);
    url.searchParams.delete('token');
    res.writeHead(302, {
      ...RENDERER_SECURITY_HEADERS,
      'Set-Cookie': `${name}=${encodeURIComponent(options.token)}; Path=/; HttpOnly; SameSite=Strict`,
      Location: url.pathname + url.search,
      'Cache-Control': 'no-store',
    });
    res.end();
    return;
  }
  if (!tokensEqual(readCookie(req, name), options.token)) return send(res, 401, UNAUTHORIZED_PAGE);

  const root = resolve(options.distDir);
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return send(res, 400, 'Bad Request', 'text/plain; charset=utf-8');
  }
  let file = resolve(join(root, pathname === '/' ? 'index.html' : pathname));
  if (file !== root && !file.startsWith(root + sep)) return send(res, 404, 'Not Found', 'text/plain; charset=utf-8');
  let size = await fileIfExists(file);
  if (size === null && extname(pathname) === '') {
    file = join(root, 'index.html'); // client-side routes
    size = await fileIfExists(file);
  }
  if (size === null) return send(res, 404, 'Not Found', 'text/plain; charset=utf-8');

  const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
  const immutable = file.includes(`${sep}assets${sep}`); // Vite's hashed file names
  res.writeHead(200, {
    ...RENDERER_SECURITY_HEADERS,
    'Content-Type': type,
    'Content-Length': String(size),
    'Cache-Control': immutable ? 'private, max-age=31536000, immutable' : 'no-store',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}
