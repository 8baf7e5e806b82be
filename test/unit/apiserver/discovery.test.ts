import { test } from 'node:test';
import assert from 'node:assert/strict';
import { negotiateDiscovery, negotiateObject } from '../../../src-main/apiserver/negotiate.ts';
import { aggregatedDiscovery, aggregatedContentType, apiGroupList, apiResourceList, apiVersions } from '../../../src-main/apiserver/discovery.ts';

const KUBECTL_130 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const KUBECTL_127 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

test('discovery negotiation follows the client preference order', () => {
  assert.deepEqual(negotiateDiscovery(KUBECTL_130), { kind: 'aggregated', version: 'v2' });
  assert.deepEqual(negotiateDiscovery(KUBECTL_127), { kind: 'aggregated', version: 'v2beta1' });
  assert.deepEqual(negotiateDiscovery('application/json'), { kind: 'legacy' });
  assert.deepEqual(negotiateDiscovery(undefined), { kind: 'legacy' });
  assert.deepEqual(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v9;as=APIGroupDiscoveryList'), { kind: 'none' });
  assert.deepEqual(negotiateDiscovery('text/html'), { kind: 'none' });
  assert.equal(aggregatedContentType('v2'), 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
});

test('Table negotiation: v1 first, v1beta1, plain JSON, or nothing acceptable', () => {
  const get = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
  assert.deepEqual(negotiateObject(get), { kind: 'table', version: 'v1' });
  assert.deepEqual(negotiateObject('application/json;as=Table;v=v1beta1;g=meta.k8s.io'), { kind: 'table', version: 'v1beta1' });
  assert.deepEqual(negotiateObject('application/json'), { kind: 'plain' });
  assert.deepEqual(negotiateObject('application/json;as=Table;v=v2;g=meta.k8s.io'), { kind: 'none' });
});

test('aggregated /api holds the core group with short names, categories and subresources', () => {
  const doc = aggregatedDiscovery('api', 'v2') as { apiVersion: string; items: Array<{ metadata: { name: string }; versions: Array<{ version: string; resources: Array<Record<string, unknown>> }> }> };
  assert.equal(doc.apiVersion, 'apidiscovery.k8s.io/v2');
  assert.deepEqual(doc.items.map((i) => i.metadata.name), ['']);
  const pods = doc.items[0].versions[0].resources.find((r) => r.resource === 'pods')!;
  assert.deepEqual(pods.shortNames, ['po']);
  assert.deepEqual(pods.categories, ['all']);
  assert.equal(pods.scope, 'Namespaced');
  assert.equal(pods.singularResource, 'pod');
  const subs = pods.subresources as Array<{ subresource: string; responseKind: { kind: string }; verbs: string[] }>;
  assert.deepEqual(subs.find((s) => s.subresource === 'log'), { subresource: 'log', responseKind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get'] });
  assert.equal(subs.find((s) => s.subresource === 'eviction')!.responseKind.kind, 'Eviction');
});

test('aggregated /apis holds named groups; deployments/scale answers autoscaling/v1 Scale', () => {
  const doc = aggregatedDiscovery('apis', 'v2beta1') as { items: Array<{ metadata: { name: string }; versions: Array<{ resources: Array<Record<string, unknown>> }> }> };
  const names = doc.items.map((i) => i.metadata.name);
  assert.ok(names.includes('apps') && !names.includes(''));
  const apps = doc.items.find((i) => i.metadata.name === 'apps')!;
  const deploy = apps.versions[0].resources.find((r) => r.resource === 'deployments')!;
  assert.deepEqual(deploy.shortNames, ['deploy']);
  const scale = (deploy.subresources as Array<{ subresource: string; responseKind: unknown }>).find((s) => s.subresource === 'scale')!;
  assert.deepEqual(scale.responseKind, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
});

test('legacy documents: APIVersions, APIGroupList, APIResourceList with subresource entries', () => {
  assert.deepEqual(apiVersions('127.0.0.1:6443'), { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] });
  const groups = apiGroupList() as { groups: Array<{ name: string; preferredVersion: { groupVersion: string } }> };
  assert.equal(groups.groups.find((g) => g.name === 'apps')!.preferredVersion.groupVersion, 'apps/v1');
  const list = apiResourceList('apps', 'v1') as { groupVersion: string; resources: Array<Record<string, unknown>> };
  assert.equal(list.groupVersion, 'apps/v1');
  assert.deepEqual(list.resources.find((r) => r.name === 'deployments/scale'), { name: 'deployments/scale', singularName: '', namespaced: true, kind: 'Scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1' });
  const core = apiResourceList('', 'v1') as { groupVersion: string; resources: Array<Record<string, unknown>> };
  assert.equal(core.groupVersion, 'v1');
  assert.equal(core.resources.find((r) => r.name === 'services')!.singularName, 'service');
});
