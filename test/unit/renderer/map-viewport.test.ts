import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitView, MAX_ZOOM, panBy, wheelFactor, zoomAt } from '../../../src-renderer/views/map/viewport.ts';
import { clampSizes, DEFAULT_SIZES, dragged, MIN, parseSizes } from '../../../src-renderer/lib/layout/sizes.ts';
import { highlighted } from '../../../src-renderer/lib/lessons/highlight.ts';
import type { ClusterSnapshot } from '../../../src-main/contract/views.ts';

test('fit shows all of a wide map inside the pane, centred, never above 1:1', () => {
  const v = fitView(1200, 500, 700, 420);
  assert.ok(v.x >= 0 && v.x + 1200 * v.scale <= 700, 'fits across');
  assert.ok(v.y >= 0 && v.y + 500 * v.scale <= 420, 'fits down');
  assert.equal(fitView(300, 200, 1000, 800).scale, 1);
});

test('zooming about a point keeps that point still; pan moves; zoom is bounded', () => {
  const v = { scale: 0.5, x: 10, y: 20 };
  const z = zoomAt(v, 2, 110, 70);
  // content point under (110, 70) before: ((110-10)/0.5, (70-20)/0.5) = (200, 100)
  assert.deepEqual([200 * z.scale + z.x, 100 * z.scale + z.y], [110, 70]);
  assert.deepEqual(panBy(z, 5, -5), { ...z, x: z.x + 5, y: z.y - 5 });
  assert.equal(zoomAt({ scale: 2.9, x: 0, y: 0 }, 10, 0, 0).scale, MAX_ZOOM);
  assert.ok(wheelFactor(-100) > 1 && wheelFactor(100) < 1);
});

test('pane sizes: saved values come back, bad ones fall back, each pane keeps its minimum', () => {
  assert.deepEqual(parseSizes('{"lesson":400,"inspector":300,"terminal":200}'), { lesson: 400, inspector: 300, terminal: 200 });
  assert.deepEqual(parseSizes('not json'), DEFAULT_SIZES);
  assert.deepEqual(parseSizes('{"lesson":"x"}'), DEFAULT_SIZES);
  const c = clampSizes({ lesson: 5000, inspector: 10, terminal: 5000 }, 1440, 850);
  assert.equal(c.inspector, MIN.inspector);
  assert.ok(c.lesson + c.inspector <= 1440 - 240);
  assert.ok(c.terminal <= 850 - 160);
  assert.equal(clampSizes({ ...DEFAULT_SIZES, lesson: 0 }, 1440, 850).lesson, 0, 'a folded lesson pane stays folded');
  assert.equal(dragged(DEFAULT_SIZES, 'lesson', 50).lesson, DEFAULT_SIZES.lesson + 50);
  assert.equal(dragged(DEFAULT_SIZES, 'terminal', 50).terminal, DEFAULT_SIZES.terminal - 50, 'dragging the bar down shrinks the terminal');
});

test("a step's highlight: a Deployment lights its ReplicaSets' pods, Endpoints their Service", () => {
  const pod = (name: string, owner: string | null, hash?: string) => ({
    namespace: 'default', name, node: 'worker1', ip: null, phase: 'Running', status: 'Running', ready: '1/1', restarts: 0,
    labels: (hash ? { 'pod-template-hash': hash } : {}) as Record<string, string>, owner,
  });
  const snapshot = {
    nodes: [], services: [{ namespace: 'default', name: 'web', type: 'ClusterIP', clusterIP: '10.96.0.9', externalIPs: [], ports: [], endpoints: [], sessionAffinity: 'None' }],
    pods: [pod('web-7c-a', 'ReplicaSet/web-7c', '7c'), pod('web-api-5d-b', 'ReplicaSet/web-api-5d', '5d'), pod('other', null)],
    clock: { now: 0, speed: 1 }, apiServer: null, loadBalancerEnabled: false, laptop: { ip: '192.168.56.1' },
  } satisfies ClusterSnapshot;
  const h = highlighted([{ kind: 'Deployment', name: 'web' }, { kind: 'Endpoints', name: 'web' }, { kind: 'Node', name: 'worker1' }], snapshot);
  assert.deepEqual([...h.pods], ['default/web-7c-a']);
  assert.deepEqual([...h.services], ['default/web']);
  assert.deepEqual([...h.nodes], ['worker1']);
});
