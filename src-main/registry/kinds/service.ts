/**
 * Services claim cluster-wide resources on create and update: a ClusterIP from the service CIDR and NodePorts from
 * 30000-32767, with the errors kube-apiserver's allocators give (pkg/registry/core/service/storage/alloc.go).
 */
import type { Service } from '../../api/types.ts';
import type { KubeObject } from '../../api/types.ts';
import { field, goStringSlice, type FieldError } from '../../api/field-errors.ts';
import { errors } from '../../api/errors.ts';
import { byKind } from '../../api/resources.ts';
import { prepareServiceForUpdate } from '../../api/defaults/index.ts';
import { AllocationError, ClusterIPAllocator, NodePortAllocator, clusterIPAllocationDetail } from '../../net/allocators.ts';
import type { RegistryView } from '../strategy.ts';
import type { Allocation, Strategy } from '../strategy.ts';

interface Allocators {
  ips: ClusterIPAllocator;
  ports: NodePortAllocator;
}
const perRegistry = new WeakMap<RegistryView, Allocators>();

/** The allocators of one cluster, rebuilt from the stored services the first time (a restored cluster). */
function allocators(reg: RegistryView): Allocators {
  let a = perRegistry.get(reg);
  if (a) return a;
  a = { ips: new ClusterIPAllocator(), ports: new NodePortAllocator() };
  for (const o of reg.list(byKind('Service')).items) {
    for (const ip of claimedIPs(o)) a.ips.has(ip) || tryTake(() => a!.ips.allocate(ip));
    for (const p of claimedPorts(o)) a.ports.has(p) || tryTake(() => a!.ports.allocate(p));
  }
  perRegistry.set(reg, a);
  return a;
}

function tryTake(f: () => void): void {
  try {
    f();
  } catch {
    /* out of range: nothing to hold */
  }
}

const svcOf = (o: KubeObject) => o as unknown as Service & { spec: NonNullable<Service['spec']> };

function claimedIPs(o: KubeObject): string[] {
  const ips = svcOf(o).spec?.clusterIPs ?? (svcOf(o).spec?.clusterIP ? [svcOf(o).spec.clusterIP!] : []);
  return ips.filter((ip) => ip && ip !== 'None');
}

function claimedPorts(o: KubeObject): number[] {
  const spec = svcOf(o).spec;
  const ports = (spec?.ports ?? []).map((p) => p.nodePort ?? 0).filter((p) => p > 0);
  if (spec?.healthCheckNodePort) ports.push(spec.healthCheckNodePort);
  return ports;
}

function needsNodePorts(svc: Service): boolean {
  const t = svc.spec?.type;
  return t === 'NodePort' || (t === 'LoadBalancer' && svc.spec?.allocateLoadBalancerNodePorts !== false);
}

/** Claims what `obj` asks for that `old` did not hold; fills in what it leaves to the server. */
function claim(obj: KubeObject, old: KubeObject | undefined, reg: RegistryView): Allocation {
  const a = allocators(reg);
  const svc = svcOf(obj);
  const taken: Array<() => void> = [];
  const release = () => taken.forEach((f) => f());
  const fail = (errs: FieldError[]) => {
    release();
    throw errors.invalid('', 'Service', obj.metadata.name ?? '', errs);
  };
  const heldIPs = new Set(old ? claimedIPs(old) : []);
  const heldPorts = new Set(old ? claimedPorts(old) : []);

  if (svc.spec.type !== 'ExternalName' && svc.spec.clusterIP !== 'None') {
    const wanted = svc.spec.clusterIP;
    if (wanted && !heldIPs.has(wanted)) {
      try {
        a.ips.allocate(wanted);
        taken.push(() => a.ips.release(wanted));
      } catch (e) {
        if (e instanceof AllocationError) fail([field.invalid('spec.clusterIPs', goStringSlice([wanted]), clusterIPAllocationDetail(wanted, e))]);
        throw e;
      }
    } else if (!wanted) {
      const ip = a.ips.allocateNext();
      taken.push(() => a.ips.release(ip));
      svc.spec.clusterIP = ip;
      svc.spec.clusterIPs = [ip];
    }
  }

  if (needsNodePorts(svc)) {
    (svc.spec.ports ?? []).forEach((p, i) => {
      if (p.nodePort && !heldPorts.has(p.nodePort)) {
        try {
          a.ports.allocate(p.nodePort);
          const n = p.nodePort;
          taken.push(() => a.ports.release(n));
        } catch (e) {
          if (e instanceof AllocationError) fail([field.invalid(`spec.ports[${i}].nodePort`, p.nodePort, e.message)]);
          throw e;
        }
      } else if (!p.nodePort) {
        const n = a.ports.allocateNext();
        taken.push(() => a.ports.release(n));
        p.nodePort = n;
      }
    });
  }
  return { release };
}

const needsHealthCheck = (o: KubeObject | undefined) => !!o && svcOf(o).spec?.type === 'LoadBalancer' && svcOf(o).spec?.externalTrafficPolicy === 'Local';

/**
 * updateHealthCheckNodePort (alloc.go): a Service that comes to need a health-check node port (LoadBalancer with
 * externalTrafficPolicy Local) gets the one it asks for or the next free one, before validation requires it. Giving
 * it back when the need goes is releaseDropped's, once prepareForUpdate has cleared the field.
 */
function claimHealthCheckNodePort(obj: KubeObject, old: KubeObject | undefined, reg: RegistryView): Allocation | undefined {
  if (!needsHealthCheck(obj) || needsHealthCheck(old)) return undefined;
  const a = allocators(reg);
  const spec = svcOf(obj).spec;
  const wanted = spec.healthCheckNodePort;
  try {
    if (wanted) a.ports.allocate(wanted);
    else spec.healthCheckNodePort = a.ports.allocateNext();
  } catch (e) {
    if (!(e instanceof AllocationError)) throw e;
    throw errors.internal(wanted ? `failed to allocate requested HealthCheck NodePort ${wanted}: ${e.message}` : `failed to allocate a HealthCheck NodePort 0: ${e.message}`);
  }
  const port = spec.healthCheckNodePort!;
  return { release: () => a.ports.release(port) };
}

/** Gives back what `old` held and `obj` no longer does. */
function releaseDropped(obj: KubeObject | undefined, old: KubeObject, reg: RegistryView): void {
  const a = allocators(reg);
  const keepIPs = new Set(obj ? claimedIPs(obj) : []);
  const keepPorts = new Set(obj ? claimedPorts(obj) : []);
  for (const ip of claimedIPs(old)) if (!keepIPs.has(ip)) a.ips.release(ip);
  for (const p of claimedPorts(old)) if (!keepPorts.has(p)) a.ports.release(p);
}

export const serviceStrategy: Strategy = {
  prepareForCreate(obj) {
    obj.status = { loadBalancer: {} };
  },
  prepareForUpdate(obj, old) {
    prepareServiceForUpdate(obj as never, old as never);
    // Leaving NodePort/LoadBalancer drops the node ports the client did not set itself.
    if (!needsNodePorts(svcOf(obj))) for (const p of svcOf(obj).spec?.ports ?? []) delete p.nodePort;
    // dropTypeDependentFields: no longer Local (or no longer a LoadBalancer), an unchanged health-check port goes.
    const spec = svcOf(obj).spec;
    if (needsHealthCheck(old) && !needsHealthCheck(obj) && spec && spec.healthCheckNodePort === svcOf(old).spec.healthCheckNodePort) delete spec.healthCheckNodePort;
  },
  beginWrite(obj, old, reg, dryRun) {
    const a = claimHealthCheckNodePort(obj, old, reg);
    if (dryRun) a?.release();
    return dryRun ? undefined : a;
  },
  allocate(obj, reg, dryRun) {
    const a = claim(obj, undefined, reg);
    if (dryRun) a.release();
    return a;
  },
  reallocate(obj, old, reg, dryRun) {
    const a = claim(obj, old, reg);
    if (dryRun) a.release();
    else releaseDropped(obj, old, reg);
    return a;
  },
  released(gone, reg) {
    releaseDropped(undefined, gone, reg);
  },
};
