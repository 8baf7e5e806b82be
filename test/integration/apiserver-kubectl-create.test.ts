/** kubectl create (protobuf bodies on 1.32+), explain and api-resources against our API server. */
import { test } from 'node:test';
import { existsSync } from 'node:fs';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster } from './kubectl-harness.ts';

const VERSIONS = ['1.27', '1.29', '1.31', '1.32', '1.33'];

async function ok(c: TestCluster, args: string[]): Promise<string> {
  const r = await c.kubectl(args);
  assert.equal(r.stderr, '', `kubectl ${args.join(' ')} wrote to stderr`);
  assert.equal(r.code, 0);
  return r.stdout;
}

for (const version of VERSIONS) {
  test(`kubectl ${version}: create deployment, namespace, configmap, service`, { timeout: 120_000 }, async () => {
    const c = await startTestCluster(version);
    try {
      assert.equal(await ok(c, ['create', 'deployment', 'hello', '--image=nginx:1.27', '--replicas=2', '--port=80']), 'deployment.apps/hello created\n');
      assert.equal(await ok(c, ['create', 'namespace', 'dev']), 'namespace/dev created\n');
      assert.equal(await ok(c, ['create', 'configmap', 'cfg', '--from-literal=a=b']), 'configmap/cfg created\n');
      assert.equal(await ok(c, ['create', 'service', 'clusterip', 'svc1', '--tcp=8080:80', '--clusterip=10.96.0.60']), 'service/svc1 created\n');

      const posts = c.requests.filter((r) => r.method === 'POST');
      const want = version === '1.32' || version === '1.33' ? 'application/vnd.kubernetes.protobuf' : 'application/json';
      assert.deepEqual(
        posts.map((r) => [r.url.split('?')[0], r.contentType, r.status]),
        [
          ['/apis/apps/v1/namespaces/default/deployments', want, 201],
          ['/api/v1/namespaces', want, 201],
          ['/api/v1/namespaces/default/configmaps', want, 201],
          ['/api/v1/namespaces/default/services', want, 201],
        ],
      );

      assert.equal(
        await ok(c, ['get', 'deploy,svc,cm,ns']),
        [
          'NAME                    READY   UP-TO-DATE   AVAILABLE   AGE',
          'deployment.apps/hello   0/2     0            0           0s',
          '',
          'NAME           TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)    AGE',
          'service/svc1   ClusterIP   10.96.0.60   <none>        8080/TCP   0s',
          '',
          'NAME            DATA   AGE',
          'configmap/cfg   1      0s',
          '',
          'NAME                    STATUS   AGE',
          'namespace/default       Active   0s',
          'namespace/dev           Active   0s',
          'namespace/kube-system   Active   0s',
          '',
        ].join('\n'),
      );
      assert.equal(
        await ok(c, ['get', 'deploy', 'hello', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports} {.metadata.managedFields[0].manager}']),
        '2 nginx:1.27 [{"containerPort":80,"protocol":"TCP"}] kubectl-create',
      );
      assert.equal(await ok(c, ['get', 'cm', 'cfg', '-o', 'jsonpath={.data.a}']), 'b');
      assert.equal(await ok(c, ['get', 'svc', 'svc1', '-o', 'jsonpath={.spec.ports[0].name} {.spec.ports[0].port} {.spec.ports[0].targetPort} {.metadata.labels.app}']), '8080-80 8080 80 svc1');
    } finally {
      await c.close();
    }
  });

  test(`kubectl ${version}: api-resources from aggregated discovery`, { timeout: 120_000 }, async () => {
    const c = await startTestCluster(version);
    try {
      const out = await ok(c, ['api-resources']);
      const lines = out.split('\n');
      assert.match(lines[0], /^NAME +SHORTNAMES +APIVERSION +NAMESPACED +KIND$/);
      assert.ok(lines.includes('configmaps       cm           v1                       true         ConfigMap'), out);
      assert.ok(lines.includes('deployments      deploy       apps/v1                  true         Deployment'), out);
      assert.ok(lines.includes('endpointslices                discovery.k8s.io/v1      true         EndpointSlice'), out);
      assert.ok(lines.includes('namespaces       ns           v1                       false        Namespace'), out);
      const apps = await ok(c, ['api-resources', '--api-group=apps', '-o', 'wide']);
      assert.match(apps, /\ndeployments +deploy +apps\/v1 +true +Deployment +create,delete,deletecollection,get,list,patch,update,watch +all\n/);
      const accept = c.requests.find((r) => r.url.startsWith('/apis?'))!.accept!;
      assert.ok(accept.includes('as=APIGroupDiscoveryList'), 'kubectl asked for aggregated discovery');
    } finally {
      await c.close();
    }
  });
}

// Every version renders explain from our v3 documents; 1.27/1.28 first read the protobuf OpenAPI v2 (below).
for (const version of ['1.27', '1.28', '1.29', '1.31', '1.32', '1.33']) {
  test(`kubectl ${version}: explain from OpenAPI v3`, { timeout: 120_000 }, async () => {
    const c = await startTestCluster(version);
    try {
      const gap = ['1.27', '1.28', '1.29'].includes(version) ? [] : [''];
      assert.equal(
        await ok(c, ['explain', 'deployment.spec.replicas']),
        [
          'GROUP:      apps',
          'KIND:       Deployment',
          'VERSION:    v1',
          '',
          'FIELD: replicas <integer>',
          ...gap,
          '',
          'DESCRIPTION:',
          '    Number of desired pods. This is a pointer to distinguish between explicit',
          '    zero and not specified. Defaults to 1.',
          '    ',
          '',
          '',
        ].join('\n'),
      );
      const ports = await ok(c, ['explain', 'pods.spec.containers.ports']);
      assert.match(ports, /^KIND: {7}Pod\nVERSION: {4}v1\n\nFIELD: ports <\[\]ContainerPort>\n/);
      assert.match(ports, /\nFIELDS:\n  containerPort\t<integer> -required-\n    Number of port to expose on the pod's IP address\. This must be a valid port\n    number, 0 < x < 65536\.\n\n  hostIP\t<string>\n/);
      const svc = await ok(c, ['explain', 'svc.spec.ports.targetPort']);
      assert.match(svc, /^KIND: {7}Service\nVERSION: {4}v1\n\nFIELD: targetPort <IntOrString>\n/);
      assert.match(await ok(c, ['explain', 'pod.spec.containers.resources.limits']), /\nFIELD: limits <map\[string\]Quantity>\n/);
      const reqs = c.requests.filter((r) => r.url.startsWith('/openapi/v3'));
      assert.ok(reqs.some((r) => r.url.startsWith('/openapi/v3/apis/apps/v1?hash=') && r.status === 200));
    } finally {
      await c.close();
    }
  });
}


// kubectl 1.27/1.28 download /openapi/v2 as gnostic protobuf before explain; --output=plaintext-openapiv2 renders it.
for (const version of ['1.27', '1.28']) {
  test(`kubectl ${version}: explain (nested, --recursive, plaintext-openapiv2) with OpenAPI v2`, { timeout: 120_000 }, async () => {
    const c = await startTestCluster(version);
    try {
      assert.equal(
        await ok(c, ['explain', 'deployment.spec.strategy', '--output=plaintext-openapiv2']),
        [
          'KIND:     Deployment',
          'VERSION:  apps/v1',
          '',
          'RESOURCE: strategy <Object>',
          '',
          'DESCRIPTION:',
          '     The deployment strategy to use to replace existing pods with new ones.',
          '',
          '     DeploymentStrategy describes how to replace existing pods with new ones.',
          '',
          'FIELDS:',
          '   rollingUpdate\t<Object>',
          '     Rolling update config params. Present only if DeploymentStrategyType =',
          '     RollingUpdate.',
          '',
          '   type\t<string>',
          '     Type of deployment. Can be "Recreate" or "RollingUpdate". Default is',
          '     RollingUpdate.',
          '',
          '',
        ].join('\n'),
      );
      const v2 = c.requests.filter((r) => r.url.startsWith('/openapi/v2'));
      assert.deepEqual(
        v2.map((r) => [r.accept, r.status]),
        [['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 200]],
      );
      assert.match(await ok(c, ['explain', 'deployment.spec.strategy']), /^GROUP: {6}apps\nKIND: {7}Deployment\nVERSION: {4}v1\n\nFIELD: strategy <DeploymentStrategy>\n/);
      // The second run revalidates the cached document with its ETag.
      assert.equal(c.requests.filter((r) => r.url.startsWith('/openapi/v2')).at(-1)?.status, 304);

      const svc = await ok(c, ['explain', 'svc.spec.ports.targetPort', '--output=plaintext-openapiv2']);
      assert.match(svc, /^KIND: {5}Service\nVERSION: {2}v1\n\nFIELD: {4}targetPort <string>\n/);
      const limits = await ok(c, ['explain', 'pod.spec.containers.resources.limits', '--output=plaintext-openapiv2']);
      assert.match(limits, /\nFIELD: {4}limits <map\[string\]string>\n/);

      const tree = await ok(c, ['explain', 'deployment', '--recursive', '--output=plaintext-openapiv2']);
      assert.match(tree, /^KIND: {5}Deployment\nVERSION: {2}apps\/v1\n\nDESCRIPTION:\n {5}Deployment enables declarative updates for Pods and ReplicaSets\.\n\nFIELDS:\n {3}apiVersion\t<string>\n {3}kind\t<string>\n {3}metadata\t<Object>\n/);
      assert.match(tree, /\n {3}spec\t<Object>\n {6}minReadySeconds\t<integer>\n {6}paused\t<boolean>\n {6}progressDeadlineSeconds\t<integer>\n {6}replicas\t<integer>\n {6}revisionHistoryLimit\t<integer>\n {6}selector\t<Object>\n {9}matchExpressions\t<\[\]Object>\n/);
      assert.match(tree, /\n {6}strategy\t<Object>\n {9}rollingUpdate\t<Object>\n {12}maxSurge\t<string>\n {12}maxUnavailable\t<string>\n {9}type\t<string>\n/);
      assert.match(await ok(c, ['explain', 'pods', '--recursive']), /\n {4}containers\t<\[\]Container> -required-\n {6}args\t<\[\]string>\n/);
    } finally {
      await c.close();
    }
  });
}

test('the kubectl dispatcher runs kubectl 1.32 because /version reports 1.32', { timeout: 60_000 }, async () => {
  const c = await startTestCluster('1.32');
  try {
    const dispatcher = '/usr/bin/kubectl';
    assert.ok(existsSync(dispatcher), `${dispatcher} is required`);
    const r = await c.kubectl(['version'], { binary: dispatcher });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\nServer Version: v1\.32\.2\n/);
    const probe = c.requests.find((x) => x.url === '/version?timeout=5s');
    assert.ok(probe, 'the dispatcher probes /version');
    const raw = await c.kubectl(['get', '--raw', '/version']);
    assert.deepEqual(Object.keys(JSON.parse(raw.stdout)), ['major', 'minor', 'gitVersion', 'gitCommit', 'gitTreeState', 'buildDate', 'goVersion', 'compiler', 'platform']);
  } finally {
    await c.close();
  }
});
