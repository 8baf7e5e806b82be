/**
 * The registry stores every resource.Quantity of the kinds we serve as kube-apiserver does: in String() form, with
 * ResourceList values rounded up to milli-units, and rejects an invalid one with the decoder's BadRequest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src-main/clock/clock.ts';
import { byKind } from '../../../src-main/api/resources.ts';
import { Store } from '../../../src-main/store/store.ts';
import { Registry } from '../../../src-main/registry/registry.ts';
import { applyDefaults } from '../../../src-main/api/defaults/index.ts';
import { podTemplateHash } from '../../../src-main/api/names.ts';
import type { KubeObject } from '../../../src-main/api/types.ts';

 

function setup() {
  const clock = new ManualClock();
  const reg = new Registry(new Store(clock), clock);
  reg.create(byKind('Namespace'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KubeObject);
  return reg;
}

const podSpec = (): any => ({
  containers: [
    {
      name: 'app',
      image: 'nginx:1.27',
      resources: { limits: { cpu: 0.5, memory: '1024Mi' }, requests: { cpu: '0.0001', memory: 134217728 } },
      env: [
        { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1000m' } } },
        { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory' } } },
      ],
    },
  ],
  initContainers: [{ name: 'init', image: 'busybox:1.36', resources: { limits: { cpu: '1.0', 'ephemeral-storage': '1.5Gi' } } }],
  overhead: { cpu: '250m', memory: '120.5Mi' },
  volumes: [
    { name: 'scratch', emptyDir: { sizeLimit: '1024Mi' } },
    { name: 'info', downwardAPI: { items: [{ path: 'cpu', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu', divisor: 1e-3 } }] } },
    { name: 'eph', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '0.5Gi' } } } } } },
  ],
});

test('a Deployment\'s template quantities are stored in canonical form', () => {
  const reg = setup();
  const d = reg.create(byKind('Deployment'), 'default', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec() } },
  } as unknown as KubeObject) as any;
  const spec = d.spec.template.spec;
  const app = spec.containers[0];
  // A JSON number is DecimalSI: 134217728 bytes stays as written, not 128Mi.
  assert.deepEqual(app.resources, { limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '1m', memory: '134217728' } });
  assert.equal(app.env[0].valueFrom.resourceFieldRef.divisor, '1');
  // A resource.Quantity struct field is never omitted: absent, it is the zero value "0".
  assert.equal(app.env[1].valueFrom.resourceFieldRef.divisor, '0');
  assert.deepEqual(spec.initContainers[0].resources.limits, { cpu: '1', 'ephemeral-storage': '1536Mi' });
  assert.deepEqual(spec.overhead, { cpu: '250m', memory: '123392Ki' });
  assert.equal(spec.volumes[0].emptyDir.sizeLimit, '1Gi');
  assert.equal(spec.volumes[1].downwardAPI.items[0].resourceFieldRef.divisor, '1m');
  assert.equal(spec.volumes[2].ephemeral.volumeClaimTemplate.spec.resources.requests.storage, '512Mi');
});

test('Pod requests copied from limits, ReplicaSet, DaemonSet and Node quantities are canonical too', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: 2, memory: '2048Mi' } } }] } } as any;
  applyDefaults(pod);
  assert.deepEqual(pod.spec.containers[0].resources, { limits: { cpu: '2', memory: '2Gi' }, requests: { cpu: '2', memory: '2Gi' } });

  for (const [kind, apiVersion] of [['ReplicaSet', 'apps/v1'], ['DaemonSet', 'apps/v1']]) {
    const o = { apiVersion, kind, metadata: { name: 'x' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '0.25' } } }] } } } } as any;
    applyDefaults(o);
    assert.equal(o.spec.template.spec.containers[0].resources.requests.cpu, '250m', kind);
  }

  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status: { capacity: { cpu: '2', memory: '4096Mi', pods: 110 } } } as any;
  applyDefaults(node);
  assert.deepEqual(node.status.capacity, { cpu: '2', memory: '4Gi', pods: '110' });
  assert.deepEqual(node.status.allocatable, { cpu: '2', memory: '4Gi', pods: '110' });
});

test('null and empty quantities are decoded as Go does', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'c', image: 'x', resources: { limits: null, requests: { cpu: null, memory: {} } } }], volumes: [{ name: 'v', emptyDir: { sizeLimit: null } }] },
  } as any;
  assert.throws(() => applyDefaults(pod), { message: /cannot be handled as a Pod: quantities must match/ });
  pod.spec.containers[0].resources.requests = { cpu: null };
  applyDefaults(pod);
  assert.deepEqual(pod.spec.containers[0].resources, { requests: { cpu: '0' } });
  assert.deepEqual(pod.spec.volumes[0].emptyDir, {});
});

test('an invalid quantity fails the create and the update with the decoder\'s BadRequest', () => {
  const reg = setup();
  const R = byKind('Deployment');
  const deploy = (cpu: unknown) =>
    ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x', resources: { limits: { cpu } } }] } } },
    }) as unknown as KubeObject;
  assert.throws(() => reg.create(R, 'default', deploy('500 m')), {
    name: 'StatusError',
    message: `Deployment in version "v1" cannot be handled as a Deployment: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
  });
  assert.throws(() => reg.create(R, 'default', deploy('2K')), (e: any) => e.code === 400 && e.reason === 'BadRequest' && e.message.endsWith(": unable to parse quantity's suffix"));
  const created = reg.create(R, 'default', deploy('1.5')) as any;
  assert.equal(created.spec.template.spec.containers[0].resources.limits.cpu, '1500m');
  const pod = byKind('Pod');
  assert.throws(
    () => reg.create(pod, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { memory: '1Gb' } } }] } } as unknown as KubeObject),
    { message: /^Pod in version "v1" cannot be handled as a Pod: quantities must match/ },
  );
  const update = structuredClone(created);
  update.spec.template.spec.containers[0].resources.limits.cpu = 'lots';
  assert.throws(() => reg.update(R, update), { message: /cannot be handled as a Deployment: quantities must match/ });
  update.spec.template.spec.containers[0].resources.limits.cpu = '2000m';
  assert.equal((reg.update(R, update) as any).spec.template.spec.containers[0].resources.limits.cpu, '2');
});

test('the pod-template-hash of a stored template is that of its canonical spelling', () => {
  const template = (cpu: unknown) => {
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x', resources: { limits: { cpu } } }] } } } } as any;
    applyDefaults(d);
    return d.spec.template;
  };
  assert.equal(template(0.5).spec.containers[0].resources.limits.cpu, '500m');
  assert.equal(podTemplateHash(template(0.5)), podTemplateHash(template('500m')));
  assert.notEqual(podTemplateHash(template('501m')), podTemplateHash(template('500m')));
});

test('a status update is decoded too: node capacity and allocatable, pod container statuses', () => {
  const reg = setup();
  const N = byKind('Node');
  const node = reg.create(N, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } } as unknown as KubeObject);
  const saved = reg.update(N, { ...structuredClone(node), status: { capacity: { cpu: 2, memory: '4096Mi', pods: '110' } } } as KubeObject, { subresource: 'status' }) as any;
  assert.deepEqual(saved.status.capacity, { cpu: '2', memory: '4Gi', pods: '110' });
  assert.deepEqual(saved.status.allocatable, { cpu: '2', memory: '4Gi', pods: '110' });
  assert.throws(() => reg.update(N, { ...structuredClone(saved), status: { capacity: { cpu: 'two' } } } as KubeObject, { subresource: 'status' }), {
    message: /^Node in version "v1" cannot be handled as a Node: quantities must match/,
  });

  const P = byKind('Pod');
  const pod = reg.create(P, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } } as unknown as KubeObject);
  const status = { phase: 'Running', containerStatuses: [{ name: 'c', allocatedResources: { cpu: 0.1 }, resources: { requests: { memory: '2048Ki' } } }] };
  const running = reg.update(P, { ...structuredClone(pod), status } as KubeObject, { subresource: 'status' }) as any;
  assert.deepEqual(running.status.containerStatuses[0].allocatedResources, { cpu: '100m' });
  assert.deepEqual(running.status.containerStatuses[0].resources, { requests: { memory: '2Mi' } });
});
