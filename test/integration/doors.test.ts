/**
 * The doors of a real `kubelab serve`: the kubeconfig's token does not open the UI (nor the host shell behind it),
 * the host shell is refused without `--host-shell` and opens with it and the UI's own token, and both servers
 * refuse a foreign Host header (DNS rebinding) while the real kubectl keeps working.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { WebSocket } from 'ws';
import { startStateServe, type Served } from './state-serve.ts';

let plain: Served;
let withHostShell: Served;

before(async () => {
  [plain, withHostShell] = await Promise.all([startStateServe(['--ephemeral']), startStateServe(['--ephemeral', '--host-shell'])]);
});
after(async () => {
  await Promise.all([plain?.stop(), withHostShell?.stop()]);
});

const uiToken = (s: Served) => new URL(s.uiUrl).searchParams.get('token')!;
const uiPort = (s: Served) => new URL(s.uiUrl).port;
const apiPort = (s: Served) => new URL(s.apiUrl).port;

function uiGet(s: Served, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: uiPort(s), path, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The status of a WebSocket upgrade: 101 when it opened. */
function upgradeStatus(url: string, headers: Record<string, string> = {}, ca?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers, ca });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('open', () => {
      ws.close();
      resolve({ status: 101, body: '' });
    });
    ws.on('error', () => undefined);
  });
}

interface UiSocket {
  request(name: string, params: unknown): Promise<{ ok: boolean; value?: unknown; error?: { message: string; code?: string } }>;
  output: () => string;
  close(): void;
}

function uiSocket(s: Served, token: string): Promise<UiSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${uiPort(s)}/ui/ws?token=${token}`);
  let next = 1;
  const waiting = new Map<number, (r: never) => void>();
  let out = '';
  ws.on('message', (raw) => {
    const m = JSON.parse(raw.toString()) as { type: string; id?: number; result?: never; event?: string; payload?: { data?: string } };
    if (m.type === 'response') waiting.get(m.id!)?.(m.result!);
    if (m.type === 'event' && m.event === 'terminal.data') out += m.payload?.data ?? '';
  });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => {
      ws.send(JSON.stringify({ type: 'subscribe', event: 'terminal.data' }));
      resolve({
        request: (name, params) =>
          new Promise((r) => {
            const id = next++;
            waiting.set(id, r as (r: never) => void);
            ws.send(JSON.stringify({ type: 'request', id, name, params }));
          }),
        output: () => out,
        close: () => ws.close(),
      });
    });
  });
}

test('the UI has its own token: the kubeconfig token opens neither its pages nor its WebSocket, and vice versa', async () => {
  assert.notEqual(uiToken(plain), plain.token);
  assert.equal((await uiGet(plain, `/?token=${plain.token}`)).status, 401);
  assert.equal((await uiGet(plain, '/', { Cookie: `kubelab_token_${uiPort(plain)}=${plain.token}` })).status, 401);
  assert.equal((await upgradeStatus(`ws://127.0.0.1:${uiPort(withHostShell)}/ui/ws?token=${withHostShell.token}`)).status, 401, 'the API token cannot reach the host shell');
  assert.equal((await upgradeStatus(`ws://127.0.0.1:${uiPort(withHostShell)}/ui/ws`, { Authorization: `Bearer ${withHostShell.token}` })).status, 401);
  assert.equal((await uiGet(plain, `/?token=${uiToken(plain)}`)).status, 302);
  assert.equal((await plain.api('GET', '/api', undefined, { Authorization: `Bearer ${uiToken(plain)}` })).status, 401, 'the UI token is no API token');
});

test('serve without --host-shell refuses a host terminal, even with the UI token; cluster shells still open', async () => {
  const ui = await uiSocket(plain, uiToken(plain));
  try {
    const host = await ui.request('terminal.open', { kind: 'host', cols: 80, rows: 24 });
    assert.equal(host.ok, false);
    assert.equal(host.error?.message, 'the host shell is off: start kubelab serve with --host-shell to allow it');
    assert.equal(host.error?.code, 'Forbidden');
    const cluster = await ui.request('terminal.open', { kind: 'cluster', cols: 80, rows: 24 });
    assert.equal(cluster.ok, true, JSON.stringify(cluster));
  } finally {
    ui.close();
  }
});

test('serve --host-shell opens a host terminal for the UI token; --help names the flag', async () => {
  const ui = await uiSocket(withHostShell, uiToken(withHostShell));
  try {
    const host = await ui.request('terminal.open', { kind: 'host', cols: 80, rows: 24 });
    assert.equal(host.ok, true, JSON.stringify(host));
    const id = (host.value as { id: string }).id;
    await ui.request('terminal.input', { id, data: 'echo door-$((40+2))\r' });
    const deadline = Date.now() + 10_000;
    while (!ui.output().includes('door-42') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.match(ui.output(), /door-42/, 'a real shell on the host ran the line');
    await ui.request('terminal.close', { id });
  } finally {
    ui.close();
  }
  const help = await new Promise<string>((resolve) => execFile(process.execPath, [new URL('../../bin/kubelab.mjs', import.meta.url).pathname, 'serve', '--help'], (_e, out) => resolve(out)));
  assert.match(help, /^ {6}--host-shell {9}let the browser UI open a shell on this machine/m);
});

function apiWithHost(s: Served, host: string | undefined, path = '/api'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${s.token}` };
    if (host !== undefined) headers.Host = host;
    const req = httpsRequest({ host: '127.0.0.1', port: apiPort(s), path, ca: s.ca, servername: '127.0.0.1', headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the API server answers only Host 127.0.0.1, localhost or [::1] with its port: others get a Forbidden Status', async () => {
  const port = apiPort(plain);
  for (const ok of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) assert.equal((await apiWithHost(plain, ok)).status, 200, ok);
  for (const bad of [`evil.example:${port}`, 'evil.example', '127.0.0.1', `127.0.0.1:${Number(port) + 1}`, `localhost.evil.example:${port}`]) {
    const r = await apiWithHost(plain, bad);
    assert.equal(r.status, 403, bad);
    assert.deepEqual(JSON.parse(r.body), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `forbidden: Host "${bad}" is not allowed: this server answers only to 127.0.0.1:${port}, localhost:${port} and [::1]:${port}`,
      reason: 'Forbidden',
      details: {},
      code: 403,
    });
  }
  const wsHeaders = { Host: `evil.example:${port}`, Authorization: `Bearer ${plain.token}` };
  assert.equal((await upgradeStatus(`wss://127.0.0.1:${port}/kubelab/v1/shell?node=master`, wsHeaders, plain.ca)).status, 403, 'the kubelab shell endpoint');
  assert.equal((await upgradeStatus(`wss://127.0.0.1:${port}/api/v1/namespaces/default/pods/x/exec?command=sh`, wsHeaders, plain.ca)).status, 403, 'exec');
  assert.equal((await upgradeStatus(`wss://127.0.0.1:${port}/kubelab/v1/shell?node=master`, { Authorization: `Bearer ${plain.token}` }, plain.ca)).status, 101, 'the right Host still opens');
  const kubectl = await new Promise<{ code: number; out: string }>((resolve) =>
    execFile('kubectl', ['--kubeconfig', plain.kubeconfig, 'get', 'namespaces', '-o', 'name'], (e, out, err) => resolve({ code: e ? 1 : 0, out: out + err })),
  );
  assert.equal(kubectl.code, 0, kubectl.out);
  assert.match(kubectl.out, /^namespace\/default$/m);
});

test('the UI server refuses a foreign Host on its pages and its WebSocket', async () => {
  const port = uiPort(plain);
  const page = await uiGet(plain, `/?token=${uiToken(plain)}`, { Host: `evil.example:${port}` });
  assert.equal(page.status, 403);
  assert.equal(page.body, `Host "evil.example:${port}" is not allowed: this server answers only to 127.0.0.1:${port}, localhost:${port} and [::1]:${port}\n`);
  assert.equal((await uiGet(plain, `/?token=${uiToken(plain)}`, { Host: `localhost:${port}` })).status, 302);
  const ws = await upgradeStatus(`ws://127.0.0.1:${port}/ui/ws?token=${uiToken(plain)}`, { Host: `rebound.example:${port}` });
  assert.equal(ws.status, 403);
  assert.equal((await upgradeStatus(`ws://127.0.0.1:${port}/ui/ws?token=${uiToken(plain)}`)).status, 101);
});
