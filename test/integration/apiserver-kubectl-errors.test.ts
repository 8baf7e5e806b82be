/** The real kubectl's error texts against our API server, and get -w on a live watch. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byKind } from '../../src-main/api/resources.ts';
import { startTestCluster, type TestCluster } from './kubectl-harness.ts';

const VERSIONS = ['1.27', '1.28', '1.29', '1.31', '1.32', '1.33'];

const CM = `apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {a: b}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`;
const BAD = `apiVersion: apps/v1
kind: Deployment
metadata: {name: bad}
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: b}}
    spec:
      containers: [{name: c, image: nginx}]
`;
const UNKNOWN = `apiVersion: v1
kind: ConfigMap
metadata: {name: unk}
data: {a: b}
spec: {foo: bar}
`;

async function fails(c: TestCluster, args: string[], stderr: string): Promise<void> {
  const r = await c.kubectl(args);
  assert.equal(r.stderr, stderr, `kubectl ${args.join(' ')}`);
  assert.equal(r.stdout, '');
  assert.equal(r.code, 1);
}

for (const version of VERSIONS) {
  test(`kubectl ${version}: NotFound, AlreadyExists, Invalid and strict field validation`, { timeout: 120_000 }, async () => {
    const c = await startTestCluster(version);
    try {
      c.write('cm.yaml', CM);
      c.write('bad.yaml', BAD);
      c.write('unk.yaml', UNKNOWN);
      await fails(c, ['get', 'pods', 'nope'], 'Error from server (NotFound): pods "nope" not found\n');
      await fails(c, ['get', 'deploy', 'nope'], 'Error from server (NotFound): deployments.apps "nope" not found\n');
      await fails(c, ['describe', 'deploy', 'nope'], 'Error from server (NotFound): deployments.apps "nope" not found\n');
      await fails(c, ['delete', 'svc', 'nope'], 'Error from server (NotFound): services "nope" not found\n');
      await fails(c, ['get', 'nosuchkind'], 'error: the server doesn\'t have a resource type "nosuchkind"\n');

      const created = await c.kubectl(['create', '-f', 'cm.yaml']);
      assert.equal(created.stdout, 'configmap/settings created\nservice/web created\n');
      await fails(
        c,
        ['create', '-f', 'cm.yaml'],
        'Error from server (AlreadyExists): error when creating "cm.yaml": configmaps "settings" already exists\nError from server (AlreadyExists): error when creating "cm.yaml": services "web" already exists\n',
      );
      const live = await c.kubectl(['get', 'cm', 'settings', '-o', 'yaml']);
      c.write('live.yaml', live.stdout.replace('a: b', 'a: changed'));
      assert.equal((await c.kubectl(['replace', '-f', 'live.yaml'])).stdout, 'configmap/settings replaced\n');
      await fails(
        c,
        ['replace', '-f', 'live.yaml'],
        'Error from server (Conflict): error when replacing "live.yaml": Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again\n',
      );
      await fails(c, ['create', 'namespace', 'default'], 'Error from server (AlreadyExists): namespaces "default" already exists\n');
      await fails(c, ['create', 'configmap', 'x', '-n', 'missing', '--from-literal=a=b'], 'error: failed to create configmap: namespaces "missing" not found\n');
      await fails(
        c,
        ['apply', '-f', 'bad.yaml'],
        'The Deployment "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`\n',
      );

      await fails(
        c,
        ['create', '-f', 'unk.yaml'],
        'Error from server (BadRequest): error when creating "unk.yaml": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "spec"\n',
      );
      await fails(
        c,
        ['apply', '-f', 'unk.yaml'],
        'Error from server (BadRequest): error when creating "unk.yaml": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "spec"\n',
      );
      const r = await c.kubectl(['create', '-f', 'unk.yaml', '--validate=warn']);
      assert.deepEqual([r.stdout, r.stderr, r.code], ['configmap/unk created\n', 'Warning: unknown field "spec"\n', 0]);
      // --validate=false sends fieldValidation=Ignore: the unknown field is dropped silently.
      const ignored = await c.kubectl(['replace', '-f', 'unk.yaml', '--validate=false']);
      assert.deepEqual([ignored.stdout, ignored.stderr], ['configmap/unk replaced\n', '']);
      assert.equal(c.registry.tryGet(byKind('ConfigMap'), 'default', 'unk')?.spec, undefined, 'unknown fields are not stored');
    } finally {
      await c.close();
    }
  });

  test(`kubectl ${version}: get -w prints the list, then each change as it happens`, { timeout: 120_000 }, async () => {
    const c = await startTestCluster(version);
    try {
      const cm = byKind('ConfigMap');
      c.registry.create(cm, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'first' }, data: { a: '1' } });
      const watching = c.kubectl(['get', 'cm', '-w'], { timeoutMs: 6000 });
      const deadline = Date.now() + 3000;
      while (!c.requests.some((r) => r.url.startsWith('/api/v1/namespaces/default/configmaps?limit=500')) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise((r) => setTimeout(r, 300));
      c.registry.create(cm, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'second' }, data: { a: '1', b: '2' } });
      const live = c.registry.get(cm, 'default', 'first');
      c.registry.update(cm, { ...structuredClone(live), data: { a: '1', c: '3' } } as typeof live);
      c.registry.delete(cm, 'default', 'second');
      const r = await watching;
      assert.equal(
        r.stdout,
        ['NAME    DATA   AGE', 'first   1      0s', 'second   2      0s', 'first    2      0s', 'second   2      0s', ''].join('\n'),
      );
    } finally {
      await c.close();
    }
  });
}
