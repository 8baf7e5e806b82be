import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../src-main/cluster/cluster.ts';
import { ManualClock } from '../../src-main/clock/clock.ts';
import { byKind } from '../../src-main/api/resources.ts';
import type { KubeObject, Pod, Service } from '../../src-main/api/types.ts';
import { TerminalManager } from '../../src-main/host/terminals/manager.ts';

const PODS = byKind('Pod');
const SERVICES = byKind('Service');
const SLICES = byKind('EndpointSlice');

function pod(namespace: string, name: string, node: string, labels: Record<string, string>, image: string, ports: Array<{ containerPort: number; protocol?: string }>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { nodeName: node, containers: [{ name: name.split('-')[0]!, image, ports }] } } as KubeObject;
}

/** Stand-in for the EndpointSlice controller (not written yet): one slice with the given ready pods. */
function slice(cluster: Cluster, svc: string, namespace: string, pods: string[], ports: Array<{ name?: string; port: number; protocol: string }>): void {
  const endpoints = pods.map((n) => {
    const p = cluster.registry.get(PODS, namespace, n) as unknown as Pod;
    return { addresses: [p.status!.podIP!], conditions: { ready: true, serving: true, terminating: false }, nodeName: p.spec!.nodeName, targetRef: { kind: 'Pod', namespace, name: n } };
  });
  cluster.registry.create(SLICES, namespace, {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: `${svc}-abcde`, namespace, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4', endpoints, ports,
  } as unknown as KubeObject);
}

async function untilRunning(cluster: Cluster, refs: Array<[string, string]>): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if (refs.every(([ns, n]) => (cluster.registry.get(PODS, ns, n) as unknown as Pod).status?.phase === 'Running')) return;
    await cluster.advance(1000);
  }
  throw new Error('pods did not start');
}

async function seed() {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ nodes: 3, clock, controllers: false });
  const app = { app: 'hostname-server' };
  cluster.registry.create(PODS, 'default', pod('default', 'hostname-server-7c85cc96dc-hrjt4', 'worker1', app, 'takytaky/hostname', [{ containerPort: 80 }]));
  cluster.registry.create(PODS, 'default', pod('default', 'hostname-server-7c85cc96dc-ttmmw', 'worker2', app, 'takytaky/hostname', [{ containerPort: 80 }]));
  // busybox's own CMD (sh) exits at once without a terminal: the client sleeps, as `kubectl run client --image=busybox -- sleep 3600`.
  const client = pod('default', 'client', 'worker1', { run: 'client' }, 'busybox', []);
  (client.spec as { containers: Array<{ command?: string[] }> }).containers[0]!.command = ['sleep', '3600'];
  cluster.registry.create(PODS, 'default', client);
  const dnsLabels = { 'k8s-app': 'kube-dns' };
  cluster.registry.create(PODS, 'kube-system', pod('kube-system', 'coredns-668d6bf9bc-x7k2p', 'master', dnsLabels, 'registry.k8s.io/coredns/coredns:v1.11.3', [{ containerPort: 53, protocol: 'UDP' }, { containerPort: 53, protocol: 'TCP' }]));
  cluster.registry.create(SERVICES, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'clusterip-hostname-service', namespace: 'default' }, spec: { type: 'ClusterIP', selector: app, ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }] } } as unknown as KubeObject);
  cluster.registry.create(SERVICES, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'nodeport-hostname-service', namespace: 'default' }, spec: { type: 'NodePort', selector: app, ports: [{ protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30080 }] } } as unknown as KubeObject);
  await untilRunning(cluster, [['default', 'hostname-server-7c85cc96dc-hrjt4'], ['default', 'hostname-server-7c85cc96dc-ttmmw'], ['default', 'client'], ['kube-system', 'coredns-668d6bf9bc-x7k2p']]);
  const both = ['hostname-server-7c85cc96dc-hrjt4', 'hostname-server-7c85cc96dc-ttmmw'];
  slice(cluster, 'clusterip-hostname-service', 'default', both, [{ port: 80, protocol: 'TCP' }]);
  slice(cluster, 'nodeport-hostname-service', 'default', both, [{ port: 80, protocol: 'TCP' }]);
  slice(cluster, 'kube-dns', 'kube-system', ['coredns-668d6bf9bc-x7k2p'], [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }]);
  await cluster.advance(2000);
  const ip = (cluster.registry.get(SERVICES, 'default', 'clusterip-hostname-service') as unknown as Service).spec!.clusterIP!;
  return { cluster, clock, ip, terminals: new TerminalManager({ cluster }) };
}

test('the seed: curl -sf to the ClusterIP | grep Hello is answered by both pods, from the node and from a pod', async () => {
  const { cluster, ip, terminals } = await seed();
  try {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const r = await terminals.runLine({ kind: 'node', node: 'master' }, `curl -sf http://${ip} | grep Hello`);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^\s+<p>Hello, {2}hostname-server-7c85cc96dc-(hrjt4|ttmmw)<\/p> <\/blockquote>\n$/);
      seen.add(r.stdout.trim());
    }
    assert.equal(seen.size, 2);
    const fromPod = await terminals.runLine({ kind: 'pod', namespace: 'default', name: 'client' }, 'wget -qO- http://clusterip-hostname-service | grep Hello');
    assert.equal(fromPod.status, 0, fromPod.stderr);
    assert.match(fromPod.stdout, /Hello, {2}hostname-server/);
    const dns = await terminals.runLine({ kind: 'node', node: 'master' }, 'curl -s http://clusterip-hostname-service; echo "rc=$?"');
    assert.match(dns.stdout, /rc=6/, 'a node does not resolve service names');
  } finally {
    await cluster.close();
  }
});

test('NodePort answers on every node; iptables-save shows the KUBE-SVC chains', async () => {
  const { cluster, ip, terminals } = await seed();
  try {
    for (const h of cluster.nodes()) {
      // From each node to its own address (the entry node's PREROUTING DNATs it).
      const r = await terminals.runLine({ kind: 'node', node: h.name }, `curl -s -o /dev/null -w '%{http_code}' http://${h.plan.ip}:30080/`);
      assert.equal(r.stdout, '200', `${h.name}: ${r.stderr}`);
    }
    const save = await terminals.runLine({ kind: 'node', node: 'worker1' }, 'iptables-save -t nat');
    assert.equal(save.status, 0, save.stderr);
    assert.match(save.stdout, new RegExp(`-A KUBE-SERVICES -d ${ip.replace(/\./g, '\\.')}/32 -p tcp -m comment --comment "default/clusterip-hostname-service cluster IP" -m tcp --dport 80 -j KUBE-SVC-[A-Z2-7]{16}`));
    assert.match(save.stdout, /-A KUBE-NODEPORTS -p tcp -m comment --comment "default\/nodeport-hostname-service" -m tcp --dport 30080 -j KUBE-EXT-/);
    const list = await terminals.runLine({ kind: 'node', node: 'worker1' }, 'iptables -t nat -L KUBE-SERVICES -n');
    assert.match(list.stdout, /^Chain KUBE-SERVICES/);
  } finally {
    await cluster.close();
  }
});

test('nslookup of the service from a pod goes to CoreDNS; ping to a ClusterIP loses every packet', async () => {
  const { cluster, clock, ip, terminals } = await seed();
  try {
    const ns = await terminals.runLine({ kind: 'pod', namespace: 'default', name: 'client' }, 'nslookup clusterip-hostname-service');
    assert.equal(ns.status, 0, ns.stdout + ns.stderr);
    assert.match(ns.stdout, /^Server:\t\t10\.96\.0\.10\nAddress:\t10\.96\.0\.10:53\n/);
    assert.match(ns.stdout, new RegExp(`Name:\\tclusterip-hostname-service\\.default\\.svc\\.cluster\\.local\\nAddress: ${ip.replace(/\./g, '\\.')}`));
    const pinging = terminals.runLine({ kind: 'node', node: 'master' }, `ping -c 3 ${ip}`);
    for (let i = 0; i < 5; i++) { await new Promise((r) => setImmediate(r)); clock.advance(1000); await cluster.settle(); }
    const ping = await pinging;
    assert.equal(ping.status, 1);
    assert.match(ping.stdout, /3 packets transmitted, 0 received, 100% packet loss/);
    // CoreDNS gone: the query times out after the resolver's retries, on the cluster clock.
    cluster.registry.delete(SLICES, 'kube-system', 'kube-dns-abcde');
    await cluster.settle();
    const timing = terminals.runLine({ kind: 'pod', namespace: 'default', name: 'client' }, 'nslookup clusterip-hostname-service');
    for (let i = 0; i < 12; i++) { await new Promise((r) => setImmediate(r)); clock.advance(1000); await cluster.settle(); }
    const timedOut = await timing;
    assert.equal(timedOut.status, 1);
    assert.equal(timedOut.stdout, ';; connection timed out; no servers could be reached\n\n');
  } finally {
    await cluster.close();
  }
});
