/**
 * kill -9 in the middle of write bursts against a real `kubelab serve --state DIR`, cycle after cycle: every write
 * the API acknowledged (201 for a create, 200 for a delete) is there after the restart, and nothing acknowledged
 * as deleted comes back. Writes in flight at the kill may land either way; the next cycle learns which.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configMap, configMaps, startStateServe } from './state-serve.ts';

const CYCLES = 20;
const IN_FLIGHT = 6;
const BUDGET_MS = 55_000;

type Known = { state: 'present'; value: string } | { state: 'deleted' } | { state: 'unknown'; value: string };

test(`kill -9 during write bursts, ${CYCLES} cycles: 0 acknowledged writes lost, 0 deleted objects back`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-durable-'));
  const known = new Map<string, Known>();
  let acked = 0;
  let ackedDeletes = 0;
  let next = 0;
  const started = performance.now();
  let cycles = 0;
  try {
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const s = await startStateServe(['--state', dir]);
      assert.equal(s.stderr(), '', `cycle ${cycle}: a start after kill -9 reports no damage`);
      check(await configMaps(s), known, cycle);
      let killed = false;
      const worker = async () => {
        while (!killed) {
          const present = [...known].filter(([, k]) => k.state === 'present');
          const del = present.length > 10 && Math.random() < 0.3 ? present[Math.floor(Math.random() * present.length)]![0] : undefined;
          if (del) {
            known.set(del, { state: 'unknown', value: (known.get(del) as { value: string }).value });
            const r = await s.api('DELETE', `/api/v1/namespaces/default/configmaps/${del}`).catch(() => undefined);
            if (r?.status === 200) {
              known.set(del, { state: 'deleted' });
              ackedDeletes++;
            }
            continue;
          }
          const name = `cm-${next++}`;
          const value = `v${cycle}-${name}`;
          known.set(name, { state: 'unknown', value });
          const r = await s.api('POST', '/api/v1/namespaces/default/configmaps', configMap(name, value)).catch(() => undefined);
          if (r?.status === 201) {
            known.set(name, { state: 'present', value });
            acked++;
          }
        }
      };
      const workers = Array.from({ length: IN_FLIGHT }, () => worker());
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 250));
      await s.stop('SIGKILL');
      killed = true;
      await Promise.all(workers);
      cycles++;
      if (performance.now() - started > BUDGET_MS) break;
    }
    const last = await startStateServe(['--state', dir]);
    check(await configMaps(last), known, cycles);
    await last.stop();
    console.log(`${cycles} kill -9 cycles, ${acked} acknowledged creates, ${ackedDeletes} acknowledged deletes, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    assert.equal(cycles, CYCLES, `only ${cycles} cycles in ${BUDGET_MS} ms`);
    assert.ok(acked >= CYCLES * 5, `too few acknowledged writes to mean anything: ${acked}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Compares what the server has with what it acknowledged, and settles the writes that were in flight. */
function check(have: Map<string, string>, known: Map<string, Known>, cycle: number): void {
  const lost: string[] = [];
  const back: string[] = [];
  for (const [name, k] of known) {
    if (k.state === 'present' && have.get(name) !== k.value) lost.push(name);
    if (k.state === 'deleted' && have.has(name)) back.push(name);
    if (k.state === 'unknown') known.set(name, have.has(name) ? { state: 'present', value: have.get(name)! } : { state: 'deleted' });
  }
  const strangers = [...have.keys()].filter((n) => !known.has(n));
  assert.deepEqual(lost, [], `after kill ${cycle}: acknowledged writes lost`);
  assert.deepEqual(back, [], `after kill ${cycle}: acknowledged deletes resurrected`);
  assert.deepEqual(strangers, [], `after kill ${cycle}: objects nobody wrote`);
}

