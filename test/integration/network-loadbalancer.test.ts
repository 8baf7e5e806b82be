import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../src-main/api/types.ts';
import type { Origin } from '../../src-main/cluster/network.ts';
import { deploy, failure, hostnameOf, http, natSave, SERVICES, seedDeployment, service, startLab, type Lab } from './network-fixture.ts';

const lbSpec = (extra: Record<string, unknown> = {}) => ({ type: 'LoadBalancer', selector: { app: 'hostname-server' }, ports: [{ port: 80, targetPort: 80 }], ...extra });
const ingress = (lab: Lab, name: string) => (lab.reg.get(SERVICES, 'default', name) as unknown as Service).status?.loadBalancer?.ingress;

test('LoadBalancer: an address from the pool that answers from the laptop; loadBalancerIP honoured; freed on delete and type change', async () => {
  const lab = await startLab();
  try {
    const pods = await deploy(lab, seedDeployment());
    lab.reg.create(SERVICES, 'default', service('lb', lbSpec()));
    await lab.cluster.settle();
    assert.deepEqual(ingress(lab, 'lb'), [{ ip: '192.168.56.240', ipMode: 'VIP' }]);
    const names = new Set<string>();
    for (let i = 0; i < 30; i++) names.add(hostnameOf(await http(lab, 'laptop', '192.168.56.240', 80)));
    assert.deepEqual([...names].sort(), pods.map((p) => p.metadata!.name!).sort());
    assert.match(await natSave(lab, 'worker1'), /-A KUBE-SERVICES -d 192\.168\.56\.240\/32 -p tcp -m comment --comment "default\/lb loadbalancer IP" -m tcp --dport 80 -j KUBE-EXT-\w+/);
    const ping = await lab.cluster.network.connect('laptop', { dst: { ip: '192.168.56.240', port: 0 }, proto: 'icmp', payload: { kind: 'icmp' } });
    assert.equal(failure(ping), 'timeout', 'iptables mode: the VIP is on no interface');

    lab.reg.create(SERVICES, 'default', service('lb-fixed', lbSpec({ loadBalancerIP: '192.168.56.245' })));
    lab.reg.create(SERVICES, 'default', service('lb2', lbSpec()));
    await lab.cluster.settle();
    assert.equal(ingress(lab, 'lb-fixed')?.[0]?.ip, '192.168.56.245');
    assert.equal(ingress(lab, 'lb2')?.[0]?.ip, '192.168.56.241');

    lab.reg.delete(SERVICES, 'default', 'lb');
    const changed = structuredClone(lab.reg.get(SERVICES, 'default', 'lb2')) as unknown as Service;
    changed.spec!.type = 'ClusterIP';
    for (const p of changed.spec!.ports!) delete p.nodePort;
    delete changed.spec!.externalTrafficPolicy;
    delete changed.spec!.allocateLoadBalancerNodePorts;
    lab.reg.update(SERVICES, changed as unknown as KubeObject);
    await lab.cluster.settle();
    assert.equal(ingress(lab, 'lb2'), undefined, 'no longer a LoadBalancer: status cleared');
    assert.equal(failure(await http(lab, 'laptop', '192.168.56.240', 80)), 'no-route', 'a freed address: nobody answers ARP for it');
    lab.reg.create(SERVICES, 'default', service('lb3', lbSpec()));
    lab.reg.create(SERVICES, 'default', service('lb4', lbSpec()));
    await lab.cluster.settle();
    assert.deepEqual([ingress(lab, 'lb3')?.[0]?.ip, ingress(lab, 'lb4')?.[0]?.ip], ['192.168.56.240', '192.168.56.241'], 'freed addresses are handed out again');
  } finally {
    await lab.close();
  }
});

test('LoadBalancer stays <pending> with the controller off, gets an address once it is on', async () => {
  const lab = await startLab({ lb: false });
  try {
    await deploy(lab, seedDeployment());
    lab.reg.create(SERVICES, 'default', service('lb', lbSpec()));
    await lab.cluster.settle();
    await lab.cluster.advance(5000);
    assert.equal(ingress(lab, 'lb'), undefined, 'EXTERNAL-IP <pending>');
    assert.equal(failure(await http(lab, 'laptop', '192.168.56.240', 80)), 'no-route', 'not announced: ARP unanswered');
    // The NodePort of a pending LoadBalancer works all the same.
    const np = (lab.reg.get(SERVICES, 'default', 'lb') as unknown as Service).spec!.ports![0]!.nodePort!;
    assert.match(hostnameOf(await http(lab, 'laptop', '192.168.56.11', np)), /^hostname-server-/);
    lab.lb.setEnabled(true);
    await lab.cluster.settle();
    assert.equal(ingress(lab, 'lb')?.[0]?.ip, '192.168.56.240');
    assert.match(hostnameOf(await http(lab, 'laptop', '192.168.56.240', 80)), /^hostname-server-/);
  } finally {
    await lab.close();
  }
});

test('loadBalancerSourceRanges (KUBE-FW) and externalIPs', async () => {
  const lab = await startLab();
  try {
    await deploy(lab, seedDeployment());
    lab.reg.create(SERVICES, 'default', service('fw-closed', lbSpec({ loadBalancerSourceRanges: ['10.0.0.0/8'] })));
    lab.reg.create(SERVICES, 'default', service('fw-open', lbSpec({ loadBalancerSourceRanges: ['192.168.56.0/24'] })));
    lab.reg.create(SERVICES, 'default', service('ext', { selector: { app: 'hostname-server' }, ports: [{ port: 8080, targetPort: 80 }], externalIPs: ['192.168.56.100'] }));
    await lab.cluster.settle();
    const closed = ingress(lab, 'fw-closed')![0]!.ip!;
    const open = ingress(lab, 'fw-open')![0]!.ip!;
    assert.equal(failure(await http(lab, 'laptop', closed, 80)), 'timeout', 'source not in range: dropped by KUBE-PROXY-FIREWALL');
    assert.match(hostnameOf(await http(lab, 'laptop', open, 80)), /^hostname-server-/);
    const nat = await natSave(lab, 'worker1');
    assert.match(nat, /-A KUBE-FW-\w+ -s 10\.0\.0\.0\/8 -m comment --comment "default\/fw-closed loadbalancer IP" -j KUBE-EXT-\w+/);
    assert.match(nat, /-A KUBE-FW-\w+ -m comment --comment "other traffic to default\/fw-closed will be dropped by KUBE-PROXY-FIREWALL"/);
    const filter = await lab.cluster.node('worker1').call('iptablesSave', { table: 'filter' });
    assert.ok(filter.includes(`-A KUBE-PROXY-FIREWALL -d ${closed}/32 -p tcp -m comment --comment "default/fw-closed traffic not accepted by KUBE-FW-`));
    assert.match(hostnameOf(await http(lab, 'laptop', '192.168.56.100', 8080)), /^hostname-server-/, 'externalIP answers from outside');
    assert.match(nat, /-A KUBE-SERVICES -d 192\.168\.56\.100\/32 -p tcp -m comment --comment "default\/ext external IP" -m tcp --dport 8080 -j KUBE-EXT-\w+/);
  } finally {
    await lab.close();
  }
});

type Rules = Array<{ chain: string; packets: number; text: string }>;
async function lbRuleCount(lab: Lab, node: string, ip: string): Promise<number> {
  const rules = await lab.cluster.node(node).call('natRules');
  return rules.find((r) => r.chain === 'KUBE-SERVICES' && r.text.includes(`-d ${ip}/32`))?.packets ?? 0;
}

test('LoadBalancer IP: the laptop reaches the announcing node; nodes and pods DNAT it themselves; Local and no endpoints', async () => {
  const lab = await startLab();
  try {
    const pods = await deploy(lab, seedDeployment());
    const names = pods.map((p) => p.metadata!.name!).sort();
    lab.reg.create(SERVICES, 'default', service('lb', lbSpec()));
    await lab.cluster.settle();
    const ip = ingress(lab, 'lb')![0]!.ip!;
    const announcer = lab.cluster.network.loadBalancerNode(ip)!.name;
    assert.notEqual(announcer, 'master', 'kubeadm labels the control plane exclude-from-external-load-balancers');

    const nodes = ['master', 'worker1', 'worker2'];
    const counts = async () => Object.fromEntries(await Promise.all(nodes.map(async (n) => [n, await lbRuleCount(lab, n, ip)] as const)));
    let before = await counts();
    for (let i = 0; i < 10; i++) assert.match(hostnameOf(await http(lab, 'laptop', ip, 80)), /^hostname-server-/);
    let after = await counts();
    for (const n of nodes) assert.equal(after[n]! - before[n]!, n === announcer ? 10 : 0, `laptop -> ${ip}: counted on ${n}`);

    // In the cluster, every node has the LB IP in its own KUBE-SERVICES: the sender's table takes the packet.
    const origins: Array<[string, Origin]> = [['master', { node: 'master' }], ...pods.map((p): [string, Origin] => [p.spec!.nodeName!, { pod: { namespace: 'default', name: p.metadata!.name! } }])];
    for (const [home, origin] of origins) {
      before = await counts();
      const seen = new Set<string>();
      for (let i = 0; i < 20; i++) seen.add(hostnameOf(await http(lab, origin, ip, 80)));
      assert.deepEqual([...seen].sort(), names);
      after = await counts();
      for (const n of nodes) assert.equal(after[n]! - before[n]!, n === home ? 20 : 0, `from ${home}: counted on ${n}`);
    }

    // Local: announced by a node with an endpoint; the laptop's address kept. In the cluster: the cluster-wide chain.
    const changed = structuredClone(lab.reg.get(SERVICES, 'default', 'lb')) as unknown as Service;
    changed.spec!.externalTrafficPolicy = 'Local';
    changed.spec!.healthCheckNodePort = 32000;
    lab.reg.update(SERVICES, changed as unknown as KubeObject);
    await lab.cluster.settle();
    const local = lab.cluster.network.loadBalancerNode(ip)!.name;
    for (let i = 0; i < 10; i++) {
      const r = await http(lab, 'laptop', ip, 80);
      assert.equal(r.ok && pods.find((p) => p.metadata!.name === r.pod!.name)!.spec!.nodeName, local, 'only the announcing node\'s endpoint');
    }
    const fromPod = new Set<string>();
    for (let i = 0; i < 20; i++) fromPod.add(hostnameOf(await http(lab, origins[1]![1], ip, 80)));
    assert.deepEqual([...fromPod].sort(), names, '"pod traffic for ... external destinations" goes to every endpoint');
    assert.match(hostnameOf(await http(lab, { node: 'master' }, ip, 80)), /^hostname-server-/, 'master: "route LOCAL traffic"');

    // No endpoints: nobody announces the address; a pod's own node rejects it (KUBE-EXTERNAL-SERVICES).
    lab.reg.create(SERVICES, 'default', service('lb-empty', { ...lbSpec(), selector: { app: 'nobody' } }));
    await lab.cluster.settle();
    const empty = ingress(lab, 'lb-empty')![0]!.ip!;
    assert.equal(lab.cluster.network.loadBalancerNode(empty), undefined);
    assert.equal(failure(await http(lab, 'laptop', empty, 80)), 'no-route');
    assert.equal(failure(await http(lab, { node: 'worker1' }, empty, 80)), 'no-route');
    assert.equal(failure(await http(lab, origins[1]![1], empty, 80)), 'refused');
  } finally {
    await lab.close();
  }
});
