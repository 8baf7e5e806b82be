/**
 * The 50-node / 5,000-pod run, alone in a fresh process (spawned by cluster.bench.ts) so that its peak RSS is the
 * kernel's max RSS of a process that did nothing else. Prints one JSON line.
 */
import { Cluster } from '../src-main/cluster/cluster.ts';
import { ManualClock } from '../src-main/clock/clock.ts';
import { startControllers } from '../src-main/controllers/index.ts';
import { byKind } from '../src-main/api/resources.ts';
import type { Pod } from '../src-main/api/types.ts';
import { seedDeployment } from '../test/fixtures/seed.ts';

const NODES = 50;
const PODS = 5000;

function running(c: Cluster): number {
  return (c.registry.list(byKind('Pod'), { labelSelector: 'app=load' }).items as unknown as Pod[]).filter((p) => p.status?.phase === 'Running').length;
}

const before = process.memoryUsage().rss;
const t0 = performance.now();
const c = await Cluster.start({ nodes: NODES, clock: new ManualClock(), startControllers });
const nodesMs = performance.now() - t0;
const perNode = (process.memoryUsage().rss - before) / NODES;
const d = seedDeployment('load', PODS);
// An image every node already has (as kind preloads images), so 100 pods per node are not 100 serialized pulls.
const spec = d.spec as { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: { containers: unknown[] } } };
spec.selector.matchLabels = { app: 'load' };
spec.template.metadata.labels = { app: 'load' };
spec.template.spec.containers = [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', imagePullPolicy: 'IfNotPresent' }];
c.registry.create(byKind('Deployment'), 'default', d);
// The manual clock jumps ahead whenever the cluster is idle: an "instant" clock.
for (let i = 0; i < 600 && running(c) < PODS; i++) await c.advance(1000, 1000);
const ms = performance.now() - t0;
const ok = running(c) === PODS;
await c.close();
const cpu = process.cpuUsage();
console.log(JSON.stringify({ ok, ms, nodesMs, peakRss: process.resourceUsage().maxRSS * 1024, perNode, cpuMs: (cpu.user + cpu.system) / 1000 }));
process.exit(0);
