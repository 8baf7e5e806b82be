/**
 * Lesson 2 (sessionAffinity ClientIP) on the learner's road: `kubelab serve`, the outside `kubelab lesson` CLI,
 * `kubelab lesson check` in the cluster shell, the step texts' {{exec}} blocks run as clicks would. A first run does
 * every step (each check fails before the learner acts, passes after); a second run botches steps and gets their hints.
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
const IP = "CLUSTER_IP=$(kubectl get svc clusterip-hostname-service -o jsonpath='{.spec.clusterIP}')";
const curl6 = `${IP}; for i in 1 2 3 4 5 6; do curl -s http://$CLUSTER_IP | grep Hello; done`;
const withoutAffinity = "sed -i '/sessionAffinity/d; /clientIP:/d; /timeoutSeconds/d; /# /d' ~/k8s_lab/service/clusterip-service.yaml && kubectl apply -f ~/k8s_lab/service/clusterip-service.yaml";

test('lesson 2, done right: both pods, then one; two clients pinned; the pin expires after timeoutSeconds', async () => {
  const start = await lab.kubelab(['lesson', 'start', 'session-affinity', '--lang', 'en']);
  assert.equal(start.status, 0, start.stderr);
  assert.match(start.stdout, /Step 1\/6: Without affinity/);
  assert.doesNotMatch(start.stdout, /warning/i);

  // Step 1: the intro's Service answers, without affinity; both pods must answer this node.
  let c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /none did; the service has 2 ready endpoints now/);
  await lab.runExecBlocks();
  await lab.retry(curl6, passed);

  // Step 2: the affinity and its recent rules.
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /sessionAffinity: None\n/);
  const r2 = await lab.runExecBlocks();
  assert.match(r2[1]!.stdout, /^\{"clientIP":\{"timeoutSeconds":10800\}\}$/m);
  assert.match(r2[2]!.stdout, /-m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-[A-Z0-9]{16} --mask 255\.255\.255\.255 --rsource -j KUBE-SEP-/);
  assert.match(r2[2]!.stdout, /-m recent --set --name KUBE-SEP-[A-Z0-9]{16} --mask 255\.255\.255\.255 --rsource -m tcp -j DNAT/);
  assert.equal((await lab.check()).status, 0);

  // Step 3: six curls, one pod, through the --rcheck rules.
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /expected at least 5 answered connections/);
  const r3 = await lab.runExecBlocks();
  assert.equal(new Set(r3[0]!.stdout.trimEnd().split('\n')).size, 1, r3[0]!.stdout + (await lab.sh('kubelab traffic rules --node master --match clusterip-hostname-service --since step; kubelab traffic svc/clusterip-hostname-service --since step --by client -o wide')).stdout);
  assert.match(r3[1]!.stdout, /^node\/master +192\.168\.56\.10 +6 +0 +1 +hostname-server-/m);
  assert.match(r3[2]!.stdout, /^KUBE-SVC-\S+ +\d +[4-6] .*--rcheck --seconds 10800/m);
  assert.equal((await lab.check()).status, 0);

  // Step 4: a pod client gets its own pin.
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /pod\/client not found/);
  await lab.runExecBlocks(undefined, (b) => b.code.startsWith('kubectl run'));
  await lab.retry("kubectl get pod client | grep -q Running || sleep 1", async () => (await lab.sh('kubectl get pod client')).stdout.includes('Running'));
  const r4 = await lab.runExecBlocks(undefined, (b) => !b.code.startsWith('kubectl run'));
  assert.equal(new Set(r4[0]!.stdout.trimEnd().split('\n')).size, 1, 'the pod stays on one pod');
  assert.match(r4[2]!.stdout, /^pod\/default\/client +10\.244\.\d+\.\d+ +4 +0 +1 /m);
  assert.equal((await lab.check()).status, 0);

  // Step 5: timeoutSeconds: 10.
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /timeoutSeconds: 10800/);
  const r5 = await lab.runExecBlocks();
  assert.match(r5[1]!.stdout, /Session Affinity: +ClientIP/);
  assert.match(r5[2]!.stdout, /--rcheck --seconds 10 --reap/);
  assert.equal((await lab.check()).status, 0);

  // Step 6: rounds separated by more than the timeout; the lab's clock runs 60x so the sleeps are short.
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /pinned connections since the step began: 0/);
  await lab.sh('kubelab clock 60x');
  const rounds = `${IP}; for round in 1 2 3 4; do curl -s http://$CLUSTER_IP | grep Hello; curl -s http://$CLUSTER_IP | grep Hello; sleep 11; done`;
  const r6 = await lab.runExecBlocks(undefined, (b) => b.code.includes('for round'));
  const lines = r6[0]!.stdout.split('\n').filter((l) => l.includes('Hello'));
  assert.equal(lines.length, 8);
  for (let i = 0; i < 8; i += 2) assert.equal(lines[i], lines[i + 1], 'within a round the pod stays');
  // A new pick can choose the same pod (1/8 for four rounds): the learner runs the rounds again, as the hint says.
  await lab.retry(rounds, passed, 6);
  await lab.sh('kubelab clock 1x');
  const status = await lab.kubelab(['lesson', 'status']);
  assert.match(status.stdout, /\(finished, 6\/6 steps passed\)/);
});

test('lesson 2, botched: affinity off where it must be on, no second client, no pause: each check says why', async () => {
  const start = await lab.kubelab(['lesson', 'start', 'session-affinity', '--lang', 'ko']);
  assert.equal(start.status, 0, start.stderr);
  assert.match(start.stdout, /Step 1\/6: affinity 없이/);
  await lab.sh(curl6);
  await lab.retry(curl6, passed);

  // Step 2 with the sessionAffinity line left out of the manifest.
  const manifest = (await lab.page(2)).blocks.find((b) => b.action === 'exec')!.code;
  const forgot = await lab.sh(manifest.replace('  sessionAffinity: ClientIP\n', ''));
  assert.equal(forgot.status, 0, forgot.stderr);
  let c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /sessionAffinity: None/);
  assert.match(c.stdout, /`sessionAffinity: ClientIP` 는 `spec:` 바로 아래에 둔다/);
  await lab.runExecBlocks(2);
  assert.equal((await lab.check()).status, 0);

  // Step 3 with the affinity switched off again: however the curls land, the check wants it on.
  await lab.sh(withoutAffinity);
  await lab.sh(curl6);
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /2 단계의 매니페스트\(`sessionAffinity: ClientIP`\)를 다시 apply 한다/);
  await lab.runExecBlocks(2);
  await lab.runExecBlocks(3);
  // The affinity is back, but the unpinned connections of this step still count: the check says so.
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /affinity 가 꺼진 상태였다/);
  assert.equal((await lab.sh('kubelab lesson previous >/dev/null && kubelab lesson next >/dev/null')).status, 0);
  await lab.runExecBlocks(3);
  assert.equal((await lab.check()).status, 0);

  // Step 4 without the pod asking: only this node did.
  await lab.sh('kubectl run client --image=busybox -- sleep 3600');
  await lab.sh(curl6);
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /`client` 파드가 서비스에서 받은 응답이 3 개보다 적다/);
  await lab.retry("kubectl get pod client | grep -q Running || sleep 1", async () => (await lab.sh('kubectl get pod client')).stdout.includes('Running'));
  await lab.runExecBlocks(4, (b) => !b.code.startsWith('kubectl run'));
  assert.equal((await lab.check()).status, 0);

  // Step 5 with the timeout in the wrong place: the API server keeps the default.
  await lab.sh("sed -i 's/^  sessionAffinity: ClientIP/  sessionAffinity: ClientIP\\n  timeoutSeconds: 10/' ~/k8s_lab/service/clusterip-service.yaml; kubectl apply -f ~/k8s_lab/service/clusterip-service.yaml");
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /timeoutSeconds: 10800/);
  assert.match(c.stdout, /`spec\.sessionAffinityConfig\.clientIP` 아래에 둔다/);
  await lab.runExecBlocks(5);
  assert.equal((await lab.check()).status, 0);

  // Step 6 without the pauses: pinned all along, one pod.
  await lab.sh(curl6);
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /1 did: hostname-server-\S+ \(6\)/);
  assert.match(c.stdout, /11 초 동안 조용하면 고정이 풀리지만/);
});
