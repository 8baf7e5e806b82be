import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeProtobufObject } from '../../../src-main/apiserver/protobuf.ts';
import { isStatusError } from '../../../src-main/api/errors.ts';
import { WIRE } from '../printers/wire.ts';

const wire = (name: string) => readFileSync(`${WIRE}${name}.protobuf.bin`);

test('kubectl 1.32 create deployment body decodes to the JSON a Go client would send', () => {
  assert.deepEqual(decodeProtobufObject(wire('24-create-deployment')), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'hello', labels: { app: 'hello' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'hello' } },
      template: { metadata: { labels: { app: 'hello' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } },
    },
  });
});

test('service, namespace and configmap bodies', () => {
  assert.deepEqual(decodeProtobufObject(wire('64-pb-svc')), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'svc1', labels: { app: 'svc1' } },
    spec: { ports: [{ name: '8080-80', protocol: 'TCP', port: 8080, targetPort: 80 }], selector: { app: 'svc1' }, type: 'NodePort' },
  });
  assert.deepEqual(decodeProtobufObject(wire('64-pb-ns')), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } });
  assert.deepEqual(decodeProtobufObject(wire('64-pb-cm')), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: 'b' } });
});

test('a body without the k8s magic is a BadRequest', () => {
  assert.throws(() => decodeProtobufObject(Buffer.from('{"kind":"Pod"}')), (e) => isStatusError(e, 'BadRequest'));
});
