import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byKind } from '../../../src-main/api/resources.ts';
import { isStatusError } from '../../../src-main/api/errors.ts';
import { checkFields, decodeObject, goJsonError, unknownFields } from '../../../src-main/apiserver/body.ts';
import { updateManagedFields } from '../../../src-main/apiserver/patch/managed-fields.ts';
import type { KubeObject } from '../../../src-main/api/types.ts';

const jsonErr = (text: string) => {
  try {
    JSON.parse(text);
  } catch (e) {
    return goJsonError(text, e);
  }
  return 'parsed';
};

test("JSON syntax errors read like Go's encoding/json", () => {
  assert.equal(jsonErr('{bad'), "invalid character 'b' looking for beginning of object key string");
  assert.equal(jsonErr('{"a":1,}'), "invalid character '}' looking for beginning of object key string");
  assert.equal(jsonErr('{"a":1 "b":2}'), 'invalid character \'"\' after object key:value pair');
  assert.equal(jsonErr('[1 2]'), "invalid character '2' after array element");
  assert.equal(jsonErr('{"a":'), 'unexpected end of JSON input');
  assert.equal(jsonErr('x'), "invalid character 'x' looking for beginning of value");
});

test('unknown fields are reported with their paths, list indexes and map keys left alone', () => {
  const deploy = byKind('Deployment');
  const obj = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x', labels: { anything: 'goes' }, bogus: 1 },
    spec: { foo: 1, template: { spec: { containers: [{ name: 'c', image: 'i' }, { name: 'd', imagee: 'typo' }] } } },
  };
  assert.deepEqual(unknownFields(deploy, obj), ['metadata.bogus', 'spec.foo', 'spec.template.spec.containers[1].imagee']);
});

test('fieldValidation: Strict throws the decoder message, Warn returns warnings, both drop the fields', () => {
  const cm = byKind('ConfigMap');
  assert.throws(
    () => checkFields(cm, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'a' }, spec: {} }, 'Strict'),
    (e) => isStatusError(e, 'BadRequest') && e.message === 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "spec"',
  );
  const obj: Record<string, unknown> = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'a' }, spec: {}, data: { a: 'b' } };
  assert.deepEqual(checkFields(cm, obj, 'Warn'), ['unknown field "spec"']);
  assert.equal('spec' in obj, false);
  const ignored: Record<string, unknown> = { kind: 'ConfigMap', metadata: { name: 'a' }, extra: 1 };
  assert.deepEqual(checkFields(cm, ignored, 'Ignore'), []);
  assert.equal('extra' in ignored, false);
});

test('bodies: JSON, YAML, and 415 for other content types', () => {
  assert.deepEqual(decodeObject(Buffer.from('kind: ConfigMap\nmetadata: {name: y}\n'), 'application/yaml'), { kind: 'ConfigMap', metadata: { name: 'y' } });
  assert.deepEqual(decodeObject(Buffer.from('{"kind":"Pod"}'), 'application/json; charset=utf-8'), { kind: 'Pod' });
  assert.throws(() => decodeObject(Buffer.from('{}'), 'text/plain'), (e) => isStatusError(e, 'UnsupportedMediaType'));
  assert.throws(() => decodeObject(Buffer.from('{x'), 'application/json'), (e) => isStatusError(e, 'BadRequest') && e.message.startsWith("couldn't get version/kind; json parse error: invalid character 'x'"));
});

test('managedFields: create records every field; an update moves changed fields to the new manager', () => {
  const created = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { x: '1' } }, data: { a: '1' } } as KubeObject;
  const first = updateManagedFields(undefined, created, { manager: 'kubectl-create', operation: 'Update', now: Date.UTC(2026, 0, 1) })!;
  assert.deepEqual(first.map((e) => [e.manager, e.operation, e.time]), [['kubectl-create', 'Update', '2026-01-01T00:00:00Z']]);
  assert.deepEqual(first[0].fieldsV1, { 'f:data': { '.': {}, 'f:a': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:x': {} } } });
  const old = { ...created, metadata: { ...created.metadata, managedFields: first } } as KubeObject;
  const next = { ...old, data: { a: '1', b: '2' }, metadata: { ...old.metadata, labels: { x: '2' } } } as KubeObject;
  const after = updateManagedFields(old, next, { manager: 'kubectl-edit', operation: 'Update', now: Date.UTC(2026, 0, 2) })!;
  const byManager = Object.fromEntries(after.map((e) => [e.manager, e.fieldsV1]));
  assert.deepEqual(byManager['kubectl-edit'], { 'f:data': { 'f:b': {} }, 'f:metadata': { 'f:labels': { 'f:x': {} } } });
  assert.deepEqual(byManager['kubectl-create'], { 'f:data': { '.': {}, 'f:a': {} }, 'f:metadata': { 'f:labels': {} } }, 'the old manager loses labels.x but keeps the labels map it added');
});
