/**
 * port-forward end to end: a real Cluster (node workers, ManualClock) runs a hostname pod; the real kubectl 1.32
 * (SPDY/3.1 tunnelled in WebSocket) and 1.29 (plain SPDY upgrade), and our built-in kubectl, open a local port
 * whose HTTP requests reach the pod through clusterPodRuntime.portForward.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from '../../src-main/cluster/cluster.ts';
import { ManualClock } from '../../src-main/clock/clock.ts';
import { byKind } from '../../src-main/api/resources.ts';
import type { KubeObject, Pod } from '../../src-main/api/types.ts';
import { startApiServer, type ApiServer } from '../../src-main/apiserver/server.ts';
import { clusterPodRuntime } from '../../src-main/host/pod-runtime.ts';
import { kubeconfigYaml } from '../../src-main/host/kubeconfig.ts';
import { httpApiClient, runKubectl } from '../../src-main/kubectl/index.ts';

const PODS = byKind('Pod');
const POD = 'hostname-server-7c85cc96dc-hrjt4';
const TOKEN = 'pf-token';
const BIN = '/usr/lib/google-cloud-sdk/bin';

let cluster: Cluster;
let api: ApiServer;
let dir: string;
let kubeconfig: string;
/** `METHOD upgrade` of every upgrade request the API server saw. */
const upgrades: string[] = [];

before(async () => {
  const clock = new ManualClock();
  cluster = await Cluster.start({ nodes: 2, clock, controllers: false });
  cluster.registry.create(PODS, 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: POD, namespace: 'default', labels: { app: 'hostname-server' } },
    spec: { nodeName: 'worker1', containers: [{ name: 'hostname-server', image: 'takytaky/hostname', ports: [{ containerPort: 80 }] }] },
  } as KubeObject);
  for (let i = 0; i < 60 && (cluster.registry.get(PODS, 'default', POD) as unknown as Pod).status?.phase !== 'Running'; i++) await cluster.advance(1000);
  assert.equal((cluster.registry.get(PODS, 'default', POD) as unknown as Pod).status?.phase, 'Running');
  api = await startApiServer({ registry: cluster.registry, clock, token: TOKEN, podRuntime: clusterPodRuntime(cluster) });
  api.server.prependListener('upgrade', (req: import('node:http').IncomingMessage) => upgrades.push(`${req.method} ${req.headers.upgrade}`));
  dir = mkdtempSync(join(tmpdir(), 'kubelab-pf-'));
  kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigYaml(api.url, TOKEN, api.caData), { mode: 0o600 });
});

after(async () => {
  await api?.close();
  await cluster?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function httpGet(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
  });
}

function until(read: () => string, re: RegExp, child?: ChildProcess, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (re.test(read())) return resolve();
      if (child && child.exitCode !== null) return reject(new Error(`kubectl exited ${child.exitCode}: ${read()}`));
      if (Date.now() - started > timeoutMs) return reject(new Error(`never saw ${re}: ${read()}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

for (const version of ['1.32', '1.29']) {
  test(`kubectl ${version} port-forward pod/x L:80: HTTP through the local port reaches the pod`, { skip: !existsSync(`${BIN}/kubectl.${version}`) && 'no kubectl' }, async () => {
    const port = await freePort();
    upgrades.length = 0;
    const child = spawn(`${BIN}/kubectl.${version}`, ['--kubeconfig', kubeconfig, 'port-forward', `pod/${POD}`, `${port}:80`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d));
    child.stderr!.on('data', (d: Buffer) => (out += d));
    try {
      await until(() => out, new RegExp(`Forwarding from 127\\.0\\.0\\.1:${port} -> 80`), child);
      // Several connections over the same session: header compression state carries across streams.
      for (let i = 0; i < 3; i++) {
        const r = await httpGet(port).catch((e: Error) => {
          throw new Error(`${e.message}; kubectl printed: ${out}`);
        });
        assert.equal(r.status, 200);
        assert.match(r.body, new RegExp(`Hello, {2}${POD}`));
      }
      await until(() => out, /Handling connection for \d+[\s\S]*Handling connection for \d+[\s\S]*Handling connection for \d+/);
      assert.doesNotMatch(out, /error|Unhandled/i);
      // 1.31+ tunnels SPDY in a WebSocket and is not refused; older ones upgrade the connection to SPDY itself.
      assert.deepEqual(upgrades, [version === '1.29' ? 'POST SPDY/3.1' : 'GET websocket']);
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    }
  });
}

test('built-in kubectl port-forward opens a real local port', async () => {
  const port = await freePort();
  const client = httpApiClient(api.url, TOKEN, { ca: api.caData });
  const abort = new AbortController();
  let out = '';
  const io = {
    stdout: (s: string) => void (out += s),
    stderr: (s: string) => void (out += s),
    stdin: async () => '',
    readFile: () => {
      throw new Error('no kubeconfig');
    },
    cwd: '/',
    env: {},
    signal: abort.signal,
  };
  const running = runKubectl(['port-forward', `pod/${POD}`, `${port}:80`], io, client);
  await until(() => out, new RegExp(`Forwarding from 127\\.0\\.0\\.1:${port} -> 80`));
  for (let i = 0; i < 2; i++) {
    const r = await httpGet(port);
    assert.match(r.body, new RegExp(`Hello, {2}${POD}`));
  }
  abort.abort();
  assert.equal(await running, 0);
  assert.match(out, new RegExp(`^Forwarding from 127\\.0\\.0\\.1:${port} -> 80\n`));
  assert.match(out, new RegExp(`Handling connection for ${port}\n`));
  await assert.rejects(httpGet(port));
});

test('port-forward to a pod that is not running fails like kubectl', async () => {
  cluster.registry.create(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as KubeObject);
  let err = '';
  const io = { stdout: () => {}, stderr: (s: string) => void (err += s), stdin: async () => '', readFile: () => { throw new Error('none'); }, cwd: '/', env: {} };
  const code = await runKubectl(['port-forward', 'pod/pending', '8080:80'], io, httpApiClient(api.url, TOKEN, { ca: api.caData }));
  assert.equal(code, 1);
  assert.equal(err, 'error: unable to forward port because pod is not running. Current status=Pending\n');
});
