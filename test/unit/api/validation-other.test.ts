import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults } from '../../../src-main/api/defaults/index.ts';
import { validateCreate, validateUpdate } from '../../../src-main/api/validation/index.ts';
import { fieldErrorString } from '../../../src-main/api/field-errors.ts';

 
const make = (kind: string, metadata: any, rest: any = {}, apiVersion = 'v1'): any => {
  const o = { apiVersion, kind, metadata, ...rest } as any;
  applyDefaults(o);
  return o;
};
const msgs = (o: any, old?: any) => (old ? validateUpdate(o, old) : validateCreate(o)).map(fieldErrorString);

test('Namespace: DNS-1123 label names, no metadata.namespace', () => {
  assert.deepEqual(msgs(make('Namespace', { name: 'team-a' })), []);
  assert.deepEqual(msgs(make('Namespace', { name: 'team.a' })), ['metadata.name: Invalid value: "team.a": must not contain dots']);
  assert.deepEqual(msgs(make('Namespace', { name: 'x', namespace: 'default' })), ['metadata.namespace: Forbidden: not allowed on this type']);
});

test('Node: taints are reported under metadata.taints, as upstream does', () => {
  const node = make('Node', { name: 'node-1' }, { spec: { taints: [{ key: 'k', effect: 'Sometimes' }, { key: 'k', effect: 'NoSchedule' }, { key: 'k', effect: 'NoSchedule' }] } });
  assert.deepEqual(msgs(node).slice(0, 1), [
    'metadata.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
  ]);
  assert.match(msgs(node)[1], /^metadata\.taints\[2\]: Duplicate value: .*: taints must be unique by key and effect pair$/);
  const old = make('Node', { name: 'n', resourceVersion: '1' }, { spec: { podCIDRs: ['10.244.1.0/24'] } });
  const next = structuredClone(old);
  next.spec.podCIDRs = ['10.244.2.0/24'];
  assert.deepEqual(msgs(next, old), ['spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid']);
});

test('ConfigMap: keys and immutability', () => {
  const cm = make('ConfigMap', { name: 'cfg', namespace: 'default', resourceVersion: '1' }, { data: { 'ok.key': '1', 'bad key': '2', '..x': '3' } });
  assert.deepEqual(msgs(cm), [
    "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    "data[..x]: Invalid value: \"..x\": must not start with '..'",
  ]);
  const frozen = make('ConfigMap', { name: 'cfg', namespace: 'default', resourceVersion: '1' }, { data: { a: '1' }, immutable: true });
  const changed = structuredClone(frozen);
  changed.data.a = '2';
  assert.deepEqual(msgs(changed, frozen), ['data: Forbidden: field is immutable when `immutable` is set']);
});

test('Endpoints: addresses required, IPs, named ports', () => {
  const ep = make('Endpoints', { name: 'web', namespace: 'default' }, {
    subsets: [{ addresses: [{ ip: '10.244.1.5' }], ports: [{ port: 80 }, { port: 81, name: 'b' }] }, { ports: [{ port: 80 }] }],
  });
  assert.deepEqual(msgs(ep), ['subsets[0].ports[0].name: Required value', 'subsets[1]: Required value: must specify `addresses` or `notReadyAddresses`']);
});

test('EndpointSlice: addressType, addresses, duplicate port names', () => {
  const slice = make('EndpointSlice', { name: 'web-abcde', namespace: 'default' }, {
    addressType: 'IPv4',
    endpoints: [{ addresses: [] }, { addresses: ['fd00::1'] }],
    ports: [{ port: 80 }, { port: 81 }],
  }, 'discovery.k8s.io/v1');
  assert.deepEqual(msgs(slice), [
    'endpoints[0].addresses: Required value: must contain at least 1 address',
    'endpoints[1].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address',
    'ports[1].name: Duplicate value: ""',
  ]);
  assert.deepEqual(msgs(make('EndpointSlice', { name: 's', namespace: 'default' }, { endpoints: [] }, 'discovery.k8s.io/v1')), ['addressType: Required value']);
});

test('Event (core/v1) checks the involved object namespace, not the name', () => {
  const ok = make('Event', { name: 'web.17f0a', namespace: 'default' }, { involvedObject: { kind: 'Pod', namespace: 'default', name: 'web' } });
  assert.deepEqual(msgs(ok), []);
  const bad = make('Event', { name: 'x', namespace: 'default' }, { involvedObject: { kind: 'Pod', namespace: 'other', name: 'web' } });
  assert.deepEqual(msgs(bad), ['involvedObject.namespace: Invalid value: "other": does not match event.namespace']);
});

test('Lease: duration must be positive', () => {
  const lease = make('Lease', { name: 'node-1', namespace: 'kube-node-lease' }, { spec: { leaseDurationSeconds: 0, holderIdentity: 'node-1' } }, 'coordination.k8s.io/v1');
  assert.deepEqual(msgs(lease), ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0']);
});
