/**
 * Lesson 3 (NodePort) on the learner's road: `kubelab serve`, the outside `kubelab lesson` CLI, `kubelab lesson
 * check` in the cluster shell, the {{exec}} blocks run as clicks would (step 4's in the laptop's shell). A first run
 * does every step (each check fails before, passes after); a second run botches steps and gets their hints.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLessonLab, type LessonLab } from '../lessons/harness.ts';

let lab: LessonLab;
before(async () => {
  lab = await startLessonLab();
});
after(() => lab.close());

const passed = async () => (await lab.check()).status === 0;
const worker1 = 'for i in 1 2 3 4 5 6 7 8; do curl -s http://192.168.56.11:30080 | grep Hello; done';

test('lesson 3, done right: 30080 on every node, local and remote pods, the laptop', async () => {
  const start = await lab.kubelab(['lesson', 'start', 'nodeport', '--lang', 'en']);
  assert.equal(start.status, 0, start.stderr);
  assert.match(start.stdout, /Step 1\/4: Create the NodePort Service/);
  assert.doesNotMatch(start.stdout, /warning/i);

  let c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /service\/nodeport-hostname-service not found/);
  const r1 = await lab.runExecBlocks();
  assert.match(r1[1]!.stdout, /^nodeport-hostname-service +NodePort +10\.\d+\.\d+\.\d+ +<none> +80:30080\/TCP /m);
  assert.equal((await lab.check()).status, 0);

  // Step 2: every node's KUBE-NODEPORTS, master's too (no pod there).
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /no packet entered KUBE-NODEPORTS since the step began on: master worker1 worker2/);
  const r2 = await lab.runExecBlocks();
  assert.match(r2[1]!.stdout, /== 192\.168\.56\.10:30080\n +<p>Hello, {2}hostname-server-/);
  assert.match(r2[2]!.stdout, /^-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS$/m);
  assert.match(r2[2]!.stdout, /^-A KUBE-NODEPORTS -p tcp -m comment --comment "default\/nodeport-hostname-service" -m tcp --dport 30080 -j KUBE-EXT-/m);
  assert.equal(r2[3]!.stdout.match(/^KUBE-NODEPORTS +1 +1 /gm)?.length, 3, r2[3]!.stdout);
  assert.equal((await lab.check()).status, 0);

  // Step 3: worker1 hands some connections to worker2's pod, masqueraded.
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /answered through 192\.168\.56\.11:30080 since the step began: none/);
  const r3 = await lab.runExecBlocks();
  await lab.retry(worker1, passed);
  assert.match(r3[1]!.stdout, /worker2 .* 192\.168\.56\.10 +10\.244\.1\.0 +192\.168\.56\.11:30080$/m);
  assert.match(r3[2]!.stdout, /src=192\.168\.56\.10 dst=192\.168\.56\.11 sport=\d+ dport=30080 src=10\.244\.2\.\d+ dst=10\.244\.1\.0 sport=80 /);

  // Step 4, in the laptop's shell (the step's verify runs there too).
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /Hint: The laptop has not been answered/);
  const r4 = await lab.runExecBlocks(undefined, undefined, { laptop: true });
  assert.equal(r4[0]!.stdout.match(/Hello/g)?.length, 3);
  assert.equal(r4[1]!.stdout, 'curl exit status: 28\n');
  assert.match(r4[2]!.stdout, /192\.168\.56\.1 +10\.244\.\d\.[01] /);
  c = await lab.check();
  assert.equal(c.status, 0, c.stdout);
  assert.match((await lab.kubelab(['lesson', 'status'])).stdout, /\(finished, 4\/4 steps passed\)/);
});

test('lesson 3, botched: the seed manifest\'s selector, two nodes of three, worker2 for worker1, curls from master', async () => {
  const start = await lab.kubelab(['lesson', 'start', 'nodeport', '--lang', 'ko']);
  assert.equal(start.status, 0, start.stderr);

  // Step 1 with the seed's copy-paste selector app: nginx-app.
  const manifest = (await lab.page(1)).blocks.find((b) => b.action === 'exec')!.code;
  await lab.sh(manifest.replace('app: hostname-server', 'app: nginx-app'));
  let c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /endpoints: <none>; selector: \{"app":"nginx-app"\}/);
  assert.match(c.stdout, /`app: nginx-app` 이 남아 있을 수 있다/);
  await lab.runExecBlocks(1);
  assert.equal((await lab.check()).status, 0);

  // Step 2 forgetting master: the message names it.
  await lab.sh('for ip in 192.168.56.11 192.168.56.12; do curl -s http://$ip:30080 | grep Hello; done');
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /no packet entered KUBE-NODEPORTS since the step began on: master\n/);
  assert.match(c.stdout, /아무도 요청하지 않은 노드가 나온다/);
  await lab.sh('curl -s http://192.168.56.10:30080 | grep Hello');
  assert.equal((await lab.check()).status, 0);

  // Step 3 asking worker2 instead of worker1.
  await lab.sh(worker1.replace('192.168.56.11', '192.168.56.12'));
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /worker1 의 30080 포트\(192\.168\.56\.11:30080\)로 보낸 요청 중/);
  await lab.retry(worker1, passed);

  // Step 4 from the master's terminal: a node, not the laptop.
  await lab.runExecBlocks(4);
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /curl 은 \*\*노트북\*\*의 터미널/);
  await lab.laptop('curl -s http://192.168.56.12:30080 | grep Hello');
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /nodes that took the laptop's requests: worker2/);
  await lab.laptop('curl -s http://192.168.56.10:30080 | grep Hello');
  assert.equal((await lab.check()).status, 0);
});
