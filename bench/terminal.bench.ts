/**
 * Terminal figures, in a cluster shell (ShellSession through the TerminalManager, as the app's terminal runs it):
 * keystroke-to-echo, the built-in `kubectl get pods` with 100 and 5,000 pods, and a 1,000-curl loop to the ClusterIP.
 */
import { Report, ms, percentile } from './report.ts';
import { TerminalManager } from '../src-main/host/terminals/manager.ts';
import { startApiServer } from '../src-main/apiserver/server.ts';
import { httpApiClient, runKubectl } from '../src-main/kubectl/index.ts';
import type { KubectlHook } from '../src-main/shell/commands/index.ts';
import { byKind } from '../src-main/api/resources.ts';
import { seededCluster } from './network.bench.ts';
import { fakeRunningPods } from './pods.ts';

const TOKEN = 'bench-token';
const PROMPT = /root@master:~# $/;

export async function terminalBenchmarks(report: Report): Promise<void> {
  const { c, ip } = await seededCluster();
  let requests: string[] = [];
  const api = await startApiServer({ registry: c.registry, clock: c.clock, port: 0, token: TOKEN, onRequest: (e) => requests.push(`${e.method} ${e.url.split('?')[0]}`) });
  try {
    const kubectl: KubectlHook = { run: runKubectl as unknown as KubectlHook['run'], client: httpApiClient(api.url, TOKEN, { ca: api.caData }) };
    const terminals = new TerminalManager({ cluster: c, kubectl });
    let out = '';
    let onData: (() => void) | undefined;
    terminals.on('terminal.data', (p) => {
      out += p.data;
      onData?.();
    });
    /** Resolves when the output since `from` matches `re` (checked on every terminal.data). */
    const until = (re: RegExp, from: number, timeoutMs = 120_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`terminal never showed ${re}; tail: ${JSON.stringify(out.slice(-300))}`)), timeoutMs);
        const check = () => {
          if (re.test(out.slice(from))) {
            clearTimeout(timer);
            onData = undefined;
            resolve();
          }
        };
        onData = check;
        check();
      });
    const { id } = await terminals.open({ kind: 'cluster', node: 'master', cols: 200, rows: 50 });
    await until(PROMPT, 0);

    // Keystroke -> echo: each key is one terminal.input; the echo is the first terminal.data after it.
    const keys: number[] = [];
    const text = 'kubectl get svc,deploy,pod';
    for (let round = 0; round < 20; round++) {
      for (const ch of text) {
        const from = out.length;
        const t0 = performance.now();
        const echoed = new Promise<void>((resolve) => (onData = () => out.length > from && resolve()));
        terminals.input({ id, data: ch });
        await echoed;
        keys.push(performance.now() - t0);
        if (!out.slice(from).includes(ch)) throw new Error(`no echo of ${ch}`);
      }
      const from = out.length;
      terminals.input({ id, data: '\x15' }); // Ctrl-U: kill the line
      await new Promise((r) => setImmediate(r));
      if (out.length === from) await until(/./, from);
    }
    onData = undefined;
    report.add('terminal', `keystroke -> echo in a cluster shell (TerminalManager.input -> terminal.data), p50 of ${keys.length}`, ms(percentile(keys, 50)), '≤ 5 ms', percentile(keys, 50) <= 5);
    report.add('terminal', 'keystroke -> echo, p99 / max', `${ms(percentile(keys, 99))} / ${ms(Math.max(...keys))}`);

    const line = async (cmd: string, done: RegExp = PROMPT) => {
      // Only this command's output is kept: matching `done` must not rescan (and re-flatten) all earlier output.
      out = '';
      const from = 0;
      const t0 = performance.now();
      terminals.input({ id, data: `${cmd}\r` });
      await until(done, from + cmd.length);
      return { ms: performance.now() - t0, text: out.slice(from) };
    };
    const getPods = async (runs: number) => {
      const t: number[] = [];
      let rows = 0;
      for (let i = 0; i < runs; i++) {
        requests = [];
        const r = await line('kubectl get pods');
        t.push(r.ms);
        rows = r.text.split('\r\n').filter((l) => / Running /.test(l)).length;
      }
      return { med: percentile(t, 50), rows, requests: requests.length };
    };
    fakeRunningPods(c.registry, 98);
    const small = await getPods(10);
    report.add('terminal', `built-in \`kubectl get pods\`, 100 pods (${small.rows} rows printed, ${small.requests} API requests): Enter -> prompt back (median of 10)`, ms(small.med), '≤ 20 ms', small.med <= 20 && small.rows === 100);
    fakeRunningPods(c.registry, 4900, { start: 98 });
    const big = await getPods(5);
    report.add('terminal', `built-in \`kubectl get pods\`, 5,000 pods stored: ${big.rows} rows printed${big.rows < 5000 ? ' (INCOMPLETE: the list\'s continue token is not followed)' : ''}, ${big.requests} API requests (median of 5)`, ms(big.med));
    for (const p of c.registry.list(byKind('Pod'), { labelSelector: 'app=bench' }).items) c.registry.delete(byKind('Pod'), 'default', p.metadata.name!, { gracePeriodSeconds: 0 });

    const loop = (sink: string) => `for i in $(seq 1 1000); do curl -s${sink} http://${ip}; done`;
    const shown = await line(`${loop('')}; echo BENCH-END`, /BENCH-END\r\nroot@master:~# $/);
    const hellos = (shown.text.match(/Hello, {2}hostname-server/g) ?? []).length;
    report.add('terminal', `\`for i in $(seq 1 1000); do curl -s http://<clusterip>; done\`, pages printed to the terminal (${hellos} answers)`, ms(shown.ms));
    const quiet = await line(`${loop(' -o /dev/null -w "%{http_code}\\n"')} | sort | uniq -c; echo BENCH-END`, /BENCH-END\r\nroot@master:~# $/);
    report.add('terminal', `same loop with -o /dev/null -w '%{http_code}' (${(/(\d+) 200/.exec(quiet.text)?.[1] ?? '0')} x 200)`, ms(quiet.ms));
    terminals.dispose();
  } finally {
    await api.close();
    await c.close();
  }
}
