/**
 * Connections to another node's address: the receiving node walks its own PREROUTING (the sender's tables see
 * nothing to do), keeps its own conntrack entry with its DNAT and MASQUERADE, and answers through itself. Checked
 * against the random draws, as netstack.test.ts does for the ClusterIP path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Netstack } from '../../../src-main/node/netstack/netstack.ts';
import type { AppRequest, ConnectResult } from '../../../src-main/node/netstack/types.ts';
import { conntrackList } from '../../../src-main/node/proxy/conntrack-list.ts';
import { saveRule } from '../../../src-main/node/proxy/rule-text.ts';
import { seedServices, seedSlices, service, slice } from '../proxy/fixtures.ts';
import { NODES, threeNodes } from './three-nodes.ts';

const PODS: Record<string, string> = { '10.244.1.6': 'np-1', '10.244.2.8': 'np-2' };
const [MASTER, WORKER1, WORKER2] = NODES.map((n) => n.ip) as [string, string, string];

const get: AppRequest = { kind: 'http', request: { method: 'GET', path: '/', httpVersion: 'HTTP/1.1', headers: [], body: '' } };
const fromNode = (net: Netstack) => ({ kind: 'node', name: net.name, ip: net.ip }) as const;
const connect = (net: Netstack, ip: string, port: number, sport?: number, proto: 'tcp' | 'udp' = 'tcp') =>
  net.connect({ from: fromNode(net), dst: { ip, port }, proto, sport, payload: get });
const bodyOf = (r: ConnectResult) => (r.ok && r.response.kind === 'http' ? r.response.response.body : `(${r.ok ? 'not http' : r.error})`);

/** Packets counted on the rule of `chain` whose text contains `text` (exactly one such rule). */
function count(net: Netstack, table: 'nat' | 'filter', chain: string, text: string): number {
  const rules = net.table![table].chains.get(chain)!.rules.filter((r) => saveRule(chain, r).includes(text));
  assert.equal(rules.length, 1, `${net.name} ${chain} ${text}`);
  return rules[0]!.counters.packets;
}

test('worker1 -> worker2:30080: worker2 DNATs and masquerades, worker1 only routes; draws, counters, conntrack, traces', async () => {
  const three = threeNodes(PODS);
  const [, w1, w2] = three.nets as [Netstack, Netstack, Netstack];
  try {
    three.program(seedServices, seedSlices);
    const N = 400;
    const results: ConnectResult[] = [];
    for (let c = 0; c < N; c++) results.push(await connect(w1, WORKER2, 30080));

    assert.deepEqual(results.filter((r) => !r.ok).length, 0, `every connection answered: ${results.map(bodyOf).find((b) => b.startsWith('('))}`);
    // Replay: worker1's OUTPUT takes nothing (no draw); worker2 draws once for the statistic rule (0.5 picks
    // 10.244.1.6) and then MASQUERADE's ports: cni0's .1 towards its own pod, flannel.1's .0 towards worker1's.
    const taken = new Map<string, Set<number>>();
    let k = 0;
    const want = results.map(() => {
      const ep = Math.floor(three.draws[k++]! * 0x80000000) < Math.round(0.5 * 0x80000000) ? '10.244.1.6' : '10.244.2.8';
      const snat = ep === '10.244.2.8' ? '10.244.2.1' : '10.244.2.0';
      const used = taken.get(ep) ?? taken.set(ep, new Set()).get(ep)!;
      let port: number;
      do {
        assert.ok(k < three.draws.length, 'a draw for every choice');
        port = 1024 + Math.floor(three.draws[k++]! * (65536 - 1024));
      } while (used.has(port));
      used.add(port);
      return { ep, snat, port };
    });
    assert.equal(three.draws.length, k, 'no draw unaccounted for');
    results.forEach((r, c) => {
      assert.ok(r.ok, `connection ${c}`);
      assert.deepEqual(r.remote, { ip: WORKER2, port: 30080 }, 'the answer comes from the address connected to');
      assert.equal(bodyOf(r), `${PODS[want[c]!.ep]} ${want[c]!.snat}`, 'the pod sees worker2\'s MASQUERADE address');
    });

    const toNp1 = want.filter((w) => w.ep === '10.244.1.6').length;
    assert.ok(toNp1 > 150 && toNp1 < 250);
    assert.equal(count(w2, 'nat', 'PREROUTING', 'kubernetes service portals'), N);
    assert.equal(count(w2, 'nat', 'KUBE-NODEPORTS', '--dport 30080'), N);
    assert.equal(count(w2, 'nat', 'KUBE-EXT-QATUYZLPU4I4HE4S', 'masquerade traffic'), N);
    assert.equal(count(w2, 'nat', 'KUBE-SVC-QATUYZLPU4I4HE4S', '-m statistic'), toNp1);
    assert.equal(count(w2, 'nat', 'KUBE-SEP-4PR7ZYHKO5R3DHXP', '-j DNAT'), toNp1);
    assert.equal(count(w2, 'nat', 'KUBE-SEP-4YYH4NGTWKGP52JC', '-j DNAT'), N - toNp1);
    assert.equal(count(w2, 'nat', 'KUBE-POSTROUTING', 'MASQUERADE'), N);
    assert.equal(count(w2, 'nat', 'OUTPUT', 'kubernetes service portals'), 0);
    assert.equal(count(w1, 'nat', 'OUTPUT', 'kubernetes service portals'), N);
    assert.equal(count(w1, 'nat', 'KUBE-NODEPORTS', '--dport 30080'), 0, 'worker2\'s address is not LOCAL on worker1');
    assert.equal(count(w1, 'nat', 'KUBE-POSTROUTING', 'MASQUERADE'), 0);

    // Two conntrack entries per connection: worker1's without NAT, worker2's with its DNAT and SNAT.
    const w2Lines = conntrackList(w2.conntrack).stdout.trimEnd().split('\n');
    assert.deepEqual(
      w2Lines,
      want.map((w, c) => `tcp      6 120 TIME_WAIT src=${WORKER1} dst=${WORKER2} sport=${32768 + c} dport=30080 src=${w.ep} dst=${w.snat} sport=8080 dport=${w.port} [ASSURED] mark=0 use=1`),
    );
    const w1Lines = conntrackList(w1.conntrack).stdout.trimEnd().split('\n');
    assert.deepEqual(w1Lines, want.map((_w, c) => `tcp      6 120 TIME_WAIT src=${WORKER1} dst=${WORKER2} sport=${32768 + c} dport=30080 src=${WORKER2} dst=${WORKER1} sport=30080 dport=${32768 + c} [ASSURED] mark=0 use=1`));

    // worker1's traces carry what worker2 did; the service counts on worker2, where the NodePort rule matched.
    for (const t of w1.counters.recentTraces()) {
      const w = want[t.id - 11 * 10_000_000 - 1]!;
      const home = w.ep === '10.244.1.6' ? 'worker1' : 'worker2';
      assert.deepEqual(
        { service: t.service, pod: t.pod, podNode: t.podNode, dnat: t.dnat, snat: t.snat, crossed: t.crossed },
        { service: 'default/nodeport-service', pod: `default/${PODS[w.ep]}`, podNode: home, dnat: { ip: w.ep, port: 8080 }, snat: w.snat, crossed: home === 'worker1' ? ['worker1', 'worker2', 'worker1'] : ['worker1', 'worker2'] },
      );
      const local = t.steps.filter((s) => s.node === 'worker1');
      assert.equal(local[0]!.chain, 'OUTPUT');
      assert.ok(!local.some((s) => s.action === 'DNAT' || s.action === 'MASQUERADE' || s.chain === 'KUBE-NODEPORTS'), 'worker1 rewrote nothing');
      assert.equal(t.steps.findIndex((s) => s.node === 'worker2'), local.length, 'worker1\'s steps, then worker2\'s');
      const remote = t.steps.filter((s) => s.node === 'worker2');
      assert.equal(remote[0]!.chain, 'PREROUTING');
      assert.ok(remote.some((s) => s.chain === 'KUBE-NODEPORTS' && s.action.startsWith('KUBE-EXT-')));
      assert.equal(remote.find((s) => s.action === 'DNAT')?.rule.endsWith(`--to-destination ${w.ep}:8080`), true);
      assert.equal(remote.at(-1)!.action, 'MASQUERADE');
    }
    assert.equal(w2.counters.serviceConnections.get('default/nodeport-service'), N);
    assert.equal(w1.counters.serviceConnections.get('default/nodeport-service'), undefined);
  } finally {
    three.close();
  }
});

test('the receiving node\'s filter decides: REJECT without endpoints, DROP without a local endpoint, a closed port refused', async () => {
  const three = threeNodes(PODS);
  const [master, w1, w2] = three.nets as [Netstack, Netstack, Netstack];
  try {
    const np = (name: string, nodePort: number, extra = {}) =>
      service(name, { type: 'NodePort', clusterIP: `10.96.0.${nodePort - 30000}`, ports: [{ port: 80, targetPort: 8080, nodePort, protocol: 'TCP' }], ...extra });
    const eps = [{ ip: '10.244.1.6', node: 'worker1' }, { ip: '10.244.2.8', node: 'worker2' }];
    three.program([np('empty', 30081), np('local', 30082, { externalTrafficPolicy: 'Local' })], [slice('local', [{ port: 8080 }], eps)]);

    assert.equal(bodyOf(await connect(w1, MASTER, 30081)), '(refused)');
    assert.equal(count(master, 'filter', 'KUBE-EXTERNAL-SERVICES', '"default/empty has no endpoints"'), 1);
    assert.equal(count(w1, 'filter', 'KUBE-EXTERNAL-SERVICES', '"default/empty has no endpoints"'), 0);

    assert.equal(bodyOf(await connect(w1, MASTER, 30082)), '(timeout)');
    assert.equal(count(master, 'filter', 'KUBE-EXTERNAL-SERVICES', '"default/local has no local endpoints"'), 1);
    // worker2 has one: KUBE-SVL, no masquerade, so the pod sees worker1's address.
    assert.equal(bodyOf(await connect(w1, WORKER2, 30082)), `np-2 ${WORKER1}`);
    assert.equal(count(w2, 'nat', 'KUBE-POSTROUTING', 'MASQUERADE'), 0);
    // cni0's address is worker2's as much as eth0's: `addrtype --dst-type LOCAL` takes it to KUBE-NODEPORTS too. The
    // socket is bound to flannel.1's 10.244.1.0 (the route's source), a pod-network address: "pod traffic" goes to
    // the cluster-wide chain.
    assert.match(bodyOf(await connect(w1, '10.244.2.1', 30082)), /^np-[12] 10\.244\.1\.0$/);
    assert.equal(count(w2, 'nat', 'KUBE-NODEPORTS', '--dport 30082'), 2);
    // worker1 reaching its own address: "route LOCAL traffic" to the cluster-wide chain, masqueraded.
    assert.match(bodyOf(await connect(w1, WORKER1, 30082)), /^np-[12] 10\.244\.1\.[01]$/);

    assert.equal(bodyOf(await connect(w1, WORKER2, 9999)), '(refused)', 'nothing listens: RST');
    const kubelet = await connect(w1, WORKER2, 10250);
    assert.equal(kubelet.ok && kubelet.response.kind === 'http' && kubelet.response.response.status, 401);
    const t = w1.counters.recentTraces().at(-1)!;
    assert.deepEqual([t.crossed, t.dnat, t.service], [['worker1', 'worker2'], null, null]);
    assert.ok(t.steps.some((s) => s.node === 'worker2' && s.chain === 'INPUT'), 'worker2 took it in through its INPUT chain');
  } finally {
    three.close();
  }
});

test('UDP to another node\'s NodePort: later datagrams of the socket follow the receiving node\'s conntrack entry', async () => {
  const three = threeNodes(PODS);
  const [, w1, w2] = three.nets as [Netstack, Netstack, Netstack];
  try {
    three.program(
      [service('dns', { type: 'NodePort', clusterIP: '10.96.0.53', ports: [{ port: 53, targetPort: 53, nodePort: 30053, protocol: 'UDP' }] })],
      [slice('dns', [{ port: 53, protocol: 'UDP' }], [{ ip: '10.244.1.6', node: 'worker1' }, { ip: '10.244.2.8', node: 'worker2' }])],
    );
    const answers = new Set<string>();
    for (let i = 0; i < 20; i++) answers.add(bodyOf(await connect(w1, WORKER2, 30053, 45000, 'udp')));
    assert.equal(answers.size, 1, `one endpoint for the socket: ${[...answers]}`);
    assert.equal(count(w2, 'nat', 'KUBE-NODEPORTS', '--dport 30053'), 1, 'only the first datagram walked the table');
    const ct = conntrackList(w2.conntrack, { proto: 'udp' }).stdout;
    assert.match(ct, new RegExp(`^udp      17 120 src=${WORKER1} dst=${WORKER2} sport=45000 dport=30053 src=10\\.244\\.[12]\\.\\d+ dst=10\\.244\\.2\\.[01] sport=53 dport=\\d+ \\[ASSURED\\] mark=0 use=1\\n$`));
  } finally {
    three.close();
  }
});

test('source address selection: lo\'s, cni0\'s or flannel.1\'s address; a closed port on lo refused at once; a pod\'s own lo', async () => {
  const three = threeNodes(PODS);
  const [master, w1] = three.nets as [Netstack, Netstack, Netstack];
  try {
    three.program(seedServices, seedSlices);
    assert.equal(bodyOf(await connect(master, '127.0.0.1', 8080)), '(refused)');
    assert.match(conntrackList(master.conntrack).stdout, /^tcp {6}6 10 CLOSE src=127\.0\.0\.1 dst=127\.0\.0\.1 sport=(\d+) dport=8080 src=127\.0\.0\.1 dst=127\.0\.0\.1 sport=8080 dport=\1 mark=0 use=1$/m);
    assert.equal(count(master, 'filter', 'KUBE-FIREWALL', 'block incoming localnet connections'), 0, 'not a martian from the node address');
    assert.match(bodyOf(await connect(master, '127.0.0.1', 30080)), /^np-[12] 10\.244\.0\.0$/);
    assert.equal(bodyOf(await connect(w1, '10.244.1.6', 8080)), 'np-1 10.244.1.1', 'its own pod: through cni0');
    assert.equal(bodyOf(await connect(w1, '10.244.2.8', 8080)), 'np-2 10.244.1.0', 'another node\'s pod: through flannel.1');
    const pod = { kind: 'pod', name: 'default/np-1', ip: '10.244.1.6' } as const;
    const self = await w1.connect({ from: pod, dst: { ip: '127.0.0.1', port: 8080 }, proto: 'tcp', payload: get });
    assert.equal(bodyOf(self), 'np-1 127.0.0.1', 'the pod answers itself, from lo');
    assert.equal(count(w1, 'nat', 'PREROUTING', 'kubernetes service portals'), 0, 'the node never saw it');
  } finally {
    three.close();
  }
});

test('a pod\'s connection to another node\'s address leaves with its node\'s address (flannel --ip-masq)', async () => {
  const three = threeNodes(PODS);
  const [, w1, w2] = three.nets as [Netstack, Netstack, Netstack];
  try {
    three.program(seedServices, seedSlices);
    const pod = { kind: 'pod', name: 'default/np-1', ip: '10.244.1.6' } as const;
    const r = await w1.connect({ from: pod, dst: { ip: WORKER2, port: 30080 }, proto: 'tcp', payload: get });
    assert.match(bodyOf(r), /^np-[12] 10\.244\.2\.[01]$/);
    assert.match(conntrackList(w1.conntrack).stdout, new RegExp(`src=10\\.244\\.1\\.6 dst=${WORKER2} sport=\\d+ dport=30080 src=${WORKER2} dst=${WORKER1} sport=30080 dport=\\d+ `));
    assert.match(conntrackList(w2.conntrack).stdout, new RegExp(`src=${WORKER1} dst=${WORKER2} sport=\\d+ dport=30080 `));
    // To a pod elsewhere the source stays the pod's.
    const direct = await w1.connect({ from: pod, dst: { ip: '10.244.2.8', port: 8080 }, proto: 'tcp', payload: get });
    assert.equal(bodyOf(direct), 'np-2 10.244.1.6');
  } finally {
    three.close();
  }
});
