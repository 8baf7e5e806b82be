/**
 * What durability costs: ConfigMap creates per second over HTTPS against a `--state` directory, with the journal
 * fdatasynced before each answer (group commit) and without, in the same run, one at a time and 16 at a time, and
 * how many writes one fdatasync covers. The directory is beside the default state directory, on the disk a
 * learner's state lives on (a tmpfs /tmp would make fsync free).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { dirname, join } from 'node:path';
import { Report } from './report.ts';
import { ManualClock } from '../src-main/clock/clock.ts';
import { Store } from '../src-main/store/store.ts';
import { Registry } from '../src-main/registry/registry.ts';
import { bootstrapObjects } from '../src-main/cluster/bootstrap.ts';
import { startApiServer, type ApiServer } from '../src-main/apiserver/server.ts';
import { StatePersistence } from '../src-main/store/persistence.ts';
import { defaultStateDir } from '../src-main/cli/data-dir.ts';

const TOKEN = 'bench-token';
const SECONDS = 2;

function create(api: ApiServer, agent: Agent, name: string): Promise<number> {
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { key: 'x'.repeat(200) } });
  return new Promise((resolve, reject) => {
    const req = request(`${api.url}/api/v1/namespaces/default/configmaps`, {
      method: 'POST',
      agent,
      ca: api.caData,
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Rate {
  perSecond: number;
  writesPerSync: number;
}

/** `clients` loops creating ConfigMaps for SECONDS; every answer must be 201. */
async function measure(dir: string, sync: boolean, clients: number, tag: string): Promise<Rate> {
  const clock = new ManualClock(Date.parse('2025-03-01T00:00:00Z'));
  const store = new Store(clock);
  const persistence = new StatePersistence(join(dir, `${tag}-${sync ? 'sync' : 'nosync'}-${clients}`), { sync });
  persistence.load(store);
  const reg = new Registry(store, clock);
  bootstrapObjects(reg);
  persistence.attach(store);
  const api = await startApiServer({ registry: reg, clock, port: 0, token: TOKEN, durable: () => persistence.durable() });
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  try {
    for (let i = 0; i < 20; i++) await create(api, agent, `warm-${i}`);
    const syncsBefore = persistence.syncs;
    let done = 0;
    const until = performance.now() + SECONDS * 1000;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; performance.now() < until; i++) {
        const status = await create(api, agent, `c${c}-${i}`);
        if (status !== 201) throw new Error(`create: HTTP ${status}`);
        done++;
      }
    }));
    const elapsed = (performance.now() - t0) / 1000;
    const syncs = persistence.syncs - syncsBefore;
    return { perSecond: done / elapsed, writesPerSync: syncs ? done / syncs : 0 };
  } finally {
    agent.destroy();
    await api.close();
    persistence.close();
  }
}

const rate = (n: number) => `${Math.round(n).toLocaleString('en')}/s`;

export async function storeBenchmarks(report: Report): Promise<void> {
  const parent = dirname(defaultStateDir());
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'kubelab-bench-'));
  try {
    for (const clients of [1, 16]) {
      // Interleaved, so both see the same machine load.
      const synced = await measure(dir, true, clients, 'a');
      const unsynced = await measure(dir, false, clients, 'b');
      const how = clients === 1 ? 'one at a time' : `${clients} at a time`;
      report.add('store', `ConfigMap creates over HTTPS into a --state dir, ${how} (${SECONDS} s each): fdatasync before each answer / no fsync`, `${rate(synced.perSecond)} / ${rate(unsynced.perSecond)}`);
      report.add('store', `  writes covered by one fdatasync, ${how} (group commit)`, synced.writesPerSync.toFixed(1));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
