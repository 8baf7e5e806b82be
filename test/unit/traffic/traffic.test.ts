/** Marks and deltas of the data path's counters, the per-Service view, and `kubelab traffic`'s checks and tables. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src-main/clock/clock.ts';
import { byKind } from '../../../src-main/api/resources.ts';
import { Store } from '../../../src-main/store/store.ts';
import { Registry } from '../../../src-main/registry/registry.ts';
import { TrafficHub } from '../../../src-main/cluster/traffic-hub.ts';
import { TrafficCounters, type TraceRecord } from '../../../src-main/node/netstack/counters.ts';
import { flowsSince, parseDuration, rulesSince, type FlowCount, type NodeFlows, type RuleCount } from '../../../src-main/traffic/counts.ts';
import { TrafficTracker, type TrafficQueries } from '../../../src-main/traffic/tracker.ts';
import { runTrafficCommand, enteredPackets } from '../../../src-main/traffic/command.ts';

const trace = (over: Partial<TraceRecord>): TraceRecord => ({
  id: 1, from: { kind: 'node', name: 'master', ip: '192.168.56.10' }, to: { ip: '10.96.0.9', port: 80 }, entryNode: 'master',
  service: 'default/web', pod: 'default/web-a', podNode: 'worker1', result: 'ok', dnat: { ip: '10.244.1.2', port: 80 }, snat: null,
  crossed: ['master', 'worker1'], startedAt: 0, durationMs: 0, ...over,
});

test('a node counts connections by client, entry node, service, endpoint and result; frames carry the counts', () => {
  const c = new TrafficCounters();
  c.addTrace(trace({}));
  c.addTrace(trace({}));
  c.addTrace(trace({ pod: 'default/web-b', dnat: { ip: '10.244.2.2', port: 80 }, podNode: 'worker2' }));
  c.addTrace(trace({ pod: null, result: 'refused', dnat: null, podNode: null }));
  const flows = [...c.flows()];
  assert.deepEqual(flows.map((f) => [f.pod, f.target, f.dst, f.result, f.count]), [
    ['default/web-a', '10.244.1.2:80', '10.96.0.9:80', 'ok', 2],
    ['default/web-b', '10.244.2.2:80', '10.96.0.9:80', 'ok', 1],
    [null, '10.96.0.9:80', '10.96.0.9:80', 'refused', 1],
  ]);
  const frame = c.takeFrame(5) as { flows: FlowCount[]; threadId: number };
  assert.equal(frame.flows.length, 3);
  assert.equal(typeof frame.threadId, 'number');
});

const nodeFlows = (threadId: number, counts: Array<[string, number]>): NodeFlows => ({
  node: 'master', threadId,
  flows: counts.map(([pod, count]) => ({ client: { kind: 'node', name: 'master', ip: '192.168.56.10' }, seenAs: '192.168.56.10', entryNode: 'master', service: 'default/web', dst: '10.96.0.9:80', target: `${pod}:80`, pod: `default/${pod}`, podNode: 'worker1', result: 'ok', count })),
});

test('deltas against a mark: new keys count in full, a restarted worker (another thread) counts from zero', () => {
  const base = nodeFlows(7, [['a', 3]]);
  assert.deepEqual(flowsSince(nodeFlows(7, [['a', 5], ['b', 1]]), base).map((f) => [f.pod, f.count]), [['default/a', 2], ['default/b', 1]]);
  assert.deepEqual(flowsSince(nodeFlows(7, [['a', 3]]), base), [], 'nothing since the mark');
  assert.deepEqual(flowsSince(nodeFlows(9, [['a', 1]]), base).map((f) => f.count), [1], 'a new worker thread');
  assert.deepEqual(flowsSince(nodeFlows(7, [['a', 2]]), undefined).map((f) => f.count), [2], 'no mark: everything');

  const rule = (chain: string, text: string, packets: number): RuleCount => ({ table: 'nat', chain, index: 1, packets, bytes: packets * 60, text, target: 'KUBE-SVC-X' });
  const since = rulesSince({ node: 'm', threadId: 1, chains: [], rules: [rule('KUBE-SERVICES', '-A KUBE-SERVICES -d 10.96.0.9/32 -j KUBE-SVC-X', 10), rule('KUBE-SERVICES', '-A KUBE-SERVICES -new', 2)] }, { node: 'm', threadId: 1, chains: [], rules: [rule('KUBE-SERVICES', '-A KUBE-SERVICES -d 10.96.0.9/32 -j KUBE-SVC-X', 4)] });
  assert.deepEqual(since.map((r) => [r.packets, r.bytes]), [[6, 360], [2, 120]]);
  const zeroed = rulesSince({ node: 'm', threadId: 1, chains: [], rules: [rule('C', 'x', 1)] }, { node: 'm', threadId: 1, chains: [], rules: [rule('C', 'x', 9)] });
  assert.equal(zeroed[0]!.packets, 1, 'iptables -Z: the counter shows what came since');
  assert.equal(enteredPackets([rule('KUBE-SERVICES', '-A KUBE-SERVICES -j KUBE-NODEPORTS', 5), { ...rule('KUBE-NODEPORTS', 'y', 0), target: 'KUBE-EXT-Y' }].map((r, i) => (i === 0 ? { ...r, target: 'KUBE-NODEPORTS' } : r)), 'KUBE-NODEPORTS'), 5);

  assert.deepEqual(['30s', '5m', '1h30m', '250ms', '1.5s', 'x', '5', ''].map(parseDuration), [30_000, 300_000, 5_400_000, 250, 1500, null, null, null]);
});

test('the history of frames gives "in the last N seconds" baselines, about one a second, per worker thread', () => {
  const clock = new ManualClock(0);
  const hub = new TrafficHub();
  const t = new TrafficTracker({ clock, traffic: hub, nodes: () => [] });
  const frame = (now: number, threadId: number, count: number) => hub.ingest('master', { now, threadId, flows: nodeFlows(threadId, [['a', count]]).flows });
  frame(1000, 7, 1);
  frame(1100, 7, 2);
  frame(1200, 7, 3); // replaces the 1100 sample: samples are a second apart, the last one the freshest
  frame(2500, 7, 9);
  assert.equal(t.baselineAt(500).size, 0, 'before any traffic: no baseline (everything counts)');
  assert.equal(t.baselineAt(1000).get('master')!.flows[0]!.count, 1);
  assert.equal(t.baselineAt(2000).get('master')!.flows[0]!.count, 3);
  assert.equal(t.baselineAt(9000).get('master')!.flows[0]!.count, 9);
  frame(3000, 8, 1);
  assert.equal(t.baselineAt(2000).size, 0, 'the old worker\'s samples went with it');
  t.stop();
});

function registry() {
  const reg = new Registry(new Store(new ManualClock(0)), new ManualClock(0));
  reg.create(byKind('Namespace'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as never);
  reg.create(byKind('Service'), 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } as never);
  reg.create(byKind('EndpointSlice'), 'default', {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-x', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4',
    ports: [{ port: 80, protocol: 'TCP' }],
    endpoints: [
      { addresses: ['10.244.1.2'], conditions: { ready: true }, nodeName: 'worker1', targetRef: { kind: 'Pod', name: 'web-a', namespace: 'default' } },
      { addresses: ['10.244.2.2'], conditions: { ready: true }, nodeName: 'worker2', targetRef: { kind: 'Pod', name: 'web-b', namespace: 'default' } },
    ],
  } as never);
  return reg;
}

function queries(flows: FlowCount[], mark?: FlowCount[]): TrafficQueries {
  const nf = (f: FlowCount[]): NodeFlows => ({ node: 'master', threadId: 1, flows: f });
  return {
    now: () => 100_000,
    flows: async () => ({ nodes: [nf(flows)], missing: [] }),
    rules: async () => { throw new Error('no rules here'); },
    mark: async () => { throw new Error('not in this test'); },
    getMark: (name) => (name === 'step' && mark ? { at: 50_000, flows: new Map([['master', nf(mark)]]), rules: new Map() } : undefined),
    baselineAt: () => new Map(),
  };
}

async function run(argv: string[], q: TrafficQueries) {
  let stdout = '';
  let stderr = '';
  const code = await runTrafficCommand(argv, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) }, { queries: q, registry: registry() });
  return { code, stdout, stderr };
}

const flow = (pod: 'a' | 'b', count: number, over: Partial<FlowCount> = {}): FlowCount => ({
  client: { kind: 'node', name: 'master', ip: '192.168.56.10' }, seenAs: '192.168.56.10', entryNode: 'master', service: 'default/web', dst: '10.96.0.9:80',
  target: pod === 'a' ? '10.244.1.2:80' : '10.244.2.2:80', pod: `default/web-${pod}`, podNode: pod === 'a' ? 'worker1' : 'worker2', result: 'ok', count, ...over,
});

test('kubelab traffic svc/NAME --since step: per-endpoint counts since the mark, with kubectl-like columns', async () => {
  const q = queries([flow('a', 5), flow('b', 1)], [flow('a', 4)]);
  const r = await run(['svc/web', '--since', 'step'], q);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, [
    'ENDPOINT        POD     NODE      ANSWERED   FAILED   CLIENTS',
    '10.244.1.2:80   web-a   worker1   1          0        1',
    '10.244.2.2:80   web-b   worker2   1          0        1',
    '',
  ].join('\n'));
  assert.equal((await run(['svc/web', '--since', 'step', '--expect-endpoints', '2', '-q'], q)).code, 0);

  const once = queries([flow('a', 5)], [flow('a', 4)]);
  const miss = await run(['svc', 'web', '--since', 'step', '--expect-endpoints', '2'], once);
  assert.equal(miss.code, 1);
  assert.equal(miss.stderr, 'expected at least 2 endpoints of service default/web to answer since the step began, 1 did: web-a (1); the service has 2 ready endpoints now\n');
  const quiet = await run(['svc/web', '--since', 'step', '--expect-endpoints', '2', '-q'], once);
  assert.deepEqual([quiet.code, quiet.stdout, quiet.stderr], [1, '', '']);
});

test('per client: pinned or not; the source address the pods saw; failures; errors a learner can read', async () => {
  const laptop = { kind: 'laptop' as const, name: 'laptop', ip: '192.168.56.1' };
  const q = queries([flow('a', 3), flow('b', 2, { client: laptop, seenAs: '10.244.0.0', entryNode: 'worker2', dst: '192.168.56.12:30080' }), flow('a', 1, { pod: null, result: 'refused', target: '10.244.1.2:8080' })]);
  const by = await run(['svc/web', '--by', 'client', '-o', 'wide'], q);
  assert.equal(by.stdout, [
    'CLIENT        IP              ANSWERED   FAILED   ENDPOINTS   PODS    ENTRY-NODES   SEEN-AS',
    'laptop        192.168.56.1    2          0        1           web-b   worker2       10.244.0.0',
    'node/master   192.168.56.10   3          1        1           web-a   master        192.168.56.10',
    '',
  ].join('\n'));
  assert.equal((await run(['svc/web', '--expect-pinned', '-q'], q)).code, 0);
  assert.equal((await run(['svc/web', '--client', 'laptop', '--expect-seen-as', '192.168.56.1'], q)).stderr,
    'expected the pods of service default/web to see source address 192.168.56.1 since the nodes started, they saw 10.244.0.0\n');
  assert.equal((await run(['svc/web', '--entry', 'worker2', '--expect-answered', '2', '-q'], q)).code, 0);
  assert.equal((await run(['svc/web', '--expect-failed', '1', '-q'], q)).code, 0);
  const wide = await run(['svc/web', '-o', 'wide'], q);
  assert.match(wide.stdout, /^10\.244\.1\.2:8080 +web-a +worker1 +0 +1 +1 +master +192\.168\.56\.10 +192\.168\.56\.10 +10\.96\.0\.9:80$/m, 'a wrong targetPort: failed at the pod');

  assert.deepEqual(await run(['svc/nope'], q), { code: 1, stdout: '', stderr: 'Error from server (NotFound): services "nope" not found\n' });
  assert.match((await run(['svc/web', '--since', 'step'], q)).stderr, /--since step: no lesson step is running/);
  assert.equal((await run(['svc/web', '--since', 'yesterday'], q)).code, 2);
  assert.match((await run(['pods'], q)).stderr, /doesn't have a resource type "pods"/);
  assert.match((await run(['svc/web', '--bogus'], q)).stderr, /^error: unknown flag: --bogus/);
  assert.match((await run(['rules', '--since', '30s', '--node', 'master'], q)).stderr, /--since takes step or mark/);
});

test('a headless Service: connections straight to its endpoints count (no rule, VIA the pod), other Services\' do not', async () => {
  const reg = registry();
  reg.create(byKind('Service'), 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-headless' }, spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 80 }] } } as never);
  reg.create(byKind('EndpointSlice'), 'default', {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-headless-x', labels: { 'kubernetes.io/service-name': 'web-headless' } }, addressType: 'IPv4',
    ports: [{ port: 80, protocol: 'TCP' }],
    endpoints: [{ addresses: ['10.244.1.2'], conditions: { ready: true }, nodeName: 'worker1', targetRef: { kind: 'Pod', name: 'web-a', namespace: 'default' } }],
  } as never);
  const pod = { kind: 'pod' as const, name: 'default/client', ip: '10.244.2.9' };
  const direct = (count: number, over: Partial<FlowCount> = {}) => flow('a', count, { client: pod, seenAs: pod.ip, entryNode: 'worker2', service: null, dst: '10.244.1.2:80', ...over });
  const q = queries([flow('a', 2), direct(3), direct(1, { pod: null, result: 'refused', dst: '10.244.1.2:81', target: '10.244.1.2:81' }), direct(4, { dst: '10.244.2.2:80', target: '10.244.2.2:80', pod: 'default/web-b' })]);
  const exec = async (argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runTrafficCommand(argv, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) }, { queries: q, registry: reg });
    return { code, stdout, stderr };
  };
  const wide = await exec(['svc/web-headless', '-o', 'wide']);
  assert.equal(wide.code, 0, wide.stderr);
  assert.match(wide.stdout, /^10\.244\.1\.2:80 +web-a +worker1 +3 +0 +1 +worker2 +10\.244\.2\.9 +10\.244\.2\.9 +10\.244\.1\.2:80$/m);
  assert.match(wide.stdout, /^10\.244\.1\.2:81 +web-a +worker1 +0 +1 +1 /m, 'a wrong port on the endpoint\'s address is that pod\'s failure');
  assert.doesNotMatch(wide.stdout, /10\.244\.2\.2|<none>/, 'web-b is not an endpoint of the headless Service');
  assert.equal((await exec(['svc/web-headless', '--expect-answered', '4', '-q'])).code, 1);
  assert.equal((await exec(['svc/web-headless', '--expect-answered', '3', '-q'])).code, 0);
  // The ClusterIP Service over the same pods counts only what went through its rules.
  assert.match((await exec(['svc/web'])).stdout, /^10\.244\.1\.2:80 +web-a +worker1 +2 +0 +1$/m);
});
