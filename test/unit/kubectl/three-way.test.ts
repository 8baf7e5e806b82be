import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goJSON, threeWayMergePatch, NO_SCHEMA, type PatchSchema } from '../../../src-main/kubectl/apply/three-way.ts';
import { modifiedConfiguration } from '../../../src-main/kubectl/apply/apply.ts';

/** containers merge by name, ports by containerPort, service ports by port (the upstream struct tags). */
const MERGE: Record<string, { strategy: string; mergeKey: string }> = {
  containers: { strategy: 'merge', mergeKey: 'name' },
  ports: { strategy: 'merge', mergeKey: 'containerPort' },
  env: { strategy: 'merge', mergeKey: 'name' },
};
const schema: PatchSchema = { field: (k) => ({ meta: MERGE[k] ?? {}, schema }) };

test('the kubectl-wire 47 case: deleted labels and ports become null, $setElementOrder for containers', () => {
  const original = { metadata: { labels: { tier: 'a' }, name: 'web' }, spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } } } };
  const modified = { metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', env: [{ name: 'MODE', value: 'v3' }] }, { name: 'sidecar', image: 'busybox:1.36', command: ['sleep', '3600'] }] } } } };
  const current = { metadata: { labels: { tier: 'a' }, name: 'web', uid: 'u' }, spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], imagePullPolicy: 'IfNotPresent' }] } } } };
  const patch = threeWayMergePatch(original, modified, current, schema);
  assert.equal(
    goJSON(patch),
    '{"metadata":{"labels":null},"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"},{"name":"sidecar"}],"containers":[{"env":[{"name":"MODE","value":"v3"}],"name":"nginx","ports":null},{"command":["sleep","3600"],"image":"busybox:1.36","name":"sidecar"}]}}}}',
  );
});

test('nothing changed: empty patch (kubectl prints "unchanged"); server defaults are kept', () => {
  const m = { spec: { replicas: 2 } };
  assert.deepEqual(threeWayMergePatch(m, m, { spec: { replicas: 2, revisionHistoryLimit: 10 } }, NO_SCHEMA), {});
});

// mergeMap(deletions, delta): the deletions patch's items come first, the delta's merged or appended after.
test('removed list items get a delete directive; changes come from current', () => {
  const original = { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } };
  const modified = { spec: { containers: [{ name: 'a', image: 'x2' }] } };
  const patch = threeWayMergePatch(original, modified, original, schema);
  assert.equal(goJSON(patch), '{"spec":{"$setElementOrder/containers":[{"name":"a"}],"containers":[{"$patch":"delete","name":"b"},{"image":"x2","name":"a"}]}}');
});

test('last-applied annotation is the manifest with empty annotations, as compact sorted JSON and a newline', () => {
  const { modified, annotation } = modifiedConfiguration({ kind: 'Service', apiVersion: 'v1', metadata: { name: 'web', namespace: 'default' }, spec: { type: 'NodePort' } });
  assert.equal(annotation, '{"apiVersion":"v1","kind":"Service","metadata":{"annotations":{},"name":"web","namespace":"default"},"spec":{"type":"NodePort"}}\n');
  assert.equal(modified.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], annotation);
});
