/**
 * The /openapi/v2 document: Swagger 2.0 definitions that kube-openapi's pkg/util/proto accepts (kubectl 1.27/1.28
 * refuse the whole document when one definition breaks its rules), PATCH operations with fieldValidation, and the
 * gnostic protobuf encoding of it, read back with a plain protobuf wire decoder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { RESOURCES } from '../../../src-main/api/resources.ts';
import { schemaNameOf } from '../../../src-main/apiserver/openapi/openapi.ts';
import { encodeDocument } from '../../../src-main/apiserver/openapi/v2/gnostic.ts';
import { swaggerDocument, swaggerSpec } from '../../../src-main/apiserver/openapi/v2/document.ts';
import { ProtoWriter } from '../../../src-main/apiserver/openapi/v2/proto-writer.ts';

type Json = Record<string, any>;  

/** kube-openapi pkg/util/proto Definitions.ParseSchema, as rules: returns the first error it would report. */
function parseError(s: Json, path: string, defs: Json): string | undefined {
  if (s.$ref !== undefined) {
    if (s.properties && Object.keys(s.properties).length) return `${path}: unallowed embedded type definition`;
    if (s.type !== undefined) return `${path}: definition reference can't have a type`;
    if (!String(s.$ref).startsWith('#/definitions/')) return `${path}: unallowed reference to non-definition ${s.$ref}`;
    if (!defs[s.$ref.slice('#/definitions/'.length)]) return `${path}: unknown model in reference: ${s.$ref}`;
    return undefined;
  }
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  if (types.length > 1) return `${path}: definitions with multiple types aren't supported`;
  const fields = (props: Json) => Object.entries(props).map(([k, v]) => parseError(v, `${path}.${k}`, defs)).find(Boolean);
  if (types.length === 0) return s.properties ? fields(s.properties) : undefined;
  if (types[0] === 'object') {
    if (s.properties) return fields(s.properties);
    return s.additionalProperties && typeof s.additionalProperties === 'object' ? parseError(s.additionalProperties, path, defs) : undefined;
  }
  if (types[0] === 'array') {
    if (!s.items || Array.isArray(s.items)) return `${path}: array should have exactly one sub-item`;
    return parseError(s.items, path, defs);
  }
  if (!['string', 'number', 'integer', 'boolean'].includes(types[0])) return `${path}: Unknown primitive type: ${types[0]}`;
  return undefined;
}

test('every definition parses the way kube-openapi parses it, and every $ref resolves', () => {
  const spec = swaggerSpec() as Json;
  const defs = spec.definitions as Json;
  assert.ok(Object.keys(defs).length > 200);
  for (const [name, s] of Object.entries(defs)) assert.equal(parseError(s, name, defs), undefined);
  const refs = JSON.stringify(spec).match(/"\$ref":"[^"]+"/g) ?? [];
  for (const r of new Set(refs)) {
    const target = r.slice('"$ref":"'.length, -1);
    assert.ok(target.startsWith('#/definitions/') && defs[target.slice('#/definitions/'.length)], `dangling ${target}`);
  }
  assert.doesNotMatch(JSON.stringify(defs), /components\/schemas|"allOf"|"oneOf"|preserve-unknown-fields/);
});

test('definitions take the Swagger 2.0 forms kube-apiserver writes', () => {
  const defs = (swaggerSpec() as Json).definitions as Json;
  const strategy = defs['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy;
  assert.deepEqual(Object.keys(strategy), ['$ref', 'description', 'x-kubernetes-patch-strategy']);
  assert.equal(strategy.$ref, '#/definitions/io.k8s.api.apps.v1.DeploymentStrategy');
  assert.equal(strategy['x-kubernetes-patch-strategy'], 'retainKeys');
  const intstr = defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString'];
  assert.deepEqual([intstr.type, intstr.format], ['string', 'int-or-string']);
  assert.deepEqual(Object.keys(defs['io.k8s.apimachinery.pkg.api.resource.Quantity']), ['description', 'type']);
  assert.deepEqual(defs['io.k8s.apimachinery.pkg.apis.meta.v1.Time'].format, 'date-time');
  const containers = defs['io.k8s.api.core.v1.PodSpec'].properties.containers;
  assert.deepEqual(
    [containers.type, containers.items, containers['x-kubernetes-patch-merge-key'], containers['x-kubernetes-patch-strategy']],
    ['array', { $ref: '#/definitions/io.k8s.api.core.v1.Container' }, 'name', 'merge'],
  );
  assert.deepEqual(defs['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  assert.deepEqual(Object.keys(defs).slice().sort(), Object.keys(defs), 'definitions sorted by name');
});

test('every served kind has a PATCH operation with its GVK and the fieldValidation query parameter', () => {
  const paths = (swaggerSpec() as Json).paths as Json;
  for (const r of RESOURCES) {
    const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    const item = paths[`${prefix}/${r.namespaced ? 'namespaces/{namespace}/' : ''}${r.resource}/{name}`];
    assert.ok(item, `${r.kind} item path`);
    assert.deepEqual(item.patch['x-kubernetes-group-version-kind'], { group: r.group, kind: r.kind, version: r.version });
    assert.ok(item.patch.parameters.some((p: Json) => p.in === 'query' && p.name === 'fieldValidation'), r.kind);
    assert.equal(item.patch.responses['200'].schema.$ref, `#/definitions/${schemaNameOf(r.group, r.version, r.kind)}`);
  }
  const deploy = paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
  assert.equal(deploy.patch.operationId, 'patchAppsV1NamespacedDeployment');
  assert.equal(deploy.get.operationId, 'readAppsV1NamespacedDeployment');
  assert.equal(paths['/api/v1/namespaces/{name}'].put.operationId, 'replaceCoreV1Namespace', 'cluster-scoped: no Namespaced in the id');
  assert.equal(paths['/api/v1/namespaces/{namespace}/pods']?.post.operationId, 'createCoreV1NamespacedPod');
  assert.equal(paths['/api/v1/pods'].get.operationId, 'listCoreV1PodForAllNamespaces');
  assert.deepEqual(paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].patch['x-kubernetes-group-version-kind'], { group: 'autoscaling', kind: 'Scale', version: 'v1' });
});

// ---- protobuf ----

type Field = { no: number; wire: number; value: bigint | Buffer };

function decode(buf: Buffer): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): bigint => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[i++];
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const tag = Number(varint());
    const [no, wire] = [tag >>> 3, tag & 7];
    if (wire === 0) out.push({ no, wire, value: varint() });
    else if (wire === 2) {
      const n = Number(varint());
      out.push({ no, wire, value: buf.subarray(i, i + n) });
      i += n;
    } else if (wire === 1) {
      out.push({ no, wire, value: buf.subarray(i, i + 8) });
      i += 8;
    } else throw new Error(`wire type ${wire}`);
  }
  assert.equal(i, buf.length, 'message ends on a field boundary');
  return out;
}
const all = (m: Buffer, no: number) => decode(m).filter((f) => f.no === no).map((f) => f.value as Buffer);
const one = (m: Buffer, no: number) => all(m, no)[0];
const str = (m: Buffer, no: number) => one(m, no)?.toString('utf8');
/** Ordered (name, value) pairs of a gnostic Named* list. */
const named = (m: Buffer, no: number) => all(m, no).map((p) => [str(p, 1), one(p, 2)] as const);

test('protobuf writer: varints, zero values left out, empty sub-messages kept', () => {
  const w = new ProtoWriter().string(1, 'a').string(2, '').bool(3, false).bool(4, true).int64(5, 300).message(6, () => {}).strings(7, ['x', 'y']);
  assert.equal(w.finish().toString('hex'), '0a0161' + '2001' + '28ac02' + '3200' + '3a0178' + '3a0179');
  assert.equal(new ProtoWriter().message(1, (m) => m.oneofBool(2, false)).finish().toString('hex'), '0a021000');
  assert.equal(new ProtoWriter().string(1, 'x'.repeat(200)).finish().subarray(0, 3).toString('hex'), '0ac801');
});

test('gnostic encoding: Document fields, definitions in order, vendor extensions as YAML', () => {
  const spec = swaggerSpec() as Json;
  const pb = swaggerDocument().protobuf;
  assert.equal(str(pb, 1), '2.0');
  assert.deepEqual([str(one(pb, 2), 1), str(one(pb, 2), 2)], ['Kubernetes', 'v1.32.2']);

  const defs = named(one(pb, 9), 1);
  assert.deepEqual(defs.map(([n]) => n), Object.keys(spec.definitions));
  const deployment = defs.find(([n]) => n === 'io.k8s.api.apps.v1.Deployment')![1];
  assert.equal(str(deployment, 4), 'Deployment enables declarative updates for Pods and ReplicaSets.');
  assert.deepEqual(all(one(deployment, 22), 1).map(String), ['object']);
  assert.deepEqual(named(one(deployment, 25), 1).map(([n]) => n), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  const [ext] = named(deployment, 31);
  assert.equal(ext[0], 'x-kubernetes-group-version-kind');
  assert.equal(str(ext[1], 2), '- group: apps\n  kind: Deployment\n  version: v1\n');
  const core = named(defs.find(([n]) => n === 'io.k8s.api.core.v1.Pod')![1], 31)[0][1];
  assert.deepEqual(parse(str(core, 2)), [{ group: '', kind: 'Pod', version: 'v1' }]);

  const spec2 = named(one(defs.find(([n]) => n === 'io.k8s.api.apps.v1.DeploymentSpec')![1], 25), 1);
  const strategy = spec2.find(([n]) => n === 'strategy')![1];
  assert.equal(str(strategy, 1), '#/definitions/io.k8s.api.apps.v1.DeploymentStrategy');
  assert.equal(one(strategy, 22), undefined, 'a reference has no type');
  assert.deepEqual(named(strategy, 31).map(([n, v]) => [n, str(v, 2)]), [['x-kubernetes-patch-strategy', 'retainKeys\n']]);
  const selector = defs.find(([n]) => n === 'io.k8s.api.core.v1.ServiceSpec')![1];
  const sel = named(one(selector, 25), 1).find(([n]) => n === 'selector')![1];
  assert.deepEqual(all(one(one(one(sel, 21), 1), 22), 1).map(String), ['string'], 'map[string]string: additionalProperties.schema.type');
});

test('gnostic encoding: paths, PATCH parameters as query sub-schemas, security', () => {
  const pb = swaggerDocument().protobuf;
  const paths = named(one(pb, 8), 2);
  assert.deepEqual(paths.map(([n]) => n), Object.keys((swaggerSpec() as Json).paths));
  const item = paths.find(([n]) => n === '/apis/apps/v1/namespaces/{namespace}/deployments/{name}')![1];
  const patch = one(item, 8);
  assert.equal(str(patch, 5), 'patchAppsV1NamespacedDeployment');
  assert.deepEqual(all(patch, 7).map(String), ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml']);
  const params = all(patch, 8).map((p) => one(one(p, 1), 2) ?? one(one(p, 1), 1));
  const body = one(one(all(patch, 8)[0], 1), 1);
  assert.deepEqual([str(body, 2), str(body, 3), str(one(body, 5), 1)], ['body', 'body', '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch']);
  const queries = params.slice(1).map((p) => one(p, 3));
  assert.deepEqual(queries.map((q) => [str(q, 2), str(q, 4), str(q, 6)]), [
    ['query', 'dryRun', 'string'],
    ['query', 'fieldManager', 'string'],
    ['query', 'fieldValidation', 'string'],
    ['query', 'force', 'boolean'],
  ]);
  assert.equal(decode(queries[2]).find((f) => f.no === 20)?.value, 1n, 'uniqueItems');
  const gvk = named(patch, 13).find(([n]) => n === 'x-kubernetes-group-version-kind')![1];
  assert.equal(str(gvk, 2), 'group: apps\nkind: Deployment\nversion: v1\n');
  const responses = named(one(patch, 9), 1);
  assert.deepEqual(responses.map(([code, v]) => [code, str(one(v, 1), 1)]), [['200', 'OK'], ['201', 'Created'], ['401', 'Unauthorized']]);
  const pathParams = all(item, 9).map((p) => one(one(one(p, 1), 2), 4) ?? one(one(one(p, 1), 2), 3));
  assert.deepEqual(pathParams.map((p) => [str(p, 4), str(p, 2)]), [['name', 'path'], ['namespace', 'path'], ['pretty', 'query']]);
  assert.equal(decode(pathParams[0]).find((f) => f.no === 1)?.value, 1n, 'path parameters are required');

  const [[secName, secValue]] = named(one(pb, 12), 1);
  assert.deepEqual([secName, secValue.length], ['BearerToken', 0]);
  const [[defName, defValue]] = named(one(pb, 13), 1);
  const apiKey = one(defValue, 2);
  assert.deepEqual([defName, str(apiKey, 1), str(apiKey, 2), str(apiKey, 3)], ['BearerToken', 'apiKey', 'authorization', 'header']);
});

test('encodeDocument: a small document byte for byte', () => {
  const doc = { swagger: '2.0', definitions: { A: { type: 'object', properties: { b: { type: 'string' } }, 'x-k': 'v' } } };
  // Length-delimited field: tag bytes, one-byte length, payload (all payloads here are shorter than 128 bytes).
  const ld = (tag: string, payload: string) => tag + (payload.length / 2).toString(16).padStart(2, '0') + payload;
  const text = (s: string) => Buffer.from(s).toString('hex');
  const typeItem = (t: string) => ld('b201', ld('0a', text(t))); // Schema.type = 22
  const schemaB = typeItem('string');
  const properties = ld('ca01', ld('0a', ld('0a', text('b')) + ld('12', schemaB))); // Schema.properties = 25
  const extension = ld('fa01', ld('0a', text('x-k')) + ld('12', ld('12', text('v\n')))); // Schema.vendor_extension = 31
  const schemaA = typeItem('object') + properties + extension;
  const expected = ld('0a', text('2.0')) + ld('4a', ld('0a', ld('0a', text('A')) + ld('12', schemaA)));
  assert.equal(encodeDocument(doc).toString('hex'), expected);
});
