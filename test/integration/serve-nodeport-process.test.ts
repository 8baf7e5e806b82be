/**
 * The seed's NodePort lesson on the learner's road: `kubelab serve` as its own process, the real kubectl applying
 * the manifests, and `kubelab shell --node X -c 'curl …'` processes reaching every node's address from every node
 * and from pods, with the counters moving on the receiving node's own rules. The server runs its clock at 60x so
 * that the timeouts a curl sits out (externalTrafficPolicy Local without a local endpoint) pass in milliseconds.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEED_DEPLOYMENT_YAML, seedManifest } from '../fixtures/seed.ts';
import { startServe } from './serve-process.ts';

const bin = join(fileURLToPath(new URL('../..', import.meta.url)), 'bin/kubelab.mjs');
const NODE_IPS: Record<string, string> = { master: '192.168.56.10', worker1: '192.168.56.11', worker2: '192.168.56.12' };
const NODES = Object.keys(NODE_IPS);

/** The seed's NodePort Service, as the lesson writes it: its selector (app=nginx-app) matches no pod. */
const SEED_NODEPORT_YAML = seedManifest('nodeport-service.yaml');

const LOCAL_AND_LB_YAML = `apiVersion: v1
kind: Service
metadata:
  name: hostname-local
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector:
    app: hostname-server
  ports:
  - port: 80
    nodePort: 30081
---
apiVersion: v1
kind: Service
metadata:
  name: hostname-lb
spec:
  type: LoadBalancer
  selector:
    app: hostname-server
  ports:
  - port: 80
`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, KUBELAB_FROM_SOURCE: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

let serve: Awaited<ReturnType<typeof startServe>>;
const cacheDir = mkdtempSync(join(tmpdir(), 'kc-'));
const kubectl = (args: string[], input?: string) => run('kubectl', [`--kubeconfig=${serve.kubeconfig}`, `--cache-dir=${cacheDir}`, ...args], input);
/** `kubelab shell --node <node> -c <line>`, a process of its own. */
const shell = (node: string, line: string) => run(process.execPath, [bin, 'shell', '--kubeconfig', serve.kubeconfig, '--node', node, '-c', line]);
let podNode: Map<string, string>;

async function ok(r: Promise<Run>): Promise<string> {
  const done = await r;
  assert.equal(done.code, 0, done.stderr);
  return done.stdout;
}

/** The hostname pages' `Hello,  <pod>` names, in the order printed. */
const hellos = (text: string) => [...text.matchAll(/<p>Hello,\s+(\S+)<\/p>/g)].map((m) => m[1]!);

/** Packets of the KUBE-NODEPORTS rule for `port`, as `iptables -t nat -L KUBE-NODEPORTS -v -n` prints them on `node`. */
async function nodePortPackets(node: string, port: number): Promise<number> {
  const out = await ok(shell(node, 'iptables -t nat -L KUBE-NODEPORTS -v -n'));
  const row = out.split('\n').find((l) => l.includes(`dpt:${port}`));
  assert.ok(row, `${node} lists a rule for ${port}:\n${out}`);
  return Number(row.trim().split(/\s+/)[0]);
}

before(async () => {
  serve = await startServe(['--speed', '60']);
  await ok(kubectl(['apply', '-f', '-'], `${SEED_DEPLOYMENT_YAML}---\n${SEED_NODEPORT_YAML}`));
  await ok(kubectl(['wait', '--for=condition=Available', 'deployment/hostname-server', '--timeout=60s']));
  const wide = await ok(kubectl(['get', 'pods', '-l', 'app=hostname-server', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName}{"\\n"}{end}']));
  podNode = new Map(wide.trim().split('\n').map((l) => l.split(' ') as [string, string]));
  assert.equal(podNode.size, 2);
});
after(() => serve?.stop());

test('the seed NodePort (app=nginx-app) is refused on every node address, from every node, at once', async () => {
  await Promise.all(
    NODES.map(async (from) => {
      const r = await shell(from, Object.values(NODE_IPS).map((ip) => `curl http://${ip}:30080; echo "rc=$?"`).join('; '));
      assert.equal(r.stdout, 'rc=7\n'.repeat(3), `${from}: ${r.stderr}`);
      assert.equal(r.stderr, Object.values(NODE_IPS).map((ip) => `curl: (7) Failed to connect to ${ip} port 30080 after 0 ms: Couldn't connect to server\n`).join(''));
    }),
  );
});

test('NodePort 30080 selecting the Deployment: every node address answers from every node, both pods, counted where it arrived', async () => {
  await ok(kubectl(['patch', 'service', 'nodeport-hostname-service', '-p', '{"spec":{"selector":{"app":"hostname-server"}}}']));
  const N = 20;
  const before = Object.fromEntries(await Promise.all(NODES.map(async (n) => [n, await nodePortPackets(n, 30080)] as const)));
  for (const from of NODES) {
    await Promise.all(
      NODES.map(async (to) => {
        const out = await ok(shell(from, `for i in $(seq ${N}); do curl -s http://${NODE_IPS[to]}:30080; done`));
        const names = hellos(out);
        assert.equal(names.length, N, `${from} -> ${to}: every request answered`);
        assert.deepEqual([...new Set(names)].sort(), [...podNode.keys()].sort(), `${from} -> ${to}: both pods answer`);
      }),
    );
  }
  // Each node's own KUBE-NODEPORTS rule counted the connections sent to its address, whichever node sent them.
  for (const to of NODES) assert.equal(await nodePortPackets(to, 30080) - before[to]!, N * NODES.length, `${to}'s counter`);
  // The receiving node's conntrack holds the DNAT and its MASQUERADE address; the sender's holds neither. The clock
  // stands still meanwhile: at 60x an entry's 120 s of TIME_WAIT are two seconds.
  await ok(shell('master', 'kubelab clock pause && curl -s -o /dev/null http://192.168.56.12:30080'));
  try {
    const there = await ok(shell('worker2', 'conntrack -L -p tcp --dport 30080 -s 192.168.56.10'));
    assert.match(there, /^tcp {6}6 120 TIME_WAIT src=192\.168\.56\.10 dst=192\.168\.56\.12 sport=(\d+) dport=30080 src=10\.244\.[12]\.\d+ dst=10\.244\.2\.[01] sport=80 dport=\d+ \[ASSURED\] mark=0 use=1$/m);
    const here = await ok(shell('master', 'conntrack -L -p tcp --dport 30080 -d 192.168.56.12'));
    assert.match(here, /^tcp {6}6 120 TIME_WAIT src=192\.168\.56\.10 dst=192\.168\.56\.12 sport=(\d+) dport=30080 src=192\.168\.56\.12 dst=192\.168\.56\.10 sport=30080 dport=\1 \[ASSURED\] mark=0 use=1$/m);
  } finally {
    await ok(shell('master', 'kubelab clock 60x'));
  }
});

test('a pod as the source: kubectl exec <pod> -- curl reaches every node address; the packet arrives with its node\'s address', async () => {
  for (const [pod, home] of podNode) {
    const before = await nodePortPackets('master', 30080);
    const line = Object.values(NODE_IPS).map((ip) => `kubectl exec ${pod} -- curl -s http://${ip}:30080`).join('; ');
    // The clock stands still while we look: at 60x a TIME_WAIT entry's 120 s pass in two seconds of a slow machine.
    await ok(shell('master', 'kubelab clock pause'));
    try {
      const names = hellos(await ok(shell('master', line)));
      assert.equal(names.length, 3, `${pod} on ${home}: every node address answered`);
      assert.equal(await nodePortPackets('master', 30080) - before, 1, 'master counted the one sent to its address');
      const ct = await ok(shell('master', `conntrack -L -p tcp --dport 30080 -s ${NODE_IPS[home]}`));
      assert.match(ct, new RegExp(`src=${NODE_IPS[home]!.replace(/\./g, '\\.')} dst=192\\.168\\.56\\.10 sport=\\d+ dport=30080 `), 'flannel masquerades the pod to its node address');
    } finally {
      await ok(shell('master', 'kubelab clock 60x'));
    }
  }
});

test('externalTrafficPolicy Local from each node: the local endpoint answers, master (none) drops: curl times out', async () => {
  await ok(kubectl(['apply', '-f', '-'], LOCAL_AND_LB_YAML));
  await Promise.all(
    NODES.map(async (from) => {
      const line = NODES.map((to) => `echo "== ${to}"; curl -s -m 1 http://${NODE_IPS[to]}:30081; echo "rc=$?"`).join('; ');
      const sections = (await ok(shell(from, line))).split('== ').slice(1);
      assert.equal(sections.length, NODES.length);
      for (const section of sections) {
        const to = section.slice(0, section.indexOf('\n'));
        const rc = /rc=(\d+)\n$/.exec(section)?.[1];
        if (to === 'master' && from !== 'master') {
          assert.equal(rc, '28', `${from} -> master: no local endpoint, dropped`);
          continue;
        }
        assert.equal(rc, '0', `${from} -> ${to}`);
        const [name] = hellos(section);
        // A node reaching its own address is "route LOCAL traffic": any endpoint. Elsewhere only the local one.
        if (from !== to) assert.equal(podNode.get(name!), to, `${from} -> ${to}: the endpoint on ${to}`);
      }
    }),
  );
});

test('the LoadBalancer IP answers from every node and the closed port 127.0.0.1:8080 is refused at once', async () => {
  let ip = '';
  for (let i = 0; i < 50 && !ip; i++) ip = (await ok(kubectl(['get', 'svc', 'hostname-lb', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}']))).trim();
  assert.match(ip, /^192\.168\.56\.24\d$/);
  await Promise.all(
    NODES.map(async (from) => {
      const names = hellos(await ok(shell(from, `for i in $(seq 10); do curl -s http://${ip}; done`)));
      assert.equal(names.length, 10, `${from} -> ${ip}`);
      const closed = await shell(from, 'curl http://127.0.0.1:8080; echo "rc=$?"');
      assert.equal(closed.stderr, "curl: (7) Failed to connect to 127.0.0.1 port 8080 after 0 ms: Couldn't connect to server\n");
      assert.equal(closed.stdout, 'rc=7\n');
    }),
  );
});
