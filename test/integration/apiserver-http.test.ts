/** The API server over HTTPS without kubectl: auth, paths, negotiation, REST verbs, subresources, watch streams. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { byKind } from '../../src-main/api/resources.ts';
import type { KubeObject } from '../../src-main/api/types.ts';
import { startTestCluster, type TestCluster } from './kubectl-harness.ts';

let c: TestCluster;
before(async () => {
  c = await startTestCluster('1.32');
});
after(async () => {
  await c.close();
});

const JSON_CT = { 'Content-Type': 'application/json' };
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const cm = (name: string, labels: Record<string, string> = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { k: name } });
const DEPLOY = JSON.stringify({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api' },
  spec: { replicas: 1, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});
const POD = (name: string, containers = ['c']) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: containers.map((n) => ({ name: n, image: 'busybox' })) } });

test('no token is system:anonymous (public info only); a wrong token 401; /version reports 1.32; health checks', async () => {
  const denied = await c.http('GET', '/api', { token: null });
  assert.equal(denied.status, 403);
  assert.deepEqual(denied.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'forbidden: User "system:anonymous" cannot get path "/api"', reason: 'Forbidden', details: {}, code: 403 });
  const list = await c.http('GET', '/api/v1/namespaces/default/pods?watch=1', { token: null });
  assert.deepEqual([list.status, list.json().message, list.json().details], [403, 'pods is forbidden: User "system:anonymous" cannot watch resource "pods" in API group "" in the namespace "default"', { kind: 'pods' }]);
  const scale = await c.http('PUT', '/apis/apps/v1/namespaces/default/deployments/web/scale', { token: null, body: '{}' });
  assert.equal(scale.json().message, 'deployments.apps "web" is forbidden: User "system:anonymous" cannot update resource "deployments/scale" in API group "apps" in the namespace "default"');
  for (const p of ['/healthz', '/livez', '/readyz', '/version', '/version/']) assert.equal((await c.http('GET', p, { token: null })).status, 200, p);
  assert.equal((await c.http('POST', '/healthz', { token: null })).status, 403, 'public info is get only');
  assert.equal((await c.http('GET', '/healthz/ping', { token: null })).status, 403);
  assert.equal((await c.http('GET', '/version', { token: 'wrong' })).status, 401);
  assert.equal((await c.http('GET', '/healthz', { token: 'wrong' })).status, 401, 'a bad token is not anonymous');
  const v = (await c.http('GET', '/version')).json();
  assert.equal(v.major, '1');
  assert.equal(v.minor, '32');
  assert.match(v.gitVersion, /^v1\.32\.\d+$/);
  assert.equal(v.platform, 'linux/amd64');
  assert.match(v.goVersion, /^go1\.23/);
  for (const p of ['/healthz', '/livez', '/readyz']) assert.deepEqual([(await c.http('GET', p)).status, (await c.http('GET', p)).text], [200, 'ok']);
  assert.match(c.server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
});

test('unknown paths answer as kube-apiserver does', async () => {
  const r = await c.http('GET', '/foo');
  assert.equal(r.status, 404);
  assert.deepEqual(r.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 });
  const r2 = await c.http('GET', '/api/v1/foos');
  assert.deepEqual([r2.status, r2.text], [404, '404 page not found\n']);
  assert.equal((await c.http('GET', '/apis/nope.io/v1')).status, 404);
  const gv = (await c.http('GET', '/apis/apps')).json();
  assert.deepEqual(gv.preferredVersion, { groupVersion: 'apps/v1', version: 'v1' });
});

test('discovery echoes the negotiated aggregated version; legacy and 406 otherwise', async () => {
  const v2 = await c.http('GET', '/apis', { headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' } });
  assert.equal(v2.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
  assert.equal(v2.json().kind, 'APIGroupDiscoveryList');
  const legacy = await c.http('GET', '/api', { headers: { Accept: 'application/json' } });
  assert.equal(legacy.headers['content-type'], 'application/json');
  assert.equal(legacy.json().kind, 'APIVersions');
  assert.equal((await c.http('GET', '/api/v1')).json().kind, 'APIResourceList');
  assert.equal((await c.http('GET', '/api', { headers: { Accept: 'text/html' } })).status, 406);
});

test('OpenAPI v3: index, documents with PATCH operations, GVKs and patch metadata', async () => {
  const index = (await c.http('GET', '/openapi/v3')).json();
  const url = index.paths['apis/apps/v1'].serverRelativeURL as string;
  assert.match(url, /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
  const doc = (await c.http('GET', url)).json();
  const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.ok(patch.parameters.some((p: { name: string; in: string }) => p.name === 'fieldValidation' && p.in === 'query'));
  const schemas = doc.components.schemas;
  assert.deepEqual(schemas['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  const containers = schemas['io.k8s.api.core.v1.PodSpec'].properties.containers;
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
  assert.deepEqual(schemas['io.k8s.api.core.v1.Container'].required, ['name']);
  assert.equal((await c.http('GET', '/openapi/v3/apis/nope/v1')).status, 404);
});

test('create: 201, namespace from the URL, dryRun, decoder errors, 415', async () => {
  const dry = await c.http('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', { body: cm('dry'), headers: JSON_CT });
  assert.equal(dry.status, 201);
  assert.equal(dry.json().metadata.namespace, 'default');
  assert.equal(c.registry.tryGet(byKind('ConfigMap'), 'default', 'dry'), undefined);
  const made = await c.http('POST', '/api/v1/namespaces/kube-system/configmaps?fieldManager=me', { body: cm('made'), headers: JSON_CT });
  assert.equal(made.status, 201);
  assert.equal(made.json().metadata.namespace, 'kube-system');
  assert.equal(made.json().metadata.managedFields[0].manager, 'me');
  const bad = await c.http('POST', '/api/v1/namespaces/default/configmaps', { body: '{"kind":"ConfigMap",}', headers: JSON_CT });
  assert.deepEqual([bad.status, bad.json().reason, bad.json().message], [400, 'BadRequest', 'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: invalid character \'}\' looking for beginning of object key string ({"kind":"ConfigMap",})']);
  const form = await c.http('POST', '/api/v1/namespaces/default/configmaps', { body: cm('x'), headers: { 'Content-Type': 'text/plain' } });
  assert.deepEqual([form.status, form.json().reason], [415, 'UnsupportedMediaType']);
  const wrong = await c.http('POST', '/api/v1/namespaces/default/configmaps', { body: cm('x').replace('ConfigMap', 'Secret'), headers: JSON_CT });
  assert.equal(wrong.status, 400);
  const put405 = await c.http('PUT', '/api/v1/namespaces/default/configmaps', { body: cm('x'), headers: JSON_CT });
  assert.deepEqual([put405.status, put405.json().reason], [405, 'MethodNotAllowed']);
});

test('list: limit/continue, selectors, Table negotiation with includeObject', async () => {
  for (const n of ['l1', 'l2', 'l3']) await c.http('POST', '/api/v1/namespaces/default/configmaps', { body: cm(n, { set: 'l', n }), headers: JSON_CT });
  const page = (await c.http('GET', '/api/v1/namespaces/default/configmaps?labelSelector=set%3Dl&limit=2')).json();
  assert.equal(page.kind, 'ConfigMapList');
  assert.deepEqual(page.items.map((i: KubeObject) => i.metadata.name), ['l1', 'l2']);
  assert.equal(page.items[0].kind, undefined);
  assert.equal(page.metadata.remainingItemCount, 1);
  const rest = (await c.http('GET', `/api/v1/namespaces/default/configmaps?labelSelector=set%3Dl&limit=2&continue=${encodeURIComponent(page.metadata.continue)}`)).json();
  assert.deepEqual(rest.items.map((i: KubeObject) => i.metadata.name), ['l3']);
  const fs = (await c.http('GET', '/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Dl2')).json();
  assert.deepEqual(fs.items.map((i: KubeObject) => i.metadata.name), ['l2']);
  const tableRes = await c.http('GET', '/api/v1/namespaces/default/configmaps?labelSelector=n%3Dl1', { headers: { Accept: TABLE } });
  assert.equal(tableRes.headers['content-type'], 'application/json;as=Table;v=v1;g=meta.k8s.io');
  const table = tableRes.json();
  assert.equal(table.kind, 'Table');
  assert.deepEqual(table.columnDefinitions.map((d: { name: string }) => d.name), ['Name', 'Data', 'Age']);
  assert.deepEqual(table.rows[0].cells, ['l1', 1, '0s']);
  assert.equal(table.rows[0].object.kind, 'PartialObjectMetadata');
  const none = (await c.http('GET', '/api/v1/namespaces/default/configmaps/l1?includeObject=None', { headers: { Accept: 'application/json;as=Table;v=v1beta1;g=meta.k8s.io' } })).json();
  assert.equal(none.apiVersion, 'meta.k8s.io/v1beta1');
  assert.equal(none.rows[0].object, undefined);
  const full = (await c.http('GET', '/api/v1/namespaces/default/configmaps/l1?includeObject=Object', { headers: { Accept: TABLE } })).json();
  assert.deepEqual(full.rows[0].object.data, { k: 'l1' });
});

test('patch: merge, JSON, strategic, apply (create and update), unsupported type', async () => {
  const base = '/api/v1/namespaces/default/configmaps';
  await c.http('POST', base, { body: cm('p'), headers: JSON_CT });
  const merge = await c.http('PATCH', `${base}/p`, { body: '{"data":{"k":null,"m":"1"}}', headers: { 'Content-Type': 'application/merge-patch+json' } });
  assert.deepEqual(merge.json().data, { m: '1' });
  const jp = await c.http('PATCH', `${base}/p`, { body: '[{"op":"add","path":"/data/j","value":"2"}]', headers: { 'Content-Type': 'application/json-patch+json' } });
  assert.deepEqual(jp.json().data, { m: '1', j: '2' });
  const bad = await c.http('PATCH', `${base}/p`, { body: '{}', headers: { 'Content-Type': 'application/json' } });
  assert.equal(bad.status, 415);
  const noManager = await c.http('PATCH', `${base}/ssa`, { body: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\n', headers: { 'Content-Type': 'application/apply-patch+yaml' } });
  assert.deepEqual([noManager.status, noManager.json().message], [422, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch']);
  const applied = await c.http('PATCH', `${base}/ssa?fieldManager=tool`, { body: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {a: "1", b: "2"}\n', headers: { 'Content-Type': 'application/apply-patch+yaml' } });
  assert.equal(applied.status, 201);
  assert.deepEqual(applied.json().metadata.managedFields.map((m: { manager: string; operation: string }) => [m.manager, m.operation]), [['tool', 'Apply']]);
  const reapplied = await c.http('PATCH', `${base}/ssa?fieldManager=tool`, { body: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {a: "3"}\n', headers: { 'Content-Type': 'application/apply-patch+yaml' } });
  assert.equal(reapplied.status, 200);
  assert.deepEqual(reapplied.json().data, { a: '3' }, 'a field no longer applied by its only manager is removed');
  const dep = await c.http('POST', '/apis/apps/v1/namespaces/default/deployments', { body: DEPLOY, headers: JSON_CT });
  assert.equal(dep.status, 201);
  const smp = await c.http('PATCH', '/apis/apps/v1/namespaces/default/deployments/api', {
    body: JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'side', image: 'busybox' }] } } } }),
    headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
  });
  assert.deepEqual(smp.json().spec.template.spec.containers.map((x: { name: string }) => x.name), ['c', 'side']);
  const strict = await c.http('PATCH', '/apis/apps/v1/namespaces/default/deployments/api?fieldValidation=Strict', { body: '{"spec":{"foo":1}}', headers: { 'Content-Type': 'application/merge-patch+json' } });
  assert.equal(strict.status, 422);
  assert.match(strict.json().message, /^ "" is invalid: patch: Invalid value: "\{.*\}": strict decoding error: unknown field "spec\.foo"$/);
  const warn = await c.http('PATCH', '/apis/apps/v1/namespaces/default/deployments/api', { body: '{"spec":{"foo":1}}', headers: { 'Content-Type': 'application/merge-patch+json' } });
  assert.equal(warn.headers.warning, '299 - "unknown field \\"spec.foo\\""');
  assert.equal(warn.json().spec.foo, undefined);
});

test('scale and status subresources', async () => {
  const url = '/apis/apps/v1/namespaces/default/deployments/api';
  const scale = (await c.http('GET', `${url}/scale`)).json();
  assert.deepEqual([scale.kind, scale.apiVersion, scale.spec, scale.status.selector], ['Scale', 'autoscaling/v1', { replicas: 1 }, 'app=api']);
  const patched = await c.http('PATCH', `${url}/scale`, { body: '{"spec":{"replicas":4}}', headers: { 'Content-Type': 'application/merge-patch+json' } });
  assert.equal(patched.json().spec.replicas, 4);
  const put = await c.http('PUT', `${url}/scale`, { body: JSON.stringify({ ...scale, spec: { replicas: 2 } }), headers: JSON_CT });
  assert.equal(put.status, 409, 'a stale resourceVersion in the Scale conflicts');
  const status = await c.http('PATCH', `${url}/status`, { body: '{"status":{"replicas":7},"spec":{"replicas":9}}', headers: { 'Content-Type': 'application/merge-patch+json' } });
  assert.equal(status.status, 200);
  const live = c.registry.get(byKind('Deployment'), 'default', 'api') as KubeObject & { spec: { replicas: number }; status: { replicas: number } };
  assert.deepEqual([live.spec.replicas, live.status.replicas], [4, 7]);
});

test('delete: Status for deployments, the object for pods, preconditions, deletecollection', async () => {
  const precond = await c.http('DELETE', '/apis/apps/v1/namespaces/default/deployments/api', { body: '{"preconditions":{"resourceVersion":"1"}}', headers: JSON_CT });
  assert.deepEqual([precond.status, precond.json().reason], [409, 'Conflict']);
  const uid = c.registry.get(byKind('Deployment'), 'default', 'api').metadata.uid;
  const del = await c.http('DELETE', '/apis/apps/v1/namespaces/default/deployments/api', { body: '{"propagationPolicy":"Background"}', headers: JSON_CT });
  assert.deepEqual(del.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'api', group: 'apps', kind: 'deployments', uid } });
  await c.http('POST', '/api/v1/namespaces/default/pods', { body: POD('gone'), headers: JSON_CT });
  const pod = await c.http('DELETE', '/api/v1/namespaces/default/pods/gone');
  assert.deepEqual([pod.status, pod.json().kind, pod.json().metadata.name], [200, 'Pod', 'gone']);
  const coll = await c.http('DELETE', '/api/v1/namespaces/default/configmaps?labelSelector=set%3Dl');
  assert.deepEqual(coll.json().items.map((i: KubeObject) => i.metadata.name), ['l1', 'l2', 'l3']);
  assert.equal(c.registry.list(byKind('ConfigMap'), { namespace: 'default', labelSelector: 'set=l' }).items.length, 0);
});

test('binding, eviction and logs through the pod runtime', async () => {
  await c.http('POST', '/api/v1/namespaces/default/pods', { body: POD('bindme', ['a', 'b']), headers: JSON_CT });
  const bind = await c.http('POST', '/api/v1/namespaces/default/pods/bindme/binding', { body: '{"apiVersion":"v1","kind":"Binding","metadata":{"name":"bindme"},"target":{"kind":"Node","name":"node-1"}}', headers: JSON_CT });
  assert.deepEqual([bind.status, bind.json().status], [201, 'Success']);
  assert.equal((c.registry.get(byKind('Pod'), 'default', 'bindme').spec as { nodeName: string }).nodeName, 'node-1');
  const again = await c.http('POST', '/api/v1/namespaces/default/pods/bindme/binding', { body: '{"apiVersion":"v1","kind":"Binding","metadata":{"name":"bindme"},"target":{"kind":"Node","name":"node-2"}}', headers: JSON_CT });
  assert.deepEqual([again.status, again.json().message], [409, 'Operation cannot be fulfilled on pods "bindme": pod bindme is already assigned to node "node-1"']);
  const noContainer = await c.http('GET', '/api/v1/namespaces/default/pods/bindme/log');
  assert.deepEqual([noContainer.status, noContainer.json().message], [400, 'a container name must be specified for pod bindme, choose one of: [a b]']);
  await c.http('POST', '/api/v1/namespaces/default/pods', { body: POD('evictme'), headers: JSON_CT });
  const evict = await c.http('POST', '/api/v1/namespaces/default/pods/evictme/eviction', { body: '{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"evictme"}}', headers: JSON_CT });
  assert.equal(evict.status, 201);
  assert.equal(c.registry.tryGet(byKind('Pod'), 'default', 'evictme'), undefined);
});

test('watch: headers at once, events as lines, Tables, bookmarks, timeout, 410 Gone', async () => {
  const base = '/api/v1/namespaces/kube-system/configmaps';
  const rv = (await c.http('GET', base)).json().metadata.resourceVersion;
  // The clock may only move once the server holds the watch (its timers start with the request).
  let seen = 0;
  let twoSeen: () => void = () => {};
  const gotTwo = new Promise<void>((r) => (twoSeen = r));
  const events = c.http('GET', `${base}?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=120`, {
    headers: { Accept: TABLE },
    lines: 3,
    onLine: () => {
      if (++seen === 2) twoSeen();
    },
  });
  await c.http('POST', base, { body: cm('w1'), headers: JSON_CT });
  await c.http('PATCH', `${base}/w1`, { body: '{"data":{"x":"y"}}', headers: { 'Content-Type': 'application/merge-patch+json' } });
  await gotTwo;
  c.clock.advance(60_000);
  const r = await events;
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/json;as=Table;v=v1;g=meta.k8s.io');
  const lines = r.text.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((e) => e.type), ['ADDED', 'MODIFIED', 'BOOKMARK']);
  assert.equal(lines[0].object.kind, 'Table');
  assert.deepEqual(lines[1].object.rows[0].cells, ['w1', 2, '0s']);
  assert.equal(lines[2].object.kind, 'ConfigMap');

  let firstSeen: () => void = () => {};
  const gotFirst = new Promise<void>((r) => (firstSeen = r));
  const ended = c.http('GET', `${base}?watch=true&resourceVersion=${rv}&timeoutSeconds=5`, { lines: 99, onLine: () => firstSeen() });
  await gotFirst;
  c.clock.advance(5_000);
  const done = await ended;
  assert.deepEqual(done.text.trim().split('\n').map((l) => JSON.parse(l).type), ['ADDED', 'MODIFIED']);

  const one = await c.http('GET', `${base}?fieldSelector=metadata.name%3Dw1&resourceVersion=0&watch=true`, { lines: 1 });
  assert.equal(JSON.parse(one.text.split('\n')[0]).object.metadata.name, 'w1');
});

test('watch from a compacted resourceVersion is an ERROR event with 410 Expired', async () => {
  const r = byKind('Lease');
  for (let i = 0; i < 20_050; i++) {
    c.registry.store.create(r, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: `l${i}`, namespace: 'default' } });
  }
  const res = await c.http('GET', '/apis/coordination.k8s.io/v1/namespaces/default/leases?watch=true&resourceVersion=2');
  assert.equal(res.status, 200);
  const ev = JSON.parse(res.text.trim());
  assert.equal(ev.type, 'ERROR');
  assert.equal(ev.object.code, 410);
  assert.equal(ev.object.reason, 'Expired');
  assert.match(ev.object.message, /^too old resource version: 2 \(\d+\)$/);
});
