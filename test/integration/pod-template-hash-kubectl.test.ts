/**
 * The seed lesson's Deployment applied with the real kubectl to `kubelab serve`: its ReplicaSet and pods carry the
 * pod-template-hash a real 1.32 kube-controller-manager computes for the same template (59cbb86f96; the seed's
 * 2021 cluster, with the older struct layout, printed 7c85cc96dc), and hashing the template kubectl reads back
 * gives that same value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { podTemplateHash } from '../../src-main/api/names.ts';
import { startServe } from './serve-process.ts';
import { SEED_DEPLOYMENT_YAML as SEED_DEPLOYMENT } from '../fixtures/seed.ts';


test('kubectl apply of the seed Deployment makes hostname-server-59cbb86f96 and its pods', { timeout: 180_000 }, async () => {
  const cluster = await startServe();
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
