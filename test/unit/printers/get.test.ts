import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byKind } from '../../../src-main/api/resources.ts';
import type { KubeObject } from '../../../src-main/api/types.ts';
import { tableFor } from '../../../src-main/printers/table/table.ts';
import { printGet, type GetPrintOptions } from '../../../src-main/printers/text/human.ts';
import { WatchPrinter } from '../../../src-main/printers/text/watch.ts';
import { printNames } from '../../../src-main/printers/text/name.ts';
import { deployment, endpoints, node, pod, replicaSet, service, T0 } from './fixtures.ts';
import { wireOutput } from './wire.ts';

function get(kinds: [string, KubeObject[]][], opts: Partial<GetPrintOptions>, now = T0) {
  return printGet(
    kinds.map(([k, objs]) => ({ resource: byKind(k), table: tableFor(byKind(k), objs, { now }) })),
    { namespace: 'default', withKind: kinds.length > 1, ...opts },
  );
}

const pods = [pod('web-899518b685-15b29', '10.244.0.15', 4), pod('web-899518b685-757d3', '10.244.0.16', 4), pod('web-899518b685-ca72d', '10.244.0.17', 4)];
for (const p of pods) (p.spec as { containers: { image: string }[] }).containers[0].image = 'nginx:1.28';
const svcs = [service('kubernetes', '10.96.0.1', 443, 7), service('web', '10.96.0.14', 80, 7, { app: 'web' })];
const eps = [endpoints('kubernetes', ['192.168.49.2'], 6443, 7), endpoints('web', ['10.244.0.15', '10.244.0.16', '10.244.0.17'], 80, 7)];

test('get pods,svc,deploy,nodes,endpoints matches real kubectl (08-get-multi)', () => {
  const out = get([['Pod', pods], ['Service', svcs], ['Deployment', [deployment(7, 'nginx:1.28', 3)]], ['Node', [node(7)]], ['Endpoints', eps]], {});
  assert.equal(out.stdout, wireOutput('08-get-multi.out'));
  assert.equal(out.stderr, '');
});

test('get ... -o wide with replicasets matches real kubectl (09-get-multi-wide)', () => {
  const rss = [replicaSet('899518b685', 4, 'nginx:1.28', 3), replicaSet('cc9c31fd18', 7, 'nginx:1.27', 0)];
  const out = get([['Pod', pods], ['Service', svcs], ['Deployment', [deployment(7, 'nginx:1.28', 3)]], ['Node', [node(7)]], ['Endpoints', eps], ['ReplicaSet', rss]], { wide: true });
  assert.equal(out.stdout, wireOutput('09-get-multi-wide.out'));
});

test('get pods -A --show-labels matches real kubectl (13-get-A)', () => {
  const out = get([['Pod', pods]], { allNamespaces: true, showLabels: true }, T0 + 12_000);
  assert.equal(out.stdout, wireOutput('13-get-A.out'));
});

test('get svc web, get pods -o name (15-get-single, 14-get-l)', () => {
  assert.equal(get([['Service', [svcs[1]]]], {}, T0 + 12_000).stdout, wireOutput('15-get-single.out'));
  assert.equal(printNames(byKind('Pod'), pods.map((p) => p.metadata.name!)), wireOutput('14-get-l.out'));
});

test('nothing found goes to stderr', () => {
  assert.deepEqual(get([['Pod', []]], {}), { stdout: '', stderr: 'No resources found in default namespace.\n' });
  assert.deepEqual(get([['Pod', []]], { allNamespaces: true }), { stdout: '', stderr: 'No resources found\n' });
});

test('seed transcript: get svc,deploy,pod', () => {
  const now = Date.parse('2021-12-18T00:00:00Z');
  const ago = (s: number) => new Date(now - s * 1000).toISOString();
  const svc = (name: string, ip: string, port: number, age: number) => ({ ...service(name, ip, port, 0), metadata: { name, namespace: 'default', creationTimestamp: ago(age) } });
  const dep = { ...deployment(0, 'takytaky/hostname', 2), metadata: { name: 'hostname-server', namespace: 'default', creationTimestamp: ago(17 * 60) } };
  const mkPod = (name: string) => ({ ...pod(name, '10.0.0.1', 0), metadata: { name, namespace: 'default', creationTimestamp: ago(17 * 60) } });
  const out = printGet(
    [
      { resource: byKind('Service'), table: tableFor(byKind('Service'), [svc('clusterip-hostname-service', '10.107.188.211', 80, 17 * 60), svc('kubernetes', '10.96.0.1', 443, 25 * 86400)], { now }) },
      { resource: byKind('Deployment'), table: tableFor(byKind('Deployment'), [dep], { now }) },
      { resource: byKind('Pod'), table: tableFor(byKind('Pod'), [mkPod('hostname-server-7c85cc96dc-hrjt4'), mkPod('hostname-server-7c85cc96dc-ttmmw')], { now }) },
    ],
    { namespace: 'default', withKind: true },
  );
  assert.equal(
    out.stdout,
    `NAME                                 TYPE        CLUSTER-IP       EXTERNAL-IP   PORT(S)   AGE
service/clusterip-hostname-service   ClusterIP   10.107.188.211   <none>        80/TCP    17m
service/kubernetes                   ClusterIP   10.96.0.1        <none>        443/TCP   25d

NAME                              READY   UP-TO-DATE   AVAILABLE   AGE
deployment.apps/hostname-server   2/2     2            2           17m

NAME                                   READY   STATUS    RESTARTS   AGE
pod/hostname-server-7c85cc96dc-hrjt4   1/1     Running   0          17m
pod/hostname-server-7c85cc96dc-ttmmw   1/1     Running   0          17m
`,
  );
});

test('watch with --output-watch-events -o wide matches real kubectl (18-watch-events-wide)', () => {
  const w = new WatchPrinter(byKind('Pod'), { wide: true, outputWatchEvents: true });
  const r = byKind('Pod');
  const at = (name: string, ip: string, age: number) => pod(name, ip, age);
  let out = w.print(tableFor(r, [at('web-cc9c31fd18-4584a', '10.244.0.18', 5), at('web-cc9c31fd18-65ad1', '10.244.0.17', 12), at('web-cc9c31fd18-ab9de', '10.244.0.15', 13), at('web-cc9c31fd18-eeb59', '10.244.0.16', 13)], { now: T0 }));
  out += w.print(tableFor(r, [at('web-cc9c31fd18-4584a', '10.244.0.18', 8)], { now: T0 }), 'DELETED');
  out += w.print(tableFor(r, [at('web-cc9c31fd18-0c04f', '10.244.0.19', 0)], { now: T0 }), 'ADDED');
  assert.equal(out, wireOutput('18-watch-events-wide.out'));
});

test('watch prints the header once (16-watch-pods)', () => {
  const w = new WatchPrinter(byKind('Pod'), {});
  const r = byKind('Pod');
  let out = w.print(tableFor(r, [pod('web-cc9c31fd18-34868', '1', 15), pod('web-cc9c31fd18-a038e', '1', 16), pod('web-cc9c31fd18-e3c9b', '1', 16)], { now: T0 }));
  out += w.print(tableFor(r, [pod('web-cc9c31fd18-1b89d', '1', 0)], { now: T0 }), 'ADDED');
  out += w.print(tableFor(r, [pod('web-cc9c31fd18-1b89d', '1', 1)], { now: T0, noHeaders: true }), 'MODIFIED');
  out += w.print(tableFor(r, [pod('web-cc9c31fd18-1ad3a', '1', 0)], { now: T0 }), 'ADDED');
  assert.equal(out, wireOutput('16-watch-pods.out'));
});
