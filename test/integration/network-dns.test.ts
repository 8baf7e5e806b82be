import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../src-main/api/types.ts';
import type { DnsResponse, QType } from '../../src-main/net/dns/types.ts';
import { rdataText } from '../../src-main/net/dns/types.ts';
import { dnsQuery } from '../../src-main/shell/commands/net-client.ts';
import type { Origin } from '../../src-main/cluster/network.ts';
import { deploy, DEPLOYMENTS, natSave, PODS, seedDeployment, service, SERVICES, startLab, until, type Lab } from './network-fixture.ts';

const DNS = '10.96.0.10';

const corednsPods = (lab: Lab) =>
  (lab.reg.list(PODS, { namespace: 'kube-system' }).items as unknown as Pod[]).filter(
    (p) => p.metadata?.labels?.['k8s-app'] === 'kube-dns' && !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );

async function ask(lab: Lab, origin: Origin, name: string, type: QType, sport?: number) {
  const r = await lab.cluster.network.connect(origin, { dst: { ip: DNS, port: 53 }, proto: 'udp', payload: { kind: 'dns', question: { name, type: type as 'A' } }, sport });
  return r;
}

async function answers(lab: Lab, origin: Origin, name: string, type: QType): Promise<{ rcode: string; data: string[] }> {
  const r = await ask(lab, origin, name, type);
  assert.ok(r.ok && r.response.kind === 'dns', `DNS answer for ${name}`);
  const res = (r.ok && r.response.kind === 'dns' ? r.response.answer : undefined) as DnsResponse;
  return { rcode: res.rcode, data: res.answer.map((a) => `${a.data.type} ${rdataText(a.data)}`).sort() };
}

test('DNS through kube-dns: A, SRV for named ports, headless, ExternalName CNAME, pod A records, NXDOMAIN; no nat rules for headless/ExternalName', async () => {
  const lab = await startLab();
  try {
    await until(lab, () => corednsPods(lab).length === 2, 120, 'coredns ready');
    const pods = await deploy(lab, seedDeployment());
    lab.reg.create(SERVICES, 'default', service('web', { selector: { app: 'hostname-server' }, ports: [{ name: 'http', port: 80, targetPort: 80 }] }));
    lab.reg.create(SERVICES, 'default', service('headless', { clusterIP: 'None', selector: { app: 'hostname-server' }, ports: [{ port: 80 }] }));
    lab.reg.create(SERVICES, 'default', service('external', { type: 'ExternalName', externalName: 'my.database.example.com' }));
    await lab.cluster.settle();
    const from: Origin = { pod: { namespace: 'default', name: pods[0]!.metadata!.name! } };
    const webIP = (lab.reg.get(SERVICES, 'default', 'web').spec as { clusterIP: string }).clusterIP;

    assert.deepEqual(await answers(lab, from, 'kubernetes.default.svc.cluster.local', 'A'), { rcode: 'NOERROR', data: ['A 10.96.0.1'] });
    assert.deepEqual(await answers(lab, from, 'web.default.svc.cluster.local', 'A'), { rcode: 'NOERROR', data: [`A ${webIP}`] });
    assert.deepEqual(await answers(lab, from, '_http._tcp.web.default.svc.cluster.local', 'SRV'), { rcode: 'NOERROR', data: ['SRV 0 100 80 web.default.svc.cluster.local.'] });
    assert.deepEqual(await answers(lab, { node: 'master' }, 'headless.default.svc.cluster.local', 'A'), { rcode: 'NOERROR', data: pods.map((p) => `A ${p.status!.podIP}`).sort() });
    const cname = await answers(lab, from, 'external.default.svc.cluster.local', 'A');
    assert.equal(cname.rcode, 'NOERROR');
    assert.ok(cname.data.includes('CNAME my.database.example.com.'), JSON.stringify(cname));
    const podIP = pods[1]!.status!.podIP!;
    assert.deepEqual(await answers(lab, from, `${podIP.replaceAll('.', '-')}.default.pod.cluster.local`, 'A'), { rcode: 'NOERROR', data: [`A ${podIP}`] });
    assert.equal((await answers(lab, from, 'nosuch.default.svc.cluster.local', 'A')).rcode, 'NXDOMAIN');

    for (const node of ['master', 'worker1', 'worker2']) {
      const nat = await natSave(lab, node);
      assert.ok(nat.includes('default/web:http cluster IP'));
      assert.ok(!nat.includes('default/headless') && !nat.includes('default/external'), 'headless and ExternalName are not proxied');
    }
    // The laptop cannot use the cluster DNS: 10.96.0.10 is not routed to it.
    const fromLaptop = await ask(lab, 'laptop', 'kubernetes.default.svc.cluster.local', 'A');
    assert.equal(fromLaptop.ok ? 'ok' : fromLaptop.error, 'timeout');
  } finally {
    await lab.close();
  }
});

test('UDP conntrack of a removed CoreDNS endpoint is cleared; with no CoreDNS left lookups time out', async () => {
  const lab = await startLab();
  try {
    await until(lab, () => corednsPods(lab).length === 2, 120, 'coredns ready');
    const pods = await deploy(lab, seedDeployment('client', 1));
    const client = pods[0]!;
    const from: Origin = { pod: { namespace: 'default', name: client.metadata!.name! } };
    const SPORT = 40000; // one resolver socket: every query is the same UDP flow
    const first = await ask(lab, from, 'kubernetes.default.svc.cluster.local', 'A', SPORT);
    assert.ok(first.ok && first.pod);
    const used = first.ok ? first.pod! : { namespace: '', name: '' };
    for (let i = 0; i < 5; i++) {
      const again = await ask(lab, from, 'kubernetes.default.svc.cluster.local', 'A', SPORT);
      assert.deepEqual(again.ok && again.pod, used, 'the flow keeps its conntrack NAT');
    }
    const usedIP = (lab.reg.get(PODS, 'kube-system', used.name) as unknown as Pod).status!.podIP!;
    const ct = () => lab.cluster.node(client.spec!.nodeName!).call('conntrack', { proto: 'udp', dst: DNS });
    assert.match((await ct()).stdout, new RegExp(`sport=${SPORT} dport=53 src=${usedIP.replaceAll('.', '\\.')} `));

    lab.reg.delete(PODS, 'kube-system', used.name, { gracePeriodSeconds: 0 });
    await lab.cluster.settle();
    assert.ok(!(await ct()).stdout.includes(`src=${usedIP} `), 'kube-proxy deleted the stale UDP flow');
    const after = await ask(lab, from, 'kubernetes.default.svc.cluster.local', 'A', SPORT);
    assert.ok(after.ok && after.pod && after.pod.name !== used.name, 'the same socket now reaches the other CoreDNS');

    const d = structuredClone(lab.reg.get(DEPLOYMENTS, 'kube-system', 'coredns')) as unknown as Deployment;
    d.spec!.replicas = 0;
    lab.reg.update(DEPLOYMENTS, d as unknown as KubeObject);
    await until(lab, () => (lab.reg.list(PODS, { namespace: 'kube-system' }).items as unknown as Pod[]).every((p) => p.metadata?.labels?.['k8s-app'] !== 'kube-dns'), 120, 'coredns gone');
    await lab.cluster.settle();
    const gone = await ask(lab, from, 'kubernetes.default.svc.cluster.local', 'A');
    assert.equal(gone.ok ? 'ok' : gone.error, 'refused', 'kube-dns without endpoints: REJECT (ICMP port unreachable)');
    const lookup = await dnsQuery(lab.cluster, { kind: 'pod', namespace: 'default', name: client.metadata!.name! }, DNS, 'kubernetes.default.svc.cluster.local', 'A');
    assert.deepEqual(lookup, { ok: false, error: 'timeout' }, 'the resolver gives up: connection timed out; no servers could be reached');
  } finally {
    await lab.close();
  }
});
