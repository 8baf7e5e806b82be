import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNatTable } from '../../../src-main/node/proxy/rules.ts';
import type { NatTable } from '../../../src-main/node/proxy/model.ts';
import { iptablesSave, zeroCounters } from '../../../src-main/node/proxy/views.ts';
import { evaluate, newRecentTable, type Packet, type WalkState } from '../../../src-main/node/proxy/walk.ts';
import { invalidateWalkCache } from '../../../src-main/node/proxy/walk-cache.ts';
import { seedServices, seedSlices, service, slice } from './fixtures.ts';
import { mulberry32 as rng } from '../../fixtures/random.ts';

const base = { nodeName: 'worker1', nodeIP: '192.168.56.11', clusterCIDR: '10.244.0.0/16' };

const services = [
  ...seedServices,
  service('sticky', { clusterIP: '10.96.7.7', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, ports: [{ port: 80, protocol: 'TCP' }] }),
  service('local', { type: 'NodePort', clusterIP: '10.96.9.1', externalTrafficPolicy: 'Local', ports: [{ port: 80, nodePort: 30200, protocol: 'TCP' }] }),
  service('empty', { clusterIP: '10.96.3.3', ports: [{ port: 80, protocol: 'TCP' }] }),
  service('lb', { type: 'LoadBalancer', clusterIP: '10.96.5.5', loadBalancerSourceRanges: ['192.168.56.0/28'], ports: [{ port: 80, nodePort: 30300, protocol: 'TCP' }] }, { loadBalancer: { ingress: [{ ip: '192.168.56.200' }] } }),
];
const slices = [
  ...seedSlices,
  slice('sticky', [{ port: 80 }], [{ ip: '10.244.1.9' }, { ip: '10.244.2.9' }, { ip: '10.244.2.10' }]),
  slice('local', [{ port: 80 }], [{ ip: '10.244.2.3', node: 'worker2' }]),
  slice('lb', [{ port: 80 }], [{ ip: '10.244.1.11', node: 'worker1' }, { ip: '10.244.2.11', node: 'worker2' }]),
];


function packets(n: number, pick: () => number): Packet[] {
  const dsts: Array<[string, number]> = [
    ['10.96.120.15', 80], ['10.96.201.17', 80], ['10.96.7.7', 80], ['10.96.9.1', 80], ['10.96.3.3', 80], ['10.96.5.5', 80],
    ['192.168.56.200', 80], ['192.168.56.11', 30080], ['192.168.56.11', 30200], ['192.168.56.11', 30300], ['192.168.56.12', 30080],
    ['10.244.2.7', 80], ['10.244.1.5', 80], ['8.8.8.8', 53], ['10.96.120.15', 81],
  ];
  const srcs: Array<[string, Packet['inIface']]> = [
    ['10.244.1.20', 'pod'], ['10.244.1.5', 'pod'], ['10.244.1.21', undefined], ['192.168.56.1', 'external'], ['192.168.56.100', 'external'],
    ['192.168.56.11', 'local'], ['192.168.56.11', undefined], ['10.244.1.1', 'local'],
  ];
  const out: Packet[] = [];
  for (let i = 0; i < n; i++) {
    const [dst, dport] = dsts[Math.floor(pick() * dsts.length)]!;
    const [src, inIface] = srcs[Math.floor(pick() * srcs.length)]!;
    out.push({ src, dst, dport, inIface, proto: pick() < 0.9 ? 'tcp' : 'udp', sport: 40000 + i, bytes: 60 + Math.floor(pick() * 100) });
  }
  return out;
}

const table = (): NatTable => buildNatTable({ ...base, services, endpointSlices: slices });
const state = (seed: number): WalkState => ({ recent: newRecentTable(), now: 1_000_000, random: rng(seed) });

test('a memoized walk gives the same results, counters, random draws and recent lists as a walk from scratch', () => {
  const cached = table();
  const cold = table();
  const a = state(7);
  const b = state(7);
  const list = packets(3000, rng(1));
  for (const [i, p] of list.entries()) {
    a.now = b.now = 1_000_000 + i * 97;
    invalidateWalkCache(cold);
    const expected = evaluate(cold, p, b);
    const got = evaluate(cached, p, a);
    assert.deepEqual(got, expected, `packet ${i} ${JSON.stringify(p)}`);
    if (i === 1500) {
      zeroCounters(cached);
      zeroCounters(cold);
    }
  }
  assert.equal(iptablesSave(cached, { counters: true }), iptablesSave(cold, { counters: true }));
  assert.deepEqual(a.recent, b.recent);
  assert.equal(a.random(), b.random());
  // The comparison saw every kind of verdict, so each kind of pass was memoized and replayed.
  const verdicts = new Set(list.map((p) => evaluate(cold, p, state(1)).verdict));
  assert.deepEqual([...verdicts].sort(), ['ACCEPT', 'DNAT', 'DROP', 'REJECT']);
});
