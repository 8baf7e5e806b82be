/**
 * The laptop's shell (an Ubuntu laptop on the workshop's offline Wi-Fi, vboxnet0 on the node network): what its
 * tools print, byte for byte, and how long they take on the lab clock. Node and load-balancer IPs answer; ClusterIPs
 * and pod IPs are lost beyond the access point; names time out at systemd-resolved; ssh root@<node IP> logs in.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ShellPlace } from '../../src-main/shell/commands/index.ts';
import { SERVICES, service, until } from './network-fixture.ts';
import { openLaptopTerminal, runAt, startShellLab, type ShellLab } from './shell-fixture.ts';

const laptop: ShellPlace = { kind: 'laptop' };
const kubeconfigPath = join(mkdtempSync(join(tmpdir(), 'kubelab-laptop-')), 'kubeconfig');
let s: ShellLab;
let lbIP: string;

before(async () => {
  writeFileSync(kubeconfigPath, 'apiVersion: v1\nkind: Config\ncurrent-context: kubelab\n');
  s = await startShellLab({ kubeconfigPath, laptopListeners: () => [{ local: '127.0.0.1:41234', pid: 4242, fd: 21 }] });
  s.lab.reg.create(SERVICES, 'default', service('lb', { type: 'LoadBalancer', selector: { app: 'hostname-server' }, ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }] }));
  await until(s.lab, () => {
    const ingress = (s.lab.reg.get(SERVICES, 'default', 'lb') as { status?: { loadBalancer?: { ingress?: Array<{ ip: string }> } } }).status?.loadBalancer?.ingress;
    lbIP = ingress?.[0]?.ip ?? '';
    return lbIP !== '';
  }, 30, 'a load-balancer IP');
  await s.lab.cluster.settle();
});
after(() => s.close());

const at = (line: string) => runAt(s, laptop, line);

test('who and where: learner@laptop, its interfaces and routes, resolv.conf and hosts', async () => {
  const t = await openLaptopTerminal(s);
  try {
    assert.equal(await t.step('cd /tmp\r', /learner@laptop:\/tmp\$ $/), 'cd /tmp\r\nlearner@laptop:/tmp$ ');
    assert.equal(await t.step('cd; echo $KUBECONFIG\r', /learner@laptop:~\$ $/), `cd; echo $KUBECONFIG\r\n${kubeconfigPath}\r\nlearner@laptop:~$ `);
  } finally {
    t.close();
  }
  const ids = await at('hostname; hostname -I; whoami; id; cat $KUBECONFIG | head -2');
  assert.equal(ids.stdout, 'laptop\n192.168.0.23 192.168.56.1 \nlearner\nuid=1000(learner) gid=1000(learner) groups=1000(learner),4(adm),24(cdrom),27(sudo),30(dip),46(plugdev),100(users),114(lpadmin)\napiVersion: v1\nkind: Config\n');
  const addr = await at('ip a');
  assert.equal(addr.stdout.split('\n').filter((l) => /^\d+: /.test(l)).map((l) => l.split(':')[1]!.trim()).join(' '), 'lo enp0s31f6 wlp2s0 vboxnet0');
  assert.match(addr.stdout, /^ {4}inet 192\.168\.0\.23\/24 brd 192\.168\.0\.255 scope global dynamic noprefixroute wlp2s0\n {7}valid_lft \d+sec preferred_lft \d+sec\n/m);
  const v4 = await at('ip -4 a show vboxnet0; ip link show dev vboxnet0; ip a show wlan0');
  assert.equal(v4.stdout, [
    '4: vboxnet0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000',
    '    inet 192.168.56.1/24 brd 192.168.56.255 scope global vboxnet0',
    '       valid_lft forever preferred_lft forever',
    '4: vboxnet0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000',
    '    link/ether 0a:00:27:00:00:00 brd ff:ff:ff:ff:ff:ff', ''].join('\n'));
  assert.equal(v4.stderr, 'Device "wlan0" does not exist.\n');
  const files = await at('tail -3 /etc/resolv.conf; cat /etc/hosts | head -2');
  assert.equal(files.stdout, 'nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n127.0.0.1\tlocalhost\n127.0.1.1\tlaptop\n');
  const ss = await at('ss -tlnp');
  assert.match(ss.stdout, /^LISTEN 0 {6}4096 {7}127\.0\.0\.1:631 {8}0\.0\.0\.0:\* {3}\n/m, 'another user\'s process is not shown');
  assert.match(ss.stdout, /^LISTEN 0 {6}4096 {7}127\.0\.0\.1:41234 {6}0\.0\.0\.0:\* {3}users:\(\("node",pid=4242,fd=21\)\)\n/m, 'kubelab is the learner\'s own');
  const root = await at('iptables -t nat -L -n; echo "rc=$?"');
  assert.equal(root.stderr, 'iptables v1.8.10 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n');
  assert.equal(root.stdout, 'rc=4\n');
});

test('node IPs and the load-balancer IP answer; a ClusterIP and a pod IP time out as the kernel gives up', async () => {
  for (const h of s.lab.cluster.nodes()) {
    const r = await at(`curl -s -o /dev/null -w '%{http_code} %{remote_ip}' http://${h.plan.ip}:30080/`);
    assert.equal(r.stdout, `200 ${h.plan.ip}`, `${h.name}: ${r.stderr}`);
  }
  assert.match((await at(`wget -qO- http://${lbIP} | grep Hello`)).stdout, /Hello, {2}hostname-server-/);
  const started = s.lab.cluster.clock.now();
  const cluster = await at(`curl -sS http://${s.clusterIP}`);
  assert.equal(cluster.status, 28);
  assert.equal(cluster.stderr, `curl: (28) Failed to connect to ${s.clusterIP} port 80 after 130001 ms: Couldn't connect to server\n`);
  assert.ok(s.lab.cluster.clock.now() - started >= 130_000, 'curl sat out the SYN retries on the lab clock');
  const podIP = s.pods[0]!.status!.podIP!;
  const short = await at(`curl -sS -m 5 http://${podIP}; ping -c 3 ${podIP}`);
  assert.equal(short.stderr, 'curl: (28) Connection timed out after 5001 milliseconds\n');
  assert.match(short.stdout, new RegExp(`^PING ${podIP.replaceAll('.', '\\.')} \\(${podIP.replaceAll('.', '\\.')}\\) 56\\(84\\) bytes of data\\.\\n\\n--- ${podIP.replaceAll('.', '\\.')} ping statistics ---\\n3 packets transmitted, 0 received, 100% packet loss, time \\d+ms\\n\\n$`));
  const node = await at('ping -c 2 192.168.56.11');
  assert.match(node.stdout, /^64 bytes from 192\.168\.56\.11: icmp_seq=1 ttl=64 time=\d\.\d{3} ms\n64 bytes from 192\.168\.56\.11: icmp_seq=2 ttl=64 time=\d\.\d{3} ms\n/m);
  const unused = await at('curl -sS http://192.168.56.99; ping -c 2 192.168.56.99');
  // No ARP answer: EHOSTUNREACH after three probes a second apart (the lab clock moves in 1 s steps here).
  const arp = /^curl: \(7\) Failed to connect to 192\.168\.56\.99 port 80 after (\d+) ms: Couldn't connect to server\n$/.exec(unused.stderr);
  assert.ok(arp && Number(arp[1]) > 3070 && Number(arp[1]) <= 4001, unused.stderr);
  assert.match(unused.stdout, /^From 192\.168\.56\.1 icmp_seq=1 Destination Host Unreachable\nFrom 192\.168\.56\.1 icmp_seq=2 Destination Host Unreachable\n\n--- 192\.168\.56\.99 ping statistics ---\n2 packets transmitted, 0 received, \+2 errors, 100% packet loss, time \d+ms\n/m);
});

test('names: cluster DNS is not the laptop\'s resolver, and systemd-resolved\'s upstream never answers', async () => {
  const started = s.lab.cluster.clock.now();
  const ns = await at('nslookup kubernetes.default');
  assert.deepEqual([ns.status, ns.stdout, ns.stderr], [1, ';; connection timed out; no servers could be reached\n\n', '']);
  assert.ok(s.lab.cluster.clock.now() - started >= 15_000, 'bind\'s nslookup tries three times, 5 s each');
  const direct = await at('nslookup kubernetes.default.svc.cluster.local 10.96.0.10');
  assert.equal(direct.stdout, ';; connection timed out; no servers could be reached\n\n', 'CoreDNS behind its ClusterIP is not reachable from outside');
  const clients = await at('curl -sS http://clusterip-hostname-service; ping -c 1 clusterip-hostname-service; ssh worker1; host kubernetes');
  assert.equal(clients.stderr, [
    'curl: (6) Could not resolve host: clusterip-hostname-service',
    'ping: clusterip-hostname-service: Temporary failure in name resolution',
    'ssh: Could not resolve hostname worker1: Temporary failure in name resolution', ''].join('\n'));
  assert.equal(clients.stdout, ';; connection timed out; no servers could be reached\n');
  const gw = await at('dig +short _gateway; host _gateway');
  assert.equal(gw.stdout, '192.168.0.1\n_gateway has address 192.168.0.1\n', 'resolved synthesizes the gateway\'s name');
});

test('traceroute: one hop to a node, the announcing node for a load-balancer IP, lost beyond the access point', async () => {
  const toNode = await at('traceroute -n 192.168.56.11');
  assert.match(toNode.stdout, /^traceroute to 192\.168\.56\.11 \(192\.168\.56\.11\), 30 hops max, 60 byte packets\n 1  192\.168\.56\.11  0\.\d{3} ms  0\.\d{3} ms  0\.\d{3} ms\n$/);
  const started = s.lab.cluster.clock.now();
  const named = await at('traceroute 192.168.56.11');
  assert.match(named.stdout, /\n 1  192\.168\.56\.11 \(192\.168\.56\.11\) {2}0\.\d{3} ms/, 'no name for a node: the reverse lookup timed out');
  assert.ok(s.lab.cluster.clock.now() - started >= 10_000, 'the reverse lookup waited on the resolver');
  const announcer = s.lab.cluster.network.locate('laptop', lbIP).node!;
  const lb = await at(`traceroute -n -m 4 ${lbIP}`);
  assert.equal(lb.stdout.replace(/\d+\.\d{3} ms/g, 'T ms'), `traceroute to ${lbIP} (${lbIP}), 4 hops max, 60 byte packets\n 1  ${announcer.plan.ip}  T ms  T ms  T ms\n 2  * * *\n 3  * * *\n 4  * * *\n`);
  const out = await at(`traceroute ${s.clusterIP}`);
  const lines = out.stdout.split('\n');
  assert.equal(lines[0], `traceroute to ${s.clusterIP} (${s.clusterIP}), 30 hops max, 60 byte packets`);
  assert.match(lines[1]!, /^ 1  _gateway \(192\.168\.0\.1\) {2}\d\.\d{3} ms {2}\d\.\d{3} ms {2}\d\.\d{3} ms$/);
  assert.deepEqual(lines.slice(2, 31), Array.from({ length: 29 }, (_, i) => `${String(i + 2).padStart(2)}  * * *`));
  const bad = await at('traceroute -Z x; traceroute nosuch.example');
  assert.equal(bad.stderr, "Bad option `-Z' (argc 1)\nnosuch.example: Temporary failure in name resolution\nCannot handle \"host\" cmdline arg `nosuch.example' on position 1 (argc 1)\n");
});

test('ssh root@<node IP> lands in the node\'s shell and comes back; a node that stops under it closes the connection', async () => {
  const t = await openLaptopTerminal(s);
  try {
    await t.step('ssh root@192.168.56.11\r', /root@worker1:~# $/);
    assert.equal(await t.step('hostname\r', /root@worker1:~# $/), 'hostname\r\nworker1\r\nroot@worker1:~# ');
    assert.equal(await t.step('exit\r', /learner@laptop:~\$ $/), 'exit\r\nlogout\r\nConnection to 192.168.56.11 closed.\r\nlearner@laptop:~$ ');
    assert.match(await t.step('kubectl get nodes -o name\r', /learner@laptop:~\$ $/), /node\/master\r\nnode\/worker1\r\nnode\/worker2\r\n/);
    const pod = s.pods[0]!.metadata!.name!;
    // takytaky/hostname is Debian: dash's prompt.
    await t.step(`kubectl exec -it ${pod} -- sh\r`, /\r\n# $/);
    assert.equal(await t.step('hostname\r', /\n# $/), `hostname\r\n${pod}\r\n# `);
    assert.equal(await t.step('exit\r', /learner@laptop:~\$ $/), 'exit\r\nlearner@laptop:~$ ');
    await t.step('ssh root@192.168.56.12\r', /root@worker2:~# $/);
    await s.lab.cluster.stopNode('worker2');
    assert.equal(await t.step('hostname\r', /learner@laptop:~\$ $/), 'hostname\r\nConnection to 192.168.56.12 closed by remote host.\r\nConnection to 192.168.56.12 closed.\r\nlearner@laptop:~$ ');
    assert.match(await t.step('echo $?\r', /learner@laptop:~\$ $/), /\r\n255\r\n/);
  } finally {
    t.close();
    await s.lab.cluster.startNode('worker2');
  }
});
