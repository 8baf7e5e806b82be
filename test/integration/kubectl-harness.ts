/**
 * The one harness for tests that drive our API server with the real, versioned kubectl binaries (a missing binary
 * fails the test). Two setups share the kubeconfig, the binary runner and the HTTPS helper:
 * - startTestCluster(version): an empty cluster on a ManualClock with a request log (apiserver-*.test.ts);
 * - startHarness(): a seeded cluster on the real clock, plus runOracle (kubectl 1.32) and runOurs (our kubectl) for
 *   differential tests (kubectl-diff.test.ts). `node --import tsx test/integration/kubectl-harness.ts` starts one
 *   and prints its KUBECONFIG for trying commands by hand.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { byKind } from '../../src-main/api/resources.ts';
import type { KubeObject } from '../../src-main/api/types.ts';
import type { PodRuntime } from '../../src-main/apiserver/pod-runtime.ts';
import { startApiServer, type ApiServer } from '../../src-main/apiserver/server.ts';
import { ManualClock, RealClock, type Clock } from '../../src-main/clock/clock.ts';
import { httpApiClient } from '../../src-main/kubectl/client.ts';
import { runKubectl } from '../../src-main/kubectl/kubectl.ts';
import { Registry } from '../../src-main/registry/registry.ts';
import { Store } from '../../src-main/store/store.ts';
import { seedDeployment } from '../fixtures/seed.ts';

export const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';
/** The kubectl the differential tests compare ours with: the version /version reports. */
export const ORACLE = join(KUBECTL_DIR, 'kubectl.1.32');
export const START = Date.UTC(2026, 0, 1, 12, 0, 0);
const AGENT = new Agent({ keepAlive: false });

export function kubectlBinary(version: string): string {
  const path = join(KUBECTL_DIR, `kubectl.${version}`);
  assert.ok(existsSync(path), `kubectl ${version} is required at ${path}`);
  return path;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface LoggedRequest {
  method: string;
  url: string;
  contentType?: string;
  accept?: string;
  status: number;
}

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json(): any;  
}

export interface HttpOptions {
  body?: string | Buffer;
  headers?: Record<string, string>;
  token?: string | null;
  /** Resolve once this many newline-terminated lines arrived (streams), then abort. */
  lines?: number;
  onLine?: (line: string, index: number) => void;
}

/** A Registry with default and kube-system behind an API server, and a kubeconfig (namespace default) for it. */
interface Served {
  registry: Registry;
  server: ApiServer;
  dir: string;
  kubeconfig: string;
  token: string;
}

async function serve(clock: Clock, token: string, dirPrefix: string, opts: { podRuntime?: PodRuntime; onRequest?: (e: LoggedRequest) => void }): Promise<Served> {
  const registry = new Registry(new Store(clock), clock);
  for (const name of ['default', 'kube-system']) registry.create(byKind('Namespace'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const server = await startApiServer({ registry, clock, host: '127.0.0.1', port: 0, token, podRuntime: opts.podRuntime, onRequest: opts.onRequest });
  const dir = mkdtempSync(join(tmpdir(), dirPrefix));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'kubelab', cluster: { server: server.url, 'certificate-authority-data': Buffer.from(server.caData).toString('base64') } }],
      users: [{ name: 'kubelab-admin', user: { token } }],
      contexts: [{ name: 'kubelab', context: { cluster: 'kubelab', user: 'kubelab-admin', namespace: 'default' } }],
      'current-context': 'kubelab',
      preferences: {},
    }),
  );
  return { registry, server, dir, kubeconfig, token };
}

/** Runs a kubectl binary in `dir` with HOME there (its discovery/OpenAPI cache too, unless cacheDir is given). */
export function runBinary(bin: string, args: string[], s: { dir: string; kubeconfig: string }, opts: { input?: string; timeoutMs?: number; cacheDir?: string } = {}): Promise<RunResult> {
  return new Promise((done) => {
    const child = execFile(
      bin,
      opts.cacheDir ? ['--cache-dir', opts.cacheDir, ...args] : args,
      { cwd: s.dir, env: { PATH: process.env.PATH ?? '', HOME: s.dir, KUBECONFIG: s.kubeconfig }, timeout: opts.timeoutMs ?? 30_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        done({ stdout, stderr, code });
      },
    );
    child.stdin?.end(opts.input ?? '');
  });
}

/** One HTTPS request to the test server, trusting its certificate. */
export function http(server: ApiServer, token: string, method: string, path: string, opts: HttpOptions = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    const auth = opts.token === undefined ? token : opts.token;
    if (auth) headers.Authorization = `Bearer ${auth}`;
    if (opts.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(opts.body));
    const req = httpsRequest(`${server.url}${path}`, { method, headers, ca: server.caData, agent: AGENT }, (res) => {
      let text = '';
      let seen = 0;
      const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (opts.lines !== undefined) {
          const lines = text.split('\n');
          while (seen < lines.length - 1) {
            opts.onLine?.(lines[seen], seen);
            seen++;
          }
          if (seen >= opts.lines) {
            done();
            req.destroy();
          }
        }
      });
      res.on('end', done);
      res.on('error', () => done());
    });
    req.on('error', (e) => (opts.lines !== undefined ? undefined : reject(e)));
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

// ---- startTestCluster: one kubectl version against an empty cluster on a ManualClock ----

export interface TestCluster {
  requests: LoggedRequest[];
  registry: Registry;
  clock: ManualClock;
  server: ApiServer;
  dir: string;
  kubeconfig: string;
  kubectl(args: string[], opts?: { version?: string; binary?: string; timeoutMs?: number; input?: string }): Promise<RunResult>;
  http(method: string, path: string, opts?: HttpOptions): Promise<HttpResult>;
  write(name: string, text: string): string;
  close(): Promise<void>;
}

export async function startTestCluster(version: string, opts: { podRuntime?: PodRuntime } = {}): Promise<TestCluster> {
  const binary = kubectlBinary(version);
  const clock = new ManualClock(START);
  const requests: LoggedRequest[] = [];
  const s = await serve(clock, 'test-token-0123456789', `kubelab-apiserver-${version}-`, { podRuntime: opts.podRuntime, onRequest: (e) => requests.push(e) });
  const cacheDir = join(s.dir, 'cache');
  return {
    requests,
    registry: s.registry,
    clock,
    server: s.server,
    dir: s.dir,
    kubeconfig: s.kubeconfig,
    http: (method, path, o) => http(s.server, s.token, method, path, o),
    write(name, text) {
      const p = join(s.dir, name);
      writeFileSync(p, text);
      return p;
    },
    kubectl(args, o = {}) {
      const bin = o.binary ?? (o.version ? kubectlBinary(o.version) : binary);
      return runBinary(bin, args, s, { input: o.input, timeoutMs: o.timeoutMs, cacheDir });
    },
    async close() {
      await s.server.close();
      rmSync(s.dir, { recursive: true, force: true });
    },
  };
}

// ---- startHarness: a seeded cluster for running the same command through the real kubectl and ours ----

export interface Harness {
  server: ApiServer;
  registry: Registry;
  dir: string;
  kubeconfig: string;
  token: string;
  close(): Promise<void>;
}

function service(name: string, type: string, app: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { type, selector: { app }, ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] },
  };
}

function pod(name: string, app: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app } },
    spec: { containers: [{ name: app, image: 'takytaky/hostname', ports: [{ containerPort: 80 }] }] },
  };
}

export async function startHarness(): Promise<Harness> {
  const s = await serve(new RealClock(), 'kubelab-test-token', 'kubectl-diff-', {});
  const { registry } = s;
  registry.create(byKind('Deployment'), 'default', seedDeployment('hostname-server', 2, 'takytaky/hostname'));
  registry.create(byKind('Deployment'), 'default', seedDeployment('web', 1, 'nginx:1.27'));
  registry.create(byKind('Service'), 'default', service('clusterip-service', 'ClusterIP', 'hostname-server'));
  registry.create(byKind('Service'), 'default', service('nodeport-service', 'NodePort', 'nginx-app'));
  registry.create(byKind('Pod'), 'default', pod('hostname-server-abc12', 'hostname-server'));
  registry.create(byKind('Pod'), 'default', pod('solo', 'solo'));
  return { ...s, close: () => s.server.close() };
}

export function runOracle(h: Harness, argv: string[], stdin = ''): Promise<RunResult> {
  if (!existsSync(ORACLE)) throw new Error(`the real kubectl is missing: ${ORACLE}`);
  return runBinary(ORACLE, argv, h, { input: stdin });
}

export async function runOurs(h: Harness, argv: string[], stdin = ''): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const client = httpApiClient(h.server.url, h.token, { ca: h.server.caData });
  const code = await runKubectl(
    argv,
    {
      stdout: (s) => void (stdout += s),
      stderr: (s) => void (stderr += s),
      stdin: async () => stdin,
      readFile: (p) => readFileSync(resolve(h.dir, p), 'utf8'),
      listDir: (p) => readdirSync(resolve(h.dir, p)).map((n) => ({ name: n, dir: statSync(join(resolve(h.dir, p), n)).isDirectory() })),
      cwd: h.dir,
      env: { HOME: h.dir, KUBECONFIG: h.kubeconfig },
    },
    client,
  );
  return { stdout, stderr, code };
}

// ---- manifests the apiserver-kubectl tests apply ----

export const APP_V1 = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{containerPort: 80}]
        env: [{name: MODE, value: v1}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  clusterIP: 10.96.0.50
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
`;

export const APP_V2 = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.28
        env: [{name: MODE, value: v2}]
      - name: sidecar
        image: busybox:1.36
        command: [sleep, "3600"]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  clusterIP: 10.96.0.50
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
`;

export const POD = `apiVersion: v1
kind: Pod
metadata:
  name: solo
  namespace: kube-system
  labels: {app: solo}
spec:
  containers:
  - name: c
    image: busybox:1.36
`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const h = await startHarness();
  console.log(`export KUBECONFIG=${h.kubeconfig}  # dir ${h.dir}`);
}

/**
 * Math.random as a seeded LCG, so that two servers started one after the other allocate the same ClusterIPs and
 * generated names; `state` can be saved and put back around a command run on one of them.
 */
export class SeededRandom {
  state = 1;
  private readonly real = Math.random;
  constructor() {
    Math.random = () => {
      this.state = (this.state * 1103515245 + 12345) % 2147483648;
      return this.state / 2147483648;
    };
  }
  restore(): void {
    Math.random = this.real;
  }
}

/** Our server and the oracle's, started from the same random state. */
export async function startTwinHarnesses(random: SeededRandom): Promise<{ ours: Harness; oracle: Harness }> {
  random.state = 1;
  const ours = await startHarness();
  random.state = 1;
  const oracle = await startHarness();
  return { ours, oracle };
}
