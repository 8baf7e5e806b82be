import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults, prepareServiceForUpdate } from '../../../src-main/api/defaults/index.ts';
import { nodePortRangeErrors, validateCreate, validateUpdate } from '../../../src-main/api/validation/index.ts';
import { fieldErrorString } from '../../../src-main/api/field-errors.ts';
import { errors } from '../../../src-main/api/errors.ts';

 
function svc(spec: any, name = 'web'): any {
  const s = { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', resourceVersion: '1' }, spec } as any;
  applyDefaults(s);
  return s;
}
const msgs = (o: any, old?: any) => (old ? validateUpdate(o, old) : validateCreate(o)).map(fieldErrorString);

test('valid services of every type', () => {
  assert.deepEqual(msgs(svc({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] })), []);
  assert.deepEqual(msgs(svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })), []);
  assert.deepEqual(msgs(svc({ type: 'LoadBalancer', ports: [{ port: 80 }], loadBalancerSourceRanges: ['10.0.0.0/8'] })), []);
  assert.deepEqual(msgs(svc({ clusterIP: 'None', selector: { app: 'web' } })), []);
  assert.deepEqual(msgs(svc({ type: 'ExternalName', externalName: 'example.com.' })), []);
});

test('service names are DNS-1035 labels', () => {
  assert.deepEqual(msgs(svc({ ports: [{ port: 80 }] }, '1web')), [
    "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  ]);
});

test('ports: required, names when several, duplicates, ranges, targetPort names', () => {
  assert.deepEqual(msgs(svc({})), ['spec.ports: Required value']);
  assert.deepEqual(msgs(svc({ ports: [{ port: 80 }, { port: 80, name: 'b' }, { port: 0, name: 'b', targetPort: 'Web' }] })), [
    'spec.ports[0].name: Required value',
    'spec.ports[2].name: Duplicate value: "b"',
    'spec.ports[2].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    'spec.ports[2].targetPort: Invalid value: "Web": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
  ]);
  assert.deepEqual(msgs(svc({ ports: [{ port: 53, protocol: 'ICMP' }] })), ['spec.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"']);
});

test('nodePort rules: forbidden on ClusterIP, duplicates, range (allocator message)', () => {
  const c = svc({ ports: [{ port: 80, nodePort: 30080 }] });
  assert.deepEqual(msgs(c), ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
  assert.equal(
    errors.invalid('', 'Service', 'web', validateCreate(c)).message,
    "Service \"web\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
  );
  assert.deepEqual(msgs(svc({ type: 'NodePort', ports: [{ port: 80, name: 'a', nodePort: 30080 }, { port: 81, name: 'b', nodePort: 30080 }] })), [
    'spec.ports[1].nodePort: Duplicate value: 30080',
  ]);
  assert.deepEqual(nodePortRangeErrors(svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] })).map(fieldErrorString), [
    'spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
  ]);
});

test('headless NodePort / LoadBalancer and ExternalName rules', () => {
  assert.deepEqual(msgs(svc({ type: 'NodePort', clusterIP: 'None', ports: [{ port: 80 }] })), [
    "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services",
  ]);
  assert.deepEqual(msgs(svc({ type: 'LoadBalancer', clusterIP: 'None', ports: [{ port: 80 }] })), [
    "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services",
  ]);
  assert.deepEqual(msgs(svc({ type: 'ExternalName' })), ['spec.externalName: Required value']);
  assert.deepEqual(msgs(svc({ type: 'ExternalName', externalName: 'Bad_Host', clusterIP: '10.96.0.9', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' })), [
    'spec.clusterIPs: Forbidden: may not be set for ExternalName services',
    'spec.ipFamilies: Forbidden: may not be set for ExternalName services',
    'spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services',
    "spec.externalName: Invalid value: \"Bad_Host\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
});

test('selector values, session affinity, traffic policies, source ranges', () => {
  assert.deepEqual(msgs(svc({ selector: { app: 'a b' }, ports: [{ port: 80 }] })), [
    "spec.selector: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  ]);
  assert.deepEqual(msgs(svc({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 90000 } }, ports: [{ port: 80 }] })), [
    'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 90000: must be greater than 0 and less than 86400',
  ]);
  assert.deepEqual(msgs(svc({ sessionAffinity: 'Sticky', ports: [{ port: 80 }] })), [
    'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"',
  ]);
  assert.deepEqual(msgs(svc({ externalTrafficPolicy: 'Local', ports: [{ port: 80 }] })), [
    'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
  ]);
  assert.deepEqual(msgs(svc({ loadBalancerSourceRanges: ['10.0.0.0/33'], ports: [{ port: 80 }] })), [
    "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
    'spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
  ]);
  assert.deepEqual(msgs(svc({ type: 'Balanced', ports: [{ port: 80 }] })), [
    'spec.type: Unsupported value: "Balanced": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
  ]);
  assert.deepEqual(msgs(svc({ externalIPs: ['127.0.0.1', 'x'], ports: [{ port: 80 }] })), [
    'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    'spec.externalIPs[1]: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
  ]);
});

test('clusterIP: may not change once set; first value must match', () => {
  const old = svc({ ports: [{ port: 80 }], clusterIP: '10.96.0.10' });
  const next = svc({ ports: [{ port: 80 }], clusterIP: '10.96.0.99' });
  prepareServiceForUpdate(next, old);
  assert.deepEqual(msgs(next, old), ['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.99"}: may not change once set']);
  const kept = svc({ ports: [{ port: 81 }] });
  prepareServiceForUpdate(kept, old);
  assert.deepEqual(msgs(kept, old), []);
  const mismatch = svc({ ports: [{ port: 80 }], clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.2'] });
  assert.deepEqual(msgs(mismatch), ['spec.clusterIPs: Invalid value: []string{"10.96.0.2"}: first value must match `clusterIP`']);
});
