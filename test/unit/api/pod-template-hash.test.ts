import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fnv32a, podTemplateHash, safeEncodeString } from '../../../src-main/api/names.ts';
import { applyDefaults } from '../../../src-main/api/defaults/index.ts';
import { Spewer } from '../../../src-main/api/go-hash/spew.ts';
import { controllerQuantity } from '../../../src-main/api/go-hash/quantity.ts';
import type { KubeObject } from '../../../src-main/api/types.ts';
import { POD_TEMPLATE_TYPES_1_22 } from './pod-template-types-1.22.ts';

/*
 * Expected hashes were computed by go-spew (v1.1.1, ConfigState{Indent: " ", SortKeys: true, DisableMethods: true,
 * SpewKeys: true}, Fprintf "%#v" into fnv.New32a, collision count as 8 little-endian bytes, rand.SafeEncodeString)
 * over copies of the release-1.32 Go structs (k8s.io/api core/v1, apimachinery meta/v1, resource.Quantity via its
 * ParseQuantity, intstr.IntOrString), each fixture template decoded from its JSON with empty lists/maps made nil as
 * the protobuf decoding in kube-controller-manager leaves them.
 */

/**
 * Templates as the 1.32 apiserver stores them after defaulting: `seed` is the seed lesson's hostname-server
 * Deployment, `kitchenSink` sets every PodSpec field and most volume sources, probes and security settings.
 */
const FIXTURES = JSON.parse(readFileSync(new URL('./pod-template-hash.fixtures.json', import.meta.url), 'utf8'));
const SEED_TEMPLATE = FIXTURES.seed;
const NGINX_TEMPLATE = FIXTURES.nginx;
const QUANTITIES_TEMPLATE = FIXTURES.quantities;
const KITCHEN_SINK_TEMPLATE = FIXTURES.kitchenSink;

test('the seed lesson\'s ReplicaSet hash 7c85cc96dc is reproduced over the 1.22 struct layout', () => {
  // The seed (2021-12) ran a 1.20-1.22 cluster (their layouts agree for this template; 1.23 added PodSpec.os).
  const spew = new Spewer(POD_TEMPLATE_TYPES_1_22).format('v1.PodTemplateSpec', SEED_TEMPLATE);
  assert.equal(safeEncodeString(String(fnv32a(Buffer.from(spew, 'utf8')))), '7c85cc96dc');
});

test('pod-template-hash equals kube-controller-manager 1.32 for real templates', () => {
  assert.equal(podTemplateHash(SEED_TEMPLATE), '59cbb86f96');
  assert.equal(podTemplateHash(SEED_TEMPLATE, 1), '77496669bf');
  assert.equal(podTemplateHash(NGINX_TEMPLATE), '85d5d658d7');
  assert.equal(podTemplateHash(NGINX_TEMPLATE, 1), '56f445fbf4');
  assert.equal(podTemplateHash(QUANTITIES_TEMPLATE), 'd5cdf4d9f');
  assert.equal(podTemplateHash(QUANTITIES_TEMPLATE, 1), '9db8854bb');
  assert.equal(podTemplateHash(KITCHEN_SINK_TEMPLATE), '84d4566795');
  assert.equal(podTemplateHash(KITCHEN_SINK_TEMPLATE, 7), '66976b69bd');
});

test('a stored (frozen) template hashes as a fresh copy does, with and without a collision count, every time', () => {
  const stored = Object.freeze(structuredClone(NGINX_TEMPLATE));
  for (let i = 0; i < 3; i++) {
    assert.equal(podTemplateHash(stored), '85d5d658d7');
    assert.equal(podTemplateHash(stored, 1), '56f445fbf4');
  }
  assert.equal(podTemplateHash(Object.freeze(structuredClone(SEED_TEMPLATE))), '59cbb86f96');
});

test('our apiserver defaulting of the seed Deployment yields the template real 1.32 stores', () => {
  const d = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'hostname-server', namespace: 'default', labels: { app: 'hostname-server' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'hostname-server' } },
      template: {
        metadata: { labels: { app: 'hostname-server' } },
        spec: { containers: [{ name: 'hostname-server', image: 'takytaky/hostname', ports: [{ containerPort: 80 }] }] },
      },
    },
  } as unknown as KubeObject;
  applyDefaults(d);
  assert.equal(podTemplateHash((d.spec as { template: unknown }).template), '59cbb86f96');
});

test('an empty list or map hashes as absent (nil after protobuf), a change of any field changes the hash', () => {
  const t = structuredClone(SEED_TEMPLATE) as any;  
  t.spec.volumes = [];
  t.spec.nodeSelector = {};
  t.metadata.annotations = {};
  assert.equal(podTemplateHash(t), '59cbb86f96');
  t.spec.containers[0].image = 'takytaky/hostname:v2';
  assert.notEqual(podTemplateHash(t), '59cbb86f96');
});

test('quantities are hashed as the controller decodes the apiserver\'s canonical form', () => {
  // The apiserver stores 0.5 as 500m and 1000m as 1: both hash as their canonical spelling.
  const withCpu = (limit: string) => {
    const t = structuredClone(NGINX_TEMPLATE) as any;  
    t.spec.containers[0].resources.limits.cpu = limit;
    return podTemplateHash(t);
  };
  assert.equal(withCpu('0.5'), withCpu('500m'));
  // SetDefaults_ResourceList rounds up to milli-units: 0.0001 is stored as 1m.
  assert.equal(withCpu('0.0001'), withCpu('1m'));
  assert.notEqual(withCpu('1m'), withCpu('2m'));
  assert.equal(withCpu('500m'), '85d5d658d7');
  assert.deepEqual(controllerQuantity('100m'), { i: { value: '100', scale: -3 }, d: { Dec: null }, s: '100m', Format: 'DecimalSI' });
  // ParseQuantity caches the string only when it is already canonical for its fast path.
  assert.equal(controllerQuantity('128Mi').s, '');
  assert.equal(controllerQuantity('1Gi').s, '1Gi');
  assert.equal(controllerQuantity('1000m').s, '1');
  assert.deepEqual(controllerQuantity('2Pi').d.Dec, { unscaled: { neg: false, abs: ['5764607523034234880', '122070'] }, scale: 9 });
});
