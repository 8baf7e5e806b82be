/**
 * Integration-test harness (used by test/integration/apiserver-*.test.ts): a Registry on a ManualClock behind the
 * API server, a kubeconfig trusting its certificate, and the real versioned kubectl binaries. A missing kubectl
 * fails the test.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { byKind } from '../../../src-main/api/resources.ts';
import { ManualClock } from '../../../src-main/clock/clock.ts';
import { Registry } from '../../../src-main/registry/registry.ts';
import { Store } from '../../../src-main/store/store.ts';
import { startApiServer, type ApiServer } from '../../../src-main/apiserver/server.ts';
import type { PodRuntime } from '../../../src-main/apiserver/pod-runtime.ts';

export const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';
import { Agent } from 'node:https';
const AGENT = new Agent({ keepAlive: false });
export const START = Date.UTC(2026, 0, 1, 12, 0, 0);

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

export interface TestCluster {
  requests: LoggedRequest[];
  registry: Registry;
  clock: ManualClock;
  server: ApiServer;
  dir: string;
  kubectl(args: string[], opts?: { version?: string; binary?: string; timeoutMs?: number; input?: string }): Promise<RunResult>;
  http(method: string, path: string, opts?: HttpOptions): Promise<HttpResult>;
  write(name: string, text: string): string;
  close(): Promise<void>;
}

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface HttpOptions {
  body?: string | Buffer;
  headers?: Record<string, string>;
  token?: string | null;
  /** Resolve once this many newline-terminated lines arrived (streams), then abort. */
  lines?: number;
  onLine?: (line: string, index: number) => void;
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

export async function startTestCluster(version: string, opts: { podRuntime?: PodRuntime } = {}): Promise<TestCluster> {
  const binary = kubectlBinary(version);
  const clock = new ManualClock(START);
  const registry = new Registry(new Store(clock), clock);
  for (const name of ['default', 'kube-system']) registry.create(byKind('Namespace'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const token = 'test-token-0123456789';
  const requests: LoggedRequest[] = [];
  const server = await startApiServer({ registry, clock, host: '127.0.0.1', port: 0, token, podRuntime: opts.podRuntime, onRequest: (e) => requests.push(e) });
  const dir = mkdtempSync(join(tmpdir(), `kubelab-apiserver-${version}-`));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- cluster: {server: "${server.url}", certificate-authority-data: ${Buffer.from(server.caData).toString('base64')}}`,
      '  name: kubelab',
      'users:',
      `- name: admin`,
      `  user: {token: ${token}}`,
      'contexts:',
      '- context: {cluster: kubelab, user: admin, namespace: default}',
      '  name: kubelab',
      'current-context: kubelab',
      '',
    ].join('\n'),
  );
  const cacheDir = join(dir, 'cache');
  return {
    requests,
    registry,
    clock,
    server,
    dir,
    http: (method, path, opts) => http(server, token, method, path, opts),
    write(name, text) {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
    kubectl(args, opts = {}) {
      const bin = opts.binary ?? (opts.version ? kubectlBinary(opts.version) : binary);
      return new Promise((resolve) => {
        const child = execFile(
          bin,
          ['--cache-dir', cacheDir, ...args],
          { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir, KUBECONFIG: kubeconfig }, timeout: opts.timeoutMs ?? 30_000 },
          (err, stdout, stderr) => {
            const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
            resolve({ stdout, stderr, code });
          },
        );
        if (opts.input !== undefined) child.stdin?.end(opts.input);
        else child.stdin?.end();
      });
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

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
