/**
 * Server-side apply conflicts through the real kubectl (1.32, 1.29): the 409 Status our server returns and what
 * kubectl prints for it, --force-conflicts, co-ownership, a Deployment container image, and managedFields after.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster } from './kubectl-harness.ts';

const VERSIONS = ['1.32', '1.29'];

/** kubectl apply's own text after a Conflict Status's message (apply.go). */
const HELP = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
`;

const cm = (data: Record<string, string>) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n${Object.entries(data).map(([k, v]) => `  ${k}: "${v}"\n`).join('')}`;

const deploy = (image: string, replicas = 2) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: ${image}
`;

async function ok(c: TestCluster, args: string[]): Promise<string> {
  const r = await c.kubectl(args);
  assert.equal(r.stderr, '', `kubectl ${args.join(' ')} wrote to stderr`);
  assert.equal(r.code, 0);
  return r.stdout;
}

async function managers(c: TestCluster, kind: string, name: string): Promise<Array<[string, string, unknown]>> {
  const obj = JSON.parse(await ok(c, ['get', kind, name, '-o', 'json', '--show-managed-fields'])) as { metadata: { managedFields: Array<{ manager: string; operation: string; fieldsV1: unknown }> } };
  return obj.metadata.managedFields.map((e) => [e.manager, e.operation, e.fieldsV1]);
}

for (const version of VERSIONS) {
  test(`kubectl ${version}: server-side apply conflicts, --force-conflicts, co-ownership`, { timeout: 120_000 }, async () => {
    const c = await startTestCluster(version);
    try {
      c.write('cm.yaml', cm({ a: '1', b: 'x' }));
      c.write('cm2.yaml', cm({ a: '2', b: 'x' }));
      c.write('cm-b.yaml', cm({ b: 'x' }));
      assert.equal(await ok(c, ['apply', '--server-side', '-f', 'cm.yaml']), 'configmap/cfg serverside-applied\n');

      const conflict = await c.kubectl(['apply', '--server-side', '--field-manager=other', '-f', 'cm2.yaml']);
      assert.deepEqual([conflict.code, conflict.stdout], [1, '']);
      assert.equal(conflict.stderr, `error: Apply failed with 1 conflict: conflict with "kubectl": .data.a\n${HELP}`);
      const patch = c.requests.filter((r) => r.method === 'PATCH' && r.url.includes('/configmaps/cfg')).at(-1)!;
      assert.match(patch.url, /fieldManager=other/);
      assert.equal(patch.status, 409);

      const raw = await c.http('PATCH', '/api/v1/namespaces/default/configmaps/cfg?fieldManager=other', { body: cm({ a: '2', b: 'x' }), headers: { 'Content-Type': 'application/apply-patch+yaml' } });
      assert.equal(raw.status, 409);
      assert.deepEqual(raw.json(), {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Apply failed with 1 conflict: conflict with "kubectl": .data.a',
        reason: 'Conflict',
        details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.data.a' }] },
        code: 409,
      });
      assert.equal(await ok(c, ['get', 'cm', 'cfg', '-o', 'jsonpath={.data.a}']), '1', 'a conflict writes nothing');

      // Same value: co-ownership. The co-owner keeps .data.b when the first applier drops it.
      c.write('cm-other.yaml', cm({ b: 'x', c: '3' }));
      assert.equal(await ok(c, ['apply', '--server-side', '--field-manager=other', '-f', 'cm-other.yaml']), 'configmap/cfg serverside-applied\n');
      assert.deepEqual(await managers(c, 'cm', 'cfg'), [
        ['kubectl', 'Apply', { 'f:data': { 'f:a': {}, 'f:b': {} } }],
        ['other', 'Apply', { 'f:data': { 'f:b': {}, 'f:c': {} } }],
      ]);
      c.write('cm-a.yaml', cm({ a: '1' }));
      await ok(c, ['apply', '--server-side', '-f', 'cm-a.yaml']);
      assert.equal(await ok(c, ['get', 'cm', 'cfg', '-o', 'jsonpath={.data}']), '{"a":"1","b":"x","c":"3"}');

      // --force-conflicts: the field moves to the forcing manager.
      assert.equal(await ok(c, ['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', 'cm2.yaml']), 'configmap/cfg serverside-applied\n');
      assert.equal(await ok(c, ['get', 'cm', 'cfg', '-o', 'jsonpath={.data}']), '{"a":"2","b":"x"}', 'other dropped .data.c, which only it owned');
      assert.deepEqual(await managers(c, 'cm', 'cfg'), [['other', 'Apply', { 'f:data': { 'f:a': {}, 'f:b': {} } }]]);

      // An Update (kubectl label / patch) takes the fields it changes from the appliers, and conflicts with them after.
      await ok(c, ['label', 'cm', 'cfg', 'tier=web']);
      await ok(c, ['patch', 'cm', 'cfg', '-p', '{"data":{"b":"patched"}}']);
      assert.deepEqual(await managers(c, 'cm', 'cfg'), [
        ['other', 'Apply', { 'f:data': { 'f:a': {} } }],
        ['kubectl-label', 'Update', { 'f:metadata': { 'f:labels': { '.': {}, 'f:tier': {} } } }],
        ['kubectl-patch', 'Update', { 'f:data': { 'f:b': {} } }],
      ]);
      const two = await c.kubectl(['apply', '--server-side', '--field-manager=other', '-f', 'cm2.yaml']);
      assert.deepEqual([two.code, two.stderr], [1, `error: Apply failed with 1 conflict: conflict with "kubectl-patch" using v1: .data.b\n${HELP}`]);
    } finally {
      await c.close();
    }
  });

  test(`kubectl ${version}: a Deployment container image conflict`, { timeout: 120_000 }, async () => {
    const c = await startTestCluster(version);
    try {
      c.write('web.yaml', deploy('nginx:1.27'));
      c.write('web2.yaml', deploy('nginx:1.28'));
      c.write('web3.yaml', deploy('nginx:1.28', 3));
      assert.equal(await ok(c, ['apply', '--server-side', '-f', 'web.yaml']), 'deployment.apps/web serverside-applied\n');
      await ok(c, ['set', 'image', 'deploy/web', 'web=nginx:1.26']);
      const r = await c.kubectl(['apply', '--server-side', '-f', 'web2.yaml']);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, `error: Apply failed with 1 conflict: conflict with "kubectl-set" using apps/v1: .spec.template.spec.containers[name="web"].image\n${HELP}`);
      const ci = await c.kubectl(['apply', '--server-side', '--field-manager=ci', '-f', 'web3.yaml']);
      assert.equal(
        ci.stderr,
        `error: Apply failed with 2 conflicts: conflicts with "kubectl":\n- .spec.replicas\nconflicts with "kubectl-set" using apps/v1:\n- .spec.template.spec.containers[name="web"].image\n${HELP}`,
      );
      assert.equal(await ok(c, ['apply', '--server-side', '--force-conflicts', '-f', 'web2.yaml']), 'deployment.apps/web serverside-applied\n');
      assert.equal(await ok(c, ['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'nginx:1.28');
      const after = await managers(c, 'deploy', 'web');
      assert.deepEqual(after.map(([m, op]) => [m, op]), [['kubectl', 'Apply']], 'kubectl-set lost its only field');
    } finally {
      await c.close();
    }
  });

  test(`kubectl ${version}: moving from client-side to server-side apply`, { timeout: 120_000 }, async () => {
    const c = await startTestCluster(version);
    try {
      c.write('cm.yaml', cm({ a: '1', b: 'x' }));
      c.write('cm2.yaml', cm({ a: '2', b: 'x' }));
      c.write('cm3.yaml', `${cm({ a: '3' })}`.replace('  name: cfg\n', '  name: cfg\n  labels: {z: "1"}\n'));
      assert.equal(await ok(c, ['apply', '-f', 'cm.yaml']), 'configmap/cfg created\n');
      const other = await c.kubectl(['apply', '--server-side', '--field-manager=other', '-f', 'cm2.yaml']);
      assert.deepEqual([other.code, other.stderr], [1, `error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.a\n${HELP}`]);
      await ok(c, ['label', 'cm', 'cfg', 'z=0']);
      const label = await c.kubectl(['apply', '--server-side', '-f', 'cm3.yaml']);
      assert.deepEqual([label.code, label.stderr], [1, `error: Apply failed with 1 conflict: conflict with "kubectl-label" using v1: .metadata.labels.z\n${HELP}`], 'only the fields of the last-applied configuration are upgraded');
      // "kubectl" may take what its client-side apply set, and the annotation follows the new configuration.
      assert.equal(await ok(c, ['apply', '--server-side', '-f', 'cm2.yaml']), 'configmap/cfg serverside-applied\n');
      const live = JSON.parse(await ok(c, ['get', 'cm', 'cfg', '-o', 'json'])) as { data: Record<string, string>; metadata: { annotations: Record<string, string> } };
      assert.deepEqual(live.data, { a: '2', b: 'x' });
      assert.equal(JSON.parse(live.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).data.a, '2');
      const owners = await managers(c, 'cm', 'cfg');
      assert.deepEqual(owners[0], ['kubectl', 'Apply', { 'f:data': { 'f:a': {}, 'f:b': {} } }]);
      const csa = owners.find(([m]) => m === 'kubectl-client-side-apply')!;
      assert.deepEqual((csa[2] as { 'f:data': unknown })['f:data'], { '.': {}, 'f:b': {} }, 'client-side apply lost .data.a');
    } finally {
      await c.close();
    }
  });
}
