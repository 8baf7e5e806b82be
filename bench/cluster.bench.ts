/** Issue 2 figures: cold boot, a Deployment to Running on the instant clock, 50 nodes / 5,000 pods. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Report, mb, ms } from './report.ts';
import { Cluster } from '../src-main/cluster/cluster.ts';
import { ManualClock } from '../src-main/clock/clock.ts';
import { startControllers } from '../src-main/controllers/index.ts';
import { byKind } from '../src-main/api/resources.ts';
import type { Pod } from '../src-main/api/types.ts';
import { seedDeployment } from '../test/fixtures/seed.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Cold boot as a user gets it: `kubelab serve --ephemeral` from the built bundle until it prints "Cluster ready". */
async function coldBoot(): Promise<{ wallMs: number; reportedMs: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [`${root}/bin/kubelab.mjs`, 'serve', '--ephemeral'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += String(d);
      const m = /Cluster ready: \d+ nodes in (\d+) ms/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  const wallMs = performance.now() - started;
  child.kill('SIGTERM');
  return { wallMs, reportedMs: Number(line) };
}

function running(c: Cluster, selector: string): number {
  return (c.registry.list(byKind('Pod'), { labelSelector: selector }).items as unknown as Pod[]).filter((p) => p.status?.phase === 'Running').length;
}

/** The manual clock jumps ahead whenever the cluster is idle: an "instant" clock. */
async function untilRunning(c: Cluster, selector: string, count: number, limitSteps = 2000, stepMs = 100): Promise<void> {
  for (let i = 0; i < limitSteps && running(c, selector) < count; i++) await c.advance(stepMs, stepMs);
  if (running(c, selector) < count) throw new Error(`pods ${selector} did not reach Running`);
}

export async function clusterBenchmarks(report: Report): Promise<void> {
  const boots = [];
  for (let i = 0; i < 3; i++) boots.push(await coldBoot());
  const best = boots.sort((a, b) => a.reportedMs - b.reportedMs)[1];
  report.add('cluster', 'cold boot to 3 nodes Ready + system pods Running (median of 3, in-process)', ms(best.reportedMs), '≤ 300 ms', best.reportedMs <= 300);
  report.add('cluster', 'cold boot incl. process start (median of 3)', ms(best.wallMs));

  const c = await Cluster.start({ nodes: 3, clock: new ManualClock(), startControllers });
  await untilRunning(c, 'k8s-app=kube-dns', 2);
  const t0 = performance.now();
  c.registry.create(byKind('Deployment'), 'default', seedDeployment());
  await untilRunning(c, 'app=hostname-server', 2);
  const deployMs = performance.now() - t0;
  report.add('cluster', '2-replica Deployment create -> both pods Running (instant clock)', ms(deployMs), '≤ 50 ms', deployMs <= 50);
  await c.close();

  const big = await bigCluster();
  report.add('cluster', '50 nodes + 5,000 pods Running (instant clock; own process)', ms(big.ms), '≤ 5 s', big.ms <= 5000);
  report.add('cluster', '... of which 50 node workers started and Ready', ms(big.nodesMs));
  report.add('cluster', 'peak RSS with 50 nodes / 5,000 pods (max RSS of that process)', mb(big.peakRss), '≤ 1 GB', big.peakRss <= 1024 ** 3);
  report.add('cluster', 'memory per node worker (RSS growth / nodes)', mb(big.perNode));
}

/** Runs bench/cluster-50.ts in a fresh process: the peak RSS is then that run's own (the kernel's max RSS). */
async function bigCluster(): Promise<{ ms: number; nodesMs: number; peakRss: number; perNode: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', `${root}/bench/cluster-50.ts`], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const line = out.trim().split('\n').pop() ?? '';
  const r = JSON.parse(line) as { ok: boolean; ms: number; nodesMs: number; peakRss: number; perNode: number };
  if (code !== 0 || !r.ok) throw new Error(`50-node run failed (exit ${code}): ${out}`);
  return r;
}
