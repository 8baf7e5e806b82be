import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults } from '../../../src-main/api/defaults/index.ts';
import { validateCreate, validateUpdate, POD_UPDATE_FORBIDDEN_PREFIX } from '../../../src-main/api/validation/index.ts';
import { fieldErrorString } from '../../../src-main/api/field-errors.ts';
import { errors } from '../../../src-main/api/errors.ts';
import type { KubeObject } from '../../../src-main/api/types.ts';

 
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const msgs = (o: KubeObject, old?: KubeObject) => (old ? validateUpdate(o, old) : validateCreate(o)).map(fieldErrorString);

function pod(spec: any = { containers: [{ name: 'web', image: 'nginx' }] }, meta: any = {}): any {
  const p = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', ...meta }, spec } as any;
  applyDefaults(p);
  return p;
}

function deployment(spec: any, name = 'web'): any {
  const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' }, spec } as any;
  applyDefaults(d);
  return d;
}

const template = (labels: Record<string, string> = { app: 'web' }) => ({ metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx' }] } });

test('a defaulted pod is valid', () => {
  assert.deepEqual(msgs(pod()), []);
});

test('metadata: name rules and the full Invalid message kubectl prints', () => {
  const p = pod(undefined, { name: 'Web_1' });
  assert.deepEqual(msgs(p), [`metadata.name: Invalid value: "Web_1": ${SUBDOMAIN}`]);
  assert.equal(errors.invalid('', 'Pod', 'Web_1', validateCreate(p)).message, `Pod "Web_1" is invalid: metadata.name: Invalid value: "Web_1": ${SUBDOMAIN}`);
  assert.deepEqual(msgs(pod(undefined, { name: '' })), ['metadata.name: Required value: name or generateName is required']);
  assert.deepEqual(msgs(pod(undefined, { namespace: '' })), ['metadata.namespace: Required value']);
  assert.deepEqual(msgs(pod(undefined, { labels: { app: 'a b' } })), [`metadata.labels: Invalid value: "a b": ${LABEL_VALUE}`]);
  assert.deepEqual(msgs(pod(undefined, { annotations: { 'a/b/c': 'x' } })), [
    "metadata.annotations: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
  ]);
  assert.deepEqual(msgs(pod(undefined, { finalizers: ['custom'] })), [
    'metadata.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
  ]);
});

test('containers: required list, name and image, duplicate names, ports', () => {
  assert.deepEqual(msgs(pod({ containers: [] })), ['spec.containers: Required value']);
  assert.deepEqual(msgs(pod({ containers: [{ name: '', image: '' }] })), ['spec.containers[0].name: Required value', 'spec.containers[0].image: Required value']);
  assert.deepEqual(msgs(pod({ containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] })), ['spec.containers[1].name: Duplicate value: "a"']);
  assert.deepEqual(
    msgs(pod({ containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 0 }, { containerPort: 70000, name: 'http' }, { containerPort: 81, name: 'http', protocol: 'HTTP' }] }] })),
    [
      'spec.containers[0].ports[0].containerPort: Required value',
      'spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[2].name: Duplicate value: "http"',
      'spec.containers[0].ports[2].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    ],
  );
  assert.deepEqual(msgs(pod({ containers: [{ name: 'a', image: ' nginx' }] })), [
    'spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace',
  ]);
});

test('probes, restartPolicy and tolerations', () => {
  const p = pod({ restartPolicy: 'Sometimes', containers: [{ name: 'a', image: 'x', livenessProbe: { successThreshold: 2, tcpSocket: { port: 'HTTP' } } }] });
  assert.deepEqual(msgs(p), [
    'spec.containers[0].livenessProbe.tcpSocket.port: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    'spec.containers[0].livenessProbe.tcpSocket.port: Invalid value: "HTTP": must contain at least one letter (a-z)',
    'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
    'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
  ]);
  assert.deepEqual(msgs(pod({ containers: [{ name: 'a', image: 'x', readinessProbe: {} }] })), [
    'spec.containers[0].readinessProbe: Required value: must specify a handler type',
  ]);
  assert.deepEqual(msgs(pod({ containers: [{ name: 'a', image: 'x' }], tolerations: [{ key: 'k', operator: 'Exists', value: 'v', tolerationSeconds: 5 }] })), [
    "spec.tolerations[0].effect: Invalid value: \"\": effect must be 'NoExecute' when `tolerationSeconds` is set",
    "spec.tolerations[0].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
  ]);
});

test('pod update: only images, activeDeadlineSeconds and tolerations may change', () => {
  const old = pod({ containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] }, { resourceVersion: '5' });
  const image = structuredClone(old);
  image.spec.containers[0].image = 'nginx:1.27';
  assert.deepEqual(msgs(image, old), []);
  const port = structuredClone(old);
  port.spec.containers[0].ports[0].containerPort = 81;
  const errs = validateUpdate(port, old);
  assert.equal(errs.length, 1);
  assert.equal(errs[0].field, 'spec');
  assert.equal(errs[0].type, 'FieldValueForbidden');
  assert.ok(errs[0].detail!.startsWith(`${POD_UPDATE_FORBIDDEN_PREFIX}\n  core.PodSpec{`));
  assert.ok(errs[0].detail!.includes('-') && errs[0].detail!.includes('ContainerPort: 80') && errs[0].detail!.includes('ContainerPort: 81'));
  assert.equal(
    POD_UPDATE_FORBIDDEN_PREFIX,
    'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
  );
  const added = structuredClone(old);
  added.spec.containers.push({ name: 'b', image: 'x', terminationMessagePolicy: 'File', imagePullPolicy: 'Always' });
  assert.deepEqual(msgs(added, old), ['spec.containers: Forbidden: pod updates may not add or remove containers']);
  const renamed = structuredClone(old);
  renamed.metadata.name = 'other';
  assert.deepEqual(msgs(renamed, old), ['metadata.name: Invalid value: "other": field is immutable']);
  const noRV = structuredClone(old);
  delete noRV.metadata.resourceVersion;
  assert.deepEqual(msgs(noRV, old), ['metadata.resourceVersion: Invalid value: "": must be specified for an update']);
});

test('Deployment: valid, missing selector, mismatched labels, empty selector', () => {
  assert.deepEqual(msgs(deployment({ selector: { matchLabels: { app: 'web' } }, template: template() })), []);
  assert.deepEqual(msgs(deployment({ template: template() })), [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
  ]);
  const d = deployment({ selector: { matchLabels: { app: 'api' } }, template: template({ app: 'web', tier: 'fe' }) });
  assert.equal(
    errors.invalid('apps', 'Deployment', 'web', validateCreate(d)).message,
    'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"web", "tier":"fe"}: `selector` does not match template `labels`',
  );
  assert.deepEqual(msgs(deployment({ selector: {}, template: template() })), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
  ]);
  assert.deepEqual(msgs(deployment({ selector: { matchExpressions: [{ key: 'app', operator: 'In' }] }, template: template() })), [
    "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
  ]);
});

test('Deployment: template restartPolicy, strategy, replicas, progress deadline', () => {
  const t = template();
  (t.spec as any).restartPolicy = 'Never';
  assert.deepEqual(
    msgs(deployment({ replicas: -1, selector: { matchLabels: { app: 'web' } }, template: t, strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } }, minReadySeconds: 700 })),
    [
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"0%"}: may not be 0 when `maxSurge` is 0',
      'spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds',
    ],
  );
  assert.deepEqual(msgs(deployment({ selector: { matchLabels: { app: 'web' } }, template: template(), strategy: { type: 'Recreate', rollingUpdate: {} } })), [
    "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
  ]);
  assert.deepEqual(msgs(deployment({ selector: { matchLabels: { app: 'web' } }, template: template(), strategy: { rollingUpdate: { maxSurge: '1x' } } })), [
    "spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"1x\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
  ]);
});

test('Deployment and ReplicaSet selectors are immutable on update', () => {
  const old = deployment({ selector: { matchLabels: { app: 'web' } }, template: template() });
  old.metadata.resourceVersion = '3';
  const next = structuredClone(old);
  next.spec.selector = { matchLabels: { app: 'web2' } };
  next.spec.template.metadata.labels = { app: 'web2' };
  assert.deepEqual(msgs(next, old), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
  const rs = { ...structuredClone(old), kind: 'ReplicaSet' } as any;
  delete rs.spec.strategy;
  const rs2 = structuredClone(rs);
  rs2.spec.selector = { matchLabels: { app: 'x' } };
  rs2.spec.template.metadata.labels = { app: 'x' };
  assert.deepEqual(msgs(rs, rs), []);
  assert.equal(msgs(rs2, rs).at(-1)?.endsWith(': field is immutable'), true);
});
