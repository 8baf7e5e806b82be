/**
 * Inside pods on the learner's road: `kubelab serve` as its own process and the real kubectl's `exec` into busybox,
 * nginx and agnhost pods. Service names resolve through the pod's resolv.conf and cluster DNS for every client the
 * image has, each image has the tools its real image has (and runc's error, exit 126, for one it lacks), the
 * kubelet's service links are in the environment, and what an exec writes is what the container then serves.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_DEPLOYMENT_YAML, seedManifest } from '../fixtures/seed.ts';
import { startServe } from './serve-process.ts';

const CLIENTS = `apiVersion: v1
kind: Pod
metadata:
  name: bb
spec:
  containers:
  - name: bb
    image: busybox:1.36
    command: ["sleep", "3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27
---
apiVersion: v1
kind: Pod
metadata:
  name: agn
spec:
  containers:
  - name: agn
    image: registry.k8s.io/e2e-test-images/agnhost:2.52
---
apiVersion: v1
kind: Pod
metadata:
  name: loop
spec:
  containers:
  - name: loop
    image: busybox:1.36
    command: ["sh", "-c", "wget -qO- http://clusterip-hostname-service | grep -c Hello; echo $CLUSTERIP_HOSTNAME_SERVICE_SERVICE_PORT; sleep 3600"]
`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
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
const exec = (pod: string, ...argv: string[]) => kubectl(['exec', pod, '--', ...argv]);
const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
let clusterIP = '';
const FQDN = 'clusterip-hostname-service.default.svc.cluster.local';
const RESOLV = 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n';

async function ok(r: Promise<Run>): Promise<string> {
  const done = await r;
  assert.equal(done.code, 0, done.stderr + done.stdout);
  return done.stdout;
}

/** What the real kubectl prints for an exec of a program the image lacks. */
async function lacks(pod: string, tool: string): Promise<void> {
  const r = await exec(pod, tool, '--version');
  assert.deepEqual([r.code, r.stdout, r.stderr], [126,
    `OCI runtime exec failed: exec failed: unable to start container process: exec: "${tool}": executable file not found in $PATH: unknown\n`,
    'command terminated with exit code 126\n'], `${pod} has no ${tool}`);
}

before(async () => {
  serve = await startServe();
  // The Service first: pods started after it get its variables.
  await ok(kubectl(['apply', '-f', '-'], `${SEED_DEPLOYMENT_YAML}---\n${seedManifest('clusterip-service.yaml')}`));
  await ok(kubectl(['apply', '-f', '-'], CLIENTS));
  await ok(kubectl(['wait', '--for=condition=Ready', 'pod/bb', 'pod/web', 'pod/agn', 'pod/loop', '--timeout=90s']));
  await ok(kubectl(['wait', '--for=condition=Available', 'deployment/hostname-server', '--timeout=90s']));
  clusterIP = await ok(kubectl(['get', 'svc', 'clusterip-hostname-service', '-o', 'jsonpath={.spec.clusterIP}']));
});
after(() => serve?.stop());

test('busybox: wget and nslookup of the Service name answer; the applets are there, curl is not', async () => {
  assert.match(await ok(exec('bb', 'wget', '-qO-', 'http://clusterip-hostname-service')), /<p>Hello, {2}hostname-server-/);
  const ns = await ok(exec('bb', 'nslookup', 'clusterip-hostname-service'));
  assert.match(ns, new RegExp(`^Server:\\t\\t10\\.96\\.0\\.10\\nAddress:\\t10\\.96\\.0\\.10:53\\n\\nName:\\t${esc(FQDN)}\\nAddress: ${esc(clusterIP)}\\n`));
  assert.equal(await ok(exec('bb', 'cat', '/etc/resolv.conf')), RESOLV);
  const tools = await ok(exec('bb', 'sh', '-c', 'cat /etc/hostname; ls /etc | grep -c resolv; head -1 /etc/hosts; tail -1 /etc/hostname | wc -l; ps; ip addr | grep -c "inet "; which vi sleep nc'));
  assert.match(tools, /^bb\n1\n# Kubernetes-managed hosts file\.\n1\nPID {3}USER {5}TIME {2}COMMAND\n {4}1 root {6}0:00 sleep 3600\n {4}7 root {6}0:00 sh -c [^\n]+\n {3}13 root {6}0:00 ps\n2\n\/bin\/vi\n\/bin\/sleep\n\/bin\/nc\n$/);
  const podIP = await ok(kubectl(['get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}']));
  assert.match(await ok(exec('bb', 'ping', '-c', '1', podIP)), new RegExp(`^PING ${esc(podIP)} \\(${esc(podIP)}\\): 56 data bytes\\n64 bytes from ${esc(podIP)}: seq=0 `));
  const probe = await exec('bb', 'nc', '-zv', 'clusterip-hostname-service', '80');
  assert.deepEqual([probe.code, probe.stderr], [0, `clusterip-hostname-service (${clusterIP}:80) open\n`]);
  await lacks('bb', 'curl');
  await lacks('bb', 'getent');
  const inShell = await exec('bb', 'sh', '-c', 'curl -s http://clusterip-hostname-service');
  assert.deepEqual([inShell.code, inShell.stderr], [127, 'sh: curl: not found\ncommand terminated with exit code 127\n']);
});

test('a busybox container\'s own command resolves the Service name too, and sees its variables', async () => {
  let logs = '';
  for (let i = 0; i < 50 && !logs.includes('80'); i++) logs = await ok(kubectl(['logs', 'loop']));
  assert.equal(logs, '1\n80\n');
});

test('the kubelet\'s service links are in every container\'s environment', async () => {
  for (const pod of ['bb', 'web', 'agn']) {
    const env = await ok(exec(pod, 'sh', '-c', 'env | grep SERVICE | sort'));
    assert.equal(env, [
      `CLUSTERIP_HOSTNAME_SERVICE_PORT=tcp://${clusterIP}:80`, `CLUSTERIP_HOSTNAME_SERVICE_PORT_80_TCP=tcp://${clusterIP}:80`,
      `CLUSTERIP_HOSTNAME_SERVICE_PORT_80_TCP_ADDR=${clusterIP}`, 'CLUSTERIP_HOSTNAME_SERVICE_PORT_80_TCP_PORT=80', 'CLUSTERIP_HOSTNAME_SERVICE_PORT_80_TCP_PROTO=tcp',
      `CLUSTERIP_HOSTNAME_SERVICE_SERVICE_HOST=${clusterIP}`, 'CLUSTERIP_HOSTNAME_SERVICE_SERVICE_PORT=80',
      'KUBERNETES_SERVICE_HOST=10.96.0.1', 'KUBERNETES_SERVICE_PORT=443', 'KUBERNETES_SERVICE_PORT_HTTPS=443', '',
    ].join('\n'), pod);
    const links = await ok(exec(pod, 'env'));
    assert.match(links, new RegExp(`^CLUSTERIP_HOSTNAME_SERVICE_PORT_80_TCP_ADDR=${esc(clusterIP)}$`, 'm'));
    assert.match(links, /^KUBERNETES_PORT=tcp:\/\/10\.96\.0\.1:443$/m);
    assert.match(links, new RegExp(`^HOSTNAME=${pod}$`, 'm'));
  }
});

test('nginx (Debian): curl and getent answer by name, coreutils are there, ping/ps/wget are not', async () => {
  assert.equal(await ok(exec('web', 'sh', '-c', 'curl -s http://clusterip-hostname-service | grep -c Hello')), '1\n');
  assert.equal(await ok(exec('web', 'getent', 'hosts', 'clusterip-hostname-service')), `${clusterIP.padEnd(15)} ${FQDN}\n`);
  assert.equal(await ok(exec('web', 'head', '-1', '/etc/resolv.conf')), RESOLV.split('\n')[0] + '\n');
  assert.equal(await ok(exec('web', 'cat', '/etc/resolv.conf')), RESOLV);
  for (const tool of ['ping', 'ps', 'wget', 'nslookup', 'ip', 'vi']) await lacks('web', tool);
  const dash = await exec('web', 'sh', '-c', 'ping -c 1 10.96.0.10');
  assert.deepEqual([dash.code, dash.stderr], [127, 'sh: 1: ping: not found\ncommand terminated with exit code 127\n']);
});

test('what an exec writes into nginx\'s html is what nginx serves to another pod', async () => {
  await ok(exec('web', 'sh', '-c', 'echo written-by-exec > /usr/share/nginx/html/index.html'));
  const ip = await ok(kubectl(['get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}']));
  assert.equal(await ok(exec('bb', 'wget', '-qO-', `http://${ip}/`)), 'written-by-exec\n');
  assert.equal(await ok(kubectl(['exec', '-i', 'bb', '--', 'sh'], 'cd /tmp\necho hi > note\ncat /tmp/note; pwd\n')), 'hi\n/tmp\n');
});

test('agnhost (alpine + bind-tools, curl, iproute2): BIND nslookup and dig, curl, bash', async () => {
  const ns = await ok(exec('agn', 'nslookup', 'clusterip-hostname-service'));
  assert.equal(ns, `Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\t${FQDN}\nAddress: ${clusterIP}\n\n`);
  assert.equal(await ok(exec('agn', 'dig', '+short', FQDN)), `${clusterIP}\n`);
  assert.equal(await ok(exec('agn', 'bash', '-c', 'curl -s clusterip-hostname-service | grep -c Hello')), '1\n');
  assert.equal(await ok(exec('agn', 'cat', '/etc/resolv.conf')), RESOLV);
  await lacks('agn', 'vim');
});

test('externalTrafficPolicy Local on a LoadBalancer: the API server allocates the health-check node port, and frees it', async () => {
  await ok(kubectl(['apply', '-f', '-'], seedManifest('loadbalancer-service.yaml')));
  const patched = await kubectl(['patch', 'svc', 'loadbalancer-hostname-service', '-p', '{"spec":{"externalTrafficPolicy":"Local"}}']);
  assert.deepEqual([patched.code, patched.stdout, patched.stderr], [0, 'service/loadbalancer-hostname-service patched\n', '']);
  const port = Number(await ok(kubectl(['get', 'svc', 'loadbalancer-hostname-service', '-o', 'jsonpath={.spec.healthCheckNodePort}'])));
  assert.ok(port >= 30000 && port <= 32767, String(port));
  assert.match(await ok(kubectl(['describe', 'svc', 'loadbalancer-hostname-service'])), new RegExp(`^HealthCheck NodePort:\\s+${port}$`, 'm'));
  await ok(kubectl(['patch', 'svc', 'loadbalancer-hostname-service', '-p', '{"spec":{"externalTrafficPolicy":"Cluster"}}']));
  assert.equal(await ok(kubectl(['get', 'svc', 'loadbalancer-hostname-service', '-o', 'jsonpath={.spec.healthCheckNodePort}'])), '');
});

test('kubectl exec -it bb -- sh in a terminal: the prompt, a line at a time, exit', async () => {
  const pty = await import('node-pty');
  const term = pty.spawn('kubectl', [`--kubeconfig=${serve.kubeconfig}`, `--cache-dir=${cacheDir}`, 'exec', '-it', 'bb', '--', 'sh'], { cols: 100, rows: 30, env: process.env as Record<string, string> });
  let screen = '';
  term.onData((d) => (screen += d));
  const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
  const until = async (re: RegExp, from: number) => {
    for (let i = 0; i < 200 && !re.test(screen.slice(from)); i++) await new Promise((r) => setTimeout(r, 50));
    assert.match(screen.slice(from), re);
  };
  try {
    await until(/\/ # $/, 0);
    let mark = screen.length;
    term.write('wget -qO- clusterip-hostname-service | grep -c Hello\r');
    await until(/\r\n1\r\n\/ # $/, mark);
    mark = screen.length;
    term.write('cd /etc; cat resolv.conf | tail -1; nosuch\r');
    await until(/\r\noptions ndots:5\r\nsh: nosuch: not found\r\n\/etc # $/, mark);
    term.write('exit 3\r');
    assert.equal(await exited, 3);
  } finally {
    term.kill();
  }
});
