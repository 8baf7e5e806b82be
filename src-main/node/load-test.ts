/** A load generator that runs inside a node worker, so a benchmark measures the data path, not the host thread. */
import { readFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { podKey, type Netstack } from './netstack/netstack.ts';
import type { NetError, Peer } from './netstack/types.ts';

export interface LoadSpec {
  dst: { ip: string; port: number };
  count: number;
  concurrency: number;
  /** Where the requests leave from; default this node. A pod must run on this node. */
  from?: Peer;
  path?: string;
}

export interface LoadResult {
  ok: number;
  failed: number;
  errors: Partial<Record<NetError, number>>;
  elapsedMs: number;
  /** The first 10,000 latencies. */
  latenciesMs: number[];
  threadId: number;
  /** Answers per `namespace/name` of the pod that answered. */
  byPod: Record<string, number>;
  /** Conntrack entries and heap after the run: both stay bounded however many connections ran. */
  conntrackEntries: number;
  conntrackMax: number;
  heapUsedBytes: number;
  /** CPU time of this thread during the run, and in all since it started (ms; Linux schedstat, NaN elsewhere). */
  cpuMs: number;
  threadCpuMs: number;
}

/** CPU time the calling thread has run, in ms: per-connection cost without other threads or processes in it. */
export function threadCpuMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

export async function loadTest(net: Netstack, spec: LoadSpec): Promise<LoadResult> {
  let next = 0;
  let ok = 0;
  let failed = 0;
  const errors: LoadResult['errors'] = {};
  const latencies: number[] = [];
  const byPod: Record<string, number> = {};
  const from: Peer = spec.from ?? { kind: 'node', name: net.name, ip: net.ip };
  const request = { method: 'GET', path: spec.path ?? '/', httpVersion: 'HTTP/1.1', headers: [['Host', spec.dst.ip]] as Array<[string, string]>, body: '' };
  const connectRequest = { from, dst: spec.dst, proto: 'tcp', payload: { kind: 'http', request } } as const;
  const cpuStart = threadCpuMs();
  const started = performance.now();
  const loop = async () => {
    while (next < spec.count) {
      next++;
      const t0 = performance.now();
      const r = await net.connect(connectRequest);
      if (latencies.length < 10_000) latencies.push(performance.now() - t0);
      if (r.ok) {
        ok++;
        const key = r.pod ? podKey(r.pod) : `${r.remote.ip}:${r.remote.port}`;
        byPod[key] = (byPod[key] ?? 0) + 1;
      } else {
        failed++;
        errors[r.error] = (errors[r.error] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, spec.concurrency) }, loop));
  const cpuEnd = threadCpuMs();
  return {
    ok,
    failed,
    errors,
    elapsedMs: performance.now() - started,
    latenciesMs: latencies,
    threadId,
    byPod,
    conntrackEntries: net.conntrack.size,
    conntrackMax: net.conntrack.max,
    heapUsedBytes: process.memoryUsage().heapUsed,
    cpuMs: cpuEnd - cpuStart,
    threadCpuMs: cpuEnd,
  };
}
