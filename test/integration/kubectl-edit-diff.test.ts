/**
 * `kubectl edit` through the real kubectl 1.32 and through ours, each against its own identically seeded API server,
 * with the same scripted editor ($EDITOR): stdout, stderr, the exit code and every file the editor was given must
 * match (temp file names, timestamps, uids and resourceVersions masked).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ORACLE, SeededRandom, startTwinHarnesses, type Harness, type RunResult } from './kubectl-harness.ts';
import { httpApiClient } from '../../src-main/kubectl/client.ts';
import { runKubectl } from '../../src-main/kubectl/kubectl.ts';

const random = new SeededRandom();

let ours: Harness;
let oracle: Harness;

before(async () => {
  ({ ours, oracle } = await startTwinHarnesses(random));
});
after(async () => {
  random.restore();
  await ours?.close();
  await oracle?.close();
});

/** An editor that applies the n-th sed expression of $STEPS on its n-th run and keeps a copy of what it was given. */
const EDITOR_SCRIPT = `#!/bin/sh
n=$(cat "$SEEN/count" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$SEEN/count"
cp "$1" "$SEEN/pass-$n"
expr=$(printf '%s' "$STEPS" | cut -d'|' -f$n)
[ -n "$expr" ] && sed -i "$expr" "$1"
exit \${EDITOR_EXIT:-0}
`;

interface Scenario { env: Record<string, string>; seen: string; tmp: string }

function prepare(h: Harness, steps: string, extra: Record<string, string>): Scenario {
  const seen = join(h.dir, 'seen');
  const tmp = join(h.dir, 'tmp');
  for (const d of [seen, tmp]) {
    rmSync(d, { recursive: true, force: true });
    mkdirSync(d);
  }
  const editor = join(h.dir, 'editor.sh');
  writeFileSync(editor, EDITOR_SCRIPT);
  chmodSync(editor, 0o755);
  return { seen, tmp, env: { EDITOR: editor, STEPS: steps, SEEN: seen, TMPDIR: tmp, ...extra } };
}

function runOracleEdit(h: Harness, argv: string[], s: Scenario): Promise<RunResult> {
  return new Promise((done) => {
    execFile(ORACLE, argv, { cwd: h.dir, env: { PATH: process.env.PATH, HOME: h.dir, KUBECONFIG: h.kubeconfig, ...s.env }, timeout: 30_000 },
      (err, stdout, stderr) => done({ stdout, stderr, code: err ? (typeof err.code === 'number' ? err.code : 1) : 0 }));
  });
}

async function runOursEdit(h: Harness, argv: string[], s: Scenario): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const env = { HOME: h.dir, KUBECONFIG: h.kubeconfig, PATH: process.env.PATH ?? '', ...s.env };
  const code = await runKubectl(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdin: async () => '',
    readFile: (p) => readFileSync(p, 'utf8'),
    cwd: h.dir,
    env,
    editor: {
      create: (p, text) => (existsSync(p) ? false : (writeFileSync(p, text), true)),
      exists: (p) => existsSync(p),
      remove: (p) => rmSync(p, { force: true }),
      launch: async (args) => {
        const r = spawnSync(args[0]!, args.slice(1), { env, stdio: 'ignore' });
        return r.error ? 127 : (r.status ?? 1);
      },
    },
  }, httpApiClient(h.server.url, 'kubelab-test-token', { ca: h.server.caData }));
  return { stdout, stderr, code };
}

function mask(text: string, h: Harness): string {
  return text.split(h.dir).join('<dir>').replace(/kubectl(\.1\.\d+)?-edit-\d+/g, 'kubectl-edit-N')
    .replace(/"?(resourceVersion|generation|uid|creationTimestamp)"?: ("[^"]*"|[^\s,]+)/g, '$1: X');
}

function seenFiles(s: Scenario, h: Harness): string[] {
  return readdirSync(s.seen).filter((f) => f.startsWith('pass-')).sort().map((f) => mask(readFileSync(join(s.seen, f), 'utf8'), h));
}

const SCENARIOS: Array<{ name: string; argv: string[]; steps: string; env?: Record<string, string> }> = [
  { name: 'change replicas', argv: ['edit', 'deployment', 'web'], steps: 's/replicas: [0-9]*$/replicas: 3/' },
  { name: 'no change', argv: ['edit', 'deploy/web'], steps: '' },
  { name: 'invalid, then unchanged', argv: ['edit', 'deployment', 'web'], steps: 's/replicas: [0-9]*$/replicas: -1/|' },
  { name: 'invalid, then fixed', argv: ['edit', 'deployment', 'web'], steps: 's/replicas: [0-9]*$/replicas: -1/|s/replicas: -1$/replicas: 2/' },
  { name: 'emptied file', argv: ['edit', 'deployment', 'web'], steps: '1,$d|1,$d' },
  { name: 'emptied file without validation', argv: ['edit', 'deployment', 'web', '--validate=false'], steps: '1,$d' },
  { name: 'name changed', argv: ['edit', 'deployment', 'web'], steps: 's/^  name: web$/  name: web2/' },
  { name: 'json with the patch shown', argv: ['edit', 'deployment', 'web', '-o', 'json', '--output-patch'], steps: 's/"replicas": [0-9]*,/"replicas": 4,/' },
  { name: 'a service port', argv: ['edit', 'svc', 'clusterip-service'], steps: 's/port: 80$/port: 8080/' },
  { name: 'the editor fails', argv: ['edit', 'deployment', 'web'], steps: '', env: { EDITOR_EXIT: '3' } },
  { name: 'no such editor', argv: ['edit', 'deployment', 'web'], steps: '', env: { EDITOR: 'no-such-editor' } },
  { name: 'not found', argv: ['edit', 'deployment', 'nope'], steps: '' },
];

for (const sc of SCENARIOS) {
  test(`kubectl edit: ${sc.name}`, async () => {
    assert.ok(existsSync(ORACLE), `the real kubectl is missing: ${ORACLE}`);
    const so = prepare(oracle, sc.steps, sc.env ?? {});
    const want = await runOracleEdit(oracle, sc.argv, so);
    const sw = prepare(ours, sc.steps, sc.env ?? {});
    const got = await runOursEdit(ours, sc.argv, sw);
    assert.deepEqual({ ...got, stdout: mask(got.stdout, ours), stderr: mask(got.stderr, ours) }, { ...want, stdout: mask(want.stdout, oracle), stderr: mask(want.stderr, oracle) });
    assert.deepEqual(seenFiles(sw, ours), seenFiles(so, oracle));
    assert.deepEqual(readdirSync(sw.tmp).length, readdirSync(so.tmp).length, 'the same temp files are left behind');
  });
}
