import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byKind } from '../../../src-main/api/resources.ts';
import { strategicPatch, mergePatch } from '../../../src-main/apiserver/patch/patch.ts';
import { applyJsonPatch as jsonPatch } from '../../../src-main/apiserver/patch/handler.ts';
import { isStatusError } from '../../../src-main/api/errors.ts';

const deploy = byKind('Deployment');
const svc = byKind('Service');

const base = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web', tier: 'front' }, finalizers: ['a'] },
  spec: {
    replicas: 2,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      spec: {
        containers: [
          { name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
      },
    },
  },
});

const containers = (o: unknown) => (o as ReturnType<typeof base>).spec.template.spec.containers;

test('lists with a merge key merge element by element; null deletes a field', () => {
  const out = strategicPatch(deploy, base(), {
    metadata: { labels: { tier: null } },
    spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }] }] } } },
  });
  const c = containers(out);
  assert.equal(c.length, 1);
  assert.equal(c[0].image, 'nginx:1.28');
  assert.deepEqual(c[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
  assert.deepEqual(c[0].env, [{ name: 'A', value: '1' }, { name: 'B', value: '3' }, { name: 'C', value: '4' }]);
  assert.deepEqual((out as ReturnType<typeof base>).metadata.labels, { app: 'web' });
});

test('the kubectl apply patch from the wire log: $setElementOrder, $patch delete, null list', () => {
  const patch = {
    metadata: { labels: null },
    spec: {
      template: {
        spec: {
          $setElementOrder$containers: undefined,
          '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'nginx' }],
          containers: [
            { '$setElementOrder/env': [{ name: 'B' }], env: [{ name: 'B', value: '2' }, { $patch: 'delete', name: 'A' }], name: 'nginx', ports: null },
            { command: ['sleep', '3600'], image: 'busybox:1.36', name: 'sidecar' },
          ],
        },
      },
    },
  };
  const out = strategicPatch(deploy, base(), patch) as ReturnType<typeof base>;
  const c = containers(out);
  assert.deepEqual(c.map((x) => x.name), ['sidecar', 'nginx']);
  assert.deepEqual(c[1].env, [{ name: 'B', value: '2' }]);
  assert.equal('ports' in c[1], false);
  assert.equal('labels' in out.metadata, false);
  assert.equal(JSON.stringify(out).includes('$'), false);
});

test('$patch: replace on a map and on a list', () => {
  const out = strategicPatch(deploy, base(), {
    spec: { strategy: { $patch: 'replace', type: 'Recreate' }, template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] } } },
  }) as ReturnType<typeof base>;
  assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
  assert.deepEqual(containers(out), [{ name: 'only', image: 'x' }]);
});

test('$retainKeys drops keys not listed (volumes are merge,retainKeys)', () => {
  const out = strategicPatch(deploy, base(), {
    spec: { template: { spec: { volumes: [{ name: 'data', $retainKeys: ['name', 'configMap'], configMap: { name: 'cfg' } }] } } },
  }) as { spec: { template: { spec: { volumes: unknown[] } } } };
  assert.deepEqual(out.spec.template.spec.volumes, [{ name: 'data', configMap: { name: 'cfg' } }]);
});

test('primitive lists with merge strategy act as sets; $deleteFromPrimitiveList removes values', () => {
  const out = strategicPatch(deploy, base(), { metadata: { finalizers: ['b', 'a'] } }) as ReturnType<typeof base>;
  assert.deepEqual(out.metadata.finalizers, ['a', 'b']);
  const out2 = strategicPatch(deploy, out, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }) as ReturnType<typeof base>;
  assert.deepEqual(out2.metadata.finalizers, ['b']);
});

test('lists without a patch strategy are replaced (container command)', () => {
  const withCmd = strategicPatch(deploy, base(), { spec: { template: { spec: { containers: [{ name: 'nginx', command: ['a', 'b'] }] } } } });
  const out = strategicPatch(deploy, withCmd, { spec: { template: { spec: { containers: [{ name: 'nginx', command: ['c'] }] } } } });
  assert.deepEqual((containers(out)[0] as { command?: string[] }).command, ['c']);
});

test('service ports merge by port', () => {
  const s = { spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'alt', port: 81 }] } };
  const out = strategicPatch(svc, s, { spec: { '$setElementOrder/ports': [{ port: 80 }, { port: 8080 }], ports: [{ name: 'http', port: 80 }, { name: 'x', port: 8080, targetPort: 80 }, { port: 81, $patch: 'delete' }] } });
  assert.deepEqual(out, { spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'x', port: 8080, targetPort: 80 }] } });
});

test('a merge-keyed element without its key is a BadRequest', () => {
  assert.throws(
    () => strategicPatch(deploy, base(), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }),
    (e) => isStatusError(e, 'BadRequest') && /does not contain declared merge key: name/.test(e.message),
  );
});

test('JSON merge patch replaces lists and deletes with null; JSON patch applies operations', () => {
  const out = mergePatch(base(), { spec: { template: { spec: { containers: [{ name: 'n' }] } } }, metadata: { finalizers: null } }) as ReturnType<typeof base>;
  assert.deepEqual(containers(out), [{ name: 'n' }]);
  assert.equal('finalizers' in out.metadata, false);
  const out2 = jsonPatch(base(), [{ op: 'replace', path: '/spec/replicas', value: 5 }, { op: 'add', path: '/metadata/labels/x', value: 'y' }]) as ReturnType<typeof base>;
  assert.equal(out2.spec.replicas, 5);
  assert.equal((out2.metadata.labels as Record<string, string>).x, 'y');
});
