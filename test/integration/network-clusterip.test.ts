import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1';
import { portProtoHash } from '../../src-main/node/proxy/chain-names.ts';
import { body, deploy, failure, hostnameOf, http, natSave, PODS, runningPods, seedDeployment, service, SERVICES, startLab, svcIP, until } from './network-fixture.ts';

test('seed ClusterIP: both pods answer about 50/50, only from inside the cluster; ping gets nothing', async () => {
  const lab = await startLab();
  try {
    const pods = await deploy(lab, seedDeployment());
    assert.equal(new Set(pods.map((p) => p.spec?.nodeName)).size, 2, 'the two replicas are spread over the workers');
    lab.reg.create(SERVICES, 'default', service('clusterip-hostname-service', { type: 'ClusterIP', selector: { app: 'hostname-server' }, ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }] }));
    await lab.cluster.settle();
    const ip = svcIP(lab, 'clusterip-hostname-service');

    const seen = new Map<string, number>();
    const N = 400;
    for (let i = 0; i < N; i++) {
      const origin = i % 2 ? { node: 'master' } : { pod: { namespace: 'default', name: pods[0]!.metadata!.name! } };
      const name = hostnameOf(await http(lab, origin, ip, 80));
      seen.set(name, (seen.get(name) ?? 0) + 1);
    }
    assert.deepEqual([...seen.keys()].sort(), pods.map((p) => p.metadata!.name!).sort());
    for (const n of seen.values()) assert.ok(n > N * 0.4 && n < N * 0.6, `split near 50/50: ${[...seen.values()]}`);

    // Pod IPs answer from nodes and pods; the laptop reaches neither a ClusterIP nor a pod IP.
    assert.match(body(await http(lab, { node: 'master' }, pods[1]!.status!.podIP!, 80)), /Hello/);
    assert.equal(failure(await http(lab, 'laptop', ip, 80)), 'timeout');
    assert.equal(failure(await http(lab, 'laptop', pods[0]!.status!.podIP!, 80)), 'timeout');
    // A port the service does not have: nothing owns the ClusterIP, the packet is lost.
    assert.equal(failure(await http(lab, { node: 'worker1' }, ip, 8080)), 'timeout');

    const ping = (dst: string, from: { node: string }) => lab.cluster.network.connect(from, { dst: { ip: dst, port: 0 }, proto: 'icmp', payload: { kind: 'icmp' } });
    assert.equal(failure(await ping(ip, { node: 'worker1' })), 'timeout', 'iptables mode: a ClusterIP does not answer ICMP');
    assert.equal(failure(await ping(pods[0]!.status!.podIP!, { node: 'master' })), 'ok');
    assert.equal(failure(await ping('192.168.56.12', { node: 'master' })), 'ok');
    assert.equal(failure(await ping('10.244.2.250', { node: 'master' })), 'no-route', 'no pod holds the address: host unreachable');

    // Counters: every connection above went through the service on its entry node; traces name the service and pod.
    const traces = await lab.cluster.node('master').call('traces');
    const viaSvc = traces.filter((t) => t.service === 'default/clusterip-hostname-service' && t.result === 'ok');
    assert.ok(viaSvc.length >= 150);
    assert.ok(viaSvc.every((t) => t.pod && t.steps.length > 0));
  } finally {
    await lab.close();
  }
});

test('iptables-save of the seed services has the real structure, names from the real hash, 0.50000000000', async () => {
  const lab = await startLab();
  try {
    const pods = await deploy(lab, seedDeployment());
    lab.reg.create(SERVICES, 'default', service('clusterip-hostname-service', { type: 'ClusterIP', selector: { app: 'hostname-server' }, ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }] }));
    lab.reg.create(SERVICES, 'default', service('nodeport-hostname-service', { type: 'NodePort', selector: { app: 'nginx-app' }, ports: [{ protocol: 'TCP', nodePort: 30080, port: 80, targetPort: 80 }] }));
    await lab.cluster.settle();
    const ip = svcIP(lab, 'clusterip-hostname-service');
    const npIP = svcIP(lab, 'nodeport-hostname-service');
    const save = await natSave(lab, 'worker1');
    const svc = `KUBE-SVC-${portProtoHash('default/clusterip-hostname-service', 'tcp')}`;
    assert.equal(svc, 'KUBE-SVC-OUYLQREKC6TK7Y6H', 'same hash as the reference dump');
    const eps = pods.map((p) => `${p.status!.podIP}:80`).sort();
    const seps = eps.map((e) => `KUBE-SEP-${portProtoHash('default/clusterip-hostname-service', `tcp${e}`)}`);
    const lines = save.split('\n');
    const expect = [
      `-A KUBE-SERVICES -d ${ip}/32 -p tcp -m comment --comment "default/clusterip-hostname-service cluster IP" -m tcp --dport 80 -j ${svc}`,
      `-A ${svc} ! -s 10.244.0.0/16 -d ${ip}/32 -p tcp -m comment --comment "default/clusterip-hostname-service cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`,
      `-A ${svc} -m comment --comment "default/clusterip-hostname-service -> ${eps[0]}" -m statistic --mode random --probability 0.50000000000 -j ${seps[0]}`,
      `-A ${svc} -m comment --comment "default/clusterip-hostname-service -> ${eps[1]}" -j ${seps[1]}`,
      `-A ${seps[0]} -s ${eps[0]!.split(':')[0]}/32 -m comment --comment "default/clusterip-hostname-service" -j KUBE-MARK-MASQ`,
      `-A ${seps[0]} -p tcp -m comment --comment "default/clusterip-hostname-service" -m tcp -j DNAT --to-destination ${eps[0]}`,
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
      '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
      '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    ];
    for (const l of expect) assert.ok(lines.includes(l), `missing: ${l}\n${save}`);
    const svcRules = lines.filter((l) => l.startsWith(`-A ${svc} `));
    assert.equal(svcRules.length, 3);
    assert.ok(lines.indexOf(`:${svc} - [0:0]`) > lines.indexOf(':KUBE-SERVICES - [0:0]'), 'user chains sorted by name');
    // The NodePort example selects app=nginx-app: no endpoints, so nothing in nat, a REJECT in filter.
    assert.ok(!save.includes('nodeport-hostname-service'), 'no nat rules for a service without endpoints');
    const filter = await lab.cluster.node('worker1').call('iptablesSave', { table: 'filter' });
    assert.ok(filter.includes(`-A KUBE-SERVICES -d ${npIP}/32 -p tcp -m comment --comment "default/nodeport-hostname-service has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable`), filter);
    assert.ok(filter.includes('-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/nodeport-hostname-service has no endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30080 -j REJECT --reject-with icmp-port-unreachable'), filter);
  } finally {
    await lab.close();
  }
});

test('a deleted pod leaves the rules; its replacement appears with a new IP; counters survive the rebuild', async () => {
  const lab = await startLab();
  try {
    const pods = await deploy(lab, seedDeployment());
    lab.reg.create(SERVICES, 'default', service('clusterip-hostname-service', { selector: { app: 'hostname-server' }, ports: [{ port: 80, targetPort: 80 }] }));
    await lab.cluster.settle();
    const ip = svcIP(lab, 'clusterip-hostname-service');
    for (let i = 0; i < 20; i++) await http(lab, { node: 'master' }, ip, 80);
    const counted = async () => {
      const rules = await lab.cluster.node('master').call('natRules');
      return rules.find((r) => r.chain === 'KUBE-SERVICES' && r.text.includes(`-d ${ip}/32`))!.packets;
    };
    assert.equal(await counted(), 20);

    const victim = pods[0]!;
    const oldIP = victim.status!.podIP!;
    lab.reg.delete(PODS, 'default', victim.metadata!.name!, { gracePeriodSeconds: 0 });
    await until(lab, () => {
      const now = runningPods(lab, 'hostname-server');
      return now.length === 2 && !now.some((p) => p.metadata!.name === victim.metadata!.name);
    }, 120, 'replacement pod');
    await lab.cluster.settle();
    const replacement = runningPods(lab, 'hostname-server').find((p) => p.metadata!.name !== pods[1]!.metadata!.name) as Pod;
    assert.notEqual(replacement.status!.podIP, oldIP, 'a new pod gets a new IP');
    const save = await natSave(lab, 'master');
    assert.ok(!save.includes(`${oldIP}:80`), 'the deleted pod is gone from the rules');
    assert.ok(save.includes(`--to-destination ${replacement.status!.podIP}:80`));
    assert.equal(await counted(), 20, 'the KUBE-SERVICES rule kept its counters across syncs');
    const names = new Set<string>();
    for (let i = 0; i < 40; i++) names.add(hostnameOf(await http(lab, { node: 'master' }, ip, 80)));
    assert.deepEqual([...names].sort(), [pods[1]!.metadata!.name!, replacement.metadata!.name!].sort());
  } finally {
    await lab.close();
  }
});
