import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1';
import {
  candidates,
  formatDig,
  formatHost,
  formatNslookup,
  formatResolvConf,
  podResolvConf,
  resolve,
  resolveWithSearch,
  toolQuery,
  type ClusterView,
} from '../../../src-main/net/dns/index.ts';
import { service, slice } from '../proxy/fixtures.ts';

const view: ClusterView = {
  services: [
    service('kubernetes', { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] }),
    service('kube-dns', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] }, undefined, 'kube-system'),
    service('db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }),
    service('empty-headless', { clusterIP: 'None', ports: [{ port: 80, protocol: 'TCP' }] }),
    service('my-db', { type: 'ExternalName', externalName: 'db.example.com' }),
    service('api', { type: 'ExternalName', externalName: 'kubernetes.default.svc.cluster.local' }),
    service('alias', { type: 'ExternalName', externalName: 'api.default.svc.cluster.local.' }),
    service('loop', { type: 'ExternalName', externalName: 'loop.default.svc.cluster.local' }),
    service('gone', { type: 'ExternalName', externalName: 'nosuch.default.svc.cluster.local' }),
  ],
  endpointSlices: [
    slice('kubernetes', [{ name: 'https', port: 6443 }], [{ ip: '192.168.56.10' }]),
    slice('db', [{ name: 'pg', port: 5432 }], [{ ip: '10.244.1.4', hostname: 'db-0' }, { ip: '10.244.2.4' }, { ip: '10.244.2.9', ready: false }]),
  ],
  pods: [{ metadata: { name: 'p', namespace: 'default' } } as Pod],
};

const a = (r: ReturnType<typeof resolve>) => r.answer.map((x) => `${x.name} ${x.data.type} ${'address' in x.data ? x.data.address : 'target' in x.data ? x.data.target : ''}`);

test('A records: ClusterIP service, headless ready endpoints, endpoint hostnames, pods', () => {
  assert.deepEqual(a(resolve({ name: 'kubernetes.default.svc.cluster.local', type: 'A' }, view)), ['kubernetes.default.svc.cluster.local. A 10.96.0.1']);
  assert.deepEqual(a(resolve({ name: 'db.default.svc.cluster.local.', type: 'A' }, view)), ['db.default.svc.cluster.local. A 10.244.1.4', 'db.default.svc.cluster.local. A 10.244.2.4']);
  assert.deepEqual(a(resolve({ name: 'db-0.db.default.svc.cluster.local', type: 'A' }, view)), ['db-0.db.default.svc.cluster.local. A 10.244.1.4']);
  assert.deepEqual(a(resolve({ name: '10-244-2-4.db.default.svc.cluster.local', type: 'A' }, view)), ['10-244-2-4.db.default.svc.cluster.local. A 10.244.2.4']);
  assert.deepEqual(a(resolve({ name: '10-244-1-5.default.pod.cluster.local', type: 'A' }, view)), ['10-244-1-5.default.pod.cluster.local. A 10.244.1.5']);
  assert.equal(resolve({ name: 'kubernetes.default.svc.cluster.local', type: 'A' }, view).answer[0]!.ttl, 30);
});

test('NXDOMAIN and NODATA carry the cluster SOA', () => {
  const nx = resolve({ name: 'nope.default.svc.cluster.local', type: 'A' }, view);
  assert.equal(nx.rcode, 'NXDOMAIN');
  assert.equal(nx.authority[0]!.data.type, 'SOA');
  assert.equal(resolve({ name: 'empty-headless.default.svc.cluster.local', type: 'A' }, view).rcode, 'NXDOMAIN');
  const aaaa = resolve({ name: 'kubernetes.default.svc.cluster.local', type: 'AAAA' }, view);
  assert.equal(aaaa.rcode, 'NOERROR');
  assert.equal(aaaa.answer.length, 0);
  assert.equal(resolve({ name: 'default.svc.cluster.local', type: 'A' }, view).rcode, 'NOERROR');
  assert.equal(resolve({ name: 'nons.svc.cluster.local', type: 'A' }, view).rcode, 'NXDOMAIN');
});

test('SRV for named ports, CNAME for ExternalName, PTR for service and endpoint IPs', () => {
  const srv = resolve({ name: '_dns._udp.kube-dns.kube-system.svc.cluster.local', type: 'SRV' }, view);
  assert.deepEqual(srv.answer.map((r) => r.data), [{ type: 'SRV', priority: 0, weight: 100, port: 53, target: 'kube-dns.kube-system.svc.cluster.local.' }]);
  assert.equal(srv.additional[0]!.data.type, 'A');
  const hsrv = resolve({ name: '_pg._tcp.db.default.svc.cluster.local', type: 'SRV' }, view);
  assert.deepEqual(hsrv.answer.map((r) => r.data.type === 'SRV' && `${r.data.weight} ${r.data.port} ${r.data.target}`), [
    '50 5432 db-0.db.default.svc.cluster.local.',
    '50 5432 10-244-2-4.db.default.svc.cluster.local.',
  ]);
  assert.equal(resolve({ name: '_http._tcp.kubernetes.default.svc.cluster.local', type: 'SRV' }, view).rcode, 'NXDOMAIN');
  assert.deepEqual(a(resolve({ name: 'my-db.default.svc.cluster.local', type: 'A' }, view)), ['my-db.default.svc.cluster.local. CNAME db.example.com.']);
  // A target in cluster.local: CoreDNS answers the CNAME and the target's addresses, following chains.
  assert.deepEqual(a(resolve({ name: 'api.default.svc.cluster.local', type: 'A' }, view)), ['api.default.svc.cluster.local. CNAME kubernetes.default.svc.cluster.local.', 'kubernetes.default.svc.cluster.local. A 10.96.0.1']);
  assert.deepEqual(a(resolve({ name: 'alias.default.svc.cluster.local', type: 'A' }, view)), [
    'alias.default.svc.cluster.local. CNAME api.default.svc.cluster.local.',
    'api.default.svc.cluster.local. CNAME kubernetes.default.svc.cluster.local.',
    'kubernetes.default.svc.cluster.local. A 10.96.0.1',
  ]);
  assert.deepEqual(a(resolve({ name: 'api.default.svc.cluster.local', type: 'CNAME' }, view)), ['api.default.svc.cluster.local. CNAME kubernetes.default.svc.cluster.local.']);
  for (const [n, t] of [['api', 'AAAA'], ['loop', 'A'], ['gone', 'A']] as const) {
    const r = resolve({ name: `${n}.default.svc.cluster.local`, type: t }, view);
    assert.deepEqual([r.rcode, r.answer.length], ['NOERROR', 0], `${n} ${t}: NODATA, no lone CNAME`);
  }
  assert.deepEqual(a(resolve({ name: '1.0.96.10.in-addr.arpa', type: 'PTR' }, view)), ['1.0.96.10.in-addr.arpa. PTR kubernetes.default.svc.cluster.local.']);
  assert.deepEqual(a(resolve({ name: '4.2.244.10.in-addr.arpa', type: 'PTR' }, view)), ['4.2.244.10.in-addr.arpa. PTR 10-244-2-4.db.default.svc.cluster.local.']);
  assert.equal(resolve({ name: '9.9.9.10.in-addr.arpa', type: 'PTR' }, view).rcode, 'NXDOMAIN');
});

test('search path and ndots expansion', () => {
  const conf = podResolvConf('default');
  assert.equal(formatResolvConf(conf), 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  assert.deepEqual(candidates('kubernetes', conf), ['kubernetes.default.svc.cluster.local.', 'kubernetes.svc.cluster.local.', 'kubernetes.cluster.local.', 'kubernetes.']);
  assert.deepEqual(candidates('a.b.c.d.e.f', conf)[0], 'a.b.c.d.e.f.');
  assert.deepEqual(candidates('x.', conf), ['x.']);
  const r = resolveWithSearch('kube-dns.kube-system', 'A', view, conf);
  assert.equal(r.name, 'kube-dns.kube-system.svc.cluster.local.');
  assert.deepEqual(r.tried.map((t) => t.rcode), ['NXDOMAIN', 'NOERROR']);
});

test('nslookup (bind on nodes, busybox in pods), host and dig output', () => {
  const conf = podResolvConf('default');
  const r = resolveWithSearch('kubernetes', 'A', view, conf);
  assert.equal(formatNslookup('bind', '10.96.0.10', r).stdout, 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n');
  assert.equal(formatNslookup('busybox', '10.96.0.10', r).stdout, 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n');
  const miss = formatNslookup('bind', '10.96.0.10', resolveWithSearch('nope.default.svc.cluster.local.', 'A', view, conf));
  assert.equal(miss.stdout, "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find nope.default.svc.cluster.local: NXDOMAIN\n\n");
  assert.equal(miss.code, 1);
  const q = toolQuery('10.96.0.1');
  const ptr = formatNslookup('bind', '10.96.0.10', resolveWithSearch(q.name, q.type, view, conf));
  assert.ok(ptr.stdout.endsWith('1.0.96.10.in-addr.arpa\tname = kubernetes.default.svc.cluster.local.\n\n'));
  assert.equal(formatHost(resolveWithSearch('kubernetes', 'A', view, conf)).stdout, 'kubernetes.default.svc.cluster.local has address 10.96.0.1\n');
  assert.equal(formatHost(resolveWithSearch('nope', 'A', view, conf)).stdout, 'Host nope not found: 3(NXDOMAIN)\n');
  const dig = formatDig(resolve({ name: 'kubernetes.default.svc.cluster.local', type: 'A' }, view), {
    server: '10.96.0.10',
    args: '@10.96.0.10 kubernetes.default.svc.cluster.local',
    when: new Date(Date.UTC(2026, 0, 1)),
  }).stdout;
  assert.ok(dig.includes(';; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n;; WARNING: recursion requested but not available\n'));
  assert.ok(dig.includes(';; ANSWER SECTION:\nkubernetes.default.svc.cluster.local. 30 IN A\t10.96.0.1\n'));
  assert.ok(dig.includes(';; WHEN: Thu Jan 01 00:00:00 UTC 2026\n;; MSG SIZE  rcvd: 81\n'));
  assert.equal(formatDig(resolve({ name: 'db.default.svc.cluster.local', type: 'A' }, view), { server: '', args: '', when: new Date(0), short: true }).stdout, '10.244.1.4\n10.244.2.4\n');
});
