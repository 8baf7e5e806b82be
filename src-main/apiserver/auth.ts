/** Bearer-token authentication: the only identity our API server knows is the holder of its token. */
import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';

export function authenticated(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!m) return false;
  const given = Buffer.from(m[1]);
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}
