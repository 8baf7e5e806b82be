import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrafficCounters, type TraceRecord } from '../../../src-main/node/netstack/counters.ts';
import { buildNatTable } from '../../../src-main/node/proxy/rules.ts';
import { evaluate, newRecentTable } from '../../../src-main/node/proxy/walk.ts';
import { seedServices, seedSlices } from '../proxy/fixtures.ts';

const trace = (id: number): TraceRecord => ({
  id,
  from: { kind: 'node', name: 'master', ip: '192.168.56.10' },
  to: { ip: '10.96.0.9', port: 80 },
  entryNode: 'master',
  service: 'default/web',
  pod: 'default/web-1',
  podNode: 'worker1',
  result: 'ok',
  dnat: null,
  snat: null,
  crossed: ['master', 'worker1'],
  startedAt: id,
  durationMs: 0,
});

test('the last 200 traces are kept in order; frames carry the summaries of those added since the last frame', () => {
  const c = new TrafficCounters();
  for (let id = 1; id <= 250; id++) c.addTrace(trace(id));
  assert.deepEqual(c.recentTraces().map((t) => t.id), Array.from({ length: 200 }, (_, i) => i + 51));
  assert.equal(c.trace(50), null);
  assert.deepEqual(c.trace(51), { ...trace(51), steps: [] });
  const f1 = c.takeFrame(0) as { traces: Array<{ id: number }> };
  assert.deepEqual(f1.traces.map((t) => t.id), Array.from({ length: 200 }, (_, i) => i + 51));
  assert.deepEqual(Object.keys(f1.traces[0]!).sort(), ['entryNode', 'from', 'id', 'pod', 'podNode', 'result', 'service', 'to']);
  assert.equal(c.takeFrame(1), undefined, 'nothing moved');
  for (let id = 251; id <= 253; id++) c.addTrace(trace(id));
  const f2 = c.takeFrame(2) as { traces: Array<{ id: number }> };
  assert.deepEqual(f2.traces.map((t) => t.id), [251, 252, 253]);
  assert.deepEqual(c.recentTraces().at(-1)!.id, 253);
  assert.equal(c.recentTraces().length, 200);
});

test('steps are rendered from the walk when asked for, once', () => {
  const table = buildNatTable({ nodeName: 'worker1', nodeIP: '192.168.56.11', clusterCIDR: '10.244.0.0/16', services: seedServices, endpointSlices: seedSlices });
  const svc = seedServices[0]!;
  const walk = evaluate(table, { src: '10.244.1.5', dst: svc.spec!.clusterIP!, proto: 'tcp', sport: 40000, dport: svc.spec!.ports![0]!.port, inIface: 'pod' }, { recent: newRecentTable(), now: 0, random: () => 0 });
  const c = new TrafficCounters();
  c.addTrace(trace(7), table, walk);
  const steps = c.trace(7)!.steps;
  assert.ok(steps.length >= 3, JSON.stringify(steps));
  assert.equal(steps[0]!.chain, 'PREROUTING');
  assert.ok(steps.some((s) => s.chain.startsWith('KUBE-SEP-') && s.action === 'DNAT'));
  assert.equal(c.trace(7)!.steps, steps, 'rendered once');
});
