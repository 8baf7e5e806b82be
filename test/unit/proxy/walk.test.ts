import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNatTable } from '../../../src-main/node/proxy/rules.ts';
import { evaluate, newRecentTable, type Packet, type WalkState } from '../../../src-main/node/proxy/walk.ts';
import { iptablesList } from '../../../src-main/node/proxy/views.ts';
import { seedServices, seedSlices, service, slice } from './fixtures.ts';

const base = { nodeName: 'worker1', nodeIP: '192.168.56.11', clusterCIDR: '10.244.0.0/16' };
const seq = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};
const fromPod = (dst: string, dport: number, src = '10.244.1.20'): Packet => ({ src, dst, proto: 'tcp', sport: 40000, dport, inIface: 'pod' });

test('clusterIP: the statistic rule splits 1/2 and DNATs to the chosen endpoint, pod traffic is not masqueraded', () => {
  const t = buildNatTable({ ...base, services: seedServices, endpointSlices: seedSlices });
  const state: WalkState = { recent: newRecentTable(), now: 0, random: seq(0.1, 0.9) };
  const first = evaluate(t, fromPod('10.96.120.15', 80), state);
  const second = evaluate(t, fromPod('10.96.120.15', 80), state);
  assert.equal(first.verdict, 'DNAT');
  assert.deepEqual(first.dnat, { ip: '10.244.1.5', port: 80 });
  assert.deepEqual(second.dnat, { ip: '10.244.2.7', port: 80 });
  assert.equal(first.masquerade, false);
  const chains = first.matched.filter((m) => m.table === 'nat').map((m) => m.chain);
  assert.deepEqual(chains, ['PREROUTING', 'KUBE-SERVICES', 'KUBE-SVC-OUYLQREKC6TK7Y6H', 'KUBE-SEP-675SGWHSMGDFZA6F', 'POSTROUTING', 'KUBE-POSTROUTING']);
});

test('a hairpin (endpoint reaching itself through the service) is masqueraded', () => {
  const t = buildNatTable({ ...base, services: seedServices, endpointSlices: seedSlices });
  const r = evaluate(t, fromPod('10.96.120.15', 80, '10.244.1.5'), { recent: newRecentTable(), now: 0, random: () => 0 });
  assert.deepEqual(r.dnat, { ip: '10.244.1.5', port: 80 });
  assert.equal(r.masquerade, true);
});

test('NodePort from outside: KUBE-NODEPORTS -> EXT (mark) -> SVC -> SEP, then MASQUERADE', () => {
  const t = buildNatTable({ ...base, services: seedServices, endpointSlices: seedSlices });
  const p: Packet = { src: '192.168.56.1', dst: '192.168.56.11', proto: 'tcp', sport: 51000, dport: 30080, inIface: 'external' };
  const r = evaluate(t, p, { recent: newRecentTable(), now: 0, random: () => 0.7 });
  assert.equal(r.verdict, 'DNAT');
  assert.deepEqual(r.dnat, { ip: '10.244.2.8', port: 8080 });
  assert.equal(r.masquerade, true);
  const nat = r.matched.filter((m) => m.table === 'nat').map((m) => m.chain);
  assert.deepEqual(nat.slice(0, 4), ['PREROUTING', 'KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-EXT-QATUYZLPU4I4HE4S']);
  assert.ok(nat.includes('KUBE-POSTROUTING'));
  // Not a local address: the nodeport tail rule does not match and nothing happens.
  const miss = evaluate(t, { ...p, dst: '192.168.56.12' }, { recent: newRecentTable(), now: 0, random: () => 0 });
  assert.equal(miss.verdict, 'ACCEPT');
});

test('ClientIP affinity sticks to one endpoint until the timeout passes', () => {
  const svc = service('sticky', { clusterIP: '10.96.7.7', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, ports: [{ port: 80, protocol: 'TCP' }] });
  const sl = slice('sticky', [{ port: 80 }], [{ ip: '10.244.1.9' }, { ip: '10.244.2.9' }]);
  const t = buildNatTable({ ...base, services: [svc], endpointSlices: [sl] });
  const state: WalkState = { recent: newRecentTable(), now: 1_000_000, random: () => 0.99 };
  const first = evaluate(t, fromPod('10.96.7.7', 80), state);
  assert.deepEqual(first.dnat, { ip: '10.244.2.9', port: 80 });
  state.random = () => 0.01; // the statistic rule would now pick the first endpoint
  for (let i = 0; i < 5; i++) {
    state.now += 30_000; // each hit refreshes the --set stamp
    assert.deepEqual(evaluate(t, fromPod('10.96.7.7', 80), state).dnat, { ip: '10.244.2.9', port: 80 });
  }
  // Another client is balanced independently.
  assert.deepEqual(evaluate(t, fromPod('10.96.7.7', 80, '10.244.3.3'), state).dnat, { ip: '10.244.1.9', port: 80 });
  state.now += 61_000;
  assert.deepEqual(evaluate(t, fromPod('10.96.7.7', 80), state).dnat, { ip: '10.244.1.9', port: 80 });
});

test('externalTrafficPolicy Local: dropped on a node without local endpoints, served without SNAT on one with', () => {
  const svc = service('local', { type: 'NodePort', clusterIP: '10.96.9.1', externalTrafficPolicy: 'Local', ports: [{ port: 80, nodePort: 30200, protocol: 'TCP' }] });
  const sl = slice('local', [{ port: 80 }], [{ ip: '10.244.2.3', node: 'worker2' }]);
  const outside = (dst: string): Packet => ({ src: '192.168.56.1', dst, proto: 'tcp', sport: 50000, dport: 30200, inIface: 'external' });
  const w1 = buildNatTable({ ...base, services: [svc], endpointSlices: [sl] });
  const dropped = evaluate(w1, outside('192.168.56.11'), { recent: newRecentTable(), now: 0, random: () => 0 });
  assert.equal(dropped.verdict, 'DROP');
  assert.equal(dropped.filteredBy?.chain, 'KUBE-EXTERNAL-SERVICES');
  // Pods on worker1 still reach it through the node IP (short-circuit to the Cluster chain).
  const fromLocalPod = evaluate(w1, { ...outside('192.168.56.11'), src: '10.244.1.20', inIface: 'pod' }, { recent: newRecentTable(), now: 0, random: () => 0 });
  assert.deepEqual(fromLocalPod.dnat, { ip: '10.244.2.3', port: 80 });

  const w2 = buildNatTable({ ...base, nodeName: 'worker2', nodeIP: '192.168.56.12', services: [svc], endpointSlices: [sl] });
  const served = evaluate(w2, outside('192.168.56.12'), { recent: newRecentTable(), now: 0, random: () => 0 });
  assert.deepEqual(served.dnat, { ip: '10.244.2.3', port: 80 });
  assert.equal(served.masquerade, false);
});

test('a service without endpoints is rejected by the filter table', () => {
  const svc = service('empty', { clusterIP: '10.96.3.3', ports: [{ port: 80, protocol: 'TCP' }] });
  const t = buildNatTable({ ...base, services: [svc], endpointSlices: [] });
  const r = evaluate(t, fromPod('10.96.3.3', 80), { recent: newRecentTable(), now: 0, random: () => 0 });
  assert.equal(r.verdict, 'REJECT');
  assert.equal(r.filteredBy?.chain, 'KUBE-SERVICES');
});

test('counters count every matched rule and show in iptables -L -v', () => {
  const t = buildNatTable({ ...base, services: seedServices, endpointSlices: seedSlices });
  const state: WalkState = { recent: newRecentTable(), now: 0, random: seq(0.1, 0.9) };
  for (let i = 0; i < 4; i++) evaluate(t, { ...fromPod('10.96.120.15', 80), bytes: 100 }, state);
  const svcChain = t.nat.chains.get('KUBE-SVC-OUYLQREKC6TK7Y6H')!;
  assert.deepEqual(svcChain.rules.map((r) => r.counters.packets), [0, 2, 2]);
  assert.equal(t.nat.chains.get('PREROUTING')!.rules[0]!.counters.bytes, 400);
  const out = iptablesList(t, { table: 'nat', chain: 'KUBE-SVC-OUYLQREKC6TK7Y6H', numeric: true, verbose: true }).stdout;
  assert.match(out, /\n    2   200 KUBE-SEP-675SGWHSMGDFZA6F  all  --  \*      \*       0\.0\.0\.0\/0            0\.0\.0\.0\/0            \/\* default\/clusterip-hostname-service -> 10\.244\.1\.5:80 \*\/ statistic mode random probability 0\.50000000000\n/);
});
