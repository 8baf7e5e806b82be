import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Service } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../src-main/api/types.ts';
import type { Origin } from '../../src-main/cluster/network.ts';
import { body, deploy, failure, hostnameOf, http, natSave, SERVICES, seedDeployment, service, startLab, svcIP, type Lab } from './network-fixture.ts';

const NODE_IPS: Record<string, string> = { master: '192.168.56.10', worker1: '192.168.56.11', worker2: '192.168.56.12' };
const AGNHOST = 'registry.k8s.io/e2e-test-images/agnhost:2.53';

function update(lab: Lab, name: string, change: (s: Service) => void): void {
  const s = structuredClone(lab.reg.get(SERVICES, 'default', name)) as unknown as Service;
  change(s);
  lab.reg.update(SERVICES, s as unknown as KubeObject);
}

test('NodePort 30080: the seed example (app=nginx-app) is refused; with a matching selector every node answers', async () => {
  const lab = await startLab();
  try {
    const pods = await deploy(lab, seedDeployment());
    lab.reg.create(SERVICES, 'default', service('nodeport-hostname-service', { type: 'NodePort', selector: { app: 'nginx-app' }, ports: [{ protocol: 'TCP', nodePort: 30080, port: 80, targetPort: 80 }] }));
    await lab.cluster.settle();
    for (const ip of Object.values(NODE_IPS)) assert.equal(failure(await http(lab, 'laptop', ip, 30080)), 'refused', `${ip}:30080 has no endpoints`);
    assert.equal(failure(await http(lab, { node: 'worker1' }, svcIP(lab, 'nodeport-hostname-service'), 80)), 'refused');

    update(lab, 'nodeport-hostname-service', (s) => (s.spec!.selector = { app: 'hostname-server' }));
    await lab.cluster.settle();
    for (const [node, ip] of Object.entries(NODE_IPS)) {
      const names = new Set<string>();
      for (let i = 0; i < 30; i++) names.add(hostnameOf(await http(lab, 'laptop', ip, 30080)));
      // master runs no replica, and each worker reaches the pod on the other worker too.
      assert.deepEqual([...names].sort(), pods.map((p) => p.metadata!.name!).sort(), `via ${node}`);
    }
    // Trace of a NodePort hop to another node: DNAT on the entry node, SNAT to its flannel.1 address.
    const traces = await lab.cluster.node('master').call('traces');
    const t = traces.find((x) => x.service === 'default/nodeport-hostname-service' && x.crossed.length === 2)!;
    assert.equal(t.snat, '10.244.0.0');
    assert.ok(t.dnat);
  } finally {
    await lab.close();
  }
});

test('externalTrafficPolicy: Cluster shows the SNAT address, Local keeps the client IP and drops without local endpoints', async () => {
  const lab = await startLab();
  try {
    const pods = await deploy(lab, seedDeployment('netexec', 2, AGNHOST, { args: ['netexec', '--http-port=8080'], ports: [{ containerPort: 8080, name: 'http' }] }));
    const nodeOf = new Map(pods.map((p) => [p.metadata!.name!, p.spec!.nodeName!]));
    lab.reg.create(SERVICES, 'default', service('netexec', { type: 'NodePort', selector: { app: 'netexec' }, ports: [{ port: 80, targetPort: 'http', nodePort: 30090 }] }));
    await lab.cluster.settle();

    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const r = await http(lab, 'laptop', NODE_IPS.worker1!, 30090, '/clientip');
      assert.ok(r.ok && r.pod);
      const source = body(r).split(':')[0];
      const local = r.ok && nodeOf.get(r.pod!.name) === 'worker1';
      // flannel: MASQUERADE picks cni0's .1 for a pod on this node, flannel.1's .0 for a pod elsewhere.
      assert.equal(source, local ? '10.244.1.1' : '10.244.1.0');
      seen.add(source!);
    }
    assert.equal(seen.size, 2, 'both a local and a remote endpoint answered');
    const ct = await lab.cluster.node('worker1').call('conntrack', { proto: 'tcp', dport: 30090 });
    assert.match(ct.stdout, /src=192\.168\.56\.1 dst=192\.168\.56\.11 sport=\d+ dport=30090 src=10\.244\.\d\.\d+ dst=10\.244\.1\.[01] sport=8080 dport=\d+ \[ASSURED\]/, 'conntrack records the real MASQUERADE source');

    update(lab, 'netexec', (s) => (s.spec!.externalTrafficPolicy = 'Local'));
    await lab.cluster.settle();
    for (const node of ['worker1', 'worker2']) {
      for (let i = 0; i < 10; i++) {
        const r = await http(lab, 'laptop', NODE_IPS[node]!, 30090, '/clientip');
        assert.equal(body(r).split(':')[0], '192.168.56.1', 'Local keeps the client address');
        assert.equal(r.ok && nodeOf.get(r.pod!.name), node, 'only the local endpoint is used');
      }
    }
    assert.equal(failure(await http(lab, 'laptop', NODE_IPS.master!, 30090, '/clientip')), 'timeout', 'no local endpoint: dropped');
    const filter = await lab.cluster.node('master').call('iptablesSave', { table: 'filter' });
    assert.match(filter, /-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default\/netexec has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30090 -j DROP/);
    assert.match(await natSave(lab, 'worker1'), /-A KUBE-EXT-\w+ -m comment --comment "masquerade LOCAL traffic for default\/netexec external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ/);
  } finally {
    await lab.close();
  }
});

test('internalTrafficPolicy Local, named targetPort, multi-port, session affinity ClientIP with timeoutSeconds', async () => {
  const lab = await startLab();
  try {
    const pods = await deploy(lab, seedDeployment('netexec', 2, AGNHOST, { args: ['netexec', '--http-port=8080'], ports: [{ containerPort: 8080, name: 'http' }] }));
    const byNode = new Map(pods.map((p) => [p.spec!.nodeName!, p] as [string, Pod]));
    lab.reg.create(SERVICES, 'default', service('multi', {
      selector: { app: 'netexec' },
      ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'alt', port: 8000, targetPort: 8080 }],
      internalTrafficPolicy: 'Local',
    }));
    await lab.cluster.settle();
    const ip = svcIP(lab, 'multi');
    const w1pod = byNode.get('worker1')!;
    for (const port of [80, 8000]) {
      for (let i = 0; i < 10; i++) {
        const r = await http(lab, { pod: { namespace: 'default', name: w1pod.metadata!.name! } }, ip, port, '/hostname');
        assert.equal(body(r), w1pod.metadata!.name, 'internalTrafficPolicy Local: only this node\'s endpoint');
      }
    }
    assert.equal(failure(await http(lab, { node: 'master' }, ip, 80)), 'timeout', 'no local endpoint on master: dropped');

    lab.reg.create(SERVICES, 'default', service('sticky', {
      selector: { app: 'netexec' },
      ports: [{ port: 80, targetPort: 'http' }],
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 30 } },
    }));
    await lab.cluster.settle();
    const sticky = svcIP(lab, 'sticky');
    assert.match(await natSave(lab, 'master'), /-m recent --rcheck --seconds 30 --reap --name KUBE-SEP-\w+ --mask 255\.255\.255\.255 --rsource -j KUBE-SEP-/);
    const firsts = new Set<string>();
    for (let round = 0; round < 12; round++) {
      const answers = new Set<string>();
      for (let i = 0; i < 15; i++) {
        answers.add(body(await http(lab, { node: 'master' }, sticky, 80, '/hostname')));
        await lab.cluster.advance(1000); // well inside the 30 s window: each connection refreshes it
      }
      assert.equal(answers.size, 1, 'ClientIP affinity sticks to one pod');
      firsts.add([...answers][0]!);
      await lab.cluster.advance(31_000); // past timeoutSeconds: the next connection picks again
    }
    assert.equal(firsts.size, 2, 'after the timeout both pods are picked again');
  } finally {
    await lab.close();
  }
});

type Rules = Array<{ chain: string; packets: number; text: string }>;
type Trace = { service: string | null; crossed: string[]; snat: string | null; dnat: { ip: string; port: number } | null; pod: string | null; steps: Array<{ node: string; chain: string; action: string }> };

/** The packet count of the receiving node's KUBE-NODEPORTS rule for `nodePort`. */
async function nodePortCount(lab: Lab, node: string, nodePort: number): Promise<number> {
  const rules = await lab.cluster.node(node).call('natRules');
  const rule = rules.find((r) => r.chain === 'KUBE-NODEPORTS' && r.text.includes(`--dport ${nodePort} `));
  assert.ok(rule, `${node} has a KUBE-NODEPORTS rule for ${nodePort}`);
  return rule.packets;
}

test('NodePort from every node and every pod to every node IP: the receiving node walks its own PREROUTING', async () => {
  const lab = await startLab();
  try {
    const pods = await deploy(lab, seedDeployment());
    const names = pods.map((p) => p.metadata!.name!).sort();
    lab.reg.create(SERVICES, 'default', service('nodeport-hostname-service', { type: 'NodePort', selector: { app: 'hostname-server' }, ports: [{ protocol: 'TCP', nodePort: 30080, port: 80, targetPort: 80 }] }));
    await lab.cluster.settle();
    const origins: Array<[string, Origin]> = [
      ...Object.keys(NODE_IPS).map((n): [string, Origin] => [n, { node: n }]),
      ...pods.map((p): [string, Origin] => [`pod on ${p.spec!.nodeName}`, { pod: { namespace: 'default', name: p.metadata!.name! } }]),
    ];
    const N = 24;
    for (const [target, ip] of Object.entries(NODE_IPS)) {
      const before = await nodePortCount(lab, target, 30080);
      for (const [label, origin] of origins) {
        const seen = new Set<string>();
        for (let i = 0; i < N; i++) {
          const r = await http(lab, origin, ip, 30080);
          seen.add(hostnameOf(r));
          assert.deepEqual(r.ok && r.remote, { ip, port: 30080 }, 'the answer comes from the address connected to');
        }
        assert.deepEqual([...seen].sort(), names, `${label} -> ${target}: both endpoints answer`);
      }
      assert.equal(await nodePortCount(lab, target, 30080) - before, N * origins.length, `${target}'s own KUBE-NODEPORTS rule counted every connection`);
    }

    // worker1 -> master: master DNATs and masquerades (to its flannel.1 address for a pod elsewhere); worker1 does neither.
    const traces = await lab.cluster.node('worker1').call('traces');
    const t = traces.find((x) => x.crossed[1] === 'master' && x.service === 'default/nodeport-hostname-service')!;
    assert.ok(t, 'worker1 traced its connection to master');
    assert.equal(t.snat, '10.244.0.0');
    assert.match(t.dnat!.ip, /^10\.244\.[12]\.\d+$/);
    assert.deepEqual(t.crossed, ['worker1', 'master', t.dnat!.ip.startsWith('10.244.1.') ? 'worker1' : 'worker2']);
    assert.ok(t.steps.some((s) => s.node === 'master' && s.chain === 'KUBE-NODEPORTS'), 'the trace shows master\'s rules');
    assert.ok(t.steps.some((s) => s.node === 'worker1' && s.chain === 'OUTPUT'));
    const masterCt = await lab.cluster.node('master').call('conntrack', { proto: 'tcp', dport: 30080 });
    assert.match(masterCt.stdout, /src=192\.168\.56\.11 dst=192\.168\.56\.10 sport=\d+ dport=30080 src=10\.244\.[12]\.\d+ dst=10\.244\.0\.0 sport=80 dport=\d+ \[ASSURED\]/);
    // A pod's packet to another node's address leaves with its node's address (flannel --ip-masq).
    const podOnW1 = pods.find((p) => p.spec!.nodeName === 'worker1')!;
    const w2Ct = await lab.cluster.node('worker2').call('conntrack', { proto: 'tcp', dport: 30080 });
    assert.match(w2Ct.stdout, /src=192\.168\.56\.11 dst=192\.168\.56\.12 sport=\d+ dport=30080 /);
    assert.doesNotMatch(w2Ct.stdout, new RegExp(`src=${podOnW1.status!.podIP!.replace(/\./g, '\\.')} dst=192\\.168\\.56\\.12`));

    // The seed's own selector matches nothing: refused by the receiving node's REJECT, from every node.
    update(lab, 'nodeport-hostname-service', (s) => (s.spec!.selector = { app: 'nginx-app' }));
    await lab.cluster.settle();
    for (const from of Object.keys(NODE_IPS)) for (const ip of Object.values(NODE_IPS)) assert.equal(failure(await http(lab, { node: from }, ip, 30080)), 'refused', `${from} -> ${ip}`);
  } finally {
    await lab.close();
  }
});

test('externalTrafficPolicy Local from every node and pod: only nodes with a local endpoint answer, with the client address', async () => {
  const lab = await startLab();
  try {
    const pods = await deploy(lab, seedDeployment('netexec', 2, AGNHOST, { args: ['netexec', '--http-port=8080'], ports: [{ containerPort: 8080, name: 'http' }] }));
    const nodeOf = new Map(pods.map((p) => [p.metadata!.name!, p.spec!.nodeName!]));
    lab.reg.create(SERVICES, 'default', service('netexec', { type: 'NodePort', externalTrafficPolicy: 'Local', selector: { app: 'netexec' }, ports: [{ port: 80, targetPort: 'http', nodePort: 30090 }] }));
    await lab.cluster.settle();
    for (const [from, fromIP] of Object.entries(NODE_IPS)) {
      for (const [to, ip] of Object.entries(NODE_IPS)) {
        const r = await http(lab, { node: from }, ip, 30090, '/clientip');
        if (from === to) {
          // "route LOCAL traffic": a node's own connection goes to the cluster-wide chain, masqueraded.
          assert.ok(r.ok, `${from} -> its own address`);
        } else if (to === 'master') {
          assert.equal(failure(r), 'timeout', `${from} -> master: no local endpoint, dropped`);
        } else {
          assert.equal(r.ok && nodeOf.get(r.pod!.name), to, `${from} -> ${to}: the local endpoint`);
          assert.equal(body(r).split(':')[0], fromIP, 'Local keeps the client address');
        }
      }
    }
    for (const pod of pods) {
      const origin = { pod: { namespace: 'default', name: pod.metadata!.name! } };
      const home = pod.spec!.nodeName!;
      const other = home === 'worker1' ? 'worker2' : 'worker1';
      // Its own node's address: "pod traffic for ... external destinations" short-circuits to every endpoint.
      const answered = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const r = await http(lab, origin, NODE_IPS[home]!, 30090);
        assert.ok(r.ok && r.pod, `${home}'s own NodePort answers its pod`);
        answered.add(nodeOf.get(r.pod.name)!);
      }
      assert.deepEqual([...answered].sort(), ['worker1', 'worker2'], 'a pod reaching its own node\'s NodePort: the cluster-wide chain');
      // Another node's address: it arrives there with the pod's node address (flannel), so that node's local endpoint.
      const r = await http(lab, origin, NODE_IPS[other]!, 30090, '/clientip');
      assert.equal(r.ok && nodeOf.get(r.pod!.name), other);
      assert.equal(body(r).split(':')[0], NODE_IPS[home]);
      assert.equal(failure(await http(lab, origin, NODE_IPS.master!, 30090)), 'timeout', 'master has no local endpoint');
    }
  } finally {
    await lab.close();
  }
});

test('a closed port on the node itself is refused at once, on 127.0.0.1 and on its own address; a pod\'s 127.0.0.1 is its own', async () => {
  const lab = await startLab();
  try {
    const pods = await deploy(lab, seedDeployment());
    lab.reg.create(SERVICES, 'default', service('np', { type: 'NodePort', selector: { app: 'hostname-server' }, ports: [{ port: 80, targetPort: 80, nodePort: 30080 }] }));
    await lab.cluster.settle();
    for (const node of Object.keys(NODE_IPS)) {
      assert.equal(failure(await http(lab, { node }, '127.0.0.1', 8080)), 'refused', `${node}: 127.0.0.1:8080`);
      assert.equal(failure(await http(lab, { node }, NODE_IPS[node]!, 8080)), 'refused', `${node}: its own address`);
      const kubelet = await http(lab, { node }, '127.0.0.1', 10250);
      assert.equal(kubelet.ok && kubelet.response.kind === 'http' && kubelet.response.response.status, 401, 'the kubelet listens on lo too');
      // kube-proxy's localhost NodePorts (iptables.localhostNodePorts defaults to true).
      assert.match(hostnameOf(await http(lab, { node }, '127.0.0.1', 30080)), /^hostname-server-/);
    }
    const ct = await lab.cluster.node('worker1').call('conntrack', { proto: 'tcp', dport: 8080 });
    assert.match(ct.stdout, /src=127\.0\.0\.1 dst=127\.0\.0\.1 sport=\d+ dport=8080 /, 'the socket\'s source is lo\'s address');
    const origin = { pod: { namespace: 'default', name: pods[0]!.metadata!.name! } };
    assert.equal(hostnameOf(await http(lab, origin, '127.0.0.1', 80)), pods[0]!.metadata!.name, 'the pod answers itself on lo');
    assert.equal(failure(await http(lab, origin, '127.0.0.1', 8080)), 'refused');
  } finally {
    await lab.close();
  }
});
