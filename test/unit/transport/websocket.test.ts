import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import type { ClusterSnapshot } from '../../../src-main/contract/views.ts';
import { HostError } from '../../../src-main/contract/wire-client.ts';
import { attachWebSocket, type WebSocketTransport } from '../../../src-main/host/transport/websocket.ts';
import { connectWebSocket, type WebSocketLike, type WsHost } from '../../../src-renderer/lib/transport/ws-client.ts';
import { FakeService, until } from './fake-service.ts';

const TOKEN = 'secret-token-123';
let server: Server;
let service: FakeService;
let transport: WebSocketTransport;
let base: string;
const clients: WsHost[] = [];

before(async () => {
  service = new FakeService();
  server = createServer((_req, res) => res.end('plain http'));
  transport = attachWebSocket(server, service, { token: TOKEN, path: '/ui/ws', router: { orphanGraceMs: 50 } });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  for (const c of clients) c.close();
  await transport.close();
  await new Promise((resolve) => server.close(resolve));
});

function client(token = TOKEN): WsHost {
  const host = connectWebSocket({
    url: `${base}/ui/ws?token=${token}`,
    createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
    minDelayMs: 20,
    maxDelayMs: 50,
  });
  clients.push(host);
  return host;
}

const snapshot = (n: number) => ({ nodes: [], pods: [], services: [], clock: { now: n, speed: 1 } }) as unknown as ClusterSnapshot;

test('answers requests with the result, and failures as HostError with the Status reason', async () => {
  const c = client();
  assert.deepEqual(await c.api.request('node.add', { name: 'worker9' }), { name: 'worker9' });
  await assert.rejects(c.api.request('node.add', { name: 'bad' }), (error: unknown) => {
    assert.ok(error instanceof HostError);
    assert.equal(error.message, 'nodes "bad" already exists');
    assert.equal(error.code, 'AlreadyExists');
    return true;
  });
  await assert.rejects(c.api.request('no.such' as 'node.add', {}), /unknown request/);
});

test('refuses an upgrade without the token, or from another origin', async () => {
  const status = (url: string, headers: Record<string, string> = {}) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(url, { headers });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('error', () => undefined);
    });
  assert.equal(await status(`${base}/ui/ws`), 401);
  assert.equal(await status(`${base}/ui/ws?token=wrong`), 401);
  assert.equal(await status(`${base}/ui/ws?token=${TOKEN}`, { Origin: 'http://evil.example' }), 403);
  const port = new URL(base).port;
  assert.equal(await status(`${base}/ui/ws`, { Cookie: `kubelab_token_${port}=${TOKEN}`, Origin: `http://127.0.0.1:${port}` }), 101);
});

test('several clients subscribe at once; unsubscribing stops delivery', async () => {
  const a = client();
  const b = client();
  const seenA: number[] = [];
  const seenB: number[] = [];
  const offA = a.api.subscribe('cluster.changed', (s) => seenA.push(s.clock.now));
  b.api.subscribe('cluster.changed', (s) => seenB.push(s.clock.now));
  await until(() => a.status === 'open' && b.status === 'open');
  await a.api.request('cluster.snapshot', {}); // subscriptions are sent before this request
  await b.api.request('cluster.snapshot', {});
  service.emit('cluster.changed', snapshot(1));
  await until(() => seenA.length === 1 && seenB.length === 1);
  offA();
  await a.api.request('cluster.snapshot', {});
  service.emit('cluster.changed', snapshot(2));
  await until(() => seenB.length === 2);
  assert.deepEqual(seenA, [1]);
  assert.deepEqual(seenB, [1, 2]);
});

test('terminal output reaches only the connection that opened it, first prompt included', async () => {
  const owner = client();
  const other = client();
  const got: string[] = [];
  const leaked: string[] = [];
  owner.api.subscribe('terminal.data', (d) => got.push(`${d.id}:${d.data}`));
  other.api.subscribe('terminal.data', (d) => leaked.push(d.data));
  const { id } = await owner.api.request('terminal.open', { kind: 'cluster', cols: 80, rows: 24 });
  await owner.api.request('terminal.input', { id, data: 'ls' });
  await until(() => got.length === 2);
  assert.deepEqual(got, [`${id}:$ `, `${id}:echo:ls`]);
  await other.api.request('cluster.snapshot', {});
  assert.deepEqual(leaked, []);
});

test('holds terminal data above the watermark until the client acknowledges it', async () => {
  const c = client();
  let received = 0;
  c.api.subscribe('terminal.data', (d) => (received += d.data.length));
  const { id } = await c.api.request('terminal.open', { kind: 'cluster', cols: 80, rows: 24 });
  await until(() => received >= 2);
  assert.equal(received, 2);
  const chunk = 'y'.repeat(25_000);
  for (let i = 0; i < 12; i++) service.emit('terminal.data', { id, data: chunk });
  await c.api.request('cluster.snapshot', {}); // everything sendable has been sent before this answer
  assert.ok(received <= 100_000 + 2, `received ${received}`);
  assert.ok(received >= 75_000, `received ${received}`);
  // Acknowledge what arrived, as xterm would, until everything is through; never more than the window in flight.
  const total = 2 + 12 * 25_000;
  let acked = 0;
  const deadline = Date.now() + 3000;
  while (received < total && Date.now() < deadline) {
    assert.ok(received - acked <= 100_000 + 2, `unacknowledged ${received - acked}`);
    if (received > acked) {
      const units = received - acked;
      acked = received;
      await c.api.request('terminal.ack', { id, bytes: units });
    } else {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  assert.equal(received, total);
  assert.ok(service.calls.some((call) => call.name === 'terminal.ack'), 'acks reach the service too');
});

test('reconnects, re-subscribes and re-attaches open terminals', async () => {
  const sockets: WebSocket[] = [];
  const c = connectWebSocket({
    url: `${base}/ui/ws?token=${TOKEN}`,
    createSocket: (url) => {
      const ws = new WebSocket(url);
      sockets.push(ws);
      return ws as unknown as WebSocketLike;
    },
    minDelayMs: 20,
  });
  clients.push(c);
  const events: number[] = [];
  const data: string[] = [];
  const statuses: string[] = [];
  c.onStatus((s) => statuses.push(s));
  c.api.subscribe('cluster.changed', (s) => events.push(s.clock.now));
  c.api.subscribe('terminal.data', (d) => data.push(d.data));
  const { id } = await c.api.request('terminal.open', { kind: 'host', cols: 80, rows: 24 });
  sockets[0].terminate(); // the link drops
  await until(() => statuses.includes('closed') && c.status === 'open' && sockets.length === 2);
  await c.api.request('cluster.snapshot', {}); // subscribe + attach went out before this request
  service.emit('cluster.changed', snapshot(42));
  service.emit('terminal.data', { id, data: 'after reconnect' });
  await until(() => events.includes(42) && data.includes('after reconnect'));
  assert.equal(events.filter((n) => n === 42).length, 1);
});

test('requests made while disconnected wait for the link', async () => {
  const c = client();
  assert.notEqual(c.status, 'open');
  assert.deepEqual(await c.api.request('node.add', { name: 'queued' }), { name: 'queued' });
});
