/**
 * One pod's life on the node, following the kubelet's SyncPod/SyncTerminatingPod: sandbox and IP, containers
 * started in order (pull, create, start), restarts with back-off, probes, and graceful termination.
 * Syncs are serialized; a sync that ends in an error is requeued after 10-15s like the pod workers do.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { ExecutableNotFoundError } from '../images/container-sh/shell.ts';
import type { ContainerContext } from '../images/types.ts';
import { Backoff, goDuration } from './backoff.ts';
import { type ImageManager, sleep } from './image-manager.ts';
import { ContainerLog } from './logs.ts';
import { type ContainerInstance, type ContainerRecord, isRunning, type PodState } from './model.ts';
import { ProbeWorker, type ProbeKind } from './probes.ts';
import { buildPodStatus } from './status.ts';
import type { KubeletEvent, KubeletOptions } from './types.ts';
import { containerEnv, serviceEnvVars } from './envvars.ts';

export interface NodeServices {
  opts: KubeletOptions;
  random: () => number;
  images: ImageManager;
  restartBackoff: Backoff;
  kubeletVersion: string;
  allocateIP(): string | undefined;
  releaseIP(ip: string): void;
  newContainerID(): string;
  podFiles(state: PodState): Map<string, string>;
  finished(state: PodState): void;
}

const SYNC_ERROR_REQUEUE_MS = 10_000;
const PLEG_RELIST_MS = 1_000;
/** The status manager's syncBatch period: a status someone else changed in the API is put back this late at most. */
const STATUS_RECONCILE_MS = 10_000;

export class PodWorker {
  readonly state: PodState;
  private syncing = false;
  private dirty = false;
  private requeueTimer: number | undefined;
  /** The status last sent (JSON): the status manager posts only what changed. */
  private lastReported: string | undefined;
  private reconcileTimer: number | undefined;

  constructor(pod: Pod, private readonly node: NodeServices) {
    const now = node.opts.clock.now();
    this.state = {
      pod, uid: pod.metadata?.uid ?? '', namespace: pod.metadata?.namespace ?? 'default', name: pod.metadata?.name ?? '',
      sandboxReady: false, createdAt: now, conditionTimes: new Map(), terminating: false, terminated: false,
      scheduledCondition: pod.status?.conditions?.find(c => c.type === 'PodScheduled'),
      containers: (pod.spec?.containers ?? []).map(spec => ({ spec, restartCount: 0, ready: false, started: false, probes: [] })),
    };
  }

  private get clock() { return this.node.opts.clock; }

  event(type: KubeletEvent['type'], reason: string, message: string, container?: string): void {
    const s = this.state;
    this.node.opts.event({
      ref: { apiVersion: 'v1', kind: 'Pod', namespace: s.namespace, name: s.name, uid: s.uid, ...(container ? { fieldPath: `spec.containers{${container}}` } : {}) },
      type, reason, message,
    });
  }

  report(deleteNow = false, force = false): void {
    const s = this.state;
    const status = buildPodStatus(s, this.node.opts.nodeIP, this.clock.now());
    const key = JSON.stringify(status);
    if (!deleteNow && !force && key === this.lastReported) return;
    this.lastReported = key;
    this.node.opts.report({ namespace: s.namespace, name: s.name, uid: s.uid, status, statusJson: key, ...(deleteNow ? { deleteNow } : {}) });
  }

  update(pod: Pod): void {
    this.state.pod = pod;
    this.reconcileLater();
    this.requestSync(0);
  }

  /**
   * status manager needsReconcile: when the API's status is not what the kubelet last posted (another writer, e.g.
   * the node lifecycle controller marking pods NotReady), the kubelet posts its own again on the next syncBatch.
   */
  private reconcileLater(): void {
    if (this.lastReported === undefined || this.reconcileTimer !== undefined || this.state.terminated) return;
    if (JSON.stringify(this.state.pod.status ?? {}) === this.lastReported) return;
    this.reconcileTimer = this.clock.setTimeout(() => {
      this.reconcileTimer = undefined;
      if (this.state.terminated || JSON.stringify(this.state.pod.status ?? {}) === this.lastReported) return;
      this.report(false, true);
    }, STATUS_RECONCILE_MS);
  }

  /** Schedules a sync after `delay` ms (0 = as soon as the current one ends). */
  requestSync(delay: number): void {
    if (delay > 0) {
      if (this.requeueTimer !== undefined) this.clock.clearTimeout(this.requeueTimer);
      this.requeueTimer = this.clock.setTimeout(() => { this.requeueTimer = undefined; this.requestSync(0); }, delay);
      return;
    }
    if (this.syncing) { this.dirty = true; return; }
    this.syncing = true;
    queueMicrotask(() => void this.runSyncs());
  }

  private async runSyncs(): Promise<void> {
    try {
      do {
        this.dirty = false;
        const error = await this.sync();
        if (error) this.requestSync(SYNC_ERROR_REQUEUE_MS * (1 + 0.5 * this.node.random()));
      } while (this.dirty);
    } finally {
      this.syncing = false;
    }
  }

  private async sync(): Promise<boolean> {
    const s = this.state;
    if (s.terminated) return false;
    if (s.pod.metadata?.deletionTimestamp || s.terminating) return this.syncTerminating();
    if (!s.sandboxReady) {
      if (s.containers.every(r => !r.current)) this.report();
      await sleep(this.clock, 300 + Math.round(500 * this.node.random()));
      if (s.terminating) return false;
      const ip = s.pod.spec?.hostNetwork ? this.node.opts.nodeIP : this.node.allocateIP();
      if (!ip) {
        this.event('Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox: plugin type="ptp" failed (add): failed to allocate for range 0: no IP addresses available in range set`);
        return true;
      }
      s.podIP = ip;
      s.sandboxReady = true;
      this.report();
    }
    let error = false;
    const policy = s.pod.spec?.restartPolicy ?? 'Always';
    for (const rec of s.containers) {
      if (s.terminating) return false;
      if (isRunning(rec)) continue;
      const cur = rec.current;
      if (cur?.finishedAt !== undefined) {
        if (policy === 'Never' || (policy === 'OnFailure' && cur.exitCode === 0)) continue;
        const key = `${s.name}_${s.namespace}_${s.uid}_${rec.spec.name}`;
        if (this.node.restartBackoff.isInBackOffSince(key, cur.finishedAt, this.clock.now())) {
          this.event('Warning', 'BackOff', `Back-off restarting failed container ${rec.spec.name} in pod ${s.name}_${s.namespace}(${s.uid})`, rec.spec.name);
          rec.waiting = { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(this.node.restartBackoff.get(key))} restarting failed container=${rec.spec.name} pod=${s.name}_${s.namespace}(${s.uid})` };
          this.report();
          error = true;
          continue;
        }
        this.node.restartBackoff.next(key, cur.finishedAt);
      }
      if (!(await this.startContainer(rec))) error = true;
    }
    this.report();
    return error;
  }

  private async startContainer(rec: ContainerRecord): Promise<boolean> {
    const s = this.state;
    const name = rec.spec.name;
    const result = await this.node.images.ensure(s.uid, rec.spec, {
      normal: (reason, message) => this.event('Normal', reason, message, name),
      warning: (reason, message) => this.event('Warning', reason, message, name),
    });
    if (s.terminating) return true;
    if (!result.ok) {
      this.event('Warning', 'Failed', `Error: ${result.reason}`, name);
      if (result.reason === 'ErrImagePull') rec.lastPullError = result.message;
      const message = result.reason === 'ImagePullBackOff' ? `${result.message}: ErrImagePull: ${rec.lastPullError ?? ''}` : result.message;
      rec.waiting = { reason: result.reason, message };
      this.report();
      return false;
    }
    rec.image = result.image;
    await sleep(this.clock, 40 + Math.round(80 * this.node.random()));
    if (s.terminating) return true;
    const inst: ContainerInstance = {
      id: this.node.newContainerID(), imageName: result.image.name, imageID: result.image.imageID,
      startedAt: this.clock.now(), log: new ContainerLog(), files: this.node.podFiles(s),
    };
    this.event('Normal', 'Created', `Created container: ${name}`, name);
    await sleep(this.clock, 30 + Math.round(60 * this.node.random()));
    if (s.terminating) return true;
    if (rec.current) { rec.previous = rec.current; rec.restartCount++; }
    rec.current = inst;
    rec.waiting = undefined;
    inst.startedAt = this.clock.now();
    try {
      inst.program = result.image.program.start(this.contextFor(rec, inst));
    } catch (e) {
      const msg = e instanceof ExecutableNotFoundError
        ? `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: ${e.message}: unknown`
        : `failed to start container: ${(e as Error).message}`;
      this.event('Warning', 'Failed', `Error: ${msg}`, name);
      inst.finishedAt = inst.startedAt;
      inst.exitCode = 128;
      inst.reason = 'StartError';
      inst.message = msg;
      rec.waiting = { reason: 'RunContainerError', message: msg };
      this.report();
      this.requestSync(PLEG_RELIST_MS);
      return false;
    }
    this.event('Normal', 'Started', `Started container ${name}`, name);
    if (inst.finishedAt === undefined) this.startProbes(rec, inst);
    this.report();
    return true;
  }

  private contextFor(rec: ContainerRecord, inst: ContainerInstance): ContainerContext {
    const s = this.state;
    const links = serviceEnvVars(this.node.opts.serviceLister?.() ?? [], s.namespace, s.pod.spec?.enableServiceLinks ?? true);
    const env = containerEnv(rec.spec, links);
    inst.env = env;
    return {
      podName: s.name, namespace: s.namespace, hostname: s.pod.spec?.hostname ?? s.name, podIP: s.podIP ?? '',
      nodeName: this.node.opts.nodeName, containerName: rec.spec.name, env, command: rec.spec.command, args: rec.spec.args,
      clock: this.clock, files: inst.files,
      services: this.node.opts.servicesFor?.({ namespace: s.namespace, name: s.name, podIP: s.podIP ?? '', files: inst.files }) ?? this.node.opts.services ?? {},
      log: (stream, line) => inst.log.append({ time: this.clock.now(), stream, text: line }),
      exit: code => this.containerExited(rec, inst, code),
    };
  }

  private startProbes(rec: ContainerRecord, inst: ContainerInstance): void {
    const target = { podIP: this.state.podIP ?? '', program: inst.program!, container: rec.spec, clock: this.clock, kubeletVersion: this.node.kubeletVersion };
    const hooks = {
      failed: (kind: ProbeKind, message: string) => this.event('Warning', 'Unhealthy', `${kind} probe failed: ${message}`, rec.spec.name),
      changed: (kind: ProbeKind, ok: boolean) => this.probeChanged(rec, inst, kind, ok),
    };
    const make = (kind: ProbeKind, probe: typeof rec.spec.livenessProbe) => probe ? new ProbeWorker(kind, probe, target, inst.startedAt, hooks) : undefined;
    const startup = make('Startup', rec.spec.startupProbe);
    const others = [make('Liveness', rec.spec.livenessProbe), make('Readiness', rec.spec.readinessProbe)].filter((w): w is ProbeWorker => !!w);
    rec.probes = [...(startup ? [startup] : []), ...others];
    rec.started = !startup;
    rec.ready = rec.started && !rec.spec.readinessProbe;
    if (startup) startup.start();
    else for (const w of others) w.start();
  }

  private probeChanged(rec: ContainerRecord, inst: ContainerInstance, kind: ProbeKind, ok: boolean): void {
    if (rec.current !== inst || inst.finishedAt !== undefined) return;
    if (kind === 'Startup' && ok) {
      rec.started = true;
      rec.ready = !rec.spec.readinessProbe;
      for (const w of rec.probes) if (w.kind !== 'Startup') w.start();
    } else if (kind === 'Readiness') {
      rec.ready = ok;
    } else if (!ok) {
      const grace = rec.spec[kind === 'Liveness' ? 'livenessProbe' : 'startupProbe']?.terminationGracePeriodSeconds ?? this.state.pod.spec?.terminationGracePeriodSeconds ?? 30;
      this.event('Normal', 'Killing', `Container ${rec.spec.name} failed ${kind.toLowerCase()} probe, will be restarted`, rec.spec.name);
      this.killInstance(rec, inst, grace);
      return;
    }
    this.report();
  }

  /** SIGTERM now, SIGKILL (exit 137) when the grace period runs out. */
  killInstance(rec: ContainerRecord, inst: ContainerInstance, graceSeconds: number): void {
    if (inst.finishedAt !== undefined || inst.killTimer !== undefined) return;
    for (const w of rec.probes) w.stop();
    inst.killTimer = this.clock.setTimeout(() => {
      if (inst.finishedAt !== undefined) return;
      inst.program?.stop('SIGKILL');
      this.containerExited(rec, inst, 137);
    }, Math.max(0, graceSeconds) * 1000);
    if (graceSeconds <= 0) return;
    inst.program?.stop('SIGTERM');
  }

  private containerExited(rec: ContainerRecord, inst: ContainerInstance, code: number): void {
    if (inst.finishedAt !== undefined) return;
    inst.finishedAt = this.clock.now();
    inst.exitCode = code;
    inst.reason = code === 0 ? 'Completed' : 'Error';
    if (inst.killTimer !== undefined) this.clock.clearTimeout(inst.killTimer);
    inst.program?.stop('SIGKILL');
    inst.log.close();
    for (const w of rec.probes) w.stop();
    rec.probes = [];
    rec.ready = false;
    rec.started = false;
    this.report();
    // PLEG notices the exit on its next relist.
    if (this.state.terminating) this.requestSync(0);
    else this.requestSync(Math.round(PLEG_RELIST_MS * this.node.random()) + 1);
  }

  private async syncTerminating(): Promise<boolean> {
    const s = this.state;
    if (!s.terminating) {
      s.terminating = true;
      const grace = s.pod.metadata?.deletionGracePeriodSeconds ?? s.pod.spec?.terminationGracePeriodSeconds ?? 30;
      for (const rec of s.containers) {
        rec.waiting = rec.current ? undefined : rec.waiting;
        if (isRunning(rec)) {
          this.event('Normal', 'Killing', `Stopping container ${rec.spec.name}`, rec.spec.name);
          this.killInstance(rec, rec.current!, grace);
        }
      }
    }
    if (s.containers.some(isRunning)) return false;
    s.terminated = true;
    if (s.podIP && !s.pod.spec?.hostNetwork) this.node.releaseIP(s.podIP);
    s.sandboxReady = false;
    if (this.requeueTimer !== undefined) this.clock.clearTimeout(this.requeueTimer);
    if (this.reconcileTimer !== undefined) this.clock.clearTimeout(this.reconcileTimer);
    this.report(true);
    this.node.finished(s);
    return false;
  }
}
