import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admitPod, applyDefaults, imageTag, prepareServiceForUpdate } from '../../../src-main/api/defaults/index.ts';
import type { KubeObject } from '../../../src-main/api/types.ts';

 
const obj = (kind: string, rest: Record<string, unknown>, apiVersion = 'v1'): any =>
  ({ apiVersion, kind, metadata: { name: 'x', namespace: 'default' }, ...rest }) as KubeObject;

test('image tags decide imagePullPolicy like parsers.ParseImageName', () => {
  assert.equal(imageTag('nginx'), 'latest');
  assert.equal(imageTag('nginx:1.27'), '1.27');
  assert.equal(imageTag('localhost:5000/app'), 'latest');
  assert.equal(imageTag('localhost:5000/app:v2'), 'v2');
  assert.equal(imageTag('nginx@sha256:abc'), '');
});

test('Pod defaults: spec, containers, ports, probes, enableServiceLinks', () => {
  const pod = obj('Pod', {
    spec: {
      containers: [
        { name: 'a', image: 'nginx', ports: [{ containerPort: 80 }], readinessProbe: { httpGet: { port: 80 } } },
        { name: 'b', image: 'busybox:1.36', resources: { limits: { cpu: '1' } } },
      ],
    },
  });
  applyDefaults(pod);
  const s = pod.spec;
  assert.equal(s.restartPolicy, 'Always');
  assert.equal(s.dnsPolicy, 'ClusterFirst');
  assert.equal(s.schedulerName, 'default-scheduler');
  assert.equal(s.terminationGracePeriodSeconds, 30);
  assert.deepEqual(s.securityContext, {});
  assert.equal(s.enableServiceLinks, true);
  assert.equal(s.serviceAccountName, undefined);
  const [a, b] = s.containers;
  assert.equal(a.imagePullPolicy, 'Always');
  assert.equal(b.imagePullPolicy, 'IfNotPresent');
  assert.equal(a.terminationMessagePath, '/dev/termination-log');
  assert.equal(a.terminationMessagePolicy, 'File');
  assert.deepEqual(a.resources, {});
  assert.deepEqual(b.resources.requests, { cpu: '1' });
  assert.equal(a.ports[0].protocol, 'TCP');
  assert.deepEqual(a.readinessProbe, {
    httpGet: { port: 80, path: '/', scheme: 'HTTP' },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
});

test('admitPod adds the DefaultTolerationSeconds tolerations and priority, once', () => {
  const pod = obj('Pod', { spec: { containers: [{ name: 'a', image: 'x' }] } });
  admitPod(pod);
  assert.deepEqual(pod.spec.tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
  assert.equal(pod.spec.priority, 0);
  assert.equal(pod.spec.preemptionPolicy, 'PreemptLowerPriority');
  admitPod(pod);
  assert.equal(pod.spec.tolerations.length, 2);
  const tolerant = obj('Pod', { spec: { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }] } });
  admitPod(tolerant);
  assert.deepEqual(tolerant.spec.tolerations.map((t: any) => [t.key, t.tolerationSeconds]), [
    ['node.kubernetes.io/unreachable', 5],
    ['node.kubernetes.io/not-ready', 300],
  ]);
});

test('Deployment defaults, template defaulted as a PodSpec but without enableServiceLinks', () => {
  const d = obj('Deployment', { spec: { selector: { matchLabels: { app: 'w' } }, template: { spec: { containers: [{ name: 'w', image: 'nginx:1' }] } } } }, 'apps/v1');
  applyDefaults(d);
  assert.equal(d.spec.replicas, 1);
  assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(d.spec.revisionHistoryLimit, 10);
  assert.equal(d.spec.progressDeadlineSeconds, 600);
  assert.equal(d.spec.template.spec.restartPolicy, 'Always');
  assert.equal(d.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
  assert.equal(d.spec.template.spec.enableServiceLinks, undefined);
  const recreate = obj('Deployment', { spec: { strategy: { type: 'Recreate' }, template: {} } }, 'apps/v1');
  applyDefaults(recreate);
  assert.deepEqual(recreate.spec.strategy, { type: 'Recreate' });
  const rs = obj('ReplicaSet', { spec: { template: {} } }, 'apps/v1');
  applyDefaults(rs);
  assert.equal(rs.spec.replicas, 1);
});

test('Service defaults for ClusterIP, NodePort, LoadBalancer, ClientIP affinity, headless and ExternalName', () => {
  const c = obj('Service', { spec: { selector: { app: 'w' }, ports: [{ port: 80 }] } });
  applyDefaults(c);
  assert.deepEqual(c.spec, {
    selector: { app: 'w' },
    ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    sessionAffinity: 'None',
    type: 'ClusterIP',
    internalTrafficPolicy: 'Cluster',
    ipFamilyPolicy: 'SingleStack',
    ipFamilies: ['IPv4'],
  });
  const lb = obj('Service', { spec: { type: 'LoadBalancer', sessionAffinity: 'ClientIP', ports: [{ port: 80, targetPort: 'http' }] } });
  applyDefaults(lb);
  assert.equal(lb.spec.externalTrafficPolicy, 'Cluster');
  assert.equal(lb.spec.allocateLoadBalancerNodePorts, true);
  assert.deepEqual(lb.spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
  assert.equal(lb.spec.ports[0].targetPort, 'http');
  const np = obj('Service', { spec: { type: 'NodePort', ports: [{ port: 80 }] } });
  applyDefaults(np);
  assert.equal(np.spec.externalTrafficPolicy, 'Cluster');
  assert.equal(np.spec.allocateLoadBalancerNodePorts, undefined);
  const headless = obj('Service', { spec: { clusterIP: 'None' } });
  applyDefaults(headless);
  assert.deepEqual(headless.spec.clusterIPs, ['None']);
  assert.equal(headless.spec.ipFamilyPolicy, 'RequireDualStack');
  const headlessSel = obj('Service', { spec: { clusterIP: 'None', selector: { a: 'b' } } });
  applyDefaults(headlessSel);
  assert.equal(headlessSel.spec.ipFamilyPolicy, 'SingleStack');
  const en = obj('Service', { spec: { type: 'ExternalName', externalName: 'example.com' } });
  applyDefaults(en);
  assert.equal(en.spec.ipFamilies, undefined);
  assert.equal(en.spec.ipFamilyPolicy, undefined);
  assert.equal(en.spec.internalTrafficPolicy, undefined);
  assert.equal(en.spec.externalTrafficPolicy, undefined);
});

test('prepareServiceForUpdate keeps allocated IPs and node ports a client left out', () => {
  const old = obj('Service', {
    spec: { type: 'NodePort', clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: [{ port: 80, nodePort: 30080 }] },
  });
  const next = obj('Service', { spec: { type: 'NodePort', ports: [{ port: 80 }] } });
  applyDefaults(next);
  prepareServiceForUpdate(next, old);
  assert.equal(next.spec.clusterIP, '10.96.0.5');
  assert.deepEqual(next.spec.clusterIPs, ['10.96.0.5']);
  assert.equal(next.spec.ports[0].nodePort, 30080);
  const changed = obj('Service', { spec: { type: 'NodePort', clusterIP: '10.96.0.9', ports: [{ port: 80 }] } });
  applyDefaults(changed);
  prepareServiceForUpdate(changed, old);
  assert.deepEqual(changed.spec.clusterIPs, ['10.96.0.9']);
});

test('Namespace, Node, Endpoints and EndpointSlice defaults', () => {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } } as any;
  applyDefaults(ns);
  assert.deepEqual(ns.metadata.labels, { 'kubernetes.io/metadata.name': 'team-a' });
  assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(ns.status, { phase: 'Active' });
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { capacity: { cpu: '2', pods: '110' } } } as any;
  applyDefaults(node);
  assert.deepEqual(node.status.allocatable, { cpu: '2', pods: '110' });
  const ep = obj('Endpoints', { subsets: [{ addresses: [{ ip: '10.244.1.5' }], ports: [{ port: 80 }] }] });
  applyDefaults(ep);
  assert.equal(ep.subsets[0].ports[0].protocol, 'TCP');
  const slice = obj('EndpointSlice', { addressType: 'IPv4', endpoints: [], ports: [{ port: 80 }] }, 'discovery.k8s.io/v1');
  applyDefaults(slice);
  assert.deepEqual(slice.ports, [{ port: 80, name: '', protocol: 'TCP' }]);
});

test('volume defaults the 1.32 apiserver applies in templates: fieldRef apiVersion everywhere, in-tree source tags', () => {
  const d = obj('Deployment', {
    spec: {
      selector: { matchLabels: { app: 'w' } },
      template: {
        spec: {
          containers: [{ name: 'w', image: 'nginx:1' }],
          volumes: [
            { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
            { name: 'all', projected: { sources: [{ downwardAPI: { items: [{ path: 'n', fieldRef: { fieldPath: 'metadata.name' } }] } }] } },
            { name: 'disk', iscsi: { targetPortal: '10.0.0.1:3260', iqn: 'iqn.x', lun: 0 } },
          ],
        },
      },
    },
  }, 'apps/v1');
  applyDefaults(d);
  const [info, all, disk] = d.spec.template.spec.volumes;
  assert.deepEqual(info.downwardAPI, { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels', apiVersion: 'v1' } }], defaultMode: 420 });
  assert.equal(all.projected.sources[0].downwardAPI.items[0].fieldRef.apiVersion, 'v1');
  assert.equal(all.projected.defaultMode, 420);
  assert.equal(disk.iscsi.iscsiInterface, 'default');
});
