/**
 * API server figures: a Table list of 5,000 pods over HTTPS (and tableFor alone), watch fan-out to 20 HTTP watchers,
 * and `kubectl apply -f` of the seed's manifests with the real kubectl, apart from kubectl's own start-up.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Report, ms, percentile } from './report.ts';
import { ManualClock } from '../src-main/clock/clock.ts';
import { Store } from '../src-main/store/store.ts';
import { Registry } from '../src-main/registry/registry.ts';
import { bootstrapObjects } from '../src-main/cluster/bootstrap.ts';
import { byKind } from '../src-main/api/resources.ts';
import type { KubeObject } from '../src-main/api/types.ts';
import { startApiServer, type ApiServer } from '../src-main/apiserver/server.ts';
import { tableFor } from '../src-main/printers/table/table.ts';
import { kubeconfigYaml } from '../src-main/host/kubeconfig.ts';
import { fakeRunningPods } from './pods.ts';
import { SEED_DEPLOYMENT_YAML, SEED_SERVICE_YAML } from '../test/fixtures/seed.ts';

const TOKEN = 'bench-token';
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const WATCHERS = 20;

interface Got {
  status: number;
  bytes: number;
  ms: number;
}

function get(api: ApiServer, agent: Agent, path: string, accept: string): Promise<Got> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(`${api.url}${path}`, { agent, ca: api.caData, headers: { Authorization: `Bearer ${TOKEN}`, Accept: accept } }, (res) => {
      let bytes = 0;
      res.on('data', (d: Buffer) => (bytes += d.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, ms: performance.now() - t0 }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** `beforeEach` runs ahead of every timed request (e.g. to move the clock), outside the timing. */
async function timedGets(api: ApiServer, agent: Agent, path: string, accept: string, runs: number, beforeEach?: () => void): Promise<{ med: number; bytes: number }> {
  const first = await get(api, agent, path, accept);
  if (first.status !== 200) throw new Error(`GET ${path}: ${first.status}`);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    beforeEach?.();
    times.push((await get(api, agent, path, accept)).ms);
  }
  return { med: percentile(times, 50), bytes: first.bytes };
}

/** Opens a watch and calls `onLine` for every JSON event line. Resolves once the response headers are in. */
function openWatch(api: ApiServer, agent: Agent, path: string, onLine: (line: string) => void): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = request(`${api.url}${path}`, { agent, ca: api.caData, headers: { Authorization: `Bearer ${TOKEN}`, Accept: 'application/json' } }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buf += d;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          onLine(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
        }
      });
      res.on('error', () => {});
      resolve(() => req.destroy());
    });
    req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
    req.end();
  });
}

async function watchFanOut(report: Report, reg: Registry, api: ApiServer): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const received = new Map<string, number>();
  let waiter: { name: string; resolve: () => void } | undefined;
  const closers: Array<() => void> = [];
  for (let i = 0; i < WATCHERS; i++) {
    closers.push(
      await openWatch(api, agent, `/api/v1/namespaces/bench-watch/configmaps?watch=true&resourceVersion=${reg.store.resourceVersion}`, (line) => {
        const ev = JSON.parse(line) as { type: string; object: KubeObject };
        const name = ev.object.metadata?.name ?? '';
        const n = (received.get(name) ?? 0) + 1;
        received.set(name, n);
        if (waiter?.name === name && n === WATCHERS) waiter.resolve();
      }),
    );
  }
  await new Promise((r) => setTimeout(r, 200));
  const times: number[] = [];
  for (let i = -3; i < 50; i++) {
    const name = `fan-${i}`;
    const done = new Promise<void>((resolve) => (waiter = { name, resolve }));
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000).unref());
    const t0 = performance.now();
    reg.create(byKind('ConfigMap'), 'bench-watch', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { i: String(i) } } as KubeObject);
    if ((await Promise.race([done, timeout])) === 'timeout') {
      report.add('apiserver', 'watch fan-out', `TIMED OUT: ${received.get(name) ?? 0} of ${WATCHERS} watchers got the event`);
      break;
    }
    if (i >= 0) times.push(performance.now() - t0);
  }
  closers.forEach((c) => c());
  agent.destroy();
  if (times.length) {
    report.add('apiserver', `watch fan-out: ConfigMap create -> all ${WATCHERS} HTTPS watchers have the ADDED line, p50 (50 writes after 3 warm-up writes)`, ms(percentile(times, 50)));
    report.add('apiserver', 'watch fan-out, p90 / max', `${ms(percentile(times, 90))} / ${ms(Math.max(...times))}`);
  }
}

function run(cmd: string, args: string[], opts: { cwd?: string } = {}): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(cmd, args, { ...opts, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

/** The seed's Deployment and ClusterIP Service, as the learner saves them. */
function seedManifests(dir: string): string[] {
  const files = [join(dir, 'deployment.yaml'), join(dir, 'clusterip-service.yaml')];
  writeFileSync(files[0]!, SEED_DEPLOYMENT_YAML);
  writeFileSync(files[1]!, SEED_SERVICE_YAML);
  return files;
}

async function kubectlApply(report: Report, reg: Registry, api: ApiServer): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-bench-apply-'));
  try {
    const manifests = join(dir, 'service');
    await import('node:fs').then((fs) => fs.mkdirSync(manifests));
    seedManifests(manifests);
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigYaml(api.url, TOKEN, api.caData), { mode: 0o600 });
    const cache = join(dir, 'cache');
    const kubectl = (...args: string[]) => run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cache, ...args]);

    const cold = await kubectl('apply', '-f', manifests);
    if (cold.code !== 0) {
      report.add('apiserver', 'kubectl apply -f (seed)', `FAILED (exit ${cold.code}): ${cold.stderr.trim().split('\n')[0]}`);
      return;
    }
    report.add('apiserver', 'kubectl apply -f <seed Deployment + ClusterIP Service>, empty --cache-dir (discovery + OpenAPI fetched)', ms(cold.ms));
    const creates: number[] = [];
    const unchanged: number[] = [];
    const version: number[] = [];
    // Interleaved with the applies, so both see the same machine load.
    for (let i = 0; i < 5; i++) {
      version.push((await run('kubectl', ['version', '--client'])).ms);
      for (const [kind, name] of [['Deployment', 'hostname-server'], ['Service', 'clusterip-hostname-service']] as const) reg.delete(byKind(kind), 'default', name);
      const r = await kubectl('apply', '-f', manifests);
      if (r.code !== 0 || !/created/.test(r.stdout)) throw new Error(`kubectl apply: ${r.stdout}${r.stderr}`);
      creates.push(r.ms);
      const u = await kubectl('apply', '-f', manifests);
      if (u.code !== 0 || !/unchanged/.test(u.stdout)) throw new Error(`kubectl apply (again): ${u.stdout}${u.stderr}`);
      unchanged.push(u.ms);
    }
    const create = percentile(creates, 50);
    const startup = percentile(version, 50);
    report.add('apiserver', 'real kubectl start-up: `kubectl version --client`, no server contact (median of 5)', ms(startup));
    report.add('apiserver', 'kubectl apply -f <seed>, warm cache, both created (median of 5), end to end', ms(create));
    report.add('apiserver', 'kubectl apply -f <seed>, warm cache, created, minus kubectl start-up', ms(create - startup));
    report.add('apiserver', 'kubectl apply -f <seed>, warm cache, both unchanged (median of 5)', ms(percentile(unchanged, 50)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function apiserverBenchmarks(report: Report): Promise<void> {
  const clock = new ManualClock(Date.parse('2025-03-01T00:00:00Z'));
  const reg = new Registry(new Store(clock), clock);
  bootstrapObjects(reg);
  reg.create(byKind('Namespace'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench-watch' } } as KubeObject);
  fakeRunningPods(reg, 5000);
  clock.set(clock.now() + 17 * 60_000);
  const api = await startApiServer({ registry: reg, clock, port: 0, token: TOKEN });
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const full = await timedGets(api, agent, '/api/v1/namespaces/default/pods', TABLE_ACCEPT, 10);
    report.add('apiserver', `GET pods as Table, 5,000 pods, one response (${(full.bytes / 2 ** 20).toFixed(1)} MB), request to last byte over keep-alive HTTPS (median of 10)`, ms(full.med), '≤ 50 ms', full.med <= 50);
    // The pods are 17 minutes old: their AGE prints in whole minutes, so rows are reused within a minute of cluster
    // time and all printed afresh once it moves on by more.
    const second = await timedGets(api, agent, '/api/v1/namespaces/default/pods', TABLE_ACCEPT, 10, () => clock.set(clock.now() + 1000));
    report.add('apiserver', 'GET pods as Table, 5,000 pods, cluster clock 1 s later at each request (median of 10)', ms(second.med));
    const fresh = await timedGets(api, agent, '/api/v1/namespaces/default/pods', TABLE_ACCEPT, 10, () => clock.set(clock.now() + 61_000));
    report.add('apiserver', 'GET pods as Table, 5,000 pods, cluster clock 61 s later at each request: every AGE changes, all rows printed afresh (median of 10)', ms(fresh.med), '≤ 50 ms', fresh.med <= 50);
    const page = await timedGets(api, agent, '/api/v1/namespaces/default/pods?limit=500', TABLE_ACCEPT, 10);
    report.add('apiserver', `GET pods as Table ?limit=500 (kubectl get's first page), 5,000 pods stored (median of 10)`, ms(page.med));
    const json = await timedGets(api, agent, '/api/v1/namespaces/default/pods', 'application/json', 10);
    report.add('apiserver', `GET pods as JSON PodList, 5,000 pods (${(json.bytes / 2 ** 20).toFixed(1)} MB, median of 10)`, ms(json.med));
    agent.destroy();

    const pods = reg.list(byKind('Pod'), { namespace: 'default' }).items;
    const times: number[] = [];
    for (let i = 0; i < 11; i++) {
      const t0 = performance.now();
      tableFor(byKind('Pod'), pods, { now: clock.now() });
      times.push(performance.now() - t0);
    }
    report.add('apiserver', 'tableFor alone, 5,000 pods (median of 10 after one warm-up)', ms(percentile(times.slice(1), 50)));
    const stringify: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      JSON.stringify(tableFor(byKind('Pod'), pods, { now: clock.now() }));
      stringify.push(performance.now() - t0);
    }
    report.add('apiserver', 'tableFor + JSON.stringify, 5,000 pods (median of 5): building the whole Table afresh, what the row cache saves', ms(percentile(stringify, 50)));
    const listTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      reg.list(byKind('Pod'), { namespace: 'default' });
      listTimes.push(performance.now() - t0);
    }
    report.add('apiserver', 'registry.list alone, 5,000 pods (median of 10)', ms(percentile(listTimes, 50)));

    await watchFanOut(report, reg, api);
    await kubectlApply(report, reg, api);
  } finally {
    await api.close();
  }
}
