/** A load generator that runs inside a node worker, so a benchmark measures the data path, not the host thread. */
import { threadId } from 'node:worker_threads';
import type { Netstack } from './netstack/netstack.ts';

export interface LoadSpec {
  dst: { ip: string; port: number };
  count: number;
  concurrency: number;
}

export interface LoadResult {
  ok: number;
  failed: number;
  elapsedMs: number;
  latenciesMs: number[];
  threadId: number;
  byPod: Record<string, number>;
}

export async function loadTest(net: Netstack, spec: LoadSpec): Promise<LoadResult> {
  let next = 0;
  let ok = 0;
  let failed = 0;
  const latencies: number[] = [];
  const byPod: Record<string, number> = {};
  const from = { kind: 'node' as const, name: net.name, ip: net.ip };
  const request = { method: 'GET', path: '/', httpVersion: 'HTTP/1.1', headers: [['Host', spec.dst.ip]] as Array<[string, string]>, body: '' };
  const started = performance.now();
  const workerLoop = async () => {
    while (next < spec.count) {
      next++;
      const t0 = performance.now();
      const r = await net.connect({ from, dst: spec.dst, proto: 'tcp', payload: { kind: 'http', request } });
      if (latencies.length < 10_000) latencies.push(performance.now() - t0);
      if (r.ok) {
        ok++;
        const key = `${r.remote.ip}`;
        byPod[key] = (byPod[key] ?? 0) + 1;
      } else failed++;
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, workerLoop));
  return { ok, failed, elapsedMs: performance.now() - started, latenciesMs: latencies, threadId, byPod };
}
