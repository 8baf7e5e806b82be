/**
 * The data path of three node netstacks joined by real MessagePorts, checked against first principles: every random
 * draw is recorded, and what the statistic rules, MASQUERADE --random-fully, the rule counters, conntrack and the
 * traces must show follows from those draws alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { conntrackList } from '../../../src-main/node/proxy/conntrack-list.ts';
import { saveRule } from '../../../src-main/node/proxy/rule-text.ts';
import { loadTest } from '../../../src-main/node/load-test.ts';
import { seedServices, seedSlices } from '../proxy/fixtures.ts';
import { NODES, threeNodes } from './three-nodes.ts';

const PODS: Record<string, string> = { '10.244.1.5': 'web-1', '10.244.2.7': 'web-2' };

function cluster() {
  const three = threeNodes(PODS);
  three.program(seedServices, seedSlices, ['master']);
  return { master: three.nets[0]!, nets: three.nets, draws: three.draws, close: three.close };
}

test('3,000 connections to a ClusterIP: endpoints, SNAT ports, rule counters, conntrack and traces follow from the random draws', async () => {
  const { master, nets, draws, close } = cluster();
  try {
    const N = 3000;
    const r = await loadTest(master, { dst: { ip: '10.96.120.15', port: 80 }, count: N, concurrency: 16 });
    assert.equal(r.ok, N);

    // Replay: per connection, in the order they were opened, one draw for the statistic rule (probability 0.5 picks
    // 10.244.1.5), then draws for a source port whose reply tuple is free (TIME_WAIT entries keep theirs taken).
    const taken = new Map<string, Set<number>>();
    const want: Array<{ ep: string; port: number }> = [];
    let k = 0;
    for (let c = 0; c < N; c++) {
      const ep = Math.floor(draws[k++]! * 0x80000000) < Math.round(0.5 * 0x80000000) ? '10.244.1.5' : '10.244.2.7';
      const used = taken.get(ep) ?? taken.set(ep, new Set()).get(ep)!;
      let port: number;
      do port = 1024 + Math.floor(draws[k++]! * (65536 - 1024));
      while (used.has(port));
      used.add(port);
      want.push({ ep, port });
    }
    assert.equal(draws.length, k, 'no draw unaccounted for');
    const toWeb1 = want.filter((w) => w.ep === '10.244.1.5').length;
    assert.deepEqual(r.byPod, { 'default/web-1': toWeb1, 'default/web-2': N - toWeb1 });

    // Rule counters: every connection counted once on its path, the statistic rule only when it matched.
    const count = (chain: string, text: string) => {
      const rules = master.table!.nat.chains.get(chain)!.rules;
      const rule = rules.find((x) => saveRule(chain, x).includes(text));
      assert.ok(rule, `${chain} ${text}`);
      return rule.counters.packets;
    };
    assert.equal(count('OUTPUT', 'kubernetes service portals'), N);
    assert.equal(count('KUBE-SERVICES', '-d 10.96.120.15/32'), N);
    assert.equal(count('KUBE-SVC-OUYLQREKC6TK7Y6H', '! -s 10.244.0.0/16'), N);
    assert.equal(count('KUBE-SVC-OUYLQREKC6TK7Y6H', '-m statistic'), toWeb1);
    assert.equal(count('KUBE-SEP-675SGWHSMGDFZA6F', '-j DNAT'), toWeb1);
    assert.equal(count('KUBE-SEP-OCRK4AOHPZPR3MG5', '-j DNAT'), N - toWeb1);
    assert.equal(count('KUBE-POSTROUTING', 'MASQUERADE'), N);

    // Conntrack: one TIME_WAIT entry per connection, source port 32768 + its index, SNAT port as drawn.
    const lines = conntrackList(master.conntrack).stdout.trimEnd().split('\n');
    assert.equal(lines.length, N);
    lines.forEach((line, c) => {
      assert.equal(
        line,
        `tcp      6 120 TIME_WAIT src=192.168.56.10 dst=10.96.120.15 sport=${32768 + c} dport=80 src=${want[c]!.ep} dst=10.244.0.0 sport=80 dport=${want[c]!.port} [ASSURED] mark=0 use=1`,
      );
    });

    // Traces: the last 200, each matching its connection's draws.
    const traces = master.counters.recentTraces();
    assert.equal(traces.length, 200);
    for (const t of traces) {
      const c = t.id - 10 * 10_000_000 - 1;
      const w = want[c]!;
      const node = w.ep === '10.244.1.5' ? 'worker1' : 'worker2';
      assert.deepEqual(
        { service: t.service, pod: t.pod, podNode: t.podNode, result: t.result, dnat: t.dnat, snat: t.snat, crossed: t.crossed },
        { service: 'default/clusterip-hostname-service', pod: `default/${PODS[w.ep]}`, podNode: node, result: 'ok', dnat: { ip: w.ep, port: 80 }, snat: '10.244.0.0', crossed: ['master', node] },
      );
      const chains = t.steps.map((s) => s.chain);
      const [sep, other] = node === 'worker1' ? ['KUBE-SEP-675SGWHSMGDFZA6F', 'KUBE-SEP-OCRK4AOHPZPR3MG5'] : ['KUBE-SEP-OCRK4AOHPZPR3MG5', 'KUBE-SEP-675SGWHSMGDFZA6F'];
      assert.equal(chains[0], 'OUTPUT');
      assert.ok(chains.includes(sep) && !chains.includes(other), chains.join(' '));
      assert.equal(t.steps.find((s) => s.chain === sep && s.action === 'DNAT')?.rule, `-A ${sep} -p tcp -m comment --comment "default/clusterip-hostname-service" -m tcp -j DNAT --to-destination ${w.ep}:80`);
      assert.equal(t.steps.at(-1)!.action, 'MASQUERADE');
    }
    // The endpoints' nodes served what they answered, and counted the bytes.
    assert.equal(nets[1]!.counters.podRequests.get('default/web-1'), toWeb1);
    assert.equal(nets[2]!.counters.podRequests.get('default/web-2'), N - toWeb1);
    assert.equal(master.counters.serviceConnections.get('default/clusterip-hostname-service'), N);
  } finally {
    close();
  }
});

test('a peer that goes away: its connections in flight end in a timeout, and later ones find no route', async () => {
  const { master, close } = cluster();
  try {
    master.removePeer('worker2');
    const ch = new MessageChannel();
    // worker2 is back, but nothing answers at its end of the link.
    master.addPeer(NODES[2]!, ch.port1);
    const inFlight = Array.from({ length: 5 }, (_, i) => master.connect({ from: { kind: 'node', name: 'master', ip: NODES[0]!.ip }, dst: { ip: '10.244.2.7', port: 80 }, proto: 'tcp', sport: 40000 + i, payload: { kind: 'connect' } }));
    await new Promise((r) => setTimeout(r, 10));
    master.removePeer('worker2');
    for (const r of await Promise.all(inFlight)) assert.deepEqual(r.ok ? r : { ok: r.ok, error: r.error }, { ok: false, error: 'timeout' });
    ch.port2.close();
  } finally {
    close();
  }
});
