/**
 * Issue 11 §6: the official Python client and @kubernetes/client-node create objects with bodies that lack kind
 * and apiVersion; kube-apiserver takes them from the URL. Both clients' own create calls run as separate processes
 * against a real `kubelab serve`, and the real kubectl reads the objects back.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServe } from './serve-process.ts';

const fixtures = fileURLToPath(new URL('../fixtures/clients/', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const PYTHON = '/usr/bin/python3';

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: root, env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let serve: Awaited<ReturnType<typeof startServe>>;
before(async () => {
  serve = await startServe();
});
after(async () => {
  await serve?.stop();
});

const lines = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l));

test('the Python client creates a ConfigMap, a Service and a Deployment without kind or apiVersion', async () => {
  assert.ok(existsSync(PYTHON), 'python3 is required');
  const py = await run(PYTHON, [`${fixtures}create-with-python.py`, serve.kubeconfig]);
  assert.equal(py.code, 0, py.stderr);
  assert.deepEqual(lines(py.stdout), [
    { name: 'py-config', kind: 'ConfigMap', apiVersion: 'v1' },
    { name: 'py-svc', kind: 'Service', apiVersion: 'v1' },
    { name: 'py-web', kind: 'Deployment', apiVersion: 'apps/v1' },
  ]);
});

test('@kubernetes/client-node creates the same three without kind or apiVersion', async () => {
  const js = await run(process.execPath, [`${fixtures}create-with-node.mjs`, serve.kubeconfig]);
  assert.equal(js.code, 0, js.stderr);
  assert.deepEqual(lines(js.stdout), [
    { name: 'js-config', kind: 'ConfigMap', apiVersion: 'v1' },
    { name: 'js-svc', kind: 'Service', apiVersion: 'v1' },
    { name: 'js-web', kind: 'Deployment', apiVersion: 'apps/v1' },
  ]);
});

test('kubectl reads them back: the Service got its ClusterIP, the Deployments their pods', async () => {
  const get = await run('kubectl', ['get', 'configmap/py-config', 'configmap/js-config', 'service/py-svc', 'service/js-svc', 'deployment/py-web', 'deployment/js-web', '-o', 'name'], { KUBECONFIG: serve.kubeconfig });
  assert.equal(get.code, 0, get.stderr);
  assert.deepEqual(get.stdout.trim().split('\n'), ['configmap/py-config', 'configmap/js-config', 'service/py-svc', 'service/js-svc', 'deployment.apps/py-web', 'deployment.apps/js-web']);
  const ip = await run('kubectl', ['get', 'service/js-svc', '-o', 'jsonpath={.spec.clusterIP} {.spec.ports[0].targetPort}'], { KUBECONFIG: serve.kubeconfig });
  assert.match(ip.stdout, /^10\.\d+\.\d+\.\d+ 8080$/);
});

test('a body whose kind contradicts the URL is refused with the scheme\'s words, by both clients\' error paths', async () => {
  const script = `
import sys
from kubernetes import client, config
from kubernetes.client.rest import ApiException
config.load_kube_config(config_file=sys.argv[1])
try:
    client.CoreV1Api().create_namespaced_config_map("default", {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "mixed"}})
except ApiException as e:
    print(e.status)
    print(e.body)
`;
  const py = await run(PYTHON, ['-c', script, serve.kubeconfig]);
  const [status, body] = py.stdout.trim().split('\n');
  assert.equal(status, '400');
  assert.equal(JSON.parse(body).message, 'Service in version "v1" cannot be handled as a ConfigMap: converting (v1.Service) to (core.ConfigMap): unknown conversion');
});
