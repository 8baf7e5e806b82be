/**
 * A Killercoda-format scenario (test/fixtures/lessons/killercoda-web: index.json, intro/steps/finish, assets for
 * host01, background and foreground scripts, verify scripts using only kubectl and curl) runs unchanged from
 * `kubelab lesson start PATH`, and the same folder as a .zip pack goes in with `kubelab lesson import`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { startLessonLab, type LessonLab } from '../lessons/harness.ts';

const fixture = fileURLToPath(new URL('../fixtures/lessons/killercoda-web', import.meta.url));
let lab: LessonLab;
before(async () => {
  lab = await startLessonLab();
});
after(() => lab.close());

test('a Killercoda scenario folder runs unchanged from kubelab lesson start PATH', async () => {
  const start = await lab.kubelab(['lesson', 'start', 'test/fixtures/lessons/killercoda-web']);
  assert.equal(start.status, 0, start.stderr);
  assert.match(start.stdout, /Environment ready/, 'the intro foreground script waited for the background one');
  assert.doesNotMatch(start.stdout, /warning:/);
  // details.assets.host01 put the manifest in /root before the intro.
  assert.match((await lab.sh('cat /root/web-pod.yaml')).stdout, /name: web/);
  assert.equal((await lab.sh('kubectl get namespace scenario -o name')).stdout, 'namespace/scenario\n');

  assert.equal((await lab.check()).status, 1, 'no pod yet');
  await lab.runExecBlocks();
  assert.equal((await lab.check()).status, 0);

  const c = await lab.check();
  assert.equal(c.status, 1, 'no Service yet: the verify script\'s curl fails');
  await lab.runExecBlocks();
  assert.equal((await lab.check()).status, 0);

  await lab.runExecBlocks();
  const last = await lab.check();
  assert.equal(last.status, 0, last.stdout);
  assert.match(last.stdout, /Lesson finished: Expose a pod with a Service/);
  assert.match(last.stdout, /You created a pod, exposed it with a Service and deleted it again\./);
});

test('the scenario as a .zip pack: imported into the state directory, listed, started by its id', async () => {
  const files: Record<string, Uint8Array> = {};
  for (const f of readdirSync(fixture, { recursive: true }) as string[]) {
    const full = join(fixture, f);
    if (statSync(full).isFile()) files[`pack/killercoda-web/${relative(fixture, full)}`] = readFileSync(full);
  }
  const zip = join(lab.stateDir, 'pack.zip');
  writeFileSync(zip, zipSync(files));
  const imp = await lab.kubelab(['lesson', 'import', zip]);
  assert.equal(imp.status, 0, imp.stderr);
  assert.equal(imp.stdout, 'lesson/killercoda-web imported\n');
  const list = await lab.kubelab(['lesson', 'list']);
  assert.match(list.stdout, /^ +killercoda-web +Expose a pod with a Service +3 +0\/3 +en +imported$/m);
  assert.ok(statSync(join(lab.stateDir, 'lessons', 'imported', 'killercoda-web', 'index.json')).isFile());
  const start = await lab.kubelab(['lesson', 'start', 'killercoda-web']);
  assert.equal(start.status, 0, start.stderr);
  assert.match(start.stdout, /Step 1\/3: Create the pod/);

  const bad = join(lab.stateDir, 'evil.zip');
  writeFileSync(bad, zipSync({ '../escape/index.json': new TextEncoder().encode('{}') }));
  const refused = await lab.kubelab(['lesson', 'import', bad]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /would be written outside the pack/);
});
