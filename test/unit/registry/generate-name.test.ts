import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src-main/clock/clock.ts';
import { byKind } from '../../../src-main/api/resources.ts';
import { Store } from '../../../src-main/store/store.ts';
import { Registry } from '../../../src-main/registry/registry.ts';
import { isStatusError } from '../../../src-main/api/errors.ts';
import type { KubeObject } from '../../../src-main/api/types.ts';

const CM = byKind('ConfigMap');
const cm = (meta: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta }) as unknown as KubeObject;

function withRandom<T>(values: number[], fn: () => T): T {
  const real = Math.random;
  let i = 0;
  Math.random = () => values[i++ % values.length]!;
  try {
    return fn();
  } finally {
    Math.random = real;
  }
}

function setup() {
  const clock = new ManualClock();
  const reg = new Registry(new Store(clock), clock);
  reg.create(byKind('Namespace'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KubeObject);
  return reg;
}

test('a generated name that is taken is drawn again (RetryGenerateName)', () => {
  const reg = setup();
  const first = withRandom([0], () => reg.create(CM, 'default', cm({ generateName: 'web-' })));
  // The next draw repeats the taken name once, then gives a fresh one.
  const second = withRandom([0, 0, 0, 0, 0, 0.5], () => reg.create(CM, 'default', cm({ generateName: 'web-' })));
  assert.notEqual(second.metadata.name, first.metadata.name);
  assert.match(second.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
});

test('an explicit name that is taken is AlreadyExists at once, and generated names give up after 8 draws', () => {
  const reg = setup();
  reg.create(CM, 'default', cm({ name: 'fixed' }));
  assert.throws(() => reg.create(CM, 'default', cm({ name: 'fixed' })), (e) => isStatusError(e, 'AlreadyExists'));
  withRandom([0], () => reg.create(CM, 'default', cm({ generateName: 'x-' })));
  assert.throws(() => withRandom([0], () => reg.create(CM, 'default', cm({ generateName: 'x-' }))), (e) => isStatusError(e, 'AlreadyExists'));
});
