/**
 * A Registry-backed API server seeded with a small cluster, a kubeconfig for it, and helpers that run the same
 * command through the real kubectl (the oracle) and through ours. Shared by kubectl-diff.test.ts; also runnable
 * by hand: `node --import tsx test/integration/kubectl-harness.ts` prints a kubeconfig path and keeps serving.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { byKind } from '../../src-main/api/resources.ts';
import type { KubeObject } from '../../src-main/api/types.ts';
import { startApiServer, type ApiServer } from '../../src-main/apiserver/server.ts';
import { RealClock } from '../../src-main/clock/clock.ts';
import { stringify } from 'yaml';
import { Registry } from '../../src-main/registry/registry.ts';
import { Store } from '../../src-main/store/store.ts';
import { httpApiClient } from '../../src-main/kubectl/client.ts';
import { runKubectl } from '../../src-main/kubectl/kubectl.ts';
import { seedDeployment } from '../fixtures/seed.ts';

export const ORACLE = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
const TOKEN = 'kubelab-test-token';

export interface Harness {
  server: ApiServer;
  registry: Registry;
  dir: string;
  kubeconfig: string;
  close(): Promise<void>;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

const deployment = (name: string, replicas: number, image: string): KubeObject => seedDeployment(name, replicas, image);

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
  const clock = new RealClock();
  const store = new Store(clock);
  const registry = new Registry(store, clock);
  for (const ns of ['default', 'kube-system']) registry.create(byKind('Namespace'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  registry.create(byKind('Deployment'), 'default', deployment('hostname-server', 2, 'takytaky/hostname'));
  registry.create(byKind('Deployment'), 'default', deployment('web', 1, 'nginx:1.27'));
  registry.create(byKind('Service'), 'default', service('clusterip-service', 'ClusterIP', 'hostname-server'));
  registry.create(byKind('Service'), 'default', service('nodeport-service', 'NodePort', 'nginx-app'));
  registry.create(byKind('Pod'), 'default', pod('hostname-server-abc12', 'hostname-server'));
  registry.create(byKind('Pod'), 'default', pod('solo', 'solo'));
  const server = await startApiServer({ registry, clock, host: '127.0.0.1', token: TOKEN });
  const dir = mkdtempSync(join(tmpdir(), 'kubectl-diff-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'kubelab', cluster: { server: server.url, 'certificate-authority-data': Buffer.from(server.caData).toString('base64') } }],
      users: [{ name: 'kubelab-admin', user: { token: TOKEN } }],
      contexts: [{ name: 'kubelab', context: { cluster: 'kubelab', user: 'kubelab-admin', namespace: 'default' } }],
      'current-context': 'kubelab',
      preferences: {},
    }),
  );
  return { server, registry, dir, kubeconfig, close: () => server.close() };
}

export function runOracle(h: Harness, argv: string[], stdin = ''): Promise<RunResult> {
  if (!existsSync(ORACLE)) throw new Error(`the real kubectl is missing: ${ORACLE}`);
  return new Promise((done) => {
    const child = execFile(
      ORACLE,
      argv,
      { cwd: h.dir, env: { PATH: process.env.PATH, HOME: h.dir, KUBECONFIG: h.kubeconfig }, timeout: 30_000 },
      (err, stdout, stderr) => done({ stdout, stderr, code: err ? (typeof err.code === 'number' ? err.code : 1) : 0 }),
    );
    child.stdin?.end(stdin);
  });
}

export async function runOurs(h: Harness, argv: string[], stdin = ''): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const client = httpApiClient(h.server.url, TOKEN, { ca: h.server.caData });
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

if (import.meta.url === `file://${process.argv[1]}`) {
  const h = await startHarness();
  console.log(`export KUBECONFIG=${h.kubeconfig}  # dir ${h.dir}`);
}
