/**
 * Child process for ui.bench.ts: everything `kubelab serve` starts (startKubelab), driven over IPC so the parent can
 * read this process's CPU time from /proc while it seeds pods, runs a load loop, or sits at rest.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from 'kubernetes-types/core/v1';
import { startKubelab } from '../src-main/host/kubelab.ts';
import { byKind } from '../src-main/api/resources.ts';
import type { Pod } from '../src-main/api/types.ts';
import type { LoadResult } from '../src-main/node/load-test.ts';
import { seedClusterIPService, seedDeployment } from '../test/fixtures/seed.ts';

type Msg = { cmd: 'seed'; pods: number } | { cmd: 'load-start'; perTick: number; concurrency: number } | { cmd: 'load-stop' } | { cmd: 'terminal' } | { cmd: 'close' };

const send = (m: unknown) => process.send!(m);
const nodes = Number(process.env.BENCH_NODES ?? 6);
// BENCH_RENDERER_DIR: another renderer build (say, the one before a change) to compare against, back to back.
const rendererDir = process.env.BENCH_RENDERER_DIR || undefined;
const lab = await startKubelab({ nodes, port: 0, kubeconfigPath: join(mkdtempSync(join(tmpdir(), 'kubelab-bench-ui-')), 'kubeconfig'), speed: 1, rendererDir });
await lab.ready();
const c = lab.cluster;
let loading: Promise<void> | undefined;
let stopLoad = false;
let loadOk = 0;
let loadFailed = 0;
let loadStarted = 0;

const running = () => (c.registry.list(byKind('Pod'), { namespace: 'default' }).items as unknown as Pod[]).filter((p) => p.status?.phase === 'Running').length;

process.on('message', async (m: Msg) => {
  try {
    if (m.cmd === 'seed') {
      const t0 = performance.now();
      c.setSpeed(60);
      c.registry.create(byKind('Deployment'), 'default', seedDeployment());
      c.registry.create(byKind('Service'), 'default', seedClusterIPService());
      const fill = seedDeployment();
      fill.metadata.name = 'fill';
      fill.metadata.labels = { app: 'fill' };
      const spec = fill.spec as { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } };
      spec.replicas = m.pods - 2;
      spec.selector.matchLabels = { app: 'fill' };
      spec.template.metadata.labels = { app: 'fill' };
      c.registry.create(byKind('Deployment'), 'default', fill);
      while (running() < m.pods && performance.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 200));
      c.setSpeed(1);
      send({ reply: 'seed', running: running(), ms: performance.now() - t0 });
    } else if (m.cmd === 'load-start') {
      const ip = (c.registry.get(byKind('Service'), 'default', 'clusterip-hostname-service') as unknown as Service).spec!.clusterIP!;
      stopLoad = false;
      loadOk = loadFailed = 0;
      loadStarted = performance.now();
      loading = (async () => {
        while (!stopLoad) {
          const tick = performance.now();
          const r = await c.node('master').call('load', { dst: { ip, port: 80 }, count: m.perTick, concurrency: m.concurrency });
          loadOk += r.ok;
          loadFailed += r.failed;
          await new Promise((res) => setTimeout(res, Math.max(0, 100 - (performance.now() - tick))));
        }
      })();
      send({ reply: 'load-start', ip });
    } else if (m.cmd === 'load-stop') {
      stopLoad = true;
      await loading;
      send({ reply: 'load-stop', ok: loadOk, failed: loadFailed, ms: performance.now() - loadStarted });
    } else if (m.cmd === 'terminal') {
      try {
        const r = await lab.service.handle('terminal.open', { kind: 'cluster', node: 'master', cols: 80, rows: 24 } as never);
        send({ reply: 'terminal', ok: true, result: r });
      } catch (e) {
        send({ reply: 'terminal', ok: false, error: (e as Error).message });
      }
    } else if (m.cmd === 'close') {
      await lab.close();
      send({ reply: 'close' });
      process.exit(0);
    }
  } catch (e) {
    send({ reply: m.cmd, error: String((e as Error).stack ?? e) });
  }
});
send({ reply: 'started', uiUrl: lab.uiUrl, apiUrl: lab.apiUrl, nodes, pid: process.pid });
