/**
 * Lesson 4 (externalTrafficPolicy) on the learner's road: `kubelab serve`, the outside `kubelab lesson` CLI,
 * `kubelab lesson check` in the cluster shell, the {{exec}} blocks run as clicks would (steps 1, 4 and 5 in the
 * laptop's shell). A first run does every step; a second run botches steps and gets their hints.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLessonLab, type LessonLab } from '../lessons/harness.ts';

let lab: LessonLab;
before(async () => {
  lab = await startLessonLab();
});
after(() => lab.close());

const laptop = { laptop: true };
const LOG_LINE = /^(\S+) - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET \/ HTTP\/1\.1" 200 518 "-" "curl\/8\.5\.0"$/gm;
const clientsInLogs = (out: string) => new Set([...out.matchAll(LOG_LINE)].map((m) => m[1]));

test('lesson 4, done right: SNAT under Cluster, the laptop\'s address under Local, a node without a pod drops', async () => {
  const start = await lab.kubelab(['lesson', 'start', 'external-traffic-policy', '--lang', 'en']);
  assert.equal(start.status, 0, start.stderr);
  assert.match(start.stdout, /Step 1\/5: Cluster: the pod sees a node's address/);
  assert.doesNotMatch(start.stdout, /warning/i);

  // Step 1 (laptop): the Apache logs show nodes' pod-network addresses, never the laptop's.
  let c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /expected at least 4 answered connections/);
  const r1 = await lab.runExecBlocks(undefined, undefined, laptop);
  const seen1 = clientsInLogs(r1[1]!.stdout);
  assert.ok(seen1.size > 0 && [...seen1].every((ip) => /^10\.244\.[12]\.[01]$/.test(ip!)), r1[1]!.stdout);
  assert.doesNotMatch(r1[2]!.stdout, /192\.168\.56\.1 +192\.168\.56\.1 /);
  assert.equal((await lab.check()).status, 0);

  // Step 2 (master): worker1's MASQUERADE rule and conntrack.
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /on node worker1 since the step began, got 0\n/);
  const r2 = await lab.runExecBlocks();
  assert.match(r2[1]!.stdout, /^KUBE-POSTROUTING +3 +4 +\d+ +MASQUERADE +-m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully$/m);
  assert.match(r2[2]!.stdout, /src=192\.168\.56\.10 dst=192\.168\.56\.11 sport=\d+ dport=30080 src=10\.244\.\d\.\d+ dst=10\.244\.1\.[01] sport=80 /);
  assert.match(r2[2]!.stdout, /src=192\.168\.56\.1 dst=192\.168\.56\.11 sport=\d+ dport=30080 /, 'step 1\'s laptop connections are still in TIME_WAIT');
  assert.equal((await lab.check()).status, 0);

  // Step 3: Local; worker1's KUBE-SVL chain, master's DROP rule.
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /externalTrafficPolicy: Cluster/);
  const r3 = await lab.runExecBlocks();
  assert.match(r3[0]!.stdout, /External Traffic Policy: +Local/);
  assert.match(r3[1]!.stdout, /^-A KUBE-EXT-\S+ -m comment --comment "masquerade LOCAL traffic for default\/nodeport-hostname-service external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ$/m);
  assert.match(r3[1]!.stdout, /^-A KUBE-SVL-\S+ -m comment --comment "default\/nodeport-hostname-service -> 10\.244\.1\.\d+:80" -j KUBE-SEP-/m);
  assert.doesNotMatch(r3[1]!.stdout, /masquerade traffic for default\/nodeport-hostname-service external destinations/);
  assert.match(r3[2]!.stdout, /^-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default\/nodeport-hostname-service has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30080 -j DROP$/m);
  assert.equal((await lab.check()).status, 0);

  // Step 4 (laptop): the pods log 192.168.56.1; each worker answers with its own pod.
  c = await lab.check();
  assert.equal(c.status, 1);
  const r4 = await lab.runExecBlocks(undefined, undefined, laptop);
  const lines = r4[0]!.stdout.trimEnd().split('\n');
  assert.equal(new Set(lines.filter((_, i) => i % 2 === 0)).size, 1, 'worker1 answers with its pod every time');
  assert.equal(new Set(lines.filter((_, i) => i % 2 === 1)).size, 1, 'worker2 too');
  assert.deepEqual([...clientsInLogs(r4[1]!.stdout)], ['192.168.56.1']);
  c = await lab.check();
  assert.equal(c.status, 0, c.stdout);

  // Step 5 (laptop): master has no pod: dropped, a timeout.
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /failed connections from the laptop to 192\.168\.56\.10:30080 since the step began: 0/);
  const r5 = await lab.runExecBlocks(undefined, undefined, laptop);
  assert.equal(r5[0]!.stdout, 'curl exit status: 28\n');
  assert.match(r5[1]!.stdout, /^KUBE-EXTERNAL-SERVICES +1 +1 +\d+ +DROP +.*has no local endpoints/m);
  assert.equal((await lab.check()).status, 0);
  assert.match((await lab.kubelab(['lesson', 'status'])).stdout, /\(finished, 5\/5 steps passed\)/);
});

test('lesson 4, botched: curls from master, the policy left at Cluster, a worker asked instead of master', async () => {
  const start = await lab.kubelab(['lesson', 'start', 'external-traffic-policy', '--lang', 'ko']);
  assert.equal(start.status, 0, start.stderr);

  // Step 1 from the master's terminal: a node, not the laptop.
  await lab.runExecBlocks(1, (b) => b.code.includes('for i'));
  let c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /\*\*노트북\*\*의 터미널/);
  await lab.runExecBlocks(1, (b) => b.code.includes('for i'), laptop);
  assert.equal((await lab.check()).status, 0);

  // Step 2 asking worker2 only: worker1 masqueraded nothing.
  await lab.sh('for i in 1 2 3 4; do curl -s http://192.168.56.12:30080 | grep Hello; done');
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /worker1 의 NodePort 로 보낸 연결 중 masquerade 된 것이 없다/);
  await lab.runExecBlocks(2, (b) => b.code.startsWith('for'));
  assert.equal((await lab.check()).status, 0);

  // Step 3 with the externalTrafficPolicy line left out.
  const manifest = (await lab.page(3)).blocks.find((b) => b.action === 'exec')!.code;
  await lab.sh(manifest.replace(/ {2}#[^\n]*\n {2}externalTrafficPolicy: Local\n/, ''));
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /externalTrafficPolicy: Cluster/);
  assert.match(c.stdout, /`spec:` 바로 아래\(`type:` 옆\)에 둔다/);
  await lab.runExecBlocks(3, (b) => b.code.startsWith('cat'));
  assert.equal((await lab.check()).status, 0);

  // Step 4 after going back to Cluster: some answers come from the other worker's pod, masqueraded.
  await lab.sh("sed -i '/externalTrafficPolicy/d' ~/k8s_lab/service/nodeport-service.yaml && kubectl apply -f ~/k8s_lab/service/nodeport-service.yaml");
  await lab.laptop('for i in 1 2 3 4 5 6 7 8; do curl -s http://192.168.56.11:30080 | grep Hello; done');
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /192\.168\.56\.1 since the step began, (there were none|they saw 10\.244\.1\.)/);
  assert.match(c.stdout, /`externalTrafficPolicy: Local` 인가\?/);
  await lab.runExecBlocks(3, (b) => b.code.startsWith('cat'));
  await lab.sh('kubelab lesson previous >/dev/null; kubelab lesson next >/dev/null');
  await lab.runExecBlocks(4, (b) => b.code.startsWith('for i'), laptop);
  assert.equal((await lab.check()).status, 0);

  // Step 5 asking a worker (it has a pod: answered) and master from master (not the laptop).
  await lab.laptop('curl -s -m 3 http://192.168.56.11:30080 | grep Hello');
  await lab.sh('curl -s -m 3 http://192.168.56.10:30080; echo $?');
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /노트북에서 master 의 30080 포트\(192\.168\.56\.10:30080\)로 보낸 연결 중 실패한 것이 없다/);
});
