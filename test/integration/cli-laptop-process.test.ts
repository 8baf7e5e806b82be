/**
 * The learner's road through separate processes: `kubelab serve`, then `kubelab shell` (on the laptop, on nodes that
 * do not exist or are stopped) and every subcommand's --help and bad flags, run as `node bin/kubelab.mjs ...`.
 * Usage errors exit 2 with the usage on stderr; `kubelab kubectl` keeps kubectl's own (exit 1).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServe } from './serve-process.ts';
import { SEED_DEPLOYMENT_YAML } from '../fixtures/seed.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/kubelab.mjs');
const NODE_IPS = { master: '192.168.56.10', worker1: '192.168.56.11', worker2: '192.168.56.12' };

function kubelab(args: string[], env: Record<string, string> = {}, cwd = root) {
  return spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, KUBELAB_FROM_SOURCE: '1', ...env }, timeout: 120_000 });
}

test('every subcommand answers --help with its usage (exit 0) and refuses unknown flags with it on stderr (exit 2)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'kubelab-help-'));
  for (const sub of ['serve', 'shell', 'bench']) {
    const help = kubelab([sub, '--help'], {}, scratch);
    assert.equal(help.status, 0, `${sub} --help: ${help.stderr}`);
    assert.match(help.stdout, new RegExp(`^Usage:\\n  kubelab ${sub} `, 'm'));
    assert.equal(help.stderr, '');
    assert.equal(kubelab(['help', sub], {}, scratch).stdout, help.stdout, `kubelab help ${sub}`);
    const bad = kubelab([sub, '--bogus'], {}, scratch);
    assert.equal(bad.status, 2, `${sub} --bogus`);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /^Error: Unknown option '--bogus'\n\n/);
    assert.ok(bad.stderr.endsWith(help.stdout), `${sub} --bogus prints the usage`);
    const stray = kubelab([sub, 'stray'], {}, scratch);
    assert.equal(stray.status, 2, `${sub} stray`);
  }
  // bench --help printed its usage instead of running the benchmarks (which write bench-results.md).
  assert.ok(!existsSync(join(scratch, 'bench-results.md')), 'no benchmark ran');
  const kubectlHelp = kubelab(['kubectl', '--help'], { KUBECONFIG: join(scratch, 'none') });
  assert.equal(kubectlHelp.status, 0, kubectlHelp.stderr);
  assert.match(kubectlHelp.stdout, /^kubectl controls the Kubernetes cluster manager\./);
  const kubectlBad = kubelab(['kubectl', 'get', '--bogus'], { KUBECONFIG: join(scratch, 'none') });
  assert.deepEqual([kubectlBad.status, kubectlBad.stderr], [1, "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n"]);
  const noLab = kubelab(['kubectl', 'get', 'pods'], { KUBECONFIG: join(scratch, 'none') });
  assert.equal(noLab.status, 1);
  assert.doesNotMatch(noLab.stderr, /ENOENT|\n\s+at /);
  const both = kubelab(['shell', '--laptop', '--node', 'worker1'], {}, scratch);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /^Error: --node and --laptop cannot be used together\n/);
});

let lab: { kubeconfig: string; stop(): Promise<void> };

before(async () => {
  lab = await startServe();
  const applied = spawnSync('kubectl', ['apply', '-f', '-'], {
    input: `${SEED_DEPLOYMENT_YAML}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: nodeport-hostname-service\nspec:\n  type: NodePort\n  selector:\n    app: hostname-server\n  ports:\n  - port: 80\n    targetPort: 80\n    nodePort: 30080\n`,
    encoding: 'utf8', env: { ...process.env, KUBECONFIG: lab.kubeconfig },
  });
  assert.equal(applied.status, 0, applied.stderr);
  const ready = spawnSync('kubectl', ['rollout', 'status', 'deployment/hostname-server', '--timeout=120s'], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: lab.kubeconfig } });
  assert.equal(ready.status, 0, ready.stderr);
});

after(async () => {
  await lab?.stop();
});

const shell = (args: string[]) => kubelab(['shell', '--kubeconfig', lab.kubeconfig, ...args]);

test('kubelab shell --node nosuch is refused before a shell opens, with the lab\'s nodes', () => {
  const oneLine = shell(['--node', 'nosuch', '-c', 'hostname; ip a']);
  assert.deepEqual([oneLine.status, oneLine.stdout, oneLine.stderr], [1, '', 'kubelab: no node "nosuch" (nodes: master, worker1, worker2)\n']);
  const interactive = spawnSync(process.execPath, [bin, 'shell', '--kubeconfig', lab.kubeconfig, '--node', 'nosuch'], { input: 'hostname\n', encoding: 'utf8', env: { ...process.env, KUBELAB_FROM_SOURCE: '1' } });
  assert.deepEqual([interactive.status, interactive.stdout, interactive.stderr], [1, '', 'kubelab: no node "nosuch" (nodes: master, worker1, worker2)\n']);
});

test('kubelab shell --laptop: the learner\'s machine outside the cluster', () => {
  const who = shell(['--laptop', '-c', 'hostname; whoami; echo $HOME; echo $KUBECONFIG; ip r; kubectl get nodes -o name']);
  assert.equal(who.status, 0, who.stderr);
  assert.equal(who.stdout, [
    'laptop', 'learner', '/home/learner', lab.kubeconfig,
    'default via 192.168.0.1 dev wlp2s0 proto dhcp src 192.168.0.23 metric 600 ',
    '192.168.0.0/24 dev wlp2s0 proto kernel scope link src 192.168.0.23 metric 600 ',
    '192.168.56.0/24 dev vboxnet0 proto kernel scope link src 192.168.56.1 ',
    'node/master', 'node/worker1', 'node/worker2', '',
  ].join('\n'));
  // Without a terminal, stdin is the script, as with `ssh node < script`.
  const script = spawnSync(process.execPath, [bin, 'shell', '--kubeconfig', lab.kubeconfig, '--laptop'], { input: 'hostname\nnosuch\nexit 3\n', encoding: 'utf8', env: { ...process.env, KUBELAB_FROM_SOURCE: '1' } });
  assert.deepEqual([script.status, script.stdout, script.stderr], [3, 'laptop\n', 'bash: nosuch: command not found\n']);
  // A NodePort answers on every node IP; root logs in over ssh, the learner's own account does not.
  for (const [node, ip] of Object.entries(NODE_IPS)) {
    const r = shell(['--laptop', '-c', `curl -s http://${ip}:30080 | grep -c Hello; ssh root@${ip} hostname; ssh ${ip}`]);
    assert.equal(r.stdout, `1\n${node}\n`, `${ip}: ${r.stderr}`);
    assert.equal(r.stderr, `learner@${ip}: Permission denied (publickey).\n`);
  }
  // At 60x: a ClusterIP and a pod IP are not routed to the laptop (the SYN is lost), names do not resolve there.
  const podIP = spawnSync('kubectl', ['get', 'pods', '-l', 'app=hostname-server', '-o', 'jsonpath={.items[0].status.podIP}'], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: lab.kubeconfig } }).stdout;
  assert.match(podIP, /^10\.244\.\d+\.\d+$/);
  const lost = shell(['--laptop', '-c', `kubelab clock 60x >/dev/null; curl -sS http://10.96.0.1:443; echo "rc=$?"; ping -c 2 ${podIP} | tail -3; nslookup kubernetes.default; echo "rc=$?"; kubelab clock 1x >/dev/null`]);
  assert.match(lost.stderr, /^curl: \(28\) Failed to connect to 10\.96\.0\.1 port 443 after 13\d{4} ms: Couldn't connect to server\n$/);
  assert.match(lost.stdout, /^rc=28\n/);
  assert.match(lost.stdout, new RegExp(`--- ${podIP.replaceAll('.', '\\.')} ping statistics ---\\n2 packets transmitted, 0 received, 100% packet loss, time \\d+ms\\n\\n`));
  assert.match(lost.stdout, /;; connection timed out; no servers could be reached\n\nrc=1\n$/);
});

test('a stopped node: kubelab shell --node refuses it; from the laptop it answers no ARP', () => {
  const stop = shell(['-c', 'kubelab node stop worker2']);
  assert.equal(stop.stdout, 'node/worker2 stopped\n', stop.stderr);
  try {
    const onIt = shell(['--node', 'worker2', '-c', 'hostname']);
    assert.deepEqual([onIt.status, onIt.stdout, onIt.stderr], [1, '', "kubelab: node \"worker2\" is stopped: start it with 'kubelab node start worker2'\n"]);
    const fromLaptop = shell(['--laptop', '-c', `ssh root@${NODE_IPS.worker2}; traceroute -n ${NODE_IPS.worker2}`]);
    assert.equal(fromLaptop.stderr, `ssh: connect to host ${NODE_IPS.worker2} port 22: No route to host\n`);
    assert.match(fromLaptop.stdout, new RegExp(`^traceroute to ${NODE_IPS.worker2.replaceAll('.', '\\.')} \\(\\S+\\), 30 hops max, 60 byte packets\\n 1  192\\.168\\.56\\.1  30\\d\\d\\.\\d{3} ms !H  30\\d\\d\\.\\d{3} ms !H  30\\d\\d\\.\\d{3} ms !H\\n$`));
  } finally {
    shell(['-c', 'kubelab node start worker2']);
  }
});

test('the lab\'s own command inside the shell: --help per group (exit 0), bad flags and values with its usage (exit 2)', () => {
  const NODE_USAGE = 'Usage:\n  kubelab node add [NAME] | stop NAME | start NAME | restart NAME | remove NAME\n';
  const help = shell(['-c', 'kubelab node --help; kubelab node stop -h']);
  assert.deepEqual([help.status, help.stdout, help.stderr], [0, NODE_USAGE + NODE_USAGE, '']);
  const all = shell(['-c', 'kubelab --help']);
  for (const group of ['node', 'pod', 'clock', 'loadbalancer', 'reset', 'status']) assert.match(all.stdout, new RegExp(`^  kubelab ${group}`, 'm'));
  const flag = shell(['-c', 'kubelab node stop --force worker1']);
  assert.deepEqual([flag.status, flag.stdout, flag.stderr], [2, '', `kubelab: unknown flag: --force\n${NODE_USAGE}`]);
  const speed = shell(['-c', 'kubelab clock 5x']);
  assert.deepEqual([speed.status, speed.stderr], [2, 'kubelab: invalid clock speed "5x"\nUsage:\n  kubelab clock pause|1x|10x|60x\n']);
  const none = shell(['-c', 'kubelab node stop nosuch']);
  assert.deepEqual([none.status, none.stderr], [1, 'kubelab: no node "nosuch" (nodes: master, worker1, worker2)\n']);
});
