/** Services and slices from the reference sample (default/clusterip-hostname-service, default/nodeport-service). */
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice, Endpoint } from 'kubernetes-types/discovery/v1';

export function service(name: string, spec: Service['spec'], status?: Service['status'], namespace = 'default'): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec, status };
}

export interface EpSpec {
  ip: string;
  node?: string;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
  hostname?: string;
}

export function slice(
  svc: string,
  ports: Array<{ port: number; name?: string; protocol?: 'TCP' | 'UDP' }>,
  eps: EpSpec[],
  namespace = 'default',
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${svc}-abcde`, namespace, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4',
    ports: ports.map((p) => ({ port: p.port, name: p.name ?? '', protocol: p.protocol ?? 'TCP' })),
    endpoints: eps.map(
      (e): Endpoint => ({
        addresses: [e.ip],
        nodeName: e.node,
        hostname: e.hostname,
        conditions: { ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: e.terminating ?? false },
      }),
    ),
  };
}

export const seedServices: Service[] = [
  service('clusterip-hostname-service', { type: 'ClusterIP', clusterIP: '10.96.120.15', ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }], selector: { app: 'hostname-server' } }),
  service('nodeport-service', {
    type: 'NodePort',
    clusterIP: '10.96.201.17',
    ports: [{ port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }],
    externalTrafficPolicy: 'Cluster',
    selector: { app: 'web' },
  }),
];

export const seedSlices: EndpointSlice[] = [
  slice('clusterip-hostname-service', [{ port: 80 }], [
    { ip: '10.244.1.5', node: 'worker1' },
    { ip: '10.244.2.7', node: 'worker2' },
  ]),
  slice('nodeport-service', [{ port: 8080 }], [
    { ip: '10.244.1.6', node: 'worker1' },
    { ip: '10.244.2.8', node: 'worker2' },
  ]),
];

/** The `iptables-save -t nat` sample from the reference notes on kube-proxy (kubernetes-services.md, section 1). */
export const referenceNatSave = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-EXT-QATUYZLPU4I4HE4S - [0:0]
:KUBE-KUBELET-CANARY - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-PROXY-CANARY - [0:0]
:KUBE-SEP-4PR7ZYHKO5R3DHXP - [0:0]
:KUBE-SEP-4YYH4NGTWKGP52JC - [0:0]
:KUBE-SEP-675SGWHSMGDFZA6F - [0:0]
:KUBE-SEP-OCRK4AOHPZPR3MG5 - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-OUYLQREKC6TK7Y6H - [0:0]
:KUBE-SVC-QATUYZLPU4I4HE4S - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-EXT-QATUYZLPU4I4HE4S -m comment --comment "masquerade traffic for default/nodeport-service external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-QATUYZLPU4I4HE4S -j KUBE-SVC-QATUYZLPU4I4HE4S
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-NODEPORTS -p tcp -m comment --comment "default/nodeport-service" -m tcp --dport 30080 -j KUBE-EXT-QATUYZLPU4I4HE4S
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SEP-4PR7ZYHKO5R3DHXP -s 10.244.1.6/32 -m comment --comment "default/nodeport-service" -j KUBE-MARK-MASQ
-A KUBE-SEP-4PR7ZYHKO5R3DHXP -p tcp -m comment --comment "default/nodeport-service" -m tcp -j DNAT --to-destination 10.244.1.6:8080
-A KUBE-SEP-4YYH4NGTWKGP52JC -s 10.244.2.8/32 -m comment --comment "default/nodeport-service" -j KUBE-MARK-MASQ
-A KUBE-SEP-4YYH4NGTWKGP52JC -p tcp -m comment --comment "default/nodeport-service" -m tcp -j DNAT --to-destination 10.244.2.8:8080
-A KUBE-SEP-675SGWHSMGDFZA6F -s 10.244.1.5/32 -m comment --comment "default/clusterip-hostname-service" -j KUBE-MARK-MASQ
-A KUBE-SEP-675SGWHSMGDFZA6F -p tcp -m comment --comment "default/clusterip-hostname-service" -m tcp -j DNAT --to-destination 10.244.1.5:80
-A KUBE-SEP-OCRK4AOHPZPR3MG5 -s 10.244.2.7/32 -m comment --comment "default/clusterip-hostname-service" -j KUBE-MARK-MASQ
-A KUBE-SEP-OCRK4AOHPZPR3MG5 -p tcp -m comment --comment "default/clusterip-hostname-service" -m tcp -j DNAT --to-destination 10.244.2.7:80
-A KUBE-SERVICES -d 10.96.120.15/32 -p tcp -m comment --comment "default/clusterip-hostname-service cluster IP" -m tcp --dport 80 -j KUBE-SVC-OUYLQREKC6TK7Y6H
-A KUBE-SERVICES -d 10.96.201.17/32 -p tcp -m comment --comment "default/nodeport-service cluster IP" -m tcp --dport 80 -j KUBE-SVC-QATUYZLPU4I4HE4S
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-SVC-OUYLQREKC6TK7Y6H ! -s 10.244.0.0/16 -d 10.96.120.15/32 -p tcp -m comment --comment "default/clusterip-hostname-service cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-OUYLQREKC6TK7Y6H -m comment --comment "default/clusterip-hostname-service -> 10.244.1.5:80" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-675SGWHSMGDFZA6F
-A KUBE-SVC-OUYLQREKC6TK7Y6H -m comment --comment "default/clusterip-hostname-service -> 10.244.2.7:80" -j KUBE-SEP-OCRK4AOHPZPR3MG5
-A KUBE-SVC-QATUYZLPU4I4HE4S ! -s 10.244.0.0/16 -d 10.96.201.17/32 -p tcp -m comment --comment "default/nodeport-service cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-QATUYZLPU4I4HE4S -m comment --comment "default/nodeport-service -> 10.244.1.6:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-4PR7ZYHKO5R3DHXP
-A KUBE-SVC-QATUYZLPU4I4HE4S -m comment --comment "default/nodeport-service -> 10.244.2.8:8080" -j KUBE-SEP-4YYH4NGTWKGP52JC
COMMIT
`;
