/** kube-controller-manager + kube-scheduler for the simulated cluster: one call starts them all on shared informers. */
import type { Clock } from '../clock/clock.ts';
import type { Registry } from '../registry/registry.ts';
import { Informers, WorkQueue, type Runtime } from './framework.ts';
import { startDeploymentController } from './deployment/controller.ts';
import { startReplicaSetController } from './replicaset.ts';
import { startScheduler } from './scheduler.ts';
import { startGarbageCollector } from './gc.ts';
import { startNamespaceController } from './namespace.ts';
import { startNodeLifecycleController, type NodeLifecycleOptions } from './nodelifecycle.ts';
import { startTaintEvictionController } from './tainteviction.ts';
import { startDaemonSetController } from './daemonset.ts';
import { startEndpointsController } from './endpoints.ts';
import { startEndpointSliceController } from './endpointslice.ts';
import { startPodGC, type PodGCOptions } from './podgc.ts';
import { startLoadBalancerController, type LoadBalancerController, type LoadBalancerOptions } from './loadbalancer.ts';

export type ControllerName =
  | 'deployment' | 'replicaset' | 'scheduler' | 'garbagecollector' | 'namespace' | 'nodelifecycle' | 'tainteviction' | 'daemonset' | 'endpoint' | 'endpointslice' | 'podgc' | 'loadbalancer';

export const ALL_CONTROLLERS: readonly ControllerName[] = [
  'garbagecollector', 'namespace', 'deployment', 'replicaset', 'daemonset', 'scheduler', 'nodelifecycle', 'tainteviction', 'endpoint', 'endpointslice', 'podgc', 'loadbalancer',
];

export interface ControllerOptions {
  /** Which controllers run (default: all). */
  controllers?: readonly ControllerName[];
  nodeLifecycle?: NodeLifecycleOptions;
  podGC?: PodGCOptions;
  loadBalancer?: LoadBalancerOptions;
  /** Tie-breaking among equally scored nodes (default Math.random). */
  random?: () => number;
  /** Called when a reconcile fails with something other than a Conflict (it is retried with back-off). */
  onError?: (controller: string, key: string, err: unknown) => void;
}

export interface Controllers {
  stop(): void;
  /** Resolves once every watch event has been handled and every work queue is empty (delayed retries excepted). */
  idle(): Promise<void>;
  /** The load-balancer controller's switch and pool (absent when it is not among the controllers). */
  loadBalancer?: LoadBalancerController;
}

export function startControllers(reg: Registry, clock: Clock, opts: ControllerOptions = {}): Controllers {
  const informers = new Informers(reg);
  const queues: WorkQueue[] = [];
  const rt: Runtime = {
    reg,
    clock,
    informers,
    queue(name, reconcile) {
      const q = new WorkQueue(name, clock, reconcile, { onError: opts.onError ?? defaultOnError });
      queues.push(q);
      return q;
    },
  };
  const enabled = new Set(opts.controllers ?? ALL_CONTROLLERS);
  const stops: Array<() => void> = [];
  if (enabled.has('garbagecollector')) startGarbageCollector(rt);
  if (enabled.has('namespace')) startNamespaceController(rt);
  if (enabled.has('deployment')) startDeploymentController(rt);
  if (enabled.has('replicaset')) startReplicaSetController(rt);
  if (enabled.has('daemonset')) startDaemonSetController(rt);
  if (enabled.has('scheduler')) startScheduler(rt, { random: opts.random });
  if (enabled.has('nodelifecycle')) stops.push(startNodeLifecycleController(rt, opts.nodeLifecycle));
  if (enabled.has('tainteviction')) stops.push(startTaintEvictionController(rt));
  if (enabled.has('endpoint')) startEndpointsController(rt);
  if (enabled.has('endpointslice')) startEndpointSliceController(rt);
  if (enabled.has('podgc')) stops.push(startPodGC(rt, opts.podGC));
  const loadBalancer = enabled.has('loadbalancer') ? startLoadBalancerController(rt, opts.loadBalancer) : undefined;

  return {
    loadBalancer,
    stop() {
      for (const s of stops) s();
      for (const q of queues) q.stop();
      informers.stop();
    },
    async idle() {
      let quiet = 0;
      for (let round = 0; round < 10_000; round++) {
        await new Promise((r) => setImmediate(r));
        if (queues.some((q) => q.busy)) quiet = 0;
        else if (++quiet >= 2) return;
      }
      throw new Error(`controllers did not settle: ${queues.filter((q) => q.busy).map((q) => q.name).join(', ')}`);
    },
  };
}

function defaultOnError(controller: string, key: string, err: unknown): void {
  console.warn(`[${controller}] ${key}: ${(err as Error)?.message ?? err}`);
}
