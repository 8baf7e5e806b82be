import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Cluster } from '../../../src-main/cluster/cluster.ts';
import { MAX_TRACES_PER_FRAME, type TrafficFrame, type TraceSummary } from '../../../src-main/contract/views.ts';
import { trafficStream } from '../../../src-main/host/traffic-stream.ts';

function fakeCluster() {
  let listener: ((node: string, frame: unknown) => void) | undefined;
  const cluster = {
    traffic: { subscribe: (l: (node: string, frame: unknown) => void) => ((listener = l), () => (listener = undefined)) },
    nodes: () => [{ name: 'w1' }, { name: 'w2' }],
    clock: { now: () => 0 },
  } as unknown as Cluster;
  return { cluster, send: (node: string, frame: unknown) => listener!(node, frame) };
}
const counters = (connections: number) => ({ connections, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0 });
const trace = (id: number) => ({ id }) as unknown as TraceSummary;
const tick = () => new Promise((r) => setTimeout(r, 150));

test('frames carry only what changed, the latest few traces, and nothing at all while nothing moves', async () => {
  const { cluster, send } = fakeCluster();
  const frames: TrafficFrame[] = [];
  let clock = 0;
  const stream = trafficStream(cluster, (f) => frames.push(f), () => clock);
  clock = 10_000;
  send('w1', { now: 0, counters: counters(1), pods: { 'default/a': 1, 'default/b': 1 }, services: {}, traces: [trace(1)] });
  send('w2', { now: 0, counters: counters(0), pods: {}, services: {}, traces: [] });
  await tick();
  assert.equal(frames.length, 1);
  assert.equal(frames[0].full, true, 'the first frame is a full one');
  assert.deepEqual(frames[0].pods, { 'default/a': { requests: 1 }, 'default/b': { requests: 1 } });

  clock = 10_100;
  const many = Array.from({ length: 20 }, (_, i) => trace(100 + i));
  send('w1', { now: 0, counters: counters(2), pods: { 'default/a': 2, 'default/b': 1 }, services: {}, traces: many });
  await tick();
  assert.equal(frames.length, 2);
  assert.equal(frames[1].full, undefined);
  assert.deepEqual(frames[1].pods, { 'default/a': { requests: 2 } }, 'b did not move');
  assert.deepEqual(Object.keys(frames[1].nodes), ['w1'], 'w2 did not move');
  assert.deepEqual(frames[1].traces.map((t) => t.id), many.slice(-MAX_TRACES_PER_FRAME).map((t) => t.id));
  assert.equal(frames[1].tracesDropped, 20 - MAX_TRACES_PER_FRAME);

  clock = 10_200;
  send('w1', { now: 0, counters: counters(2), pods: { 'default/a': 2, 'default/b': 1 }, services: {}, traces: [] });
  await tick();
  assert.equal(frames.length, 2, 'a node frame with no change publishes nothing');

  assert.deepEqual(stream.fullFrame()?.pods, { 'default/a': { requests: 2 }, 'default/b': { requests: 1 } });
  clock = 20_000;
  send('w2', { now: 0, counters: counters(1), pods: {}, services: {}, traces: [] });
  await tick();
  assert.equal(frames[2].full, true, 'a keyframe every few seconds while traffic flows');
  assert.deepEqual(Object.keys(frames[2].pods).sort(), ['default/a', 'default/b']);
  stream.stop();
});
