/**
 * Data-path figures: connections per second through a ClusterIP whose endpoints are on other nodes (the load runs in
 * the master node worker), the same number for a bare MessagePort ping-pong between worker threads, latency of one
 * request, kube-proxy's rule rebuild with 1,000 services, and memory over 1,000,000 connections.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { Report, mb, ms, percentile } from './report.ts';
import { Cluster } from '../src-main/cluster/cluster.ts';
import { ManualClock } from '../src-main/clock/clock.ts';
import { startControllers } from '../src-main/controllers/index.ts';
import { byKind } from '../src-main/api/resources.ts';
import type { KubeObject, Pod } from '../src-main/api/types.ts';
import type { LoadResult } from '../src-main/node/load-test.ts';
import type { Delivery, DeliveryResult } from '../src-main/node/netstack/types.ts';
import { buildNatTable } from '../src-main/node/proxy/rules.ts';
import { KubeProxy } from '../src-main/node/kube-proxy.ts';
import type { NatTable } from '../src-main/node/proxy/model.ts';
import { seedClusterIPService, seedDeployment } from '../test/fixtures/seed.ts';

const CONCURRENCY = 64;
const MEMORY_CONNECTIONS = 1_000_000;
const MEMORY_CHUNK = 50_000;
/** The 1,000,000-connection run stops early (and says so) past this. */
const MEMORY_BUDGET_MS = 360_000;

const PODS = byKind('Pod');
const SERVICES = byKind('Service');

function readyPods(c: Cluster, app: string): Pod[] {
  return (c.registry.list(PODS, { labelSelector: `app=${app}` }).items as unknown as Pod[]).filter(
    (p) => p.status?.phase === 'Running' && p.status.conditions?.some((x) => x.type === 'Ready' && x.status === 'True'),
  );
}

/** The seed (2 hostname pods + ClusterIP) on a 3-node cluster, clock advanced until the master's kube-proxy has both endpoints. */
export async function seededCluster(): Promise<{ c: Cluster; ip: string; pods: Pod[] }> {
  const c = await Cluster.start({ nodes: 3, clock: new ManualClock(), startControllers });
  c.registry.create(byKind('Deployment'), 'default', seedDeployment());
  c.registry.create(SERVICES, 'default', seedClusterIPService());
  const ip = (c.registry.get(SERVICES, 'default', 'clusterip-hostname-service') as unknown as Service).spec!.clusterIP!;
  for (let i = 0; i < 600; i++) {
    await c.advance(500, 100);
    if (readyPods(c, 'hostname-server').length < 2) continue;
    const rules = await c.node('master').call('natRules');
    if (rules.filter((r) => r.chain.startsWith('KUBE-SVC-') && r.text.includes('KUBE-SEP-') && r.text.includes('clusterip-hostname-service')).length >= 2) break;
  }
  const pods = readyPods(c, 'hostname-server');
  if (pods.length < 2) throw new Error('hostname-server pods did not become Ready');
  return { c, ip, pods };
}

const load = (c: Cluster, node: string, dst: { ip: string; port: number }, count: number, concurrency: number) =>
  c.node(node).call('load', { dst, count, concurrency });

/** A worker thread's CPU time so far (ms), read through a zero-connection load call. */
const threadCpuOf = async (c: Cluster, node: string, dst: { ip: string; port: number }) => (await load(c, node, dst, 0, 1)).threadCpuMs;

/**
 * The bare transport over the same hops as the measured path: one client thread and two server threads (as master ->
 * worker1 / worker2), MessagePorts between them, the client keeping `concurrency` round trips in flight, each one a
 * promise it awaits (as the load test awaits each connection). The messages are the mesh's own records
 * (src-main/node/netstack/mesh.ts): a deliver record with the same addresses and request object, answered with the same
 * answer, which (as on the mesh) crosses in full once and then as the number of the slot the client keeps it in.
 * With `batch`, each side posts what it queued in one event-loop turn as one message (setImmediate), as the mesh
 * does; without it, one postMessage per record. No nat walk, conntrack, trace, counters or HTTP server: the ratio of
 * the ClusterIP figure to this one is what the simulated network costs on top of moving its messages.
 */
const PING_PONG_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const cpuMs = () => Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6;
const outbox = (port, batch) => {
  let q = [];
  const flush = () => { const b = q; q = []; port.postMessage(b); };
  if (!batch) return (record) => port.postMessage(record);
  return (record) => { if (q.length === 0) setImmediate(flush); for (const x of record) q.push(x); };
};
if (workerData.role === 'server') {
  const { port, result, batch } = workerData;
  const send = outbox(port, batch);
  let kept = false;
  let c0;
  port.on('message', (b) => {
    c0 ??= cpuMs();
    // [0, id, srcIp, srcPort, dstIp, dstPort, proto, payload] -> [2, id, slot, answer] once, then [3, id, slot]
    for (let i = 0; i < b.length; i += 8) {
      if (kept) send([3, b[i + 1], 0]);
      else { kept = true; send([2, b[i + 1], 0, result]); }
    }
  });
  parentPort.once('message', () => parentPort.postMessage(cpuMs() - c0));
  parentPort.postMessage('ready');
} else {
  const { ports, delivery: d, count, concurrency, batch } = workerData;
  const pending = [];
  const free = [];
  const kept = [];
  const sends = ports.map((p) => outbox(p, batch));
  let next = 0, rr = 0;
  const settle = (id, r) => { const resolve = pending[id]; pending[id] = undefined; free.push(id); resolve(r); };
  for (const p of ports) p.on('message', (b) => {
    for (let i = 0; i < b.length;) {
      if (b[i] === 2) { kept[b[i + 2]] = b[i + 3]; settle(b[i + 1], b[i + 3]); i += 4; }
      else { settle(b[i + 1], kept[b[i + 2]]); i += 3; }
    }
  });
  const send = () => new Promise((resolve) => {
    const id = free.length > 0 ? free.pop() : pending.length;
    pending[id] = resolve;
    sends[rr++ % sends.length]([0, id, d.src.ip, d.src.port, d.dst.ip, d.dst.port, 0, d.payload]);
  });
  const loop = async () => { while (next < count) { next++; await send(); } };
  const t0 = performance.now();
  const c0 = cpuMs();
  Promise.all(Array.from({ length: concurrency }, loop)).then(() => {
    parentPort.postMessage({ elapsedMs: performance.now() - t0, cpuMs: cpuMs() - c0 });
    for (const p of ports) p.close();
  });
}`;

export interface PingPongResult {
  perSecond: number;
  /** CPU time of the three threads per round trip (µs). */
  cpuUsPerRoundTrip: number;
}

export async function pingPong(delivery: Delivery, result: DeliveryResult, count: number, concurrency: number, batch = true): Promise<PingPongResult> {
  const a = new MessageChannel();
  const b = new MessageChannel();
  const servers = [a.port2, b.port2].map((port) => new Worker(PING_PONG_WORKER, { eval: true, workerData: { role: 'server', port, result, batch }, transferList: [port] }));
  await Promise.all(servers.map((w) => new Promise((r) => w.once('message', r))));
  const serverCpu = () => Promise.all(servers.map((w) => new Promise<number>((r) => (w.once('message', r), w.postMessage('cpu')))));
  const client = new Worker(PING_PONG_WORKER, { eval: true, workerData: { role: 'client', ports: [a.port1, b.port1], delivery, count, concurrency, batch }, transferList: [a.port1, b.port1] });
  const { elapsedMs, cpuMs } = await new Promise<{ elapsedMs: number; cpuMs: number }>((r) => client.once('message', r));
  const serversMs = (await serverCpu()).reduce((x, y) => x + y, 0);
  await Promise.all([client, ...servers].map((w) => w.terminate()));
  return { perSecond: (count / elapsedMs) * 1000, cpuUsPerRoundTrip: ((cpuMs + serversMs) * 1000) / count };
}

/** 1,000 ClusterIP services, each with an EndpointSlice of 2 ready endpoints on worker1 and worker2. */
function manyServices(n: number): { services: Service[]; slices: EndpointSlice[] } {
  const services: Service[] = [];
  const slices: EndpointSlice[] = [];
  for (let i = 0; i < n; i++) {
    const name = `svc-${i}`;
    services.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'default' },
      spec: { type: 'ClusterIP', clusterIP: `10.96.${100 + Math.floor(i / 250)}.${(i % 250) + 2}`, selector: { app: name }, ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }] },
    });
    slices.push({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${name}-abcde`, namespace: 'default', labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      ports: [{ name: '', port: 80, protocol: 'TCP' }],
      endpoints: ['worker1', 'worker2'].map((node, k) => ({
        addresses: [`10.244.${k + 1}.${(i % 250) + 2}`],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: node,
      })),
    });
  }
  return { services, slices };
}

export function ruleRebuild(report: Report): void {
  const { services, slices } = manyServices(1000);
  const input = { nodeName: 'master', nodeIP: '192.168.56.10', clusterCIDR: '10.244.0.0/16', services, endpointSlices: slices };
  const times: number[] = [];
  let rules = 0;
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const t = buildNatTable(input);
    times.push(performance.now() - t0);
    rules = [...t.nat.chains.values()].reduce((n, ch) => n + ch.rules.length, 0);
  }
  const med = percentile(times.slice(1), 50);
  report.add('network', `kube-proxy buildNatTable, 1,000 services x 2 endpoints (${rules} nat rules; median of 6 after a cold run)`, ms(med));
  report.add('network', 'kube-proxy buildNatTable, cold (first) run', ms(times[0]!));

  // A full KubeProxy.sync as a node runs it after each change: build + UDP conntrack cleanup + counters carried over.
  let installed: NatTable | undefined;
  const proxy = new KubeProxy({ name: 'master', ip: '192.168.56.10', clusterCIDR: '10.244.0.0/16' }, () => [], (t) => (installed = t), () => installed);
  for (const s of services) proxy.onService('ADDED', s as unknown as KubeObject);
  for (const s of slices) proxy.onEndpointSlice('ADDED', s as unknown as KubeObject);
  proxy.sync();
  const syncs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    proxy.sync();
    syncs.push(performance.now() - t0);
  }
  report.add('network', 'kube-proxy full sync (build + counters carried over), 1,000 services (median of 5)', ms(percentile(syncs, 50)));
}

export async function networkBenchmarks(report: Report): Promise<void> {
  ruleRebuild(report);

  const { c, ip, pods } = await seededCluster();
  let cleanup = true;
  try {
    const where = pods.map((p) => p.spec!.nodeName).sort().join(', ');
    if (pods.some((p) => p.spec!.nodeName === 'master')) report.add('network', 'NOTE: an endpoint is on master itself', where);
    const dst = { ip, port: 80 };

    // One real exchange, to give the ping-pong the same message objects the netstack sends.
    const one = await c.network.connect({ node: 'master' }, { dst, proto: 'tcp', payload: { kind: 'http', request: { method: 'GET', path: '/', httpVersion: 'HTTP/1.1', headers: [['Host', ip]], body: '' } } });
    if (!one.ok) throw new Error(`curl ${ip} from master failed: ${one.error}`);

    const single = await load(c, 'master', dst, 5000, 1);
    report.add('network', 'one request master -> ClusterIP -> pod on a worker, p50 (5,000 sequential)', ms(percentile(single.latenciesMs, 50)));
    report.add('network', 'one request, p99 (5,000 sequential)', ms(percentile(single.latenciesMs, 99)));

    const delivery: Delivery = {
      // As the master sends it: MASQUERADE to its flannel.1 address, to the endpoint the walk picked.
      src: { ip: '10.244.0.0', port: 40000 },
      dst: { ip: one.remote.ip, port: one.remote.port },
      proto: 'tcp',
      payload: { kind: 'http', request: { method: 'GET', path: '/', httpVersion: 'HTTP/1.1', headers: [['Host', ip]], body: '' } },
      entryNode: 'master',
    };
    const answer: DeliveryResult = { ok: true, response: one.response, pod: one.pod };

    const warm = await load(c, 'master', dst, 100_000, CONCURRENCY);
    if (warm.failed) report.add('network', 'FAILED connections in warm-up', `${warm.failed} ${JSON.stringify(warm.errors)}`);
    // Memory over 1,000,000 more connections: each node worker's live heap (after a full GC in it) and the process RSS
    // (after those GCs), after the warm-up (before any ping-pong thread comes and goes), every quarter of the run, and at the end.
    const NODES = ['master', 'worker1', 'worker2'];
    const snapshot = async () => {
      const heaps = await Promise.all(NODES.map((n) => c.node(n).call('liveHeap')));
      global.gc?.();
      return { heaps, rss: process.memoryUsage().rss };
    };
    const first = await snapshot();
    const samples = [first];
    const started = performance.now();
    let done = 0;
    let failed = 0;
    let last = warm;
    const heaps: number[] = [];
    while (done < MEMORY_CONNECTIONS && performance.now() - started < MEMORY_BUDGET_MS) {
      last = await load(c, 'master', dst, MEMORY_CHUNK, CONCURRENCY);
      done += last.ok + last.failed;
      failed += last.failed;
      heaps.push(last.heapUsedBytes);
      if (done % (MEMORY_CONNECTIONS / 4) === 0) samples.push(await snapshot());
    }
    const elapsed = performance.now() - started;
    if (samples.length === 1 || done % (MEMORY_CONNECTIONS / 4) !== 0) samples.push(await snapshot());
    const end = samples[samples.length - 1]!;
    const pct = (a: number, b: number) => `${b >= a ? '+' : ''}${(((b - a) / a) * 100).toFixed(1)}%`;
    const within = (a: number, b: number) => Math.abs(b - a) / a <= 0.1;
    const stopped = done < MEMORY_CONNECTIONS ? ` (STOPPED at the ${MEMORY_BUDGET_MS / 1000} s budget)` : '';
    // Reported after the throughput figures.
    const memoryFigures: Array<Parameters<Report['add']>> = [];
    NODES.forEach((n, k) => {
      const series = samples.map((x) => mb(x.heaps[k]!)).join(' -> ');
      memoryFigures.push(['network', `${n} worker live heap after a full GC, after warm-up, each quarter of ${done.toLocaleString('en')} connections${stopped}`, `${series} (${pct(first.heaps[k]!, end.heaps[k]!)})`, '±10%', within(first.heaps[k]!, end.heaps[k]!)]);
    });
    memoryFigures.push(['network', 'process RSS (all threads) after those GCs, same points', `${samples.map((x) => mb(x.rss)).join(' -> ')} (${pct(first.rss, end.rss)})`, '±10%', within(first.rss, end.rss)]);
    memoryFigures.push(['network', `master worker heap after each ${MEMORY_CHUNK.toLocaleString('en')} (MB, not GCed first: the young-generation saw-tooth)`, heaps.map((h) => (h / 2 ** 20).toFixed(0)).join(' ')]);
    memoryFigures.push(['network', `connections/s over that run, conntrack entries at the end`, `${Math.round((done / elapsed) * 1000).toLocaleString('en')}/s, ${last.conntrackEntries} entries (max ${last.conntrackMax}), ${failed} failed`]);

    await pingPong(delivery, answer, 20_000, CONCURRENCY);
    // The two figures side by side: three alternating rounds, medians (other load on the machine hits both alike).
    const ROUND = 200_000;
    const rounds: Array<{ cps: number; cpuUs: number; entryUs: number; raw: PingPongResult; unbatched: PingPongResult; run: LoadResult }> = [];
    for (let i = 0; i < 3; i++) {
      const before = await Promise.all(['worker1', 'worker2'].map((n) => threadCpuOf(c, n, dst)));
      const run = await load(c, 'master', dst, ROUND, CONCURRENCY);
      const after = await Promise.all(['worker1', 'worker2'].map((n) => threadCpuOf(c, n, dst)));
      const endpointsMs = after[0]! - before[0]! + after[1]! - before[1]!;
      const raw = await pingPong(delivery, answer, ROUND, CONCURRENCY);
      const unbatched = await pingPong(delivery, answer, ROUND, CONCURRENCY, false);
      rounds.push({ cps: (run.ok / run.elapsedMs) * 1000, cpuUs: ((run.cpuMs + endpointsMs) * 1000) / ROUND, entryUs: (run.cpuMs * 1000) / ROUND, raw, unbatched, run });
    }
    const med = (f: (r: (typeof rounds)[number]) => number) => percentile(rounds.map(f), 50);
    const cps = med((r) => r.cps);
    const raw = med((r) => r.raw.perSecond);
    const unbatched = med((r) => r.unbatched.perSecond);
    const measured = rounds.find((r) => r.cps === cps)!.run;
    const fmt = (n: number) => `${Math.round(n).toLocaleString('en')}/s`;
    report.add('network', `connections/s through the ClusterIP, endpoints on ${where}, concurrency 64 (median of 3 x 200,000 after 100,000 warm-up and the memory run below; load in the master worker)`, fmt(cps), '≥ 50,000/s', cps >= 50_000);
    // "Raw" is the plain API: one postMessage per message, nothing else. The batched figure is our own mesh framing with
    // the simulation taken out, printed beside it to show what the simulation itself costs.
    report.add('network', 'raw MessagePort ping-pong over the same hops (1 client thread <-> 2 server threads, the mesh\'s records, concurrency 64): one postMessage per message / batched per event-loop turn as our mesh is (medians, same rounds)', `${fmt(unbatched)} / ${fmt(raw)}`);
    report.add('network', 'ClusterIP connections/s ÷ ping-pong round trips/s: raw (the target) / batched', `${(cps / unbatched).toFixed(2)} / ${(cps / raw).toFixed(2)}`, '≥ 0.5', cps / unbatched >= 0.5);
    report.add(
      'network',
      'CPU per connection (master + worker1 + worker2 threads) vs per batched ping-pong round trip (its 3 threads); the master alone',
      `${med((r) => r.cpuUs).toFixed(1)} µs vs ${med((r) => r.raw.cpuUsPerRoundTrip).toFixed(1)} µs (cost ratio ${(med((r) => r.raw.cpuUsPerRoundTrip) / med((r) => r.cpuUs)).toFixed(2)}); master ${med((r) => r.entryUs).toFixed(1)} µs`,
    );
    report.add('network', 'each round: connections/s | ping-pong batched | unbatched', rounds.map((r) => `${fmt(r.cps)} | ${fmt(r.raw.perSecond)} | ${fmt(r.unbatched.perSecond)}`).join('; '));
    report.add('network', 'latency under concurrency 64, p50 / p99', `${ms(percentile(measured.latenciesMs, 50))} / ${ms(percentile(measured.latenciesMs, 99))}`);
    report.add('network', 'answers per pod over one round of 200,000', Object.entries(measured.byPod).map(([k, v]) => `${k.split('/')[1]}: ${v}`).join(', '));
    for (const f of memoryFigures) report.add(...f);
  } finally {
    if (cleanup) await c.close();
    cleanup = false;
  }
}
