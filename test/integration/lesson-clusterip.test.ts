/**
 * Lesson 1 (ClusterIP) on the learner's road: `kubelab serve`, the outside `kubelab lesson` CLI, `kubelab lesson
 * check` in the cluster shell, the step texts' {{exec}} blocks run as clicks would. A first run does every step
 * (each check fails before the learner acts, passes after); a second run botches steps and gets their hints.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLessonLab, type LessonLab } from '../lessons/harness.ts';

let lab: LessonLab;
before(async () => {
  lab = await startLessonLab();
});
after(() => lab.close());

const passed = async () => (await lab.check()).status === 0;
const curlAll = "CLUSTER_IP=$(kubectl get svc clusterip-hostname-service -o jsonpath='{.spec.clusterIP}'); for i in 1 2 3 4 5 6; do curl -s http://$CLUSTER_IP | grep Hello; done";

test('lesson 1, done right: every check fails before the step and passes after it; progress survives a restart', async () => {
  const start = await lab.kubelab(['lesson', 'start', 'clusterip', '--lang', 'en']);
  assert.equal(start.status, 0, start.stderr);
  assert.match(start.stdout, /What is a Service\?/);
  assert.match(start.stdout, /Step 1\/5: Deploy two hostname pods/);

  // Step 1: nothing done yet -> exit 1 with the hint for "no Deployment".
  let c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /Step 1\/5 not passed yet/);
  assert.match(c.stdout, /Hint: There is no Deployment named `hostname-server` yet/);
  await lab.runExecBlocks();
  c = await lab.check();
  assert.equal(c.status, 0, c.stdout);
  assert.match(c.stdout, /Step 1\/5 passed/);
  assert.match(c.stdout, /Step 2\/5: Put a ClusterIP Service/);

  // Step 2: the Service.
  assert.equal((await lab.check()).status, 1);
  await lab.runExecBlocks();
  assert.equal((await lab.check()).status, 0);

  // Step 3: the check is about the data path: before any curl it fails, whatever objects exist.
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /expected at least 1 answered connection to service default\/clusterip-hostname-service since the step began, got 0/);
  const r3 = await lab.runExecBlocks();
  assert.match(r3.at(-1)!.stdout, /Hello, {2}hostname-server-/);
  assert.equal((await lab.check()).status, 0);

  // Step 4: both pods must answer since the step began (the step-3 curl does not count).
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /none did/);
  const r4 = await lab.runExecBlocks();
  assert.match(r4.at(-1)!.stdout, /^ENDPOINT +POD +NODE +ANSWERED +FAILED +CLIENTS$/m);
  // Six curls miss one pod with probability 1/32: the learner curls again, as the hint says.
  await lab.retry(curlAll, async () => (await lab.sh('kubelab traffic svc/clusterip-hostname-service --since step --expect-endpoints 2 -q')).status === 0);
  // The same connections in the rule counters: KUBE-SERVICES' jump for this ClusterIP on master, nothing into KUBE-NODEPORTS.
  const rules = await lab.kubelab(['traffic', 'rules', '--node', 'master', '--match', 'default/clusterip-hostname-service cluster IP', '--since', 'step', '--expect-packets', '6']);
  assert.equal(rules.status, 0, rules.stderr);
  assert.match(rules.stdout, /^KUBE-SERVICES +1 +\d+ +\d+ +KUBE-SVC-[A-Z0-9]{16} +-d 10\.\d+\.\d+\.\d+\/32 -p tcp -m comment --comment "default\/clusterip-hostname-service cluster IP"/m);
  const nodeports = await lab.sh('kubelab traffic rules --node worker2 --chain KUBE-NODEPORTS --since step --expect-packets 1');
  assert.equal(nodeports.status, 1);
  assert.equal(nodeports.stderr, 'expected at least 1 packet to enter chain KUBE-NODEPORTS on node worker2 since the step began, got 0\n');
  assert.equal((await lab.check()).status, 0);

  // Step 5: delete a pod; the new one must answer through the ClusterIP.
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /Hint: Every pod is still one of those/);
  const del = await lab.sh("kubectl delete pod $(kubectl get pod -l app=hostname-server -o jsonpath='{.items[0].metadata.name}')");
  assert.equal(del.status, 0, del.stderr);
  await lab.sh('kubectl rollout status deployment/hostname-server');
  await lab.runExecBlocks();
  await lab.retry(curlAll, passed);

  const status = await lab.kubelab(['lesson', 'status']);
  assert.match(status.stdout, /\(finished, 5\/5 steps passed\)/);

  // The instructor's file, written on this computer by the outside CLI.
  const file = join(lab.stateDir, 'progress-export.json');
  const exp = await lab.kubelab(['lesson', 'progress', '--export', file, '--name', 'Kim']);
  assert.equal(exp.status, 0, exp.stderr);
  const progress = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(progress.learner.name, 'Kim');
  const l1 = progress.lessons.find((l: { id: string }) => l.id === 'clusterip');
  assert.deepEqual(l1.stepsPassed, [1, 2, 3, 4, 5]);
  assert.equal(l1.finished, true);
  assert.ok(l1.steps[0].attempts >= 2, 'the failed first check counts');

  await lab.restart();
  const again = await lab.kubelab(['lesson', 'list']);
  assert.match(again.stdout, /^\* +clusterip .* finished /m);
});

test('lesson 1, botched: one replica, a wrong selector, a curl to a pod IP, one pod serving: each check says why', async () => {
  const start = await lab.kubelab(['lesson', 'start', '1', '--lang', 'ko']);
  assert.equal(start.status, 0, start.stderr);
  assert.match(start.stdout, /Step 1\/5: hostname 파드 2개 배포하기/);
  assert.equal((await lab.sh('kubectl get deploy')).stderr.trim(), 'No resources found in default namespace.', 'starting a lesson resets the cluster');

  // Step 1 with replicas: 1.
  await lab.runExecBlocks(1, (b) => b.code.includes('cat >'));
  await lab.sh("sed -i 's/replicas: 2/replicas: 1/' ~/k8s_lab/service/hostname-deployment.yaml && kubectl apply -f ~/k8s_lab/service/hostname-deployment.yaml && kubectl rollout status deployment/hostname-server");
  let c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /replicas: 1/);
  assert.match(c.stdout, /파드가 2개 필요하다/);
  await lab.sh('kubectl scale deployment hostname-server --replicas=2 && kubectl rollout status deployment/hostname-server');
  assert.equal((await lab.check()).status, 0);

  // Step 2 with a selector that matches nothing.
  await lab.sh("kubectl create service clusterip clusterip-hostname-service --tcp=80:80");
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /selector` 가 파드의 라벨/);
  await lab.sh('kubectl delete service clusterip-hostname-service');
  await lab.runExecBlocks(2);
  assert.equal((await lab.check()).status, 0);

  // Step 3: curling a pod's own IP bypasses the Service: no answered connection through it.
  await lab.sh("curl -s http://$(kubectl get pod -l app=hostname-server -o jsonpath='{.items[0].status.podIP}') | grep Hello");
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /CLUSTER-IP 열에서 주소를 찾아/);
  await lab.runExecBlocks(3);
  assert.equal((await lab.check()).status, 0);

  // Step 4 with one pod left: however many curls, one endpoint answers.
  await lab.sh('kubectl scale deployment hostname-server --replicas=1 && kubectl rollout status deployment/hostname-server');
  await lab.sh(curlAll);
  await lab.sh(curlAll);
  c = await lab.check();
  assert.equal(c.status, 1);
  assert.match(c.stdout, /1 did: hostname-server-\S+ \(\d+\); the service has 1 ready endpoint now/);
  assert.match(c.stdout, /kubectl scale deployment hostname-server --replicas=2/);
});
