/**
 * Shared set-up for the network-*.test.ts files: a cluster on a ManualClock with the controllers that exist so far
 * (deployment, replicaset, scheduler, gc), the load-balancer controller, and a stand-in EndpointSlice sync with the
 * upstream controller's conditions (ready / serving / terminating, nodeName, named targetPort resolution) until
 * src-main/controllers has its own. Plus the seed's objects and small request helpers.
 */
import assert from 'node:assert/strict';
import type { Container, Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice, Endpoint, EndpointPort } from 'kubernetes-types/discovery/v1';
import { Cluster } from '../../src-main/cluster/cluster.ts';
import type { Origin } from '../../src-main/cluster/network.ts';
import { ManualClock, type Clock } from '../../src-main/clock/clock.ts';
import { byKind } from '../../src-main/api/resources.ts';
import type { KubeObject } from '../../src-main/api/types.ts';
import type { Registry } from '../../src-main/registry/registry.ts';
import { Informers, WorkQueue, type Runtime } from '../../src-main/controllers/framework.ts';
import { startDeploymentController } from '../../src-main/controllers/deployment.ts';
import { startReplicaSetController } from '../../src-main/controllers/replicaset.ts';
import { startScheduler } from '../../src-main/controllers/scheduler.ts';
import { startGarbageCollector } from '../../src-main/controllers/gc.ts';
import { startLoadBalancerController, type LoadBalancerController } from '../../src-main/controllers/loadbalancer.ts';
import type { ConnectResult } from '../../src-main/node/netstack/types.ts';

export const PODS = byKind('Pod');
export const SERVICES = byKind('Service');
export const DEPLOYMENTS = byKind('Deployment');
export const SLICES = byKind('EndpointSlice');

export interface Lab {
  cluster: Cluster;
  reg: Registry;
  lb: LoadBalancerController;
  close(): Promise<void>;
}

export async function startLab(opts: { nodes?: number; lb?: boolean } = {}): Promise<Lab> {
  let lb!: LoadBalancerController;
  const cluster = await Cluster.start({
    nodes: opts.nodes ?? 3,
    clock: new ManualClock(Date.parse('2025-03-01T00:00:00Z')),
    startControllers: (reg, clock) => {
      const c = labControllers(reg, clock, opts.lb ?? true);
      lb = c.lb;
      return c;
    },
  });
  return { cluster, reg: cluster.registry, lb, close: () => cluster.close() };
}

function labControllers(reg: Registry, clock: Clock, lbOn: boolean) {
  const queues: WorkQueue[] = [];
  const informers = new Informers(reg);
  const rt: Runtime = {
    reg,
    clock,
    informers,
    queue: (name, reconcile) => {
      const q = new WorkQueue(name, clock, reconcile, { onError: (c, k, e) => console.error(`${c} ${k}:`, e) });
      queues.push(q);
      return q;
    },
  };
  startScheduler(rt, { random: () => 0 });
  startReplicaSetController(rt);
  startDeploymentController(rt);
  startGarbageCollector(rt);
  const slices = startSliceSync(reg);
  const lb = startLoadBalancerController(reg, clock, { enabled: lbOn });
  return {
    lb,
    stop() {
      for (const q of queues) q.stop();
      informers.stop();
      slices.stop();
      lb.stop();
    },
    async idle() {
      for (let i = 0; i < 100 && (queues.some((q) => q.busy) || lb.busy || slices.busy); i++) await new Promise((r) => setImmediate(r));
    },
  };
}

/** EndpointSlices for every selector Service, rewritten when pods or services change (one slice per port mapping). */
function startSliceSync(reg: Registry) {
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      syncSlices(reg);
    });
  };
  const watches = [reg.watch(PODS, {}, schedule), reg.watch(SERVICES, {}, schedule)];
  schedule();
  return { stop: () => watches.forEach((w) => w.stop()), get busy() { return scheduled; } };
}

function resolvePort(pod: Pod, target: number | string | undefined, port: number, protocol: string): number | undefined {
  if (target === undefined) return port;
  if (typeof target === 'number') return target;
  const c = (pod.spec?.containers ?? []).flatMap((x: Container) => x.ports ?? []).find((p) => p.name === target && (p.protocol ?? 'TCP') === protocol);
  return c?.containerPort;
}

function syncSlices(reg: Registry): void {
  const services = reg.list(SERVICES).items as unknown as Service[];
  const pods = reg.list(PODS).items as unknown as Pod[];
  const existing = reg.list(SLICES).items as unknown as EndpointSlice[];
  const wanted = new Map<string, EndpointSlice>();
  for (const svc of services) {
    const sel = svc.spec?.selector;
    if (!sel || svc.spec?.type === 'ExternalName') continue;
    const ns = svc.metadata!.namespace!;
    const groups = new Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }>();
    for (const pod of pods) {
      if (pod.metadata?.namespace !== ns || !pod.status?.podIP || pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') continue;
      if (!Object.entries(sel).every(([k, v]) => pod.metadata?.labels?.[k] === v)) continue;
      const ports: EndpointPort[] = [];
      for (const p of svc.spec?.ports ?? []) {
        const n = resolvePort(pod, p.targetPort, p.port, p.protocol ?? 'TCP');
        if (n !== undefined) ports.push({ name: p.name ?? '', port: n, protocol: p.protocol ?? 'TCP' });
      }
      const serving = pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
      const terminating = !!pod.metadata?.deletionTimestamp;
      const key = JSON.stringify(ports);
      const g = groups.get(key) ?? { ports, endpoints: [] };
      g.endpoints.push({
        addresses: [pod.status.podIP],
        conditions: { ready: (serving && !terminating) || !!svc.spec?.publishNotReadyAddresses, serving, terminating },
        nodeName: pod.spec?.nodeName,
        targetRef: { kind: 'Pod', namespace: ns, name: pod.metadata!.name!, uid: pod.metadata!.uid! },
      });
      groups.set(key, g);
    }
    [...groups.values()].forEach((g, i) => {
      const name = `${svc.metadata!.name}-ep${i}`;
      wanted.set(`${ns}/${name}`, {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name, namespace: ns, labels: { 'kubernetes.io/service-name': svc.metadata!.name!, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
        addressType: 'IPv4',
        ports: g.ports,
        endpoints: g.endpoints.sort((a, b) => a.addresses[0]!.localeCompare(b.addresses[0]!)),
      });
    });
  }
  for (const sl of existing) {
    const key = `${sl.metadata!.namespace}/${sl.metadata!.name}`;
    const want = wanted.get(key);
    wanted.delete(key);
    if (!want) reg.delete(SLICES, sl.metadata!.namespace, sl.metadata!.name!);
    else if (JSON.stringify([want.ports, want.endpoints]) !== JSON.stringify([sl.ports, sl.endpoints])) {
      reg.update(SLICES, { ...structuredClone(sl as unknown as KubeObject), ports: want.ports, endpoints: want.endpoints } as KubeObject);
    }
  }
  for (const [, sl] of wanted) reg.create(SLICES, sl.metadata!.namespace, sl as unknown as KubeObject);
}

export { seedDeployment } from '../fixtures/seed.ts';

export function service(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec } as KubeObject;
}

/** Advances the clock until `done` holds (at most `seconds`). */
export async function until(lab: Lab, done: () => boolean | Promise<boolean>, seconds = 120, what = 'condition'): Promise<void> {
  for (let i = 0; i < seconds; i++) {
    await lab.cluster.settle();
    if (await done()) return;
    await lab.cluster.advance(1000);
  }
  assert.fail(`timed out waiting for ${what}`);
}

export function runningPods(lab: Lab, app: string): Pod[] {
  return (lab.reg.list(PODS, { namespace: 'default' }).items as unknown as Pod[]).filter(
    (p) => p.metadata?.labels?.app === app && !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
}

/** Creates the seed Deployment (or another) and waits for its pods to be Ready and in every kube-proxy. */
export async function deploy(lab: Lab, obj: KubeObject): Promise<Pod[]> {
  lab.reg.create(DEPLOYMENTS, 'default', obj);
  const app = obj.metadata.name!;
  const want = (obj.spec as { replicas: number }).replicas;
  await until(lab, () => runningPods(lab, app).length === want, 120, `${app} pods ready`);
  await lab.cluster.settle();
  return runningPods(lab, app);
}

export function svcIP(lab: Lab, name: string): string {
  return (lab.reg.get(SERVICES, 'default', name) as unknown as Service).spec!.clusterIP!;
}

export function get(path = '/', host = 'x') {
  return { kind: 'http' as const, request: { method: 'GET', path, httpVersion: 'HTTP/1.1', headers: [['Host', host]] as Array<[string, string]>, body: '' } };
}

export function http(lab: Lab, origin: Origin, ip: string, port: number, path = '/'): Promise<ConnectResult> {
  return lab.cluster.network.connect(origin, { dst: { ip, port }, proto: 'tcp', payload: get(path, ip) });
}

/** The body of an OK HTTP answer (fails the test otherwise). */
export function body(r: ConnectResult): string {
  assert.ok(r.ok, `expected an answer, got ${r.ok ? '' : r.error}`);
  assert.ok(r.ok && r.response.kind === 'http');
  return r.ok && r.response.kind === 'http' ? r.response.response.body : '';
}

export function failure(r: ConnectResult): string {
  return r.ok ? 'ok' : r.error;
}

/** Which pod of the takytaky/hostname image answered: its page says `Hello,  <hostname>`. */
export function hostnameOf(r: ConnectResult): string {
  const m = /<p>Hello,\s+([^<]+)<\/p>/.exec(body(r));
  assert.ok(m, 'hostname page');
  return m![1]!.trim();
}

export async function natSave(lab: Lab, node: string): Promise<string> {
  return lab.cluster.node(node).call('iptablesSave', { table: 'nat' });
}
