import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNatTable } from '../../../src-main/node/proxy/rules.ts';
import { saveRule } from '../../../src-main/node/proxy/rule-text.ts';
import { serviceRuleLines, type CountedRule } from '../../../src-main/host/service-rules.ts';
import { seedServices, seedSlices, service, slice } from './fixtures.ts';

const base = { nodeName: 'worker1', nodeIP: '192.168.56.11', clusterCIDR: '10.244.0.0/16' };

/** What a node's `ruleCounters` call answers, for the nat table (src-main/node/calls.ts). */
function counted(services = seedServices, slices = seedSlices): CountedRule[] {
  const t = buildNatTable({ ...base, services, endpointSlices: slices });
  return [...t.nat.chains.values()].flatMap((c) =>
    c.rules.map((r, i) => ({ table: 'nat' as const, chain: c.name, index: i + 1, packets: i, bytes: i * 60, text: saveRule(c.name, r), target: r.target?.kind === 'jump' ? r.target.chain : (r.target?.kind ?? null) })),
  );
}

test("a NodePort Service's rules: its KUBE-SERVICES and KUBE-NODEPORTS entries, its SVC, SEP and EXT chains", () => {
  const lines = serviceRuleLines(counted(), 'default', 'nodeport-service');
  const chains = new Set(lines.map((l) => l.chain));
  assert.ok(chains.has('KUBE-SERVICES'));
  assert.ok(chains.has('KUBE-NODEPORTS'));
  assert.ok([...chains].some((c) => c.startsWith('KUBE-SVC-')));
  assert.ok([...chains].some((c) => c.startsWith('KUBE-SEP-')));
  assert.ok([...chains].some((c) => c.startsWith('KUBE-EXT-')));
  // The EXT chain's jump to the SVC chain names no service: it comes with its chain.
  assert.ok(lines.some((l) => /^-A KUBE-EXT-\S+ -j KUBE-SVC-/.test(l.text)));
  // Nothing of another Service, and no shared chain wholesale.
  assert.ok(lines.every((l) => !l.text.includes('kube-dns') && !l.text.includes('default/kubernetes')));
  assert.ok(!chains.has('KUBE-POSTROUTING') && !chains.has('KUBE-MARK-MASQ'));
  for (const l of lines) assert.equal(l.bytes, l.packets * 60, 'counters come along');
});

test('a name that only starts like another is not that Service', () => {
  const web = service('web', { clusterIP: '10.96.5.5', ports: [{ port: 80, protocol: 'TCP' }] });
  const web2 = service('web2', { clusterIP: '10.96.5.6', ports: [{ port: 80, protocol: 'TCP' }] });
  const rules = counted([web, web2], [slice('web', [{ port: 80 }], [{ ip: '10.244.1.2' }]), slice('web2', [{ port: 80 }], [{ ip: '10.244.1.3' }])]);
  const lines = serviceRuleLines(rules, 'default', 'web');
  assert.ok(lines.length >= 4, `${lines.length} lines`);
  assert.ok(lines.every((l) => !l.text.includes('web2') && !l.text.includes('10.244.1.3')), lines.map((l) => l.text).join('\n'));
  assert.ok(lines.some((l) => l.text.includes('-j DNAT --to-destination 10.244.1.2:80')));
});

test('an unknown Service has no rules', () => {
  assert.deepEqual(serviceRuleLines(counted(), 'default', 'nope'), []);
});
