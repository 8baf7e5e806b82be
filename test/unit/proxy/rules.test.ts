import { test } from 'node:test';
import assert from 'node:assert/strict';
import { portProtoHash, sepChain } from '../../../src-main/node/proxy/chain-names.ts';
import { buildNatTable } from '../../../src-main/node/proxy/rules.ts';
import { iptablesSave } from '../../../src-main/node/proxy/views.ts';
import { printedProbability } from '../../../src-main/node/proxy/rule-text.ts';
import { referenceNatSave, seedServices, seedSlices, service, slice } from './fixtures.ts';

const base = { nodeName: 'worker1', nodeIP: '192.168.56.11', clusterCIDR: '10.244.0.0/16' };

/** KUBE-SERVICES rules come out in Go map order upstream: compare them as a set, everything else line by line. */
function normalise(save: string): string[] {
  const lines = save.trimEnd().split('\n');
  const svc = lines.filter((l) => l.startsWith('-A KUBE-SERVICES ') && !l.includes('nodeports; NOTE')).sort();
  let i = 0;
  return lines.map((l) => (l.startsWith('-A KUBE-SERVICES ') && !l.includes('nodeports; NOTE') ? svc[i++]! : l));
}

function natRules(save: string, chainPrefix: string): string[] {
  return save.split('\n').filter((l) => l.startsWith(`-A ${chainPrefix}`));
}

test('chain hashes match kube-proxy', () => {
  assert.equal(portProtoHash('default/nodeport-service', 'tcp'), 'QATUYZLPU4I4HE4S');
  assert.equal(portProtoHash('default/kubernetes:https', 'tcp'), 'NPX46M4PTMTKRN6Y');
  assert.equal(portProtoHash('kube-system/kube-dns:dns', 'udp'), 'TCOU7JCQXEZGVUNU');
  assert.equal(sepChain('default/nodeport-service', 'tcp', '10.244.1.6:8080'), 'KUBE-SEP-4PR7ZYHKO5R3DHXP');
});

test('the reference iptables-save sample is reproduced', () => {
  const t = buildNatTable({ ...base, services: seedServices, endpointSlices: seedSlices });
  assert.deepEqual(normalise(iptablesSave(t, { table: 'nat' })), normalise(referenceNatSave));
});

test('probabilities print as the statistic match stores them', () => {
  assert.equal(printedProbability(0.5), '0.50000000000');
  assert.equal(printedProbability(0.3333333333), '0.33333333349');
  assert.equal(printedProbability(0.2), '0.20000000019');
});

test('three endpoints: 1/3, 1/2, then the unconditional rule', () => {
  const svc = service('web', { clusterIP: '10.96.5.5', ports: [{ port: 80, protocol: 'TCP' }] });
  const sl = slice('web', [{ port: 8080 }], [{ ip: '10.244.1.2' }, { ip: '10.244.2.2' }, { ip: '10.244.3.2' }]);
  const save = iptablesSave(buildNatTable({ ...base, services: [svc], endpointSlices: [sl] }), { table: 'nat' });
  const rules = natRules(save, 'KUBE-SVC-').slice(1);
  assert.equal(rules.length, 3);
  assert.match(rules[0]!, /-> 10\.244\.1\.2:8080" -m statistic --mode random --probability 0\.33333333349 -j KUBE-SEP-/);
  assert.match(rules[1]!, /-> 10\.244\.2\.2:8080" -m statistic --mode random --probability 0\.50000000000 -j KUBE-SEP-/);
  assert.doesNotMatch(rules[2]!, /statistic/);
});

test('ClientIP affinity adds recent rcheck rules and recent --set on the DNAT', () => {
  const svc = service('sticky', {
    clusterIP: '10.96.7.7',
    sessionAffinity: 'ClientIP',
    sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
    ports: [{ port: 80, protocol: 'TCP' }],
  });
  const sl = slice('sticky', [{ port: 80 }], [{ ip: '10.244.1.9' }, { ip: '10.244.2.9' }]);
  const save = iptablesSave(buildNatTable({ ...base, services: [svc], endpointSlices: [sl] }), { table: 'nat' });
  const sep = sepChain('default/sticky', 'tcp', '10.244.1.9:80');
  assert.ok(
    save.includes(
      `-m comment --comment "default/sticky -> 10.244.1.9:80" -m recent --rcheck --seconds 600 --reap --name ${sep} --mask 255.255.255.255 --rsource -j ${sep}`,
    ),
  );
  assert.ok(save.includes(`-A ${sep} -p tcp -m comment --comment "default/sticky" -m recent --set --name ${sep} --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.244.1.9:80`));
  const svcRules = natRules(save, 'KUBE-SVC-');
  assert.match(svcRules[1]!, /--rcheck/);
  assert.match(svcRules[2]!, /--rcheck/);
  assert.match(svcRules[3]!, /statistic/);
});

test('externalTrafficPolicy Local: EXT short-circuits, SVL holds only local endpoints, health check port accepted', () => {
  const svc = service(
    'lb',
    {
      type: 'LoadBalancer',
      clusterIP: '10.96.9.9',
      externalTrafficPolicy: 'Local',
      healthCheckNodePort: 32000,
      ports: [{ port: 80, nodePort: 30090, protocol: 'TCP' }],
    },
    { loadBalancer: { ingress: [{ ip: '192.168.56.240' }] } },
  );
  const sl = slice('lb', [{ port: 80 }], [
    { ip: '10.244.1.3', node: 'worker1' },
    { ip: '10.244.2.3', node: 'worker2' },
  ]);
  const t = buildNatTable({ ...base, services: [svc], endpointSlices: [sl] });
  const save = iptablesSave(t, { table: 'nat' });
  const h = portProtoHash('default/lb', 'tcp');
  assert.deepEqual(natRules(save, `KUBE-EXT-${h}`), [
    `-A KUBE-EXT-${h} -s 10.244.0.0/16 -m comment --comment "pod traffic for default/lb external destinations" -j KUBE-SVC-${h}`,
    `-A KUBE-EXT-${h} -m comment --comment "masquerade LOCAL traffic for default/lb external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
    `-A KUBE-EXT-${h} -m comment --comment "route LOCAL traffic for default/lb external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-${h}`,
    `-A KUBE-EXT-${h} -j KUBE-SVL-${h}`,
  ]);
  assert.deepEqual(natRules(save, `KUBE-SVL-${h}`), [`-A KUBE-SVL-${h} -m comment --comment "default/lb -> 10.244.1.3:80" -j ${sepChain('default/lb', 'tcp', '10.244.1.3:80')}`]);
  assert.ok(save.includes(`-A KUBE-SERVICES -d 192.168.56.240/32 -p tcp -m comment --comment "default/lb loadbalancer IP" -m tcp --dport 80 -j KUBE-EXT-${h}`));
  const filter = iptablesSave(t, { table: 'filter' });
  assert.ok(filter.includes('-A KUBE-NODEPORTS -p tcp -m comment --comment "default/lb health check node port" -m tcp --dport 32000 -j ACCEPT'));

  // On a node without local endpoints: no SVL, filter drops external traffic.
  const other = buildNatTable({ ...base, nodeName: 'worker3', services: [svc], endpointSlices: [sl] });
  const otherFilter = iptablesSave(other, { table: 'filter' });
  assert.ok(otherFilter.includes('-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/lb has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30090 -j DROP'));
  assert.ok(otherFilter.includes('-A KUBE-EXTERNAL-SERVICES -d 192.168.56.240/32 -p tcp -m comment --comment "default/lb has no local endpoints" -m tcp --dport 80 -j DROP'));
  assert.equal(natRules(iptablesSave(other, { table: 'nat' }), 'KUBE-SVL-').length, 0);
});

test('no endpoints: nothing in nat, REJECT in filter', () => {
  const svc = service('empty', { type: 'NodePort', clusterIP: '10.96.3.3', ports: [{ port: 80, nodePort: 30111, protocol: 'TCP' }] });
  const t = buildNatTable({ ...base, services: [svc], endpointSlices: [] });
  assert.doesNotMatch(iptablesSave(t, { table: 'nat' }), /default\/empty/);
  const filter = iptablesSave(t, { table: 'filter' });
  assert.ok(filter.includes('-A KUBE-SERVICES -d 10.96.3.3/32 -p tcp -m comment --comment "default/empty has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable'));
  assert.ok(filter.includes('-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/empty has no endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30111 -j REJECT --reject-with icmp-port-unreachable'));
});

test('headless and ExternalName services are not proxied', () => {
  const headless = service('db', { clusterIP: 'None', ports: [{ port: 5432, protocol: 'TCP' }] });
  const ext = service('ext', { type: 'ExternalName', externalName: 'example.com' });
  const sl = slice('db', [{ port: 5432 }], [{ ip: '10.244.1.4' }]);
  const t = buildNatTable({ ...base, services: [headless, ext], endpointSlices: [sl] });
  const save = iptablesSave(t);
  assert.doesNotMatch(save, /default\/db|default\/ext/);
});

test('named, multi-port services use the slice ports and `ns/svc:port` names', () => {
  const svc = service('multi', {
    clusterIP: '10.96.8.8',
    ports: [
      { name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' },
      { name: 'dns', port: 53, targetPort: 5353, protocol: 'UDP' },
    ],
  });
  const sl = slice('multi', [{ name: 'http', port: 8080 }, { name: 'dns', port: 5353, protocol: 'UDP' }], [{ ip: '10.244.1.7' }]);
  const save = iptablesSave(buildNatTable({ ...base, services: [svc], endpointSlices: [sl] }), { table: 'nat' });
  assert.ok(save.includes(`-A KUBE-SERVICES -d 10.96.8.8/32 -p tcp -m comment --comment "default/multi:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-${portProtoHash('default/multi:http', 'tcp')}`));
  assert.ok(save.includes(`-A KUBE-SERVICES -d 10.96.8.8/32 -p udp -m comment --comment "default/multi:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-${portProtoHash('default/multi:dns', 'udp')}`));
  assert.ok(save.includes('-m tcp -j DNAT --to-destination 10.244.1.7:8080'));
  assert.ok(save.includes('-m udp -j DNAT --to-destination 10.244.1.7:5353'));
});

test('terminating endpoints are used only when no endpoint is ready', () => {
  const svc = service('drain', { clusterIP: '10.96.4.4', ports: [{ port: 80, protocol: 'TCP' }] });
  const mixed = slice('drain', [{ port: 80 }], [
    { ip: '10.244.1.1', ready: false, serving: true, terminating: true },
    { ip: '10.244.1.2' },
  ]);
  let save = iptablesSave(buildNatTable({ ...base, services: [svc], endpointSlices: [mixed] }), { table: 'nat' });
  assert.doesNotMatch(save, /10\.244\.1\.1:80/);
  assert.match(save, /10\.244\.1\.2:80/);
  const onlyTerminating = slice('drain', [{ port: 80 }], [
    { ip: '10.244.1.1', ready: false, serving: true, terminating: true },
    { ip: '10.244.1.3', ready: false, serving: false, terminating: true },
  ]);
  save = iptablesSave(buildNatTable({ ...base, services: [svc], endpointSlices: [onlyTerminating] }), { table: 'nat' });
  assert.match(save, /DNAT --to-destination 10\.244\.1\.1:80/);
  assert.doesNotMatch(save, /10\.244\.1\.3:80/);
});

test('loadBalancerSourceRanges: KUBE-FW chain and the KUBE-PROXY-FIREWALL drop', () => {
  const svc = service(
    'fw',
    { type: 'LoadBalancer', clusterIP: '10.96.6.6', loadBalancerSourceRanges: ['192.168.56.0/24'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] },
    { loadBalancer: { ingress: [{ ip: '192.168.56.241' }] } },
  );
  const sl = slice('fw', [{ port: 8443 }], [{ ip: '10.244.2.4' }]);
  const t = buildNatTable({ ...base, services: [svc], endpointSlices: [sl] });
  const h = portProtoHash('default/fw', 'tcp');
  assert.deepEqual(natRules(iptablesSave(t, { table: 'nat' }), `KUBE-FW-${h}`), [
    `-A KUBE-FW-${h} -s 192.168.56.0/24 -m comment --comment "default/fw loadbalancer IP" -j KUBE-EXT-${h}`,
    `-A KUBE-FW-${h} -s 192.168.56.241/32 -m comment --comment "default/fw loadbalancer IP" -j KUBE-EXT-${h}`,
    `-A KUBE-FW-${h} -m comment --comment "other traffic to default/fw will be dropped by KUBE-PROXY-FIREWALL"`,
  ]);
  assert.ok(
    iptablesSave(t, { table: 'filter' }).includes(
      `-A KUBE-PROXY-FIREWALL -d 192.168.56.241/32 -p tcp -m comment --comment "default/fw traffic not accepted by KUBE-FW-${h}" -m tcp --dport 443 -j DROP`,
    ),
  );
});
