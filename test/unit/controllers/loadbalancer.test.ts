/**
 * The load-balancer controller runs on the controllers' shared queues: `idle()` does not return while it still has
 * an assignment to write, even when that write loses races to other writers and is retried.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../../src-main/api/types.ts';
import { R, setup } from './harness.ts';

function lbService(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
  } as KubeObject;
}

const ingress = (o: KubeObject | undefined) => (o as unknown as Service | undefined)?.status?.loadBalancer?.ingress;

test('idle() waits for the load-balancer assignment, through Conflict retries', async () => {
  // Alone: the endpoint controllers also react to the Service's writes and would keep idle() waiting by themselves.
  const env = await setup([], { controllers: ['loadbalancer'] });
  assert.ok(env.ctl.loadBalancer, 'the load-balancer controller is one of the controllers');
  // Another writer touches the Service just before each of the controller's first status writes, so each of them
  // fails with a real Conflict from the registry and the work queue retries it, one macrotask later each time.
  const realUpdate = env.reg.update.bind(env.reg);
  let races = 5;
  let conflicts = 0;
  env.reg.update = (r, obj, opts = {}) => {
    if (r === R.svc && opts.subresource === 'status' && races > 0) {
      races--;
      const live = structuredClone(env.reg.get(R.svc, 'default', obj.metadata.name!));
      live.metadata.labels = { ...(live.metadata.labels ?? {}), touched: String(races) };
      realUpdate(R.svc, live);
    }
    try {
      return realUpdate(r, obj, opts);
    } catch (e) {
      conflicts++;
      throw e;
    }
  };
  env.reg.create(R.svc, 'default', lbService('web'));
  await env.ctl.idle();
  assert.equal(conflicts, 5, 'the first five status writes lost their race');
  assert.deepEqual(ingress(env.reg.get(R.svc, 'default', 'web')), [{ ip: '192.168.56.240', ipMode: 'VIP' }]);
  assert.deepEqual(env.events('IPAllocated').map((e) => (e as { message?: string }).message), ['Assigned IP ["192.168.56.240"]']);
  env.ctl.stop();
});

test('switched off, idle() leaves EXTERNAL-IP pending; switched on, idle() waits for the address', async () => {
  const env = await setup([], { loadBalancer: { enabled: false } });
  env.reg.create(R.svc, 'default', lbService('web'));
  await env.ctl.idle();
  assert.equal(ingress(env.reg.get(R.svc, 'default', 'web')), undefined);
  env.ctl.loadBalancer!.setEnabled(true);
  await env.ctl.idle();
  assert.deepEqual(ingress(env.reg.get(R.svc, 'default', 'web')), [{ ip: '192.168.56.240', ipMode: 'VIP' }]);
  assert.deepEqual([...env.ctl.loadBalancer!.assigned()], [['default/web', '192.168.56.240']]);
  env.ctl.stop();
});
