/**
 * Quantities through the real kubectl and `kubelab serve`: what a Deployment's YAML writes as `cpu: 0.5` or
 * `memory: 1024Mi` comes back as 500m and 1Gi, as from kube-apiserver, in the Deployment, its ReplicaSet (named by
 * the hash of the canonical template) and its pods; an invalid quantity is refused with the decoder's message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { podTemplateHash } from '../../src-main/api/names.ts';
import { startServe } from './serve-process.ts';

const deployment = (name: string, resources: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        resources:
${resources}
`;

const RESOURCES = `          limits:
            cpu: 0.5
            memory: 1024Mi
          requests:
            cpu: 0.0001
            memory: 1e3
            ephemeral-storage: "1.5Gi"`;

test('kubectl apply stores quantities in canonical form; an invalid one is a BadRequest', { timeout: 180_000 }, async () => {
  const cluster = await startServe();
  const dir = mkdtempSync(join(tmpdir(), 'kc-'));
  const kubectl = (...args: string[]) => spawnSync('kubectl', [`--kubeconfig=${cluster.kubeconfig}`, `--cache-dir=${dir}`, ...args], { encoding: 'utf8' });
  const apply = (name: string, yaml: string) => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, yaml);
    return { file, result: kubectl('apply', '-f', file) };
  };
  try {
    const { result } = apply('web', deployment('web', RESOURCES));
    assert.equal(result.status, 0, result.stderr);
    const path = '{.spec.template.spec.containers[0].resources.limits.cpu} {.spec.template.spec.containers[0].resources.limits.memory}';
    assert.equal(kubectl('get', 'deploy', 'web', '-o', `jsonpath=${path}`).stdout, '500m 1Gi');
    const res = JSON.parse(kubectl('get', 'deploy', 'web', '-o', 'json').stdout).spec.template.spec.containers[0].resources;
    assert.deepEqual(res, { limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '1m', memory: '1k', 'ephemeral-storage': '1536Mi' } });
    assert.match(kubectl('get', 'deploy', 'web', '-o', 'yaml').stdout, /\n {12}cpu: 500m\n {12}memory: 1Gi\n/);

    // The ReplicaSet is named by the hash of the template as stored, and its pod carries the same values.
    const deploy = JSON.parse(kubectl('get', 'deploy', 'web', '-o', 'json').stdout);
    const hash = podTemplateHash(deploy.spec.template);
    let pod = '';
    for (let i = 0; i < 100 && !pod; i++) {
      await new Promise((r) => setTimeout(r, 300));
      pod = kubectl('get', 'pods', '-l', 'app=web', '-o', 'name').stdout.trim();
    }
    assert.equal(kubectl('get', 'rs', '-l', 'app=web', '-o', 'name').stdout, `replicaset.apps/web-${hash}\n`);
    const podRes = kubectl('get', pod, '-o', 'jsonpath={.spec.containers[0].resources.requests.cpu} {.spec.containers[0].resources.limits.memory}');
    assert.equal(podRes.stdout, '1m 1Gi');
    assert.match(kubectl('describe', pod).stdout, /Limits:\n\s+cpu:\s+500m\n\s+memory:\s+1Gi\n\s+Requests:\n\s+cpu:\s+1m\n/);

    // Applying the same file again changes nothing: the server canonicalises the patch's 0.5 to the same 500m.
    const again = kubectl('apply', '-f', join(dir, 'web.yaml'));
    assert.equal(again.status, 0, again.stderr);
    assert.equal(kubectl('get', 'rs', '-l', 'app=web', '-o', 'name').stdout, `replicaset.apps/web-${hash}\n`);

    const bad = apply('bad', deployment('bad', '          limits:\n            cpu: 500 m'));
    assert.equal(bad.result.status, 1);
    assert.equal(
      bad.result.stderr,
      `Error from server (BadRequest): error when creating "${bad.file}": Deployment in version "v1" cannot be handled as a Deployment: ` +
        `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n`,
    );
    const suffix = apply('suffix', deployment('suffix', '          limits:\n            memory: 1K'));
    assert.match(suffix.result.stderr, /cannot be handled as a Deployment: unable to parse quantity's suffix\n$/);
  } finally {
    await cluster.stop();
  }
});
