/** `kubectl create <generator>`, `expose`, `run`: the objects kubectl's generators build, POSTed as it does. */
import { KubectlError, kindPrefix, resourcePath } from './api.ts';
import type { Ctx } from './context.ts';
import { printObjects } from './output.ts';
import { runCreateFromFiles } from './apply/apply.ts';

type Obj = Record<string, unknown>;

async function post(ctx: Ctx, typed: string, object: Obj, manager: string, verb = 'created'): Promise<number> {
  const r = await ctx.api.resolve(typed);
  const ns = r.namespaced ? ctx.namespace : undefined;
  const dryRun = ctx.flags.spec('dry-run') ? ctx.flags.str('dry-run') : 'none';
  const query: Record<string, string> = { fieldManager: manager, fieldValidation: 'Strict' };
  let result = object;
  if (dryRun === 'server') query.dryRun = 'All';
  if (dryRun !== 'client' && dryRun !== 'unchanged' && dryRun !== 'true') {
    result = await ctx.api.call('POST', resourcePath(r, ns), { query, body: object, resource: r });
  }
  const output = ctx.flags.spec('output') ? ctx.flags.str('output') : '';
  const suffix = dryRun === 'client' || dryRun === 'true' || dryRun === 'unchanged' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
  if (output) ctx.io.stdout(printObjects(output, [{ resource: r, object: result }], true));
  else ctx.io.stdout(`${kindPrefix(r)}/${(result.metadata as { name: string }).name} ${verb}${suffix}\n`);
  return 0;
}

function requireName(ctx: Ctx, usage: string): string {
  if (ctx.args.length === 0) throw new KubectlError(`NAME is required`);
  if (ctx.args.length > 1) throw new KubectlError(`exactly one NAME is required, got ${ctx.args.length}\nSee '${usage} -h' for help and examples`, 1);
  return ctx.args[0];
}

/** The container name kubectl derives from an image: the last path segment without tag or digest. */
function containerName(image: string): string {
  const last = image.split('/').pop() ?? image;
  return last.split('@')[0].split(':')[0];
}

export async function createDeployment(ctx: Ctx): Promise<number> {
  const name = requireName(ctx, 'kubectl create deployment');
  const images = ctx.flags.list('image');
  if (images.length === 0) throw new KubectlError(`required flag(s) "image" not set`);
  const port = ctx.flags.int('port');
  const labels = { app: name };
  const containers = images.map((image) => ({ name: containerName(image), image, resources: {}, ...(port >= 0 && ctx.flags.has('port') ? { ports: [{ containerPort: port }] } : {}) }));
  const deployment = {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: { name, creationTimestamp: null, labels },
    spec: { replicas: ctx.flags.int('replicas'), selector: { matchLabels: labels }, template: { metadata: { creationTimestamp: null, labels }, spec: { containers } }, strategy: {} },
    status: {},
  };
  return post(ctx, 'deployments.apps', deployment, 'kubectl-create');
}

function servicePorts(tcp: string[]): Obj[] {
  return tcp.map((spec) => {
    const [p, t] = spec.split(':');
    const port = Number(p);
    const target = t === undefined ? port : /^\d+$/.test(t) ? Number(t) : t;
    return { name: `${p}-${t ?? p}`, protocol: 'TCP', port, targetPort: target };
  });
}

function createService(type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName') {
  return async (ctx: Ctx): Promise<number> => {
    const name = requireName(ctx, `kubectl create service ${type.toLowerCase()}`);
    const tcp = ctx.flags.list('tcp');
    if (type !== 'ExternalName' && tcp.length === 0 && !(type === 'ClusterIP' && ctx.flags.str('clusterip') === 'None')) {
      throw new KubectlError(`at least one tcp port specifier must be provided`);
    }
    const ports = servicePorts(tcp);
    if (type === 'NodePort' && ctx.flags.int('node-port') > 0) for (const p of ports) p.nodePort = ctx.flags.int('node-port');
    const spec: Obj = { ports, selector: { app: name }, type };
    if (type === 'ExternalName') spec.externalName = ctx.flags.str('external-name');
    if (ctx.flags.spec('clusterip') && ctx.flags.str('clusterip')) spec.clusterIP = ctx.flags.str('clusterip');
    const svc = { kind: 'Service', apiVersion: 'v1', metadata: { name, creationTimestamp: null, labels: { app: name } }, spec, status: { loadBalancer: {} } };
    return post(ctx, 'services', svc, 'kubectl-create');
  };
}
export const createServiceClusterIP = createService('ClusterIP');
export const createServiceNodePort = createService('NodePort');
export const createServiceLoadBalancer = createService('LoadBalancer');
export const createServiceExternalName = createService('ExternalName');

export async function createNamespace(ctx: Ctx): Promise<number> {
  const name = requireName(ctx, 'kubectl create namespace');
  return post(ctx, 'namespaces', { kind: 'Namespace', apiVersion: 'v1', metadata: { name, creationTimestamp: null }, spec: {}, status: {} }, 'kubectl-create');
}

export async function createConfigMap(ctx: Ctx): Promise<number> {
  const name = requireName(ctx, 'kubectl create configmap');
  const data: Record<string, string> = {};
  for (const lit of ctx.flags.list('from-literal')) {
    const eq = lit.indexOf('=');
    if (eq <= 0) throw new KubectlError(`invalid literal source ${lit}, expected key=value`);
    data[lit.slice(0, eq)] = lit.slice(eq + 1);
  }
  for (const f of ctx.flags.list('from-file')) {
    const [key, path] = f.includes('=') ? f.split('=', 2) : [f.split('/').pop() ?? f, f];
    data[key] = await ctx.io.readFile(path.startsWith('/') ? path : `${ctx.io.cwd}/${path}`);
  }
  const cm: Obj = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name, creationTimestamp: null } };
  if (Object.keys(data).length) cm.data = data;
  return post(ctx, 'configmaps', cm, 'kubectl-create');
}

export async function runCreate(ctx: Ctx): Promise<number> {
  if (ctx.flags.list('filename').length === 0 && !ctx.flags.str('kustomize')) {
    if (ctx.args.length > 0) throw new KubectlError(`unknown command "${ctx.args[0]}"\nSee 'kubectl create -h' for help and examples`);
    throw new KubectlError('must specify one of -f and -k');
  }
  return runCreateFromFiles(ctx);
}

export async function runExpose(ctx: Ctx): Promise<number> {
  if (ctx.args.length === 0) throw new KubectlError(`You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'`);
  const [typed, maybeName] = ctx.args[0].includes('/') ? ctx.args[0].split('/') : [ctx.args[0], ctx.args[1]];
  const r = await ctx.api.resolve(typed);
  const src = await ctx.api.call<Obj & { metadata: { name: string; labels?: Record<string, string> }; spec?: Obj }>('GET', resourcePath(r, ctx.namespace, maybeName), { resource: r, name: maybeName });
  let selector: Record<string, string> | undefined;
  let containerPorts: { containerPort: number; protocol?: string; name?: string }[] = [];
  const spec = (src.spec ?? {}) as { selector?: Record<string, unknown>; template?: { spec?: { containers?: { ports?: { containerPort: number }[] }[] } }; containers?: { ports?: { containerPort: number }[] }[]; ports?: { port: number }[] };
  if (r.kind === 'Service') selector = spec.selector as Record<string, string>;
  else if (r.kind === 'Pod') selector = src.metadata.labels;
  else selector = (spec.selector as { matchLabels?: Record<string, string> })?.matchLabels;
  const containers = r.kind === 'Pod' ? spec.containers : spec.template?.spec?.containers;
  for (const c of containers ?? []) containerPorts.push(...(c.ports ?? []));
  if (r.kind === 'Service') containerPorts = (spec.ports ?? []).map((p) => ({ containerPort: p.port }));
  const portFlag = ctx.flags.str('port');
  const target = ctx.flags.str('target-port');
  const protocol = ctx.flags.str('protocol') || 'TCP';
  const targetValue = (p: number) => (target ? (/^\d+$/.test(target) ? Number(target) : target) : p);
  let ports: Obj[];
  if (portFlag) ports = [{ protocol, port: Number(portFlag), targetPort: targetValue(Number(portFlag)) }];
  else if (containerPorts.length > 0) {
    ports = containerPorts.map((p, i) => ({ ...(containerPorts.length > 1 ? { name: `port-${i + 1}` } : {}), protocol: p.protocol ?? protocol, port: p.containerPort, targetPort: targetValue(p.containerPort) }));
  } else throw new KubectlError(`couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples`, 1);
  const name = ctx.flags.str('name') || src.metadata.name;
  const svcSpec: Obj = { ports, selector };
  if (ctx.flags.str('type')) svcSpec.type = ctx.flags.str('type');
  if (ctx.flags.str('cluster-ip')) svcSpec.clusterIP = ctx.flags.str('cluster-ip');
  const labels = ctx.flags.str('labels') ? Object.fromEntries(ctx.flags.str('labels').split(',').map((kv) => kv.split('='))) : src.metadata.labels;
  const svc = { kind: 'Service', apiVersion: 'v1', metadata: { name, creationTimestamp: null, ...(labels ? { labels } : {}) }, spec: svcSpec, status: { loadBalancer: {} } };
  return post(ctx, 'services', svc, 'kubectl-expose', 'exposed');
}

export async function runRun(ctx: Ctx): Promise<number> {
  if (ctx.args.length === 0) throw new KubectlError(`NAME is required for run\nSee 'kubectl run -h' for help and examples`, 1);
  const name = ctx.args[0];
  const image = ctx.flags.str('image');
  if (!image) throw new KubectlError(`required flag(s) "image" not set`);
  const labels = ctx.flags.str('labels') ? Object.fromEntries(ctx.flags.str('labels').split(',').map((kv) => kv.split('='))) : { run: name };
  const container: Obj = { name, image, resources: {} };
  const extra = ctx.argsLenAtDash >= 0 ? ctx.args.slice(ctx.argsLenAtDash) : ctx.args.slice(1);
  if (extra.length) container[ctx.flags.bool('command') ? 'command' : 'args'] = extra;
  if (ctx.flags.has('port')) container.ports = [{ containerPort: ctx.flags.int('port') }];
  const env = ctx.flags.list('env').map((kv) => ({ name: kv.split('=')[0], value: kv.slice(kv.indexOf('=') + 1) }));
  if (env.length) container.env = env;
  const restart = ctx.flags.str('restart') || 'Always';
  const pod = {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name, creationTimestamp: null, labels },
    spec: { containers: [container], restartPolicy: restart, dnsPolicy: 'ClusterFirst' },
    status: {},
  };
  return post(ctx, 'pods', pod, 'kubectl-run');
}
