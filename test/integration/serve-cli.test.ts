import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/kubelab.mjs');

function startServe(args: string[]): Promise<{ kill(sig?: NodeJS.Signals): Promise<void>; out: () => string; kubeconfig: string }> {
  const child = spawn(process.execPath, [bin, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not get ready:\n${out}`)), 60_000);
    child.on('exit', (code) => reject(new Error(`serve exited ${code}:\n${out}`)));
    const check = () => {
      const m = /Kubeconfig: (\S+)/.exec(out);
      if (/^Cluster ready: 3 nodes in \d+ ms$/m.test(out) && m && /^UI: http:\/\/127\.0\.0\.1:\d+\/\?token=\w+$/m.test(out)) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve({
          out: () => out,
          kubeconfig: m[1],
          kill: (sig = 'SIGTERM') =>
            new Promise((r) => {
              child.removeAllListeners('exit');
              child.once('exit', () => r());
              child.kill(sig);
            }),
        });
      }
    };
    child.stdout.on('data', check);
  });
}

const kubectl = (kubeconfig: string, ...args: string[]) =>
  spawnSync('kubectl', [`--kubeconfig=${kubeconfig}`, `--cache-dir=${mkdtempSync(join(tmpdir(), 'kc-'))}`, ...args], { encoding: 'utf8' });

test('kubelab --help lists the subcommands; bad flags exit 2 with a clear error', () => {
  const help = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
  for (const cmd of ['serve', 'shell', 'bench']) assert.match(help, new RegExp(`^  ${cmd} `, 'm'));
  const bad = spawnSync(process.execPath, [bin, 'serve', '--nodes', 'x'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^Error: invalid value "x" for --nodes/);
  const unknown = spawnSync(process.execPath, [bin, 'serve', '--bogus'], { encoding: 'utf8' });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /Unknown option '--bogus'/);
  const both = spawnSync(process.execPath, [bin, 'serve', '--ephemeral', '--state', '/tmp/x'], { encoding: 'utf8' });
  assert.equal(both.status, 2);
});

test('serve writes a working kubeconfig; objects survive a kill -9 with --state', async () => {
  const state = mkdtempSync(join(tmpdir(), 'kubelab-state-'));
  const first = await startServe(['--state', state]);
  try {
    assert.equal(first.kubeconfig, join(state, 'kubeconfig'));
    assert.match(readFileSync(first.kubeconfig, 'utf8'), /current-context: kubelab/);
    const nodes = kubectl(first.kubeconfig, 'get', 'nodes');
    assert.equal(nodes.status, 0, nodes.stderr);
    assert.match(nodes.stdout, /^master\s+Ready\s+control-plane\s+\S+\s+v1\.32\.\d+$/m);
    const created = kubectl(first.kubeconfig, 'create', 'configmap', 'kept', '--from-literal=a=b');
    assert.equal(created.stdout, 'configmap/kept created\n', created.stderr);
  } finally {
    await first.kill('SIGKILL');
  }
  const second = await startServe(['--state', state]);
  try {
    const got = kubectl(second.kubeconfig, 'get', 'configmap', 'kept', '-o', 'jsonpath={.data.a}');
    assert.equal(got.stdout, 'b', got.stderr);
  } finally {
    await second.kill();
  }
});

test('every UI control is also a command: kubelab shell -c "kubelab node stop …" scripts the lab', async () => {
  const lab = await startServe(['--ephemeral']);
  try {
    const run = (line: string) => spawnSync(process.execPath, [bin, 'shell', '--kubeconfig', lab.kubeconfig, '-c', line], { encoding: 'utf8' });
    const stop = run('kubelab node stop worker2 && kubelab status');
    assert.equal(stop.status, 0, stop.stderr);
    assert.match(stop.stdout, /^node\/worker2 stopped$/m);
    assert.match(stop.stdout, /^node\/worker2\t\w+\tstopped$/m);
    assert.match(stop.stdout, /^node\/worker1\tReady\trunning$/m);
    const clock = run('kubelab clock 10x && kubelab loadbalancer off && kubelab status');
    assert.match(clock.stdout, /^clock\t10x$/m);
    assert.match(clock.stdout, /^loadbalancer\toff$/m);
    const bad = run('kubelab node explode x');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^kubelab: unknown node action "explode"/);
  } finally {
    await lab.kill();
  }
});
