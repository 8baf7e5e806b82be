import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeProtobufObject } from '../../../src-main/apiserver/protobuf.ts';
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

test('a body without the k8s magic is refused with the protobuf serializer\'s words', () => {
  assert.throws(() => decodeProtobufObject(Buffer.from('{"kind":"Pod"}')), { message: 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]' });
  assert.throws(() => decodeProtobufObject(Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x05, 0x0a])), { message: 'unexpected EOF' });
});
