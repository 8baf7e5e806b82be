import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1';
import { byKind } from '../../../src-main/api/resources.ts';
import type { KubeObject } from '../../../src-main/api/types.ts';
import { humanDuration, translateTimestampSince } from '../../../src-main/printers/duration.ts';
import { tableFor } from '../../../src-main/printers/table/table.ts';
import { podCells } from '../../../src-main/printers/table/pod-cells.ts';
import { printJSONPath } from '../../../src-main/printers/text/jsonpath.ts';
import { parseCustomColumns, printCustomColumns } from '../../../src-main/printers/text/custom-columns.ts';
import { pod, T0 } from './fixtures.ts';

test('HumanDuration follows the AGE table of the reference', () => {
  const s = 1000, m = 60 * s, h = 60 * m, d = 24 * h, y = 365 * d;
  const cases: [number, string][] = [
    [-2 * s, '<invalid>'], [-1500, '0s'], [0, '0s'], [119 * s, '119s'], [2 * m, '2m'], [2 * m + 5 * s, '2m5s'],
    [9 * m + 59 * s, '9m59s'], [10 * m + 30 * s, '10m'], [179 * m, '179m'], [3 * h, '3h'], [7 * h + 59 * m, '7h59m'],
    [8 * h + 30 * m, '8h'], [47 * h, '47h'], [2 * d, '2d'], [7 * d + 23 * h, '7d23h'], [8 * d, '8d'], [729 * d, '729d'],
    [2 * y, '2y'], [7 * y + 364 * d, '7y364d'], [9 * y, '9y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms}ms`);
  assert.equal(translateTimestampSince(undefined, T0), '<unknown>');
  assert.equal(translateTimestampSince('2026-11-25T18:16:50Z', T0), '<invalid>');
});

function podWith(mut: (p: Pod) => void): Pod {
  const p = pod('p-1', '10.0.0.1', 60) as unknown as Pod;
  mut(p);
  return p;
}

test('pod STATUS and RESTARTS as kube-apiserver prints them', () => {
  const status = (p: Pod) => podCells(p, T0)[2];
  assert.equal(status(podWith(() => {})), 'Running');
  assert.equal(status(podWith((p) => (p.status!.containerStatuses![0] = { name: 'nginx', ready: false, restartCount: 4, image: '', imageID: '', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: new Date(T0 - 90_000).toISOString() } } }))), 'CrashLoopBackOff');
  const crash = podWith((p) => (p.status!.containerStatuses![0] = { name: 'nginx', ready: false, restartCount: 4, image: '', imageID: '', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: new Date(T0 - 90_000).toISOString() } } }));
  assert.deepEqual(podCells(crash, T0).slice(1, 4), ['0/1', 'CrashLoopBackOff', '4 (90s ago)']);
  assert.equal(status(podWith((p) => (p.status!.containerStatuses![0].state = { waiting: { reason: 'ContainerCreating' } }))), 'ContainerCreating');
  assert.equal(status(podWith((p) => Object.assign(p.metadata!, { deletionTimestamp: new Date(T0).toISOString() }))), 'Terminating');
  assert.equal(status(podWith((p) => { Object.assign(p.metadata!, { deletionTimestamp: new Date(T0).toISOString() }); p.status!.reason = 'NodeLost'; })), 'Unknown');
  assert.equal(status(podWith((p) => { p.status!.phase = 'Succeeded'; p.status!.containerStatuses![0].state = { terminated: { exitCode: 0, reason: 'Completed' } }; })), 'Completed');
  const init = podWith((p) => {
    p.spec!.initContainers = [{ name: 'a' }, { name: 'b' }];
    p.status!.phase = 'Pending';
    p.status!.conditions = [];
    p.status!.initContainerStatuses = [
      { name: 'a', ready: false, restartCount: 0, image: '', imageID: '', state: { terminated: { exitCode: 0 } } },
      { name: 'b', ready: false, restartCount: 0, image: '', imageID: '', state: { running: {} } },
    ];
  });
  assert.equal(status(init), 'Init:1/2');
});

test('Table JSON: columns, wide cells and PartialObjectMetadata rows', () => {
  const p = pod('web-1', '10.244.0.15', 5);
  const t = tableFor(byKind('Pod'), [p], { now: T0, resourceVersion: '1020' });
  assert.equal(t.kind, 'Table');
  assert.equal(t.metadata.resourceVersion, '1020');
  assert.deepEqual(t.columnDefinitions.map((c) => [c.name, c.priority]), [['Name', 0], ['Ready', 0], ['Status', 0], ['Restarts', 0], ['Age', 0], ['IP', 1], ['Node', 1], ['Nominated Node', 1], ['Readiness Gates', 1]]);
  assert.match(t.columnDefinitions[0].description, /^Name must be unique within a namespace\./);
  assert.deepEqual(t.rows[0].cells, ['web-1', '1/1', 'Running', '0', '5s', '10.244.0.15', 'node-1', '<none>', '<none>']);
  assert.deepEqual(t.rows[0].object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: p.metadata });
  assert.equal((tableFor(byKind('Pod'), [p], { now: T0, includeObject: 'Object' }).rows[0].object as KubeObject).kind, 'Pod');
  assert.equal(tableFor(byKind('Pod'), [p], { now: T0, includeObject: 'None' }).rows[0].object, undefined);
});

test('events, nodes, configmaps, leases, endpointslices cells', () => {
  const ev: KubeObject = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.1' }, involvedObject: { kind: 'ReplicaSet', name: 'web-75f175961b' }, type: 'Normal', reason: 'SuccessfulCreate', message: 'Created pod: web-75f175961b-aed5e', source: { component: 'replicaset-controller' }, firstTimestamp: new Date(T0 - 31_000).toISOString(), lastTimestamp: new Date(T0 - 31_000).toISOString(), count: 1 };
  const et = tableFor(byKind('Event'), [ev], { now: T0 });
  assert.deepEqual(et.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name), ['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
  assert.deepEqual(et.rows[0].cells, ['31s', 'Normal', 'SuccessfulCreate', 'replicaset/web-75f175961b', '', 'replicaset-controller', 'Created pod: web-75f175961b-aed5e', '31s', 1, 'web.1']);
  const n: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2', labels: { 'node-role.kubernetes.io/worker': '' } }, spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } };
  assert.deepEqual(tableFor(byKind('Node'), [n], { now: T0 }).rows[0].cells.slice(0, 3), ['n2', 'NotReady,SchedulingDisabled', 'worker']);
  const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: 'b', c: 'd' } };
  assert.deepEqual(tableFor(byKind('ConfigMap'), [cm], { now: T0 }).rows[0].cells.slice(0, 2), ['cfg', 2]);
  const slice: KubeObject = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abcde' }, addressType: 'IPv4', ports: [{ port: 80 }], endpoints: ['1', '2', '3', '4'].map((i) => ({ addresses: [`10.0.0.${i}`] })) };
  assert.deepEqual(tableFor(byKind('EndpointSlice'), [slice], { now: T0 }).rows[0].cells.slice(1, 4), ['IPv4', '80', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...']);
});

test('jsonpath and custom-columns', () => {
  const list = { kind: 'List', items: [pod('a', '10.0.0.1', 1), pod('b', '10.0.0.2', 1)] };
  assert.equal(printJSONPath('{.items[*].metadata.name}', list), 'a b');
  assert.equal(printJSONPath('{range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}', list), 'a\t10.0.0.1\nb\t10.0.0.2\n');
  assert.equal(printJSONPath('{.items[?(@.metadata.name=="b")].status.podIP}', list), '10.0.0.2');
  assert.equal(printJSONPath('{.metadata.labels}', pod('c', '1', 1, { tier: '<fe>', app: 'web' })), '{"app":"web","tier":"\\u003cfe\\u003e"}');
  assert.equal(printJSONPath('{.items[-1].metadata.name} {.missing}', list), 'b ');
  assert.equal(printJSONPath("{.items[0].metadata.labels['app']}", list), 'web');
  const cols = parseCustomColumns('NAME:.metadata.name,IP:.status.podIP,GATES:.spec.readinessGates');
  assert.equal(printCustomColumns(cols, list.items), 'NAME   IP         GATES\na      10.0.0.1   <none>\nb      10.0.0.2   <none>\n');
});
