/**
 * The seed lesson's Deployment applied with the real kubectl to `kubelab serve`: its ReplicaSet and pods carry the
 * pod-template-hash a real 1.32 kube-controller-manager computes for the same template (59cbb86f96; the seed's
 * 2021 cluster, with the older struct layout, printed 7c85cc96dc), and hashing the template kubectl reads back
 * gives that same value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { podTemplateHash } from '../../src-main/api/names.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/kubelab.mjs');

const SEED_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hostname-server
  labels:
    app: hostname-server
spec:
  replicas: 2
  selector:
    matchLabels:
      app: hostname-server
  template:
    metadata:
      labels:
        app: hostname-server
    spec:
      containers:
      - name: hostname-server
        image: takytaky/hostname
        ports:
        - containerPort: 80
`;

function serve(): Promise<{ kubeconfig: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [bin, 'serve', '--ephemeral'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBELAB_FROM_SOURCE: '1' } });
  let out = '';
  const collect = (d: Buffer) => (out += d);
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not get ready:\n${out}`)), 90_000);
    child.on('exit', (code) => reject(new Error(`serve exited ${code}:\n${out}`)));
    const check = () => {
      const m = /Kubeconfig: (\S+)/.exec(out);
      if (!m || !/^Cluster ready: /m.test(out)) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      resolve({
        kubeconfig: m[1],
        stop: () =>
          new Promise((r) => {
            child.removeAllListeners('exit');
            child.once('exit', () => r());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout.on('data', check);
  });
}

test('kubectl apply of the seed Deployment makes hostname-server-59cbb86f96 and its pods', { timeout: 180_000 }, async () => {
  const cluster = await serve();
  const cache = mkdtempSync(join(tmpdir(), 'kc-'));
  const kubectl = (...args: string[]) => spawnSync('kubectl', [`--kubeconfig=${cluster.kubeconfig}`, `--cache-dir=${cache}`, ...args], { encoding: 'utf8' });
  try {
    const file = join(cache, 'seed.yaml');
    writeFileSync(file, SEED_DEPLOYMENT);
    const applied = kubectl('apply', '-f', file);
    assert.equal(applied.status, 0, applied.stderr);
    let rs = '';
    let pods: string[] = [];
    for (let i = 0; i < 100 && pods.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 300));
      rs = kubectl('get', 'rs', '-o', 'name').stdout;
      pods = kubectl('get', 'pods', '-o', 'name').stdout.split('\n').filter((l) => l.startsWith('pod/hostname-server-'));
    }
    assert.equal(rs, 'replicaset.apps/hostname-server-59cbb86f96\n');
    assert.equal(pods.length, 2);
    for (const p of pods) assert.match(p, /^pod\/hostname-server-59cbb86f96-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const deploy = JSON.parse(kubectl('get', 'deployment', 'hostname-server', '-o', 'json').stdout);
    assert.equal(podTemplateHash(deploy.spec.template), '59cbb86f96');
  } finally {
    await cluster.stop();
  }
});
