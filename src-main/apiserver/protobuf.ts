/**
 * Decodes protobuf request bodies (`application/vnd.kubernetes.protobuf`) that kubectl 1.32+ typed clients send:
 * the `k8s\0` magic, a runtime.Unknown envelope {1: TypeMeta{1 apiVersion, 2 kind}, 2: raw object}, then the object
 * with the field numbers of k8s.io/api generated.proto. Go's gogo-protobuf writes every non-pointer field, so zero
 * values are dropped unless the Go field is a pointer (marked `ptr`), which gives the JSON a Go client would send.
 */
import { errors } from '../api/errors.ts';
import { DecodeError } from './decode/json.ts';

type Scalar = 'string' | 'int32' | 'int64' | 'bool' | 'bytes';
interface FieldDef {
  name: string;
  type: Scalar | 'map' | 'time' | 'intstr' | 'quantity' | 'quantitymap' | string; // string = message name
  repeated?: boolean;
  ptr?: boolean;
}
type MessageDef = Record<number, FieldDef>;

const f = (name: string, type: FieldDef['type'], extra: Partial<FieldDef> = {}): FieldDef => ({ name, type, ...extra });
const rep = (name: string, type: FieldDef['type']): FieldDef => ({ name, type, repeated: true });

const MESSAGES: Record<string, MessageDef> = {
  TypeMeta: { 1: f('apiVersion', 'string'), 2: f('kind', 'string') },
  ObjectMeta: {
    1: f('name', 'string'), 2: f('generateName', 'string'), 3: f('namespace', 'string'), 5: f('uid', 'string'),
    6: f('resourceVersion', 'string'), 7: f('generation', 'int64'), 8: f('creationTimestamp', 'time'),
    9: f('deletionTimestamp', 'time'), 10: f('deletionGracePeriodSeconds', 'int64', { ptr: true }),
    11: f('labels', 'map'), 12: f('annotations', 'map'), 13: rep('ownerReferences', 'OwnerReference'), 14: rep('finalizers', 'string'),
  },
  OwnerReference: {
    1: f('kind', 'string'), 3: f('name', 'string'), 4: f('uid', 'string'), 5: f('apiVersion', 'string'),
    6: f('controller', 'bool', { ptr: true }), 7: f('blockOwnerDeletion', 'bool', { ptr: true }),
  },
  LabelSelector: { 1: f('matchLabels', 'map'), 2: rep('matchExpressions', 'LabelSelectorRequirement') },
  LabelSelectorRequirement: { 1: f('key', 'string'), 2: f('operator', 'string'), 3: rep('values', 'string') },
  Deployment: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'DeploymentSpec') },
  DeploymentSpec: {
    1: f('replicas', 'int32', { ptr: true }), 2: f('selector', 'LabelSelector'), 3: f('template', 'PodTemplateSpec'),
    4: f('strategy', 'DeploymentStrategy'), 5: f('minReadySeconds', 'int32'), 6: f('revisionHistoryLimit', 'int32', { ptr: true }),
    7: f('paused', 'bool'), 9: f('progressDeadlineSeconds', 'int32', { ptr: true }),
  },
  DeploymentStrategy: { 1: f('type', 'string'), 2: f('rollingUpdate', 'RollingUpdateDeployment') },
  RollingUpdateDeployment: { 1: f('maxUnavailable', 'intstr'), 2: f('maxSurge', 'intstr') },
  PodTemplateSpec: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'PodSpec') },
  PodSpec: {
    2: rep('containers', 'Container'), 3: f('restartPolicy', 'string'), 4: f('terminationGracePeriodSeconds', 'int64', { ptr: true }),
    5: f('activeDeadlineSeconds', 'int64', { ptr: true }), 6: f('dnsPolicy', 'string'), 7: f('nodeSelector', 'map'),
    8: f('serviceAccountName', 'string'), 10: f('nodeName', 'string'), 11: f('hostNetwork', 'bool'), 12: f('hostPID', 'bool'),
    13: f('hostIPC', 'bool'), 16: f('hostname', 'string'), 17: f('subdomain', 'string'), 19: f('schedulerName', 'string'),
    20: rep('initContainers', 'Container'), 24: f('priorityClassName', 'string'), 25: f('priority', 'int32', { ptr: true }),
    30: f('enableServiceLinks', 'bool', { ptr: true }),
  },
  Container: {
    1: f('name', 'string'), 2: f('image', 'string'), 3: rep('command', 'string'), 4: rep('args', 'string'), 5: f('workingDir', 'string'),
    6: rep('ports', 'ContainerPort'), 7: rep('env', 'EnvVar'), 8: f('resources', 'ResourceRequirements'), 9: rep('volumeMounts', 'VolumeMount'),
    13: f('terminationMessagePath', 'string'), 14: f('imagePullPolicy', 'string'), 16: f('stdin', 'bool'), 17: f('stdinOnce', 'bool'),
    18: f('tty', 'bool'), 20: f('terminationMessagePolicy', 'string'),
  },
  ContainerPort: { 1: f('name', 'string'), 2: f('hostPort', 'int32'), 3: f('containerPort', 'int32'), 4: f('protocol', 'string'), 5: f('hostIP', 'string') },
  EnvVar: { 1: f('name', 'string'), 2: f('value', 'string') },
  ResourceRequirements: { 1: f('limits', 'quantitymap'), 2: f('requests', 'quantitymap') },
  VolumeMount: { 1: f('name', 'string'), 2: f('readOnly', 'bool'), 3: f('mountPath', 'string'), 4: f('subPath', 'string') },
  Service: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'ServiceSpec') },
  ServiceSpec: {
    1: rep('ports', 'ServicePort'), 2: f('selector', 'map'), 3: f('clusterIP', 'string'), 4: f('type', 'string'), 5: rep('externalIPs', 'string'),
    7: f('sessionAffinity', 'string'), 8: f('loadBalancerIP', 'string'), 9: rep('loadBalancerSourceRanges', 'string'), 10: f('externalName', 'string'),
    11: f('externalTrafficPolicy', 'string'), 12: f('healthCheckNodePort', 'int32'), 13: f('publishNotReadyAddresses', 'bool'),
    17: f('ipFamilyPolicy', 'string', { ptr: true }), 18: rep('clusterIPs', 'string'), 19: rep('ipFamilies', 'string'),
    20: f('allocateLoadBalancerNodePorts', 'bool', { ptr: true }), 21: f('loadBalancerClass', 'string', { ptr: true }),
    22: f('internalTrafficPolicy', 'string', { ptr: true }),
  },
  ServicePort: { 1: f('name', 'string'), 2: f('protocol', 'string'), 3: f('port', 'int32'), 4: f('targetPort', 'intstr'), 5: f('nodePort', 'int32'), 6: f('appProtocol', 'string', { ptr: true }) },
  Namespace: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'NamespaceSpec') },
  NamespaceSpec: { 1: rep('finalizers', 'string') },
  ConfigMap: { 1: f('metadata', 'ObjectMeta'), 2: f('data', 'map'), 3: f('binaryData', 'bytesmap'), 4: f('immutable', 'bool', { ptr: true }) },
};

interface RawField {
  no: number;
  wire: number;
  varint?: bigint;
  bytes?: Buffer;
}

function readVarint(buf: Buffer, pos: { i: number }): bigint {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos.i >= buf.length || shift > 63n) throw new DecodeError('unexpected EOF');
    const b = buf[pos.i++];
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return result;
    shift += 7n;
  }
}

function readFields(buf: Buffer): RawField[] {
  const out: RawField[] = [];
  const pos = { i: 0 };
  while (pos.i < buf.length) {
    const key = Number(readVarint(buf, pos));
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ no, wire, varint: readVarint(buf, pos) });
    else if (wire === 2) {
      const len = Number(readVarint(buf, pos));
      if (len < 0 || pos.i + len > buf.length) throw new DecodeError('unexpected EOF');
      out.push({ no, wire, bytes: buf.subarray(pos.i, pos.i + len) });
      pos.i += len;
    } else if (wire === 1) pos.i += 8;
    else if (wire === 5) pos.i += 4;
    else throw new DecodeError(`proto: illegal wireType ${wire}`);
    if (pos.i > buf.length) throw new DecodeError('unexpected EOF');
  }
  return out;
}

function mapEntry(bytes: Buffer): [string, Buffer | undefined] {
  let key = '';
  let value: Buffer | undefined;
  for (const rf of readFields(bytes)) {
    if (rf.no === 1) key = rf.bytes?.toString('utf8') ?? '';
    else if (rf.no === 2) value = rf.bytes;
  }
  return [key, value];
}

function isEmpty(v: unknown): boolean {
  if (v === '' || v === 0 || v === false || v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}

function scalar(def: FieldDef, rf: RawField): unknown {
  switch (def.type) {
    case 'string':
      return rf.bytes!.toString('utf8');
    case 'bytes':
      return rf.bytes!.toString('base64');
    case 'int32':
      return Number(BigInt.asIntN(32, rf.varint ?? 0n));
    case 'int64':
      return Number(BigInt.asIntN(64, rf.varint ?? 0n));
    case 'bool':
      return (rf.varint ?? 0n) !== 0n;
    case 'time': {
      let seconds = 0;
      for (const t of readFields(rf.bytes!)) if (t.no === 1) seconds = Number(BigInt.asIntN(64, t.varint ?? 0n));
      const date = new Date(seconds * 1000);
      return seconds === 0 || Number.isNaN(date.getTime()) ? undefined : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    case 'intstr': {
      let type = 0;
      let intVal = 0;
      let strVal = '';
      for (const t of readFields(rf.bytes!)) {
        if (t.no === 1) type = Number(t.varint);
        else if (t.no === 2) intVal = Number(BigInt.asIntN(32, t.varint ?? 0n));
        else if (t.no === 3) strVal = t.bytes?.toString('utf8') ?? '';
      }
      return type === 1 ? strVal : intVal;
    }
    default:
      return decodeMessage(def.type, rf.bytes!);
  }
}

function decodeMessage(name: string, buf: Buffer): Record<string, unknown> {
  const def = MESSAGES[name];
  if (!def) throw new Error(`no protobuf schema for ${name}`);
  const out: Record<string, unknown> = {};
  for (const rf of readFields(buf)) {
    const fd = def[rf.no];
    if (!fd) continue;
    const wantVarint = fd.type === 'int32' || fd.type === 'int64' || fd.type === 'bool';
    if ((rf.wire === 0) !== wantVarint || (rf.wire !== 0 && rf.wire !== 2)) {
      throw new DecodeError(`proto: wrong wireType = ${rf.wire} for field ${fd.name[0].toUpperCase()}${fd.name.slice(1)}`);
    }
    if (fd.type === 'map' || fd.type === 'quantitymap' || fd.type === 'bytesmap') {
      const [k, v] = mapEntry(rf.bytes!);
      let value: string;
      if (fd.type === 'quantitymap') value = v ? (readFields(v).find((x) => x.no === 1)?.bytes?.toString('utf8') ?? '') : '';
      else if (fd.type === 'bytesmap') value = (v ?? Buffer.alloc(0)).toString('base64');
      else value = v?.toString('utf8') ?? '';
      out[fd.name] = { ...((out[fd.name] as object) ?? {}), [k]: value };
      continue;
    }
    const value = scalar(fd, rf);
    if (fd.repeated) (out[fd.name] = (out[fd.name] as unknown[]) ?? []) && (out[fd.name] as unknown[]).push(value);
    else out[fd.name] = value;
  }
  for (const fd of Object.values(def)) {
    const v = out[fd.name];
    if (v === undefined) delete out[fd.name];
    else if (!fd.ptr && isEmpty(v)) delete out[fd.name];
  }
  return out;
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** `k8s\0` + runtime.Unknown → the object as JSON would carry it (apiVersion, kind, then the fields). */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) throw new DecodeError('empty data');
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) {
    throw new DecodeError('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  try {
    const env = readFields(body.subarray(4));
    const typeMeta = env.find((x) => x.no === 1);
    const raw = env.find((x) => x.no === 2);
    const tm = typeMeta?.bytes ? decodeMessage('TypeMeta', typeMeta.bytes) : {};
    const kind = String(tm.kind ?? '');
    if (!MESSAGES[kind]) throw errors.unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
    return { apiVersion: tm.apiVersion, kind, ...decodeMessage(kind, raw?.bytes ?? Buffer.alloc(0)) };
  } catch (e) {
    if (e instanceof Error && (e.name === 'StatusError' || e instanceof DecodeError)) throw e;
    throw new DecodeError('unexpected EOF');
  }
}
