/**
 * The real kubectl (1.27 … 1.33) against our API server: apply, get in every output, describe, label/annotate/scale,
 * delete. No --validate=false anywhere: 1.27/1.28 read /openapi/v2 (protobuf) before applying, 1.29+ /openapi/v3.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APP_V1, APP_V2, POD, startTestCluster, type TestCluster } from './kubectl-harness.ts';

const VERSIONS = ['1.27', '1.28', '1.29', '1.31', '1.32', '1.33'];

async function ok(c: TestCluster, args: string[]): Promise<string> {
  const r = await c.kubectl(args);
  assert.equal(r.stderr, '', `kubectl ${args.join(' ')} wrote to stderr`);
  assert.equal(r.code, 0);
  return r.stdout;
}

for (const version of VERSIONS) {
  test(`kubectl ${version}: apply, get, describe, label, annotate, scale, delete`, { timeout: 120_000 }, async () => {
    const c = await startTestCluster(version);
    try {
      c.write('app.yaml', APP_V1);
      c.write('app-v2.yaml', APP_V2);
      c.write('pod.yaml', POD);

      assert.equal(await ok(c, ['apply', '-f', 'app.yaml']), 'deployment.apps/web created\nservice/web created\n');
      assert.equal(await ok(c, ['apply', '-f', 'app.yaml']), 'deployment.apps/web unchanged\nservice/web unchanged\n');
      assert.equal(await ok(c, ['apply', '-f', 'pod.yaml']), 'pod/solo created\n');
      const create = c.requests.find((r) => r.method === 'POST' && r.url.includes('/deployments'))!;
      assert.match(create.url, /fieldValidation=Strict/, 'kubectl found the fieldValidation parameter in the OpenAPI and left validation to the server');
      const v2 = c.requests.filter((r) => r.url.startsWith('/openapi/v2'));
      if (version === '1.27' || version === '1.28') assert.ok(v2.length > 0 && v2.every((r) => r.status === 200 || r.status === 304), 'kubectl read /openapi/v2');

      assert.equal(await ok(c, ['get', 'deploy']), 'NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    0/2     0            0           0s\n');
      assert.equal(
        await ok(c, ['get', 'deploy', '-o', 'wide']),
        'NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES       SELECTOR\nweb    0/2     0            0           0s    nginx        nginx:1.27   app=web\n',
      );
      assert.equal(
        await ok(c, ['get', 'svc,deploy,pod']),
        [
          'NAME          TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE',
          'service/web   ClusterIP   10.96.0.50   <none>        80/TCP    0s',
          '',
          'NAME                  READY   UP-TO-DATE   AVAILABLE   AGE',
          'deployment.apps/web   0/2     0            0           0s',
          '',
        ].join('\n'),
      );
      assert.equal(await ok(c, ['get', 'pods', '-A']), 'NAMESPACE     NAME   READY   STATUS    RESTARTS   AGE\nkube-system   solo   0/1     Pending   0          0s\n');
      assert.equal(
        await ok(c, ['get', 'pods', '-A', '-o', 'wide']),
        'NAMESPACE     NAME   READY   STATUS    RESTARTS   AGE   IP       NODE     NOMINATED NODE   READINESS GATES\nkube-system   solo   0/1     Pending   0          0s    <none>   <none>   <none>           <none>\n',
      );
      assert.equal(await ok(c, ['get', 'deploy', '-l', 'app=web', '-o', 'name']), 'deployment.apps/web\n');
      assert.equal(await ok(c, ['get', 'deploy', '-l', 'app=nope', '-o', 'name']), '');
      assert.equal(await ok(c, ['get', 'ns', '--sort-by=.metadata.name']), 'NAME          STATUS   AGE\ndefault       Active   0s\nkube-system   Active   0s\n');
      assert.ok(c.requests.some((r) => r.url.includes('includeObject=Object')), '--sort-by asks for full row objects');

      const yaml = await ok(c, ['get', 'svc', 'web', '-o', 'yaml']);
      assert.match(yaml, /^apiVersion: v1\nkind: Service\nmetadata:\n  annotations:\n    kubectl.kubernetes.io\/last-applied-configuration: \|\n      \{"apiVersion":"v1","kind":"Service","metadata":\{"annotations":\{\},"name":"web","namespace":"default"\},"spec":\{"clusterIP":"10.96.0.50","ports":\[\{"port":80,"targetPort":80\}\],"selector":\{"app":"web"\}\}\}\n  creationTimestamp: "2026-01-01T12:00:00Z"\n/);
      assert.match(yaml, /\n  ports:\n  - port: 80\n    protocol: TCP\n    targetPort: 80\n  selector:\n    app: web\n/);
      const list = JSON.parse(await ok(c, ['get', 'deploy', '-o', 'json'])) as { kind: string; items: Array<{ kind: string; metadata: { name: string; managedFields?: unknown } }> };
      assert.equal(list.kind, 'List');
      assert.deepEqual(list.items.map((i) => [i.kind, i.metadata.name]), [['Deployment', 'web']]);
      assert.equal(list.items[0].metadata.managedFields, undefined, 'kubectl strips managedFields, which the server must send in the list form');

      // Client-side apply of v2: a strategic merge patch with $setElementOrder, deletions and null labels.
      assert.equal(await ok(c, ['apply', '-f', 'app-v2.yaml']), 'deployment.apps/web configured\nservice/web unchanged\n');
      const patch = c.requests.find((r) => r.method === 'PATCH' && r.url.includes('/deployments/web'))!;
      assert.equal(patch.contentType, 'application/strategic-merge-patch+json');
      assert.equal(
        await ok(c, ['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].name} {.spec.replicas} {.spec.template.spec.containers[0].env} {.spec.template.spec.containers[0].ports}|{.metadata.labels}']),
        'nginx sidecar 3 [{"name":"MODE","value":"v2"}] |',
      );

      // 1.30 added "Internal Traffic Policy", which widens the column.
      const old = version === '1.27' || version === '1.28' || version === '1.29';
      const row = (k: string, v: string) => `${`${k}:`.padEnd(old ? 19 : 26)}${v}`;
      const describe = [
        row('Name', 'web'),
        row('Namespace', 'default'),
        row('Labels', '<none>'),
        row('Annotations', '<none>'),
        row('Selector', 'app=web'),
        row('Type', 'ClusterIP'),
        row('IP Family Policy', 'SingleStack'),
        row('IP Families', 'IPv4'),
        row('IP', '10.96.0.50'),
        row('IPs', '10.96.0.50'),
        row('Port', '<unset>  80/TCP'),
        row('TargetPort', '80/TCP'),
        row('Endpoints', '<none>'),
        row('Session Affinity', 'None'),
        ...(old ? [] : [row('Internal Traffic Policy', 'Cluster')]),
        row('Events', '<none>'),
        '',
      ].join('\n');
      assert.equal(await ok(c, ['describe', 'svc', 'web']), describe);

      assert.equal(await ok(c, ['label', 'deploy', 'web', 'tier=front']), 'deployment.apps/web labeled\n');
      assert.equal(await ok(c, ['annotate', 'deploy', 'web', 'note=hi']), version === '1.27' ? 'deployment.apps/web annotate\n' : 'deployment.apps/web annotated\n');
      assert.equal(await ok(c, ['scale', 'deploy', 'web', '--replicas=5']), 'deployment.apps/web scaled\n');
      assert.ok(c.requests.some((r) => r.method === 'PATCH' && r.url.includes('/deployments/web/scale') && r.status === 200));
      assert.equal(
        await ok(c, ['get', 'deploy', '--show-labels']),
        'NAME   READY   UP-TO-DATE   AVAILABLE   AGE   LABELS\nweb    0/5     0            0           0s    tier=front\n',
      );
      assert.equal(await ok(c, ['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.annotations.note}']), 'hi');

      assert.equal(await ok(c, ['delete', 'deploy', 'web']), 'deployment.apps "web" deleted\n');
      assert.equal(await ok(c, ['delete', 'pod', 'solo', '-n', 'kube-system']), 'pod "solo" deleted\n');
      assert.equal(
        await ok(c, ['get', 'all', '-A']),
        'NAMESPACE   NAME          TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\ndefault     service/web   ClusterIP   10.96.0.50   <none>        80/TCP    0s\n',
      );
    } finally {
      await c.close();
    }
  });
}
