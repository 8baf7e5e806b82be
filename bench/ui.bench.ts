/**
 * UI figures with 500 pods and traffic flowing: frame time p95 in headless Chromium (requestAnimationFrame deltas),
 * the renderer's JS heap, bytes per second of the traffic.frame stream on the WebSocket, and the app's CPU at rest.
 * The app runs in a child process (bench/ui-host.ts = startKubelab, what `kubelab serve` starts) so its CPU time,
 * all threads included, can be read from /proc/<pid>/stat.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright';
import { Report, mb, ms, percentile } from './report.ts';

const PODS = 500;
const NODES = 6; // 5 schedulable workers x 110 pods (the kubelet's default max-pods) hold 500 pods
const WINDOW_MS = 10_000;
const LOAD_PER_TICK = 100; // connections every 100 ms: ~1,000/s
const CLK_TCK = 100;

interface Host {
  child: ChildProcess;
  ask<T = Record<string, unknown>>(cmd: Record<string, unknown>, timeoutMs?: number): Promise<T>;
}

function startHost(): Promise<Host & { uiUrl: string }> {
  const child = fork(fileURLToPath(new URL('./ui-host.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_NODES: String(NODES) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiters = new Map<string, (m: Record<string, unknown>) => void>();
  child.on('message', (m: Record<string, unknown>) => waiters.get(m.reply as string)?.(m));
  const ask = <T>(cmd: Record<string, unknown>, timeoutMs = 180_000) =>
    new Promise<T>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`ui host: no answer to ${cmd.cmd}`)), timeoutMs);
      waiters.set(cmd.cmd as string, (m) => {
        clearTimeout(t);
        if (m.error) reject(new Error(String(m.error)));
        else resolve(m as T);
      });
      if (cmd.cmd !== 'started') child.send(cmd);
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`ui host exited ${code}`)));
    void ask<{ uiUrl: string }>({ cmd: 'started' }, 120_000).then((m) => resolve({ child, ask, uiUrl: m.uiUrl }), reject);
  });
}

/** utime + stime of the whole process (every thread), in ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / CLK_TCK) * 1000;
}

async function idleCpu(pid: number): Promise<number> {
  const c0 = cpuMs(pid);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, WINDOW_MS));
  return ((cpuMs(pid) - c0) / (performance.now() - t0)) * 100;
}

/**
 * requestAnimationFrame deltas for `windowMs` in the page. Passed as source text: tsx compiles this file with
 * esbuild's keepNames, which would wrap a named inner function in `__name(...)`, a helper the page does not have.
 */
function frameDeltas(page: Page, windowMs: number): Promise<number[]> {
  return page.evaluate(`new Promise((resolve) => {
    const d = [];
    let last;
    const end = performance.now() + ${Number(windowMs)};
    const f = (t) => {
      if (last !== undefined) d.push(t - last);
      last = t;
      if (t < end) requestAnimationFrame(f);
      else resolve(d);
    };
    requestAnimationFrame(f);
  })`) as Promise<number[]>;
}

async function heap(cdp: CDPSession, page: Page): Promise<{ used: number; total: number; perfMemory: number | null }> {
  const u = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
  const perfMemory = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null);
  return { used: u.usedSize, total: u.totalSize, perfMemory };
}

async function rendererTaskSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN;
}

export async function uiBenchmarks(report: Report): Promise<void> {
  const host = await startHost();
  const pid = host.child.pid!;
  let browser: Browser | undefined;
  try {
    const seeded = await host.ask<{ running: number; ms: number }>({ cmd: 'seed', pods: PODS });
    report.add('ui', `set-up: ${NODES} nodes, seed Deployment + ClusterIP + "fill" Deployment -> Running pods in default`, `${seeded.running} in ${ms(seeded.ms)} (at 60x)`);
    await new Promise((r) => setTimeout(r, 3000));
    const restNoUi = await idleCpu(pid);
    report.add('ui', `idle CPU of the app at rest (startKubelab process, all threads, ${seeded.running} pods, no UI client, ${WINDOW_MS / 1000} s), % of one core`, `${restNoUi.toFixed(2)}%`, '≤ 1%', restNoUi <= 1);

    browser = await chromium.launch({
      executablePath: process.env.KUBELAB_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Performance.enable');
    let counting = false;
    const stream = { trafficBytes: 0, trafficFrames: 0, otherBytes: 0, otherFrames: 0 };
    cdp.on('Network.webSocketFrameReceived', (e: { response: { payloadData: string; opcode: number } }) => {
      if (!counting) return;
      const bytes = Buffer.byteLength(e.response.payloadData, e.response.opcode === 2 ? 'base64' : 'utf8');
      if (e.response.payloadData.includes('"event":"traffic.frame"')) {
        stream.trafficBytes += bytes;
        stream.trafficFrames++;
      } else {
        stream.otherBytes += bytes;
        stream.otherFrames++;
      }
    });
    await page.goto(host.uiUrl, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.locator('[data-testid="cluster-map"]').waitFor({ timeout: 60_000 });
    const deadline = Date.now() + 30_000;
    let shownPods = 0;
    while (Date.now() < deadline) {
      shownPods = await page.locator('[data-testid="map-pod"]').count();
      if (shownPods >= PODS) break;
      await page.waitForTimeout(250);
    }
    report.add('ui', 'pods drawn on the map ([data-testid=map-pod])', String(shownPods));

    const load = await host.ask<{ ip: string }>({ cmd: 'load-start', perTick: LOAD_PER_TICK, concurrency: 8 });
    await page.waitForTimeout(3000);
    counting = true;
    const t0 = performance.now();
    const deltas = await frameDeltas(page, WINDOW_MS);
    const elapsed = performance.now() - t0;
    counting = false;
    const h = await heap(cdp, page);
    const loaded = await host.ask<{ ok: number; failed: number; ms: number }>({ cmd: 'load-stop' });
    const rate = (loaded.ok / loaded.ms) * 1000;
    const p95 = percentile(deltas, 95);
    report.add('ui', `frame time p95 (rAF deltas over ${WINDOW_MS / 1000} s, ${deltas.length} frames) with ${shownPods} pods drawn and a load loop on ${load.ip} at ${Math.round(rate)} conn/s`, ms(p95), '≤ 16 ms', p95 <= 16.7);
    report.add('ui', 'frame time p50 / p99 / max', `${ms(percentile(deltas, 50))} / ${ms(percentile(deltas, 99))} / ${ms(Math.max(...deltas))}`);
    report.add('ui', 'renderer JS heap used (CDP Runtime.getHeapUsage; performance.memory.usedJSHeapSize)', `${mb(h.used)} of ${mb(h.total)}; ${h.perfMemory === null ? 'n/a' : mb(h.perfMemory)}`);
    report.add('ui', 'traffic.frame stream on the WebSocket (CDP webSocketFrameReceived, payload bytes)', `${Math.round((stream.trafficBytes / elapsed) * 1000).toLocaleString('en')} B/s in ${stream.trafficFrames} frames (${(stream.trafficFrames / (elapsed / 1000)).toFixed(1)}/s)`);
    report.add('ui', 'other WebSocket events in the same window (cluster.changed etc.)', `${Math.round((stream.otherBytes / elapsed) * 1000).toLocaleString('en')} B/s in ${stream.otherFrames} frames`);
    if (loaded.failed) report.add('ui', 'FAILED connections in the load loop', String(loaded.failed));

    await page.waitForTimeout(3000);
    const task0 = await rendererTaskSeconds(cdp);
    const restUi = await idleCpu(pid);
    const task1 = await rendererTaskSeconds(cdp);
    report.add('ui', `idle CPU of the app at rest with the UI tab open (${WINDOW_MS / 1000} s after traffic stopped), % of one core`, `${restUi.toFixed(2)}%`, '≤ 1%', restUi <= 1);
    report.add('ui', 'Chromium renderer main-thread task time in the same window (CDP TaskDuration), % of one core', `${(((task1 - task0) * 1000) / WINDOW_MS * 100).toFixed(2)}%`);

    const term = await host.ask<{ ok: boolean; error?: string }>({ cmd: 'terminal' });
    if (!term.ok) report.add('ui', 'terminal over the UI transport (terminal.open)', `NOT MEASURABLE: ${term.error}`);
  } finally {
    await browser?.close();
    await host.ask({ cmd: 'close' }, 20_000).catch(() => host.child.kill('SIGKILL'));
  }
}
