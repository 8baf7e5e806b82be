/** The serve-mode access token: compared in constant time, carried by `?token=` once and then by a cookie. */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function tokensEqual(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string' || expected.length === 0) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Cookies are not scoped by port, so the name carries it: two `kubelab serve`s on one host keep their own. */
export function cookieName(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  const port = /:(\d+)$/.exec(host)?.[1] ?? 'default';
  return `kubelab_token_${port}`;
}

export function readCookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

export function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://localhost');
}

/** The token from `?token=` or the cookie; which one it came from matters only to the page handler. */
export function presentedToken(req: IncomingMessage): string | null {
  return requestUrl(req).searchParams.get('token') ?? readCookie(req, cookieName(req));
}

/** A browser page on another origin must not reach us, even with a cookie (cross-site WebSocket hijacking). */
export function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true; // not a browser (tests, tools with the token)
  const host = req.headers.host;
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}
