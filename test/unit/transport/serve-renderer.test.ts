import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { serveRenderer } from '../../../src-main/host/transport/serve-renderer.ts';

const TOKEN = 'tok-abc';
let server: Server;
let base: string;
let port: string;

before(async () => {
  const dist = mkdtempSync(join(tmpdir(), 'kubelab-renderer-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>kubelab</title>');
  writeFileSync(join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(dist, '..', 'secret.txt'), 'outside');
  server = createServer((req, res) => void serveRenderer(req, res, { distDir: dist, token: TOKEN }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = String((server.address() as AddressInfo).port);
  base = `http://127.0.0.1:${port}`;
});

after(() => new Promise((resolve) => server.close(resolve)));

const get = (path: string, cookie?: string) =>
  fetch(`${base}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });

test('without the token: 401, with the strict CSP', async () => {
  const res = await get('/');
  assert.equal(res.status, 401);
  assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  assert.equal((await get('/?token=nope')).status, 401);
  assert.equal((await get('/', `kubelab_token_${port}=nope`)).status, 401);
});

test('?token= sets an HttpOnly SameSite=Strict cookie and redirects to the clean URL', async () => {
  const res = await get(`/?token=${TOKEN}&lang=ko`);
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), '/?lang=ko');
  const cookie = res.headers.get('set-cookie') ?? '';
  assert.match(cookie, new RegExp(`^kubelab_token_${port}=${TOKEN};`));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
});

test('with the cookie: the page, assets with their types, no escape from the dist dir', async () => {
  const cookie = `other=1; kubelab_token_${port}=${TOKEN}`;
  const page = await get('/', cookie);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  assert.equal(page.headers.get('x-frame-options'), 'DENY');
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  assert.match(await page.text(), /<title>kubelab/);
  const script = await get('/assets/index-abc.js', cookie);
  assert.match(script.headers.get('content-type') ?? '', /javascript/);
  assert.match(script.headers.get('cache-control') ?? '', /immutable/);
  assert.equal((await get('/assets/missing.js', cookie)).status, 404);
  assert.equal((await get('/%2e%2e/secret.txt', cookie)).status, 404);
  assert.equal((await get('/some/route', cookie)).status, 200); // client-side routes get the page
  const post = await fetch(`${base}/`, { method: 'POST', headers: { cookie } });
  assert.equal(post.status, 405);
});
