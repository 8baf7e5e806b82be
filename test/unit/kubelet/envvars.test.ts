/** The service links the kubelet writes into a container's environment (pkg/kubelet/envvars). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Service, ServicePort } from 'kubernetes-types/core/v1';
import { containerEnv, serviceEnvVars } from '../../../src-main/node/kubelet/envvars.ts';

const svc = (namespace: string, name: string, clusterIP: string, ports: ServicePort[]): Service =>
  ({ metadata: { namespace, name }, spec: { clusterIP, ports } }) as Service;

const SERVICES = [
  svc('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }]),
  svc('default', 'clusterip-hostname-service', '10.107.188.211', [{ port: 80, protocol: 'TCP' }]),
  svc('default', 'headless', 'None', [{ port: 80 }]),
  svc('other', 'dns-tcp', '10.96.0.20', [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }]),
];

test('every Service of the namespace with a cluster IP, in FromServices order; headless ones have none', () => {
  assert.deepEqual(Object.fromEntries(serviceEnvVars(SERVICES, 'default')), {
    CLUSTERIP_HOSTNAME_SERVICE_SERVICE_HOST: '10.107.188.211',
    CLUSTERIP_HOSTNAME_SERVICE_SERVICE_PORT: '80',
    CLUSTERIP_HOSTNAME_SERVICE_PORT: 'tcp://10.107.188.211:80',
    CLUSTERIP_HOSTNAME_SERVICE_PORT_80_TCP: 'tcp://10.107.188.211:80',
    CLUSTERIP_HOSTNAME_SERVICE_PORT_80_TCP_PROTO: 'tcp',
    CLUSTERIP_HOSTNAME_SERVICE_PORT_80_TCP_PORT: '80',
    CLUSTERIP_HOSTNAME_SERVICE_PORT_80_TCP_ADDR: '10.107.188.211',
    KUBERNETES_SERVICE_HOST: '10.96.0.1',
    KUBERNETES_SERVICE_PORT: '443',
    KUBERNETES_SERVICE_PORT_HTTPS: '443',
    KUBERNETES_PORT: 'tcp://10.96.0.1:443',
    KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443',
    KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
    KUBERNETES_PORT_443_TCP_PORT: '443',
    KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
  });
});

test('named ports and several protocols; another namespace gets kubernetes too, enableServiceLinks false only it', () => {
  const other = Object.fromEntries(serviceEnvVars(SERVICES, 'other'));
  assert.equal(other.DNS_TCP_SERVICE_PORT_DNS, '53');
  assert.equal(other.DNS_TCP_SERVICE_PORT_DNS_TCP, '53');
  assert.equal(other.DNS_TCP_PORT, 'udp://10.96.0.20:53');
  assert.equal(other.DNS_TCP_PORT_53_UDP_PROTO, 'udp');
  assert.equal(other.DNS_TCP_PORT_53_TCP, 'tcp://10.96.0.20:53');
  assert.equal(other.KUBERNETES_SERVICE_HOST, '10.96.0.1');
  assert.equal(other.CLUSTERIP_HOSTNAME_SERVICE_SERVICE_HOST, undefined);
  const noLinks = serviceEnvVars(SERVICES, 'default', false).map(([k]) => k);
  assert.ok(noLinks.every((k) => k.startsWith('KUBERNETES_')), noLinks.join(' '));
});

test('the container\'s own env wins and may refer to service variables with $(VAR)', () => {
  const env = containerEnv({ env: [{ name: 'KUBERNETES_SERVICE_PORT', value: '8443' }, { name: 'API', value: 'https://$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)/$(NOPE)$$(X)' }] }, serviceEnvVars(SERVICES, 'default'));
  assert.equal(env.KUBERNETES_SERVICE_PORT, '8443');
  assert.equal(env.API, 'https://10.96.0.1:8443/$(NOPE)$(X)');
  assert.equal(env.KUBERNETES_PORT, 'tcp://10.96.0.1:443');
});
