/**
 * The diagnostic tools of a node and of a pod against the seed's cluster on real node workers: DNS lookups (bind9's
 * nslookup/dig/host on nodes, BusyBox nslookup in pods), ping, ip addr/route/link, iptables/iptables-save/conntrack
 * from the node's own tables, ss, hostname and the files a place sees.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runAt, startShellLab, type ShellLab } from './shell-fixture.ts';

let s: ShellLab;
before(async () => { s = await startShellLab(); });
after(() => s.close());

const FQDN = 'clusterip-hostname-service.default.svc.cluster.local';
const node = (name: string) => ({ kind: 'node' as const, node: name });
const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const podIP = (i: number) => s.pods[i]!.status!.podIP!;
const podNode = (i: number) => s.pods[i]!.spec!.nodeName!;
/** The busybox client pod's address and node (`s.client`). */
const clientIP = () => s.clientPod.status!.podIP!;
const clientNode = () => s.clientPod.spec!.nodeName!;

test('dig: full answer from CoreDNS, +short, -x, NXDOMAIN status, and a silent server\'s timeouts (exit 9)', async () => {
  const full = await runAt(s, s.master, `dig @10.96.0.10 ${FQDN}`);
  assert.equal(full.status, 0, full.stderr);
  assert.match(full.stdout, new RegExp(`^\\n; <<>> DiG 9\\.18\\.30-0ubuntu0\\.24\\.04\\.2-Ubuntu <<>> @10\\.96\\.0\\.10 ${esc(FQDN)}\\n;; global options: \\+cmd\\n;; Got answer:\\n;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: \\d+\\n`));
  assert.match(full.stdout, new RegExp(`;; ANSWER SECTION:\\n${esc(FQDN)}\\.\\s+30\\s+IN\\s+A\\s+${esc(s.clusterIP)}\\n`));
  assert.match(full.stdout, /;; SERVER: 10\.96\.0\.10#53\(10\.96\.0\.10\) \(UDP\)\n/);
  assert.equal((await runAt(s, s.master, `dig +short ${FQDN} @10.96.0.10`)).stdout, `${s.clusterIP}\n`);
  assert.equal((await runAt(s, s.master, 'dig +short -x 10.96.0.1 @10.96.0.10')).stdout, 'kubernetes.default.svc.cluster.local.\n');
  const nx = await runAt(s, s.master, 'dig @10.96.0.10 nosuch.default.svc.cluster.local');
  assert.match(nx.stdout, /status: NXDOMAIN/);
  assert.match(nx.stdout, /;; AUTHORITY SECTION:\ncluster\.local\.\s+30\s+IN\s+SOA\s+ns\.dns\.cluster\.local\. hostmaster\.cluster\.local\./);
  const start = s.lab.cluster.clock.now();
  const silent = await runAt(s, s.master, `dig +short @10.96.0.99 ${FQDN}`);
  assert.equal(silent.status, 9);
  assert.equal(silent.stdout, ';; communications error to 10.96.0.99#53: timed out\n'.repeat(3) + ';; no servers could be reached\n');
  assert.ok(s.lab.cluster.clock.now() - start >= 15_000, 'three tries of 5 s');
});

test('host and nslookup: node tools ask systemd-resolved unless given 10.96.0.10; pods search their namespace', async () => {
  const viaDns = await runAt(s, s.master, `host ${FQDN} 10.96.0.10`);
  assert.deepEqual([viaDns.status, viaDns.stdout], [0, `Using domain server:\nName: 10.96.0.10\nAddress: 10.96.0.10#53\nAliases: \n\n${FQDN} has address ${s.clusterIP}\n`]);
  const stub = await runAt(s, s.master, 'host clusterip-hostname-service');
  assert.deepEqual([stub.status, stub.stdout], [1, 'Host clusterip-hostname-service not found: 3(NXDOMAIN)\n']);
  const bind = await runAt(s, s.master, `nslookup ${FQDN} 10.96.0.10`);
  assert.equal(bind.status, 0);
  assert.equal(bind.stdout, `Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\t${FQDN}\nAddress: ${s.clusterIP}\n\n`);
  const busybox = await runAt(s, s.client, 'nslookup clusterip-hostname-service');
  assert.match(busybox.stdout, new RegExp(`^Server:\\t\\t10\\.96\\.0\\.10\\nAddress:\\t10\\.96\\.0\\.10:53\\n\\nName:\\t${esc(FQDN)}\\nAddress: ${esc(s.clusterIP)}\\n`));
  const missing = await runAt(s, s.client, 'nslookup nosuch');
  assert.equal(missing.status, 1);
  assert.match(missing.stdout, /\*\* server can't find nosuch\.default\.svc\.cluster\.local: NXDOMAIN\n/);
});

test('kubectl exec POD -- nslookup|wget: the pod shell\'s tools, from the pod, as `kubectl exec -it POD -- sh` runs them', async () => {
  // The busybox client: takytaky/hostname (Debian) has neither nslookup nor wget.
  const pod = s.clientPod.metadata!.name!;
  const viaExec = await runAt(s, s.master, `kubectl exec ${pod} -- nslookup clusterip-hostname-service`);
  const inShell = await runAt(s, s.client, 'nslookup clusterip-hostname-service');
  assert.deepEqual([viaExec.status, viaExec.stdout, viaExec.stderr], [0, inShell.stdout, '']);
  const nx = await runAt(s, s.master, `kubectl exec ${pod} -- nslookup nosuch`);
  assert.equal(nx.status, 1);
  assert.match(nx.stdout, /\*\* server can't find nosuch: NXDOMAIN\n/);
  assert.equal(nx.stderr, 'command terminated with exit code 1\n');
  const page = await runAt(s, s.master, `kubectl exec ${pod} -- wget -qO- 'http://clusterip-hostname-service/' | grep -c Hello`);
  assert.deepEqual([page.status, page.stdout], [0, '1\n']);
});

test('ping: TTL counts the routers on the way back; a ClusterIP answers no echo; unknown names', async () => {
  const peer = await runAt(s, s.master, 'ping -c 2 192.168.56.11');
  assert.equal(peer.status, 0);
  assert.match(peer.stdout, /^PING 192\.168\.56\.11 \(192\.168\.56\.11\) 56\(84\) bytes of data\.\n64 bytes from 192\.168\.56\.11: icmp_seq=1 ttl=64 time=\d+\.\d{3} ms\n64 bytes from 192\.168\.56\.11: icmp_seq=2 ttl=64 /);
  assert.match(peer.stdout, /\n--- 192\.168\.56\.11 ping statistics ---\n2 packets transmitted, 2 received, 0% packet loss, time \d+ms\nrtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms\n$/);
  const other = s.pods.findIndex((p) => p.spec!.nodeName !== 'master');
  const remotePod = await runAt(s, s.master, `ping -c 1 ${podIP(other)}`);
  assert.match(remotePod.stdout, new RegExp(`icmp_seq=1 ttl=63 `), 'the pod\'s node forwards the reply');
  const self = await runAt(s, s.client, `ping -c 1 ${clientIP()}`);
  assert.match(self.stdout, new RegExp(`^PING ${esc(clientIP())} \\(${esc(clientIP())}\\): 56 data bytes\\n64 bytes from ${esc(clientIP())}: seq=0 ttl=64 `));
  const farPod = s.pods.findIndex((p) => p.spec!.nodeName !== clientNode());
  assert.ok(farPod >= 0, 'a seed pod runs on another node than the client');
  assert.match((await runAt(s, s.client, `ping -c 1 ${podIP(farPod)}`)).stdout, /seq=0 ttl=62 /, 'two nodes forward pod to pod');
  const vip = await runAt(s, s.master, `ping -c 2 ${s.clusterIP}`);
  assert.equal(vip.status, 1);
  assert.match(vip.stdout, /2 packets transmitted, 0 received, 100% packet loss, time \d+ms\n\n$/);
  const unknown = await runAt(s, s.master, 'ping -c 1 nosuch');
  assert.deepEqual([unknown.status, unknown.stderr], [2, 'ping: nosuch: Name or service not known\n']);
  const busybox = await runAt(s, s.client, 'ping -c 1 nosuch');
  assert.deepEqual([busybox.status, busybox.stderr], [1, "ping: bad address 'nosuch'\n"]);
});

test('ip addr, ip route, ip link: the node\'s interfaces and flannel routes; the pod\'s eth0 pairs with its node\'s veth', async () => {
  const addr = await runAt(s, s.master, 'ip addr');
  assert.match(addr.stdout, /^1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n/);
  assert.match(addr.stdout, /\n2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000\n    link\/ether 08:00:27(:[0-9a-f]{2}){3} brd ff:ff:ff:ff:ff:ff\n    inet 192\.168\.56\.10\/24 brd 192\.168\.56\.255 scope global eth0\n/);
  assert.match(addr.stdout, /\n3: flannel\.1: [^\n]+mtu 1450[^\n]*\n[^\n]+\n    inet 10\.244\.0\.0\/32 scope global flannel\.1\n/);
  assert.match(addr.stdout, /\n4: cni0: [^\n]+\n[^\n]+\n    inet 10\.244\.0\.1\/24 brd 10\.244\.0\.255 scope global cni0\n/);
  assert.equal((await runAt(s, s.master, 'ip a | grep -c "inet "')).stdout, '4\n', 'lo, eth0, flannel.1, cni0');
  const route = await runAt(s, node('worker1'), 'ip r');
  assert.equal(route.stdout, [
    'default via 192.168.56.1 dev eth0 proto static ', '10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink ',
    '10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1', '10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink ',
    '192.168.56.0/24 dev eth0 proto kernel scope link src 192.168.56.11 ', '',
  ].join('\n'));
  assert.doesNotMatch((await runAt(s, s.master, 'ip link')).stdout, /inet /);
  // The pod's side: eth0@ifN is the N of its veth on the node, whose own peer is @if2 (the pod's eth0).
  const inPod = await runAt(s, s.client, 'ip addr');
  const peer = /\n2: eth0@if(\d+): /.exec(inPod.stdout)?.[1];
  assert.ok(peer, inPod.stdout);
  assert.match(inPod.stdout, new RegExp(`    inet ${esc(clientIP())}/24 brd [\\d.]+ scope global eth0\\n`));
  const onNode = await runAt(s, node(clientNode()), 'ip addr');
  assert.match(onNode.stdout, new RegExp(`\\n${peer}: veth[0-9a-f]{8}@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master cni0 state UP`));
  const podRoute = await runAt(s, s.client, 'ip route');
  const gw = clientIP().replace(/\.\d+$/, '.1');
  assert.equal(podRoute.stdout, `default via ${gw} dev eth0 \n10.244.0.0/16 via ${gw} dev eth0 \n${clientIP().replace(/\.\d+$/, '.0')}/24 dev eth0 scope link  src ${clientIP()} \n`);
  assert.deepEqual(Object.values(await runAt(s, s.master, 'ip foo')), [1, '', 'Object "foo" is unknown, try "ip help".\n']);
});

test('iptables, iptables-save and conntrack read the node\'s own tables', async () => {
  const list = await runAt(s, s.master, 'iptables -t nat -L KUBE-SERVICES -n');
  assert.match(list.stdout, /^Chain KUBE-SERVICES \(2 references\)\ntarget +prot opt source +destination +\n/);
  assert.match(list.stdout, new RegExp(`KUBE-SVC-[A-Z2-7]{16} +tcp +-- +0\\.0\\.0\\.0/0 +${esc(s.clusterIP)} +/\\* default/clusterip-hostname-service cluster IP \\*/ tcp dpt:80\\n`));
  const save = await runAt(s, node('worker2'), 'iptables-save -t nat');
  assert.match(save.stdout, /^# Generated by iptables-save v1\.8\.10 \(nf_tables\) on \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\n\*nat\n/);
  assert.match(save.stdout, /\n-A KUBE-NODEPORTS -p tcp -m comment --comment "default\/nodeport-hostname-service" -m tcp --dport 30080 -j KUBE-EXT-[A-Z2-7]{16}\n/);
  assert.match(save.stdout, /\nCOMMIT\n# Completed on .+\n$/);
  assert.deepEqual(Object.values(await runAt(s, s.master, 'iptables -t nat')), [2, '', "iptables v1.8.10 (nf_tables): no command specified\nTry `iptables -h' or 'iptables --help' for more information.\n"]);
  assert.equal((await runAt(s, s.master, 'iptables-save -t bogus')).status, 1);
  // A connection from the node through the ClusterIP leaves its DNAT in the node's conntrack table.
  const curl = await runAt(s, s.master, `curl -s -o /dev/null http://${s.clusterIP}/ && conntrack -L -p tcp -d ${s.clusterIP}`);
  assert.equal(curl.status, 0, curl.stderr);
  const endpoints = s.pods.map((p) => esc(p.status!.podIP!)).join('|');
  assert.match(curl.stdout, new RegExp(`^tcp +6 \\d+ TIME_WAIT src=192\\.168\\.56\\.10 dst=${esc(s.clusterIP)} sport=\\d+ dport=80 src=(${endpoints}) dst=[\\d.]+ sport=80 dport=\\d+ \\[ASSURED\\] mark=0 use=1\\n$`));
  assert.equal(curl.stderr, 'conntrack v1.4.8 (conntrack-tools): 1 flow entries have been shown.\n');
  assert.match((await runAt(s, s.master, 'conntrack -C')).stdout, /^[1-9]\d*\n$/);
  assert.equal((await runAt(s, node('worker2'), `conntrack -L -s 192.168.56.10 -d ${s.clusterIP}`)).stderr, 'conntrack v1.4.8 (conntrack-tools): 0 flow entries have been shown.\n', 'each node has its own table (a client pod on worker2 may have its own flows there)');
  assert.equal((await runAt(s, s.master, 'conntrack -X')).status, 2);
});

test('ss -tlnp: the node\'s listeners (apiserver and etcd only on the control plane, no NodePort sockets)', async () => {
  const master = await runAt(s, s.master, 'ss -tlnp');
  assert.match(master.stdout, /^State +Recv-Q +Send-Q +Local Address:Port +Peer Address:PortProcess\n/);
  assert.match(master.stdout, /\nLISTEN 0 +4096 +\*:6443 +\*:\* +users:\(\("kube-apiserver",pid=\d+,fd=\d+\)\)\n/);
  assert.match(master.stdout, /\nLISTEN 0 +4096 +\*:10250 +\*:\* +users:\(\("kubelet",/);
  const worker = await runAt(s, node('worker1'), 'ss -tln');
  assert.doesNotMatch(worker.stdout, /:6443|:2379|users:/);
  assert.doesNotMatch(worker.stdout + master.stdout, /:30080/);
});

test('hostname, /etc/hostname, /etc/resolv.conf and /etc/hosts on a node and in a pod', async () => {
  assert.equal((await runAt(s, node('worker2'), 'hostname; cat /etc/hostname')).stdout, 'worker2\nworker2\n');
  assert.equal((await runAt(s, s.master, 'hostname -I')).stdout, '192.168.56.10 10.244.0.0 10.244.0.1 \n', 'eth0, flannel.1, cni0');
  const pod = s.clientPod.metadata!.name!;
  assert.equal((await runAt(s, s.client, 'hostname')).stdout, `${pod}\n`);
  const nodeConf = await runAt(s, s.master, 'grep -v "^#" /etc/resolv.conf');
  assert.equal(nodeConf.stdout, '\nnameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n');
  assert.equal((await runAt(s, s.client, 'cat /etc/resolv.conf')).stdout, 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  assert.match((await runAt(s, s.master, 'cat /etc/hosts')).stdout, /\n192\.168\.56\.11\tworker1\n/);
  const hosts = await runAt(s, s.client, 'cat /etc/hosts');
  assert.match(hosts.stdout, new RegExp(`^# Kubernetes-managed hosts file\\.\\n127\\.0\\.0\\.1\\tlocalhost\\n[\\s\\S]*\\n${esc(clientIP())}\\t${pod}\\n$`));
});
