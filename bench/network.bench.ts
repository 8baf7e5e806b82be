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
    const rules = await c.node('master').call<Array<{ chain: string; text: string }>>('natRules');
    if (rules.filter((r) => r.chain.startsWith('KUBE-SVC-') && r.text.includes('KUBE-SEP-') && r.text.includes('clusterip-hostname-service')).length >= 2) break;
  }
  const pods = readyPods(c, 'hostname-server');
  if (pods.length < 2) throw new Error('hostname-server pods did not become Ready');
  return { c, ip, pods };
}

const load = (c: Cluster, node: string, dst: { ip: string; port: number }, count: number, concurrency: number) =>
  c.node(node).call<LoadResult>('load', { dst, count, concurrency });

/** Sum of the three node workers' heaps right after a full collection in each. */
const liveHeaps = async (c: Cluster) => (await Promise.all(['master', 'worker1', 'worker2'].map((n) => c.node(n).call<number>('liveHeap')))).reduce((a, b) => a + b, 0);

/** A worker's heap, read through a zero-connection load call (the call returns process.memoryUsage().heapUsed there). */
const heapOf = async (c: Cluster, node: string, dst: { ip: string; port: number }) => (await load(c, node, dst, 0, 1)).heapUsedBytes;

/**
 * The bare transport over the same hops as the measured path: one client thread and two server threads (as master ->
 * worker1 / worker2), MessagePorts between them, the client keeping `concurrency` round trips in flight with the same
 * message objects the netstack sends. With `batch`, both sides post what they queued in one event-loop turn as one
 * message (setImmediate), as the netstack's mesh does; without it, one postMessage per message.
 */
const PING_PONG_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const outbox = (port, batch) => {
  if (!batch) return (m) => port.postMessage([m]);
  let q = [];
  const flush = () => { const b = q; q = []; port.postMessage(b); };
  return (m) => { if (q.push(m) === 1) setImmediate(flush); };
};
if (workerData.role === 'server') {
  const { port, result, batch } = workerData;
  const send = outbox(port, batch);
  port.on('message', (ms) => { for (const m of ms) send({ t: 'delivered', id: m.id, result }); });
  parentPort.postMessage('ready');
} else {
  const { ports, delivery, count, concurrency, batch } = workerData;
  const pending = new Map();
  const sends = ports.map((p) => outbox(p, batch));
  let nextId = 1, next = 0, rr = 0;
  for (const p of ports) p.on('message', (ms) => { for (const m of ms) { const r = pending.get(m.id); pending.delete(m.id); r(m.result); } });
  const send = () => new Promise((resolve) => { const id = nextId++; pending.set(id, resolve); sends[rr++ % sends.length]({ t: 'deliver', id, delivery }); });
  const loop = async () => { while (next < count) { next++; await send(); } };
  const t0 = performance.now();
  Promise.all(Array.from({ length: concurrency }, loop)).then(() => {
    parentPort.postMessage({ elapsedMs: performance.now() - t0 });
    for (const p of ports) p.close();
  });
}`;

export async function pingPong(delivery: Delivery, result: DeliveryResult, count: number, concurrency: number, batch = true): Promise<number> {
  const a = new MessageChannel();
  const b = new MessageChannel();
  const servers = [a.port2, b.port2].map((port) => new Worker(PING_PONG_WORKER, { eval: true, workerData: { role: 'server', port, result, batch }, transferList: [port] }));
  await Promise.all(servers.map((w) => new Promise((r) => w.once('message', r))));
  const client = new Worker(PING_PONG_WORKER, { eval: true, workerData: { role: 'client', ports: [a.port1, b.port1], delivery, count, concurrency, batch }, transferList: [a.port1, b.port1] });
  const { elapsedMs } = await new Promise<{ elapsedMs: number }>((r) => client.once('message', r));
  await Promise.all([client, ...servers].map((w) => w.terminate()));
  return (count / elapsedMs) * 1000;
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

    const warm = await load(c, 'master', dst, 100_000, CONCURRENCY);
    if (warm.failed) report.add('network', 'FAILED connections in warm-up', `${warm.failed} ${JSON.stringify(warm.errors)}`);
    const measured = await load(c, 'master', dst, 200_000, CONCURRENCY);
    const cps = (measured.ok / measured.elapsedMs) * 1000;
    report.add('network', `connections/s through the ClusterIP, endpoints on ${where}, concurrency 64 (200,000 after 100,000 warm-up; load in the master worker)`, `${Math.round(cps).toLocaleString('en')}/s`, '≥ 50,000/s', cps >= 50_000);
    report.add('network', 'latency under concurrency 64, p50 / p99', `${ms(percentile(measured.latenciesMs, 50))} / ${ms(percentile(measured.latenciesMs, 99))}`);
    report.add('network', 'answers per pod over those 200,000', Object.entries(measured.byPod).map(([k, v]) => `${k.split('/')[1]}: ${v}`).join(', '));

    const delivery: Delivery = {
      src: { ip: '10.244.1.0', port: 40000 },
      dst: { ip: one.remote.ip, port: one.remote.port },
      proto: 'tcp',
      payload: { kind: 'http', request: { method: 'GET', path: '/', httpVersion: 'HTTP/1.1', headers: [['Host', ip]], body: '' } },
      entryNode: 'master',
    };
    const answer: DeliveryResult = { ok: true, response: one.response, pod: one.pod };
    await pingPong(delivery, answer, 20_000, CONCURRENCY);
    const raw = await pingPong(delivery, answer, 200_000, CONCURRENCY);
    const unbatched = await pingPong(delivery, answer, 200_000, CONCURRENCY, false);
    report.add('network', 'raw MessagePort ping-pong, 1 client thread <-> 2 server threads, same message objects, concurrency 64, batched per event-loop turn like the mesh', `${Math.round(raw).toLocaleString('en')}/s`);
    report.add('network', 'the same ping-pong with one postMessage per message', `${Math.round(unbatched).toLocaleString('en')}/s`);
    report.add('network', 'ClusterIP connections/s ÷ raw ping-pong round trips/s', (cps / raw).toFixed(2), '≥ 0.5', cps / raw >= 0.5);

    // Memory over 1,000,000 more connections, sampled after the warm-up above and at the end.
    global.gc?.();
    const liveBefore = await liveHeaps(c);
    const before = { master: measured.heapUsedBytes, w1: await heapOf(c, 'worker1', dst), w2: await heapOf(c, 'worker2', dst), rss: process.memoryUsage().rss };
    const started = performance.now();
    let done = 0;
    let failed = 0;
    let last = measured;
    const heaps: number[] = [];
    while (done < MEMORY_CONNECTIONS && performance.now() - started < MEMORY_BUDGET_MS) {
      last = await load(c, 'master', dst, MEMORY_CHUNK, CONCURRENCY);
      done += last.ok + last.failed;
      failed += last.failed;
      heaps.push(last.heapUsedBytes);
    }
    const elapsed = performance.now() - started;
    const after = { master: last.heapUsedBytes, w1: await heapOf(c, 'worker1', dst), w2: await heapOf(c, 'worker2', dst), rss: process.memoryUsage().rss };
    const pct = (a: number, b: number) => `${(((b - a) / a) * 100).toFixed(1)}%`;
    const liveAfter = await liveHeaps(c);
    report.add('network', `node worker live heaps after a full GC (master+worker1+worker2), after warm-up vs after ${done.toLocaleString('en')} connections`, `${mb(liveBefore)} -> ${mb(liveAfter)} (${pct(liveBefore, liveAfter)})`, '±10%', Math.abs(liveAfter - liveBefore) / liveBefore <= 0.1);
    const sumBefore = before.master + before.w1 + before.w2;
    const sumAfter = after.master + after.w1 + after.w2;
    const flat = Math.abs(sumAfter - sumBefore) / sumBefore <= 0.1 && Math.abs(after.rss - before.rss) / before.rss <= 0.1;
    report.add(
      'network',
      `memory over ${done.toLocaleString('en')} connections${done < MEMORY_CONNECTIONS ? ` (STOPPED at the ${MEMORY_BUDGET_MS / 1000} s budget)` : ''}: node worker heaps (master+worker1+worker2)`,
      `${mb(sumBefore)} -> ${mb(sumAfter)} (${pct(sumBefore, sumAfter)})`,
      '±10%',
      flat,
    );
    report.add('network', 'memory over the same run: process RSS (all threads)', `${mb(before.rss)} -> ${mb(after.rss)} (${pct(before.rss, after.rss)})`, '±10%', Math.abs(after.rss - before.rss) / before.rss <= 0.1);
    // Heap samples are taken without a forced GC (the worker has no gc()), so they saw-tooth; the lowest samples of the
    // first and last quarter of the run approximate the live heap then.
    const q = Math.max(1, Math.floor(heaps.length / 4));
    const troughStart = Math.min(...heaps.slice(0, q));
    const troughEnd = Math.min(...heaps.slice(-q));
    report.add('network', `master worker heap, lowest sample of the first vs the last ${q} of ${heaps.length} chunks (live-heap estimate)`, `${mb(troughStart)} -> ${mb(troughEnd)} (${pct(troughStart, troughEnd)})`, '±10%', Math.abs(troughEnd - troughStart) / troughStart <= 0.1);
    report.add('network', `master worker heap after each ${MEMORY_CHUNK.toLocaleString('en')} (MB, not GCed first)`, heaps.map((h) => (h / 2 ** 20).toFixed(0)).join(' '));
    report.add('network', `connections/s over that run, conntrack entries at the end`, `${Math.round((done / elapsed) * 1000).toLocaleString('en')}/s, ${last.conntrackEntries} entries (max ${last.conntrackMax}), ${failed} failed`);
  } finally {
    if (cleanup) await c.close();
    cleanup = false;
  }
}
