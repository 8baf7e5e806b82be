/**
 * The seed lesson on the learner's road: `kubelab serve` and every `kubelab shell` are separate processes, and the
 * real kubectl talks to the same API server. Each step is the one the lesson asks for: apply the manifests in
 * ~/k8s_lab/service, get svc,deploy,pod, curl the ClusterIP (both pods answer), sessionAffinity ClientIP, the NodePort
 * from every node and from the laptop to every node IP, LoadBalancer off and on, ExternalName via nslookup, and a
 * deleted pod replaced with a new IP while the Service keeps answering.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServe } from './serve-process.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/kubelab.mjs');
const NODES = { master: '192.168.56.10', worker1: '192.168.56.11', worker2: '192.168.56.12' } as const;

type Run = { code: number; stdout: string; stderr: string };

/** One `kubelab shell` process, as a learner's terminal runs one line. */
function shell(kubeconfig: string, line: string, where: string[] = []): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'shell', '--kubeconfig', kubeconfig, ...where, '-c', line], {
      env: { ...process.env, KUBELAB_FROM_SOURCE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function kubectl(kubeconfig: string, cache: string, ...args: string[]): Run {
  const r = spawnSync('kubectl', [`--kubeconfig=${kubeconfig}`, `--cache-dir=${cache}`, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const hellos = (out: string) => [...out.matchAll(/Hello, {2}(\S+)<\/p>/g)].map((m) => m[1]!);

test('the seed lesson, step by step, through kubelab serve, kubelab shell and the real kubectl', { timeout: 240_000 }, async () => {
  const lab = await startServe();
  const cache = mkdtempSync(join(tmpdir(), 'kc-cache-'));
  const kc = (...args: string[]) => kubectl(lab.kubeconfig, cache, ...args);
  const sh = (line: string, ...where: string[]) => shell(lab.kubeconfig, line, where);
  try {
    // 1. The lesson's manifests are in the lab home; kubectl apply -f on the folder creates all five objects.
    const applied = await sh('cd ~/k8s_lab/service && ls && kubectl apply -f ~/k8s_lab/service/');
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    assert.match(applied.stdout, /^deployment\.apps\/hostname-server created$/m);
    assert.match(applied.stdout, /^service\/clusterip-hostname-service created$/m);
    assert.match(applied.stdout, /^service\/nodeport-hostname-service created$/m);
    const types = kc('get', 'svc', '-o', 'jsonpath={range .items[*]}{.spec.type}{"\\n"}{end}');
    for (const t of ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']) assert.match(types.stdout, new RegExp(`^${t}$`, 'm'), types.stdout);

    const ready = kc('wait', '--for=condition=Available', 'deployment/hostname-server', '--timeout=120s');
    assert.equal(ready.code, 0, ready.stderr);

    // 2. kubectl get svc,deploy,pod as the seed's transcript lays it out.
    const got = await sh('kubectl get svc,deploy,pod');
    assert.match(got.stdout, /^NAME {2,}TYPE {2,}CLUSTER-IP {2,}EXTERNAL-IP {2,}PORT\(S\) {2,}AGE$/m);
    assert.match(got.stdout, /^service\/clusterip-hostname-service {2,}ClusterIP {2,}10\.\d+\.\d+\.\d+ {2,}<none> {2,}80\/TCP {2,}\S+$/m);
    assert.match(got.stdout, /^deployment\.apps\/hostname-server {2,}2\/2 {2,}2 {2,}2 {2,}\S+$/m);
    const pods = kc('get', 'pods', '-l', 'app=hostname-server', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.podIP} {.spec.nodeName}{"\\n"}{end}');
    const podRows = pods.stdout.trim().split('\n').map((l) => l.split(' '));
    assert.equal(podRows.length, 2, pods.stdout);

    // 3. The ClusterIP answers in turn from both pods.
    const clusterIP = kc('get', 'svc', 'clusterip-hostname-service', '-o', 'jsonpath={.spec.clusterIP}').stdout;
    const curls = await sh(`for i in 1 2 3 4 5 6 7 8 9 10; do curl -sf http://${clusterIP} | grep Hello; done`);
    assert.deepEqual(new Set(hellos(curls.stdout)), new Set(podRows.map((r) => r[0])), curls.stdout);

    // 4. sessionAffinity: ClientIP pins this client to one pod.
    const patched = kc('patch', 'svc', 'clusterip-hostname-service', '-p', '{"spec":{"sessionAffinity":"ClientIP"}}');
    assert.equal(patched.code, 0, patched.stderr);
    const pinned = await sh(`for i in 1 2 3 4 5 6 7 8; do curl -s http://${clusterIP} | grep Hello; done`);
    assert.equal(new Set(hellos(pinned.stdout)).size, 1, pinned.stdout);
    assert.equal(hellos(pinned.stdout).length, 8);

    // 5. The seed's NodePort selects app=nginx-app: no endpoints, so every node refuses 30080.
    const refused = await sh(`curl -s -m 2 http://${NODES.worker1}:30080; echo "exit=$?"`);
    assert.match(refused.stdout, /exit=7$/m, refused.stdout + refused.stderr);
    // With the selector fixed, 30080 answers on every node's IP, from every node and from the laptop.
    const fixed = kc('patch', 'svc', 'nodeport-hostname-service', '-p', '{"spec":{"selector":{"app":"hostname-server"}}}');
    assert.equal(fixed.code, 0, fixed.stderr);
    for (const from of Object.keys(NODES)) {
      for (const [to, ip] of Object.entries(NODES)) {
        const r = await sh(`curl -s -m 5 http://${ip}:30080 | grep Hello`, '--node', from);
        assert.equal(hellos(r.stdout).length, 1, `${from} -> ${to}:30080: ${r.stdout}${r.stderr}`);
      }
    }
    for (const [to, ip] of Object.entries(NODES)) {
      const r = await sh(`curl -s -m 5 http://${ip}:30080 | grep Hello`, '--laptop');
      assert.equal(hellos(r.stdout).length, 1, `laptop -> ${to}:30080: ${r.stdout}${r.stderr}`);
    }
    // The receiving node's own KUBE-NODEPORTS rule counted the laptop's packets.
    const counted = await sh('iptables -t nat -L KUBE-NODEPORTS -v -n', '--node', 'worker2');
    const row = counted.stdout.split('\n').find((l) => /nodeport-hostname-service/.test(l) && /dpt:30080/.test(l));
    assert.ok(row && Number(row.trim().split(/\s+/)[0]) >= 3, counted.stdout);

    // 6. LoadBalancer: <pending> with the controller off, an address from the pool once it is on, reachable from the laptop.
    const lbName = kc('get', 'svc', '-o', 'jsonpath={.items[?(@.spec.type=="LoadBalancer")].metadata.name}').stdout;
    await sh('kubelab loadbalancer off');
    assert.equal(kc('delete', 'svc', lbName).code, 0);
    const again = await sh('kubectl apply -f ~/k8s_lab/service/ && kubectl get svc ' + lbName);
    assert.match(again.stdout, new RegExp(`^${lbName} +LoadBalancer +\\S+ +<pending> `, 'm'), again.stdout);
    await sh('kubelab loadbalancer on');
    let lbIP = '';
    for (let i = 0; i < 50 && !lbIP; i++) {
      lbIP = kc('get', 'svc', lbName, '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}').stdout;
      if (!lbIP) await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(lbIP, /^192\.168\.56\.2(4\d|50)$/);
    const viaLB = await sh(`curl -s -m 5 http://${lbIP} | grep Hello`, '--laptop');
    assert.equal(hellos(viaLB.stdout).length, 1, viaLB.stdout + viaLB.stderr);

    // 7. ExternalName: cluster DNS answers with a CNAME. A node's own resolver (systemd-resolved) knows nothing of
    // cluster.local, as on a kubeadm node: the learner asks kube-dns by its address.
    const extName = kc('get', 'svc', '-o', 'jsonpath={.items[?(@.spec.type=="ExternalName")].metadata.name}').stdout;
    const target = kc('get', 'svc', extName, '-o', 'jsonpath={.spec.externalName}').stdout;
    const ns = await sh(`nslookup ${extName}.default.svc.cluster.local 10.96.0.10`);
    assert.match(ns.stdout, new RegExp(`canonical name = ${target.replace(/\./g, '\\.')}\\.?$`, 'm'), ns.stdout + ns.stderr);

    // 8. A deleted pod comes back with a new name and IP; the Service keeps answering and its endpoints follow.
    const [gone] = podRows[0]!;
    const deleted = await sh(`kubectl delete pod ${gone}`);
    assert.match(deleted.stdout, new RegExp(`^pod "${gone}" deleted$`, 'm'));
    const back = kc('wait', '--for=condition=Available', 'deployment/hostname-server', '--timeout=120s');
    assert.equal(back.code, 0, back.stderr);
    let after: string[][] = [];
    for (let i = 0; i < 100; i++) {
      const p = kc('get', 'pods', '-l', 'app=hostname-server', '--field-selector=status.phase=Running', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.podIP}{"\\n"}{end}');
      after = p.stdout.trim().split('\n').filter(Boolean).map((l) => l.split(' '));
      if (after.length === 2 && !after.some((r) => r[0] === gone) && after.every((r) => r[1])) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const fresh = after.find((r) => !podRows.some((o) => o[0] === r[0]));
    assert.ok(fresh, `a replacement pod: ${JSON.stringify(after)}`);
    assert.notEqual(fresh![1], podRows[0]![1]);
    const eps = kc('get', 'endpoints', 'clusterip-hostname-service', '-o', 'jsonpath={.subsets[*].addresses[*].ip}');
    assert.match(eps.stdout, new RegExp(fresh![1]!.replace(/\./g, '\\.')), eps.stdout);
    kc('patch', 'svc', 'clusterip-hostname-service', '-p', '{"spec":{"sessionAffinity":"None"}}');
    const still = await sh(`for i in 1 2 3 4 5 6 7 8 9 10; do curl -sf http://${clusterIP} | grep Hello; done`);
    assert.deepEqual(new Set(hellos(still.stdout)), new Set(after.map((r) => r[0])), still.stdout);
  } finally {
    await lab.stop();
  }
});
