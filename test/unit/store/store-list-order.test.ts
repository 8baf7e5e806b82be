/**
 * Store.list keeps each kind's keys sorted across writes and finds a namespace or a continue token by position:
 * after random creates, deletes, updates and restores, every list (namespace, selectors, pages) must equal what a
 * plain filter over all stored objects in key order gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Store } from '../../../src-main/store/store.ts';
import { ManualClock } from '../../../src-main/clock/clock.ts';
import { byKind } from '../../../src-main/api/resources.ts';
import type { KubeObject } from '../../../src-main/api/types.ts';
import { parseLabelSelector } from '../../../src-main/store/selectors.ts';

const pods = byKind('Pod');
const nodes = byKind('Node');
// `default-x` and `default.y` sort on either side of `default/`, `d` is a prefix of `default`.
const NAMESPACES = ['default', 'default-x', 'default.y', 'd', 'kube-system'];

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

function reference(s: Store, namespace: string | undefined, selector: string | undefined): string[] {
  const matches = parseLabelSelector(selector);
  const keyed = s
    .all()
    .filter(([r]) => r === pods)
    .flatMap(([, objs]) => objs)
    .filter((o) => (!namespace || o.metadata.namespace === namespace) && matches(o.metadata.labels))
    .map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
  return keyed.sort();
}

const keysOf = (items: KubeObject[]) => items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);

test('lists, namespaces and pages stay in key order through creates, deletes, updates and restores', () => {
  const next = rng(7);
  const s = new Store(new ManualClock());
  const live = new Map<string, KubeObject>();
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
  for (let step = 0; step < 1500; step++) {
    const roll = next();
    const ns = pick(NAMESPACES);
    const name = `p${Math.floor(next() * 120).toString(36)}`;
    const key = `${ns}/${name}`;
    if (roll < 0.5 && !live.has(key)) {
      live.set(key, s.create(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: { app: pick(['a', 'b']) } }, spec: { containers: [] } } as KubeObject));
    } else if (roll < 0.75 && live.has(key)) {
      s.delete(pods, ns, name);
      live.delete(key);
    } else if (roll < 0.85 && live.has(key)) {
      const o = structuredClone(live.get(key)!);
      o.metadata.labels = { app: pick(['a', 'b']) };
      live.set(key, s.update(pods, o));
    } else if (roll < 0.9) {
      s.restore(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, resourceVersion: '1', labels: { app: 'a' } }, spec: { containers: [] } } as KubeObject);
      live.set(key, s.get(pods, ns, name));
    }
    if (step % 50 !== 0) continue;
    for (const namespace of [undefined, ...NAMESPACES]) {
      for (const selector of [undefined, 'app=a']) {
        const want = reference(s, namespace, selector);
        assert.deepEqual(keysOf(s.list(pods, { namespace, labelSelector: selector }).items), want, `step ${step} ns ${namespace} ${selector}`);
        const paged: string[] = [];
        let cont: string | undefined;
        do {
          const page = s.list(pods, { namespace, labelSelector: selector, limit: 7, continue: cont });
          paged.push(...keysOf(page.items));
          assert.equal(page.remainingItemCount, page.continue ? want.length - paged.length : undefined);
          cont = page.continue;
        } while (cont);
        assert.deepEqual(paged, want, `paged, step ${step} ns ${namespace} ${selector}`);
      }
    }
  }
});

test('cluster-scoped kinds ignore the namespace option and page by name', () => {
  const s = new Store(new ManualClock());
  for (const name of ['w3', 'master', 'w1', 'w10', 'w2']) s.create(nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name } } as KubeObject);
  const names = (items: KubeObject[]) => items.map((o) => o.metadata.name);
  assert.deepEqual(names(s.list(nodes, { namespace: 'default' }).items), ['master', 'w1', 'w10', 'w2', 'w3']);
  const first = s.list(nodes, { limit: 2 });
  assert.deepEqual(names(first.items), ['master', 'w1']);
  s.delete(nodes, undefined, 'w1');
  s.create(nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'a0' } } as KubeObject);
  assert.deepEqual(names(s.list(nodes, { continue: first.continue }).items), ['w10', 'w2', 'w3']);
});
