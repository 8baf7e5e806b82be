import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byKind } from '../../../src-main/api/resources.ts';
import { isStatusError } from '../../../src-main/api/errors.ts';
import { checkFields, goJsonError, unknownFields } from '../../../src-main/apiserver/body.ts';
import { decodeBodyAs } from '../../../src-main/apiserver/decode/object.ts';
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

const CM = { group: '', version: 'v1', kind: 'ConfigMap' };

test('bodies: JSON, YAML, and 415 for other content types; kind and apiVersion default from the URL', async () => {
  assert.deepEqual(await decodeBodyAs(CM, Buffer.from('kind: ConfigMap\nmetadata: {name: y}\n'), 'application/yaml'), { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'y' } });
  assert.deepEqual(await decodeBodyAs(CM, Buffer.from('{"metadata":{"name":"x"}}'), 'application/json; charset=utf-8'), { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'x' } });
  await assert.rejects(decodeBodyAs(CM, Buffer.from('{}'), 'text/plain'), (e) => isStatusError(e, 'UnsupportedMediaType'));
  await assert.rejects(decodeBodyAs(CM, Buffer.from('{x'), 'application/json'), (e) =>
    isStatusError(e, 'BadRequest') && e.message === "the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: invalid character 'x' looking for beginning of object key string ({x)");
});

test('decode errors as the apiserver words them: kinds, versions, Go types, depth', async () => {
  const msg = async (body: string, ct = 'application/json', into = CM) => {
    try {
      await decodeBodyAs(into, Buffer.from(body), ct);
      return 'ok';
    } catch (e) {
      return (e as Error).message;
    }
  };
  assert.equal(await msg('"abc"'), 'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: json: cannot unmarshal string into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (2261626322)');
  assert.equal(await msg('{"metadata":"x"}'), 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal string into Go struct field ConfigMap.metadata of type v1.ObjectMeta');
  assert.equal(await msg('{"data":{"a":1}}'), 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string');
  assert.equal(await msg('{"kind":"Secret","apiVersion":"v1"}'), 'Secret in version "v1" cannot be handled as a ConfigMap: converting (v1.Secret) to (core.ConfigMap): unknown conversion');
  assert.equal(await msg('{"kind":"Foo"}'), 'Foo in version "v1" cannot be handled as a ConfigMap: no kind "Foo" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"');
  assert.equal(await msg('{"apiVersion":"a/b/c"}'), 'the object provided is unrecognized (must be of type ConfigMap): unexpected GroupVersion string: a/b/c ({"apiVersion":"a/b/c"})');
  const deploy = { group: 'apps', version: 'v1', kind: 'Deployment' };
  assert.equal(await msg('{"spec":{"replicas":1.5}}', 'application/json', deploy), 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32');
  assert.equal(
    await msg('{"spec":{"template":{"spec":{"containers":[{"name":"c","ports":[{"containerPort":"80"}]}]}}}}', 'application/json', deploy),
    'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32',
  );
  const deep = '{"a":'.repeat(10_001) + '1' + '}'.repeat(10_001);
  assert.match(await msg(deep), /^the object provided is unrecognized \(must be of type ConfigMap\): couldn't get version\/kind; json parse error: invalid character '\{' exceeded max depth \(\{"a":\{"a":/);
  assert.match(await msg('['.repeat(10_001), 'application/yaml'), /^the object provided is unrecognized \(must be of type ConfigMap\): yaml: exceeded max depth of 10000 \(5b5b/);
  assert.equal(await msg('{"metadata":{"name":"x"},"bogus":' + '['.repeat(9_000) + ']'.repeat(9_000) + '}'), 'ok');
  assert.equal(await msg('metadata: {name: x}\nbogus: ' + '['.repeat(5_000) + ']'.repeat(5_000) + '\n', 'application/yaml'), 'ok');
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
