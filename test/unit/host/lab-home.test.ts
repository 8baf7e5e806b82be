/** A fresh lab's home: the control plane's /root/k8s_lab/service holds the seed's manifests; a kept home is left alone. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShellStore } from '../../../src-main/host/terminals/persist.ts';
import { SEED_MANIFEST_FILES, seedManifest } from '../../fixtures/seed.ts';

test('a fresh control-plane filesystem starts with the seed manifests in ~/k8s_lab/service, workers do not', () => {
  const store = new ShellStore(undefined);
  const master = store.nodeFs('master', true);
  assert.deepEqual(master.readdir('/root/k8s_lab/service'), SEED_MANIFEST_FILES);
  for (const f of SEED_MANIFEST_FILES) assert.equal(master.readFile(`/root/k8s_lab/service/${f}`), seedManifest(f));
  assert.match(master.readFile('/root/k8s_lab/service/nodeport-service.yaml'), /# app=nginx-app 인 파드들이 이 서비스에 속함\n    app: nginx-app\n/);
  assert.equal(store.nodeFs('worker1').exists('/root/k8s_lab'), false);
});

test('a kept filesystem is not seeded again: what the learner deleted stays deleted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-home-'));
  writeFileSync(join(dir, 'fs-master.json'), JSON.stringify({ type: 'dir', mtime: 0, mode: 0o755, children: { root: { type: 'dir', mtime: 0, mode: 0o700, children: {} } } }));
  const master = new ShellStore(dir).nodeFs('master', true);
  assert.equal(master.exists('/root/k8s_lab'), false);
});
