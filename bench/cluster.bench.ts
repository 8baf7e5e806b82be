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
  report.add('cluster', '50 nodes + 5,000 pods Running (instant clock)', ms(big.ms), '≤ 5 s', big.ms <= 5000);
  report.add('cluster', 'peak RSS with 50 nodes / 5,000 pods', mb(big.peakRss), '≤ 1 GB', big.peakRss <= 1024 ** 3);
  report.add('cluster', 'memory per node worker (RSS growth / nodes)', mb(big.perNode));
}

async function bigCluster(): Promise<{ ms: number; peakRss: number; perNode: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const c = await Cluster.start({ nodes: 50, clock: new ManualClock(), startControllers });
  const afterNodes = process.memoryUsage().rss;
  const d = seedDeployment();
  d.metadata.name = 'load';
  (d.spec as { replicas: number }).replicas = 5000;
  (d.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels = { app: 'load' };
  // An image every node already has (as kind preloads images), so 100 pods per node are not 100 serialized pulls.
  (d.spec as { template: { spec: { containers: Array<Record<string, unknown>> } } }).template.spec.containers = [
    { name: 'pause', image: 'registry.k8s.io/pause:3.10', imagePullPolicy: 'IfNotPresent' },
  ];
  (d.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels = { app: 'load' };
  c.registry.create(byKind('Deployment'), 'default', d);
  await untilRunning(c, 'app=load', 5000, 600, 1000);
  const elapsed = performance.now() - t0;
  clearInterval(sample);
  peak = Math.max(peak, process.memoryUsage().rss);
  await c.close();
  return { ms: elapsed, peakRss: peak, perNode: (afterNodes - before) / 50 };
}
