/**
 * spec.healthCheckNodePort as kube-apiserver's service allocator handles it: a LoadBalancer that becomes
 * externalTrafficPolicy Local gets a port from 30000-32767 (before validation would require one), keeps it while it
 * stays Local, and gives it back when the policy goes back to Cluster; a requested port that is taken is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src-main/clock/clock.ts';
import { byKind } from '../../../src-main/api/resources.ts';
import { isStatusError, StatusError } from '../../../src-main/api/errors.ts';
import type { KubeObject } from '../../../src-main/api/types.ts';
import { Store } from '../../../src-main/store/store.ts';
import { Registry } from '../../../src-main/registry/registry.ts';

const SVC = byKind('Service');
type Spec = Record<string, unknown>;
const lb = (name: string, spec: Spec = {}) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80 }], ...spec } }) as unknown as KubeObject;
const spec = (o: KubeObject) => (o as unknown as { spec: { healthCheckNodePort?: number; ports: Array<{ nodePort: number }>; externalTrafficPolicy: string } }).spec;

function setup(): Registry {
  const clock = new ManualClock();
  const reg = new Registry(new Store(clock), clock);
  reg.create(byKind('Namespace'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KubeObject);
  return reg;
}

function update(reg: Registry, name: string, change: (s: Spec) => void): KubeObject {
  const o = structuredClone(reg.get(SVC, 'default', name));
  change(spec(o) as unknown as Spec);
  return reg.update(SVC, o);
}

test('switching a LoadBalancer to externalTrafficPolicy Local allocates the health-check node port', () => {
  const reg = setup();
  reg.create(SVC, 'default', lb('web'));
  const local = update(reg, 'web', (s) => (s.externalTrafficPolicy = 'Local'));
  const port = spec(local).healthCheckNodePort!;
  assert.ok(port >= 30000 && port <= 32767, String(port));
  assert.notEqual(port, spec(local).ports[0]!.nodePort);
  // A requested port already held is the allocator's InternalError, as kube-apiserver words it.
  assert.throws(() => reg.create(SVC, 'default', lb('other', { externalTrafficPolicy: 'Local', healthCheckNodePort: port })), (e: StatusError) =>
    e.status.code === 500 && e.status.message === `Internal error occurred: failed to allocate requested HealthCheck NodePort ${port}: provided port is already allocated`);
  // An update that leaves the field out keeps the port (patchAllocatedValues).
  const again = update(reg, 'web', (s) => delete s.healthCheckNodePort);
  assert.equal(spec(again).healthCheckNodePort, port);
});

test('back to Cluster, the port is dropped and free again; created Local, one is allocated at once', () => {
  const reg = setup();
  const created = reg.create(SVC, 'default', lb('web', { externalTrafficPolicy: 'Local' }));
  const port = spec(created).healthCheckNodePort!;
  assert.ok(port >= 30000 && port <= 32767);
  const cluster = update(reg, 'web', (s) => (s.externalTrafficPolicy = 'Cluster'));
  assert.equal(spec(cluster).healthCheckNodePort, undefined);
  const reuse = reg.create(SVC, 'default', lb('other', { externalTrafficPolicy: 'Local', healthCheckNodePort: port }));
  assert.equal(spec(reuse).healthCheckNodePort, port);
});

test('a rejected write gives its health-check port back; NodePort with Local has none, as upstream', () => {
  const reg = setup();
  assert.throws(() => reg.create(SVC, 'default', lb('bad', { externalTrafficPolicy: 'Local', healthCheckNodePort: 30500, sessionAffinity: 'Sticky' })), (e: unknown) => isStatusError(e, 'Invalid'));
  const ok = reg.create(SVC, 'default', lb('good', { externalTrafficPolicy: 'Local', healthCheckNodePort: 30500 }));
  assert.equal(spec(ok).healthCheckNodePort, 30500);
  const np = reg.create(SVC, 'default', lb('np', { type: 'NodePort', externalTrafficPolicy: 'Local' }));
  assert.equal(spec(np).healthCheckNodePort, undefined);
});
