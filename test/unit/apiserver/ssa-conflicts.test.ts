/** Server-side apply conflicts and managedFields bookkeeping (merge/update.go, managedfields/internal/conflict.go). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../../../src-main/api/types.ts';
import { isStatusError, type StatusError } from '../../../src-main/api/errors.ts';
import { updateManagedFields, type ManagerWrite } from '../../../src-main/apiserver/patch/managed-fields.ts';
import { byKind } from '../../../src-main/api/resources.ts';
import { serverSideApply } from '../../../src-main/apiserver/patch/patch.ts';
import { printManager } from '../../../src-main/apiserver/patch/conflicts.ts';
import { fieldsFromPaths, memberPaths, pathString } from '../../../src-main/apiserver/patch/field-set.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
type Obj = Record<string, unknown>;

function cm(data: Record<string, string>, labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default', ...(labels ? { labels } : {}) }, data } as KubeObject;
}

/** Writes `next` over `old` like the API server does: managedFields computed, then stored on the object. */
function write(old: KubeObject | undefined, next: KubeObject, w: Omit<ManagerWrite, 'now'> & { now?: number }): KubeObject {
  const out = structuredClone(next);
  out.metadata.managedFields = updateManagedFields(old, out, { now: T0, ...w });
  return out;
}

function applyWrite(old: KubeObject | undefined, next: KubeObject, manager: string, extra: Partial<ManagerWrite> = {}): KubeObject {
  const applied = structuredClone(next) as unknown as Obj;
  return write(old, next, { manager, operation: 'Apply', applied, ...extra });
}

function conflictOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e, 'Conflict')) return e;
    throw e;
  }
  assert.fail('expected a Conflict');
}

const summary = (o: KubeObject) => (o.metadata.managedFields ?? []).map((e: ManagedFieldsEntry) => [e.manager, e.operation, memberPaths(e.fieldsV1 as Obj).map(pathString)]);

test('paths print like fieldpath.Path and sets iterate members before children', () => {
  assert.equal(pathString(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"web"}', 'f:image']), '.spec.template.spec.containers[name="web"].image');
  assert.equal(pathString(['f:spec', 'f:ports', 'k:{"protocol":"TCP","containerPort":80}']), '.spec.ports[containerPort=80,protocol="TCP"]');
  assert.equal(pathString(['f:metadata', 'f:finalizers', 'v:"a"']), '.metadata.finalizers[="a"]');
  assert.equal(pathString(['f:metadata', 'f:labels', 'f:app']), '.metadata.labels.app');
  const set = fieldsFromPaths([['f:spec', 'f:template', 'f:x'], ['f:spec', 'f:replicas'], ['f:data', 'f:a'], ['f:metadata', 'f:labels'], ['f:metadata', 'f:labels', 'f:a']]);
  assert.deepEqual(set, { 'f:data': { 'f:a': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } }, 'f:spec': { 'f:replicas': {}, 'f:template': { 'f:x': {} } } });
  assert.deepEqual(memberPaths(set).map(pathString), ['.data.a', '.metadata.labels', '.metadata.labels.a', '.spec.replicas', '.spec.template.x']);
});

test('an apply changing a field another applier owns is a 409 Conflict with one cause', () => {
  const one = applyWrite(undefined, cm({ a: '1' }), 'kubectl');
  const err = conflictOf(() => applyWrite(one, cm({ a: '2' }), 'other'));
  assert.deepEqual(err.status, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'Apply failed with 1 conflict: conflict with "kubectl": .data.a',
    reason: 'Conflict',
    details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.data.a' }] },
    code: 409,
  });
});

test('same value is shared ownership, no conflict', () => {
  const one = applyWrite(undefined, cm({ a: '1' }), 'kubectl');
  const two = applyWrite(one, cm({ a: '1', b: '2' }), 'other');
  assert.deepEqual(summary(two), [
    ['kubectl', 'Apply', ['.data.a']],
    ['other', 'Apply', ['.data.a', '.data.b']],
  ]);
});

test('force takes the field and removes it from the other manager, which disappears when empty', () => {
  const one = applyWrite(undefined, cm({ a: '1', b: '1' }), 'kubectl');
  const forced = applyWrite(one, cm({ a: '2', b: '1' }), 'other', { force: true, now: T0 + 5000 });
  assert.deepEqual(summary(forced), [
    ['kubectl', 'Apply', ['.data.b']],
    ['other', 'Apply', ['.data.a', '.data.b']],
  ]);
  const all = applyWrite(forced, cm({ a: '3', b: '3' }), 'third', { force: true, now: T0 + 9000 });
  assert.deepEqual(summary(all), [['third', 'Apply', ['.data.a', '.data.b']]]);
  assert.equal(all.metadata.managedFields![0].time, '2026-01-01T12:00:09Z');
});

test('Update managers conflict too and print "using <apiVersion>"; an Update takes fields from appliers', () => {
  const one = applyWrite(undefined, cm({ a: '1' }), 'kubectl', { now: T0 + 1000 });
  const edited = write(one, cm({ a: '9' }, { app: 'x' }), { manager: 'kubectl-edit', operation: 'Update', now: T0 + 2000 });
  assert.deepEqual(summary(edited), [['kubectl-edit', 'Update', ['.data.a', '.metadata.labels', '.metadata.labels.app']]]);
  assert.deepEqual(edited.metadata.managedFields![0].fieldsV1, { 'f:data': { 'f:a': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } });
  const err = conflictOf(() => applyWrite(edited, cm({ a: '1' }, { app: 'y' }), 'kubectl'));
  assert.equal(err.status.message, 'Apply failed with 2 conflicts: conflicts with "kubectl-edit" using v1:\n- .data.a\n- .metadata.labels.app');
  assert.deepEqual(
    err.status.details!.causes!.map((c) => [c.message, c.field]),
    [
      ['conflict with "kubectl-edit" using v1', '.data.a'],
      ['conflict with "kubectl-edit" using v1', '.metadata.labels.app'],
    ],
  );
});

test('conflicts with several managers: grouped by sorted manager, counted in total', () => {
  let o = applyWrite(undefined, cm({ a: '1' }), 'zeta');
  o = applyWrite(o, cm({ a: '1', b: '1' }), 'alpha');
  o = write(o, cm({ a: '1', b: '1', c: '1' }), { manager: 'kubectl-patch', operation: 'Update' });
  const err = conflictOf(() => applyWrite(o, cm({ a: '2', b: '2', c: '2' }), 'me'));
  assert.equal(
    err.status.message,
    'Apply failed with 4 conflicts: conflicts with "alpha":\n- .data.a\n- .data.b\nconflicts with "kubectl-patch" using v1:\n- .data.c\nconflicts with "zeta":\n- .data.a',
  );
  assert.equal(err.status.details!.causes!.length, 4);
});

test('list items by merge key: a Deployment container image', () => {
  const dep = (image: string, replicas = 2) =>
    ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } } },
    }) as unknown as KubeObject;
  const one = applyWrite(undefined, dep('nginx:1.27'), 'kubectl');
  assert.deepEqual(one.metadata.managedFields![0].fieldsV1, {
    'f:spec': {
      'f:replicas': {},
      'f:selector': { 'f:matchLabels': { 'f:app': {} } },
      'f:template': { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } },
    },
  });
  const err = conflictOf(() => applyWrite(one, dep('nginx:1.28', 3), 'ci'));
  assert.equal(err.status.message, 'Apply failed with 2 conflicts: conflicts with "kubectl":\n- .spec.replicas\n- .spec.template.spec.containers[name="web"].image');
  assert.equal(printManager({ manager: 'kubectl', operation: 'Update', apiVersion: 'apps/v1', subresource: 'scale' }), '"kubectl" with subresource "scale" using apps/v1');
  const scaled = write(one, dep('nginx:1.27', 5), { manager: 'kubectl', operation: 'Update', subresource: 'scale' });
  assert.equal(conflictOf(() => applyWrite(scaled, dep('nginx:1.27', 2), 'kubectl')).status.message, 'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
});

test('a no-op apply keeps its time; entries sort Apply first, then by time', () => {
  const one = applyWrite(undefined, cm({ a: '1' }), 'kubectl', { now: T0 });
  const labelled = write(one, cm({ a: '1' }, { x: 'y' }), { manager: 'kubectl-label', operation: 'Update', now: T0 + 1000 });
  const again = applyWrite(labelled, cm({ a: '1' }, { x: 'y' }), 'kubectl', { now: T0 + 7000 });
  assert.deepEqual(
    again.metadata.managedFields!.map((e) => [e.manager, e.operation, e.time]),
    [
      ['kubectl', 'Apply', '2026-01-01T12:00:00Z'],
      ['kubectl-label', 'Update', '2026-01-01T12:00:01Z'],
    ],
  );
});

test('an applier dropping a container removes the list item unless another applier owns it', () => {
  const r = byKind('Deployment');
  const dep = (containers: Array<{ name: string; image: string }>) =>
    ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers } } } }) as unknown as KubeObject;
  const two = applyWrite(undefined, dep([{ name: 'web', image: 'nginx' }, { name: 'side', image: 'busybox' }]), 'kubectl');
  const config = dep([{ name: 'web', image: 'nginx' }]) as unknown as Obj;
  const merged = serverSideApply(r, structuredClone(two) as unknown as Obj, config, 'kubectl') as { spec: { template: { spec: { containers: Array<{ name: string }> } } } };
  assert.deepEqual(merged.spec.template.spec.containers.map((c) => c.name), ['web']);
  const shared = write(two, two, { manager: 'other', operation: 'Apply', applied: dep([{ name: 'side', image: 'busybox' }]) as unknown as Obj });
  const kept = serverSideApply(r, structuredClone(shared) as unknown as Obj, config, 'kubectl') as typeof merged;
  assert.deepEqual(kept.spec.template.spec.containers.map((c) => c.name), ['web', 'side']);
});

test('applying to an object without managedFields conflicts with "before-first-apply"', () => {
  const untracked = cm({ a: '1', b: '1' });
  const err = conflictOf(() => applyWrite(untracked, cm({ a: '2', b: '1' }), 'kubectl'));
  assert.equal(err.status.message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.a');
  const shared = applyWrite(untracked, cm({ a: '1', b: '1' }), 'kubectl', { now: T0 + 3000 });
  assert.deepEqual(summary(shared), [
    ['kubectl', 'Apply', ['.data.a', '.data.b']],
    ['before-first-apply', 'Update', ['.data', '.data.a', '.data.b']],
  ]);
});

test('an Update set marks added maps and list items with "." but not always-present structs or lists', () => {
  const dep = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: { replicas: 1, strategy: { rollingUpdate: { maxSurge: '25%' }, type: 'RollingUpdate' }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', resources: {} }] } } },
  } as unknown as KubeObject;
  const created = write(undefined, dep, { manager: 'kubectl-create', operation: 'Update' });
  assert.deepEqual(created.metadata.managedFields![0].fieldsV1, {
    'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
    'f:spec': {
      'f:replicas': {},
      'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {} }, 'f:type': {} },
      'f:template': {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:resources': {} } } },
      },
    },
  });
});
