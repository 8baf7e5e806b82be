import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src-main/clock/clock.ts';
import { byKind } from '../../../src-main/api/resources.ts';
import { Store } from '../../../src-main/store/store.ts';
import { Registry } from '../../../src-main/registry/registry.ts';
import { recordEvent } from '../../../src-main/controllers/events.ts';

const EVENTS = byKind('Event');
const rs = { kind: 'ReplicaSet', namespace: 'default', name: 'web-7c85cc96dc', uid: 'u-1', apiVersion: 'apps/v1' };
const source = { component: 'replicaset-controller' };

function setup() {
  const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
  const reg = new Registry(new Store(clock), clock);
  reg.create(byKind('Namespace'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const events = () => reg.list(EVENTS, { namespace: 'default' }).items as unknown as Array<{ message: string; count: number; lastTimestamp: string; firstTimestamp: string }>;
  return { clock, reg, events };
}

test('identical events are counted on one Event', () => {
  const { clock, reg, events } = setup();
  for (let i = 0; i < 3; i++) {
    recordEvent(reg, clock, rs, 'Normal', 'ScalingReplicaSet', 'same message', source);
    clock.advance(1000);
  }
  const all = events();
  assert.equal(all.length, 1);
  assert.equal(all[0]!.count, 3);
  assert.equal(all[0]!.firstTimestamp, '2026-01-01T00:00:00Z');
  assert.equal(all[0]!.lastTimestamp, '2026-01-01T00:00:02Z');
});

test('similar events aggregate from the 10th message and the spam filter stops at 25 per object', () => {
  const { clock, reg, events } = setup();
  for (let i = 1; i <= 40; i++) recordEvent(reg, clock, rs, 'Normal', 'SuccessfulCreate', `Created pod: web-${i}`, source);
  const all = events();
  const single = all.filter((e) => !e.message.startsWith('(combined'));
  const combined = all.filter((e) => e.message.startsWith('(combined'));
  assert.deepEqual(single.map((e) => e.message).sort(), Array.from({ length: 9 }, (_, i) => `Created pod: web-${i + 1}`).sort());
  assert.equal(combined.length, 1);
  // Events 10..25 reached the server (25 tokens); 26..40 were dropped by the spam filter.
  assert.equal(combined[0]!.count, 16);
  assert.equal(combined[0]!.message, '(combined from similar events): Created pod: web-25');

  clock.advance(300_000); // one token back
  recordEvent(reg, clock, rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-41', source);
  recordEvent(reg, clock, rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-42', source);
  const after = events().find((e) => e.message.startsWith('(combined'))!;
  assert.equal(after.count, 32, 'the count includes the dropped occurrences, as the correlator counted them');
  assert.equal(after.message, '(combined from similar events): Created pod: web-41');
});

test('another object has its own budget', () => {
  const { clock, reg, events } = setup();
  for (let i = 0; i < 30; i++) recordEvent(reg, clock, { ...rs, name: `pod-${i}`, kind: 'Pod', uid: `p${i}`, apiVersion: 'v1' }, 'Normal', 'Scheduled', 'ok', { component: 'default-scheduler' });
  assert.equal(events().length, 30);
});
