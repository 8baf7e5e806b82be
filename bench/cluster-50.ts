/**
 * The 50-node / 5,000-pod run, alone in a fresh process (spawned by cluster.bench.ts) so that its peak RSS is the
 * kernel's max RSS of a process that did nothing else. Prints one JSON line, with where the time went: the phases
 * (nodes Ready, pods created, bound, Running) and the CPU time of the control-plane thread against the whole process.
 */
import { readFileSync } from 'node:fs';
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

/** CPU ms of this process's main thread (the control plane: the critical path), from the kernel's per-thread stat. */
function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return undefined; // not Linux
  }
}

/** When the load pods were all created, all bound to a node and all Running, from the store's commits. */
function phaseClock(c: Cluster, t0: number): { created?: number; bound?: number; running?: number } {
  const phases: { created?: number; bound?: number; running?: number } = {};
  const created = new Set<string>();
  const bound = new Set<string>();
  const run = new Set<string>();
  const POD = byKind('Pod');
  c.store.onCommit((ch) => {
    if (ch.resource !== POD || ch.object.metadata.labels?.app !== 'load') return;
    const key = ch.object.metadata.name!;
    const p = ch.object as unknown as Pod;
    if (ch.type === 'DELETED') return;
    created.add(key);
    if (p.spec?.nodeName) bound.add(key);
    if (p.status?.phase === 'Running') run.add(key);
    const at = performance.now() - t0;
    if (phases.created === undefined && created.size === PODS) phases.created = at;
    if (phases.bound === undefined && bound.size === PODS) phases.bound = at;
    if (phases.running === undefined && run.size === PODS) phases.running = at;
  });
  return phases;
}

const before = process.memoryUsage().rss;
const t0 = performance.now();
const c = await Cluster.start({ nodes: NODES, clock: new ManualClock(), startControllers });
const nodesMs = performance.now() - t0;
const perNode = (process.memoryUsage().rss - before) / NODES;
const phases = phaseClock(c, t0);
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
const mainCpuMs = mainThreadCpuMs();
await c.close();
const cpu = process.cpuUsage();
console.log(JSON.stringify({ ok, ms, nodesMs, ...phases, peakRss: process.resourceUsage().maxRSS * 1024, perNode, cpuMs: (cpu.user + cpu.system) / 1000, mainCpuMs }));
process.exit(0);
