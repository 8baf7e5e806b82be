/**
 * The kubelet of one simulated node, as pure logic on an injected Clock: the node worker feeds it pod watch
 * events and forwards its status updates and events to the API server; the network asks it which program
 * answers on a pod IP and port.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { ExecutableNotFoundError } from '../images/container-sh/shell.ts';
import type { ExecIO, Protocol, RunningProgram } from '../images/types.ts';
import { Backoff } from './backoff.ts';
import { ImageManager } from './image-manager.ts';
import { IpAllocator } from './ip-allocator.ts';
import { isRunning, type PodState } from './model.ts';
import { type NodeServices, PodWorker } from './pod-worker.ts';
import { podPhase } from './status.ts';
import { KubeletError, type KubeletOptions, type LogOptions, type LogResult } from './types.ts';

export const KUBELET_VERSION = '1.32';
const HEX = '0123456789abcdef';

export interface PortTarget {
  namespace: string;
  podName: string;
  containerName: string;
  program: RunningProgram;
}

export interface HostPortEntry {
  hostPort: number;
  protocol: Protocol;
  hostIP: string;
  podIP: string;
  containerPort: number;
  namespace: string;
  podName: string;
}

export interface PodSnapshot {
  namespace: string;
  name: string;
  uid: string;
  podIP?: string;
  phase: string;
  terminating: boolean;
  containers: Array<{ name: string; state: 'waiting' | 'running' | 'terminated'; reason?: string; restartCount: number; ready: boolean; containerID?: string }>;
}

export interface ContainerView {
  id: string;
  container: string;
  startedAt: number;
  env: Record<string, string>;
  files: Record<string, string>;
}

export class Kubelet {
  readonly images: ImageManager;
  private readonly workers = new Map<string, PodWorker>();
  private readonly ips: IpAllocator;
  private readonly random: () => number;
  private readonly node: NodeServices;

  constructor(private readonly opts: KubeletOptions) {
    this.random = opts.random ?? Math.random;
    this.ips = new IpAllocator(opts.podCIDR);
    this.images = new ImageManager(opts.images, opts.clock, this.random);
    this.node = {
      opts, random: this.random, images: this.images, restartBackoff: new Backoff(), kubeletVersion: KUBELET_VERSION,
      allocateIP: () => this.ips.allocate(),
      releaseIP: ip => this.ips.release(ip),
      newContainerID: () => {
        let id = '';
        for (let i = 0; i < 64; i++) id += HEX[Math.floor(this.random() * 16)];
        return id;
      },
      podFiles: state => this.podFiles(state),
      finished: state => this.workers.delete(state.uid),
    };
  }

  /** ADDED/MODIFIED of a pod bound to this node. */
  syncPod(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    if (pod.spec?.nodeName && pod.spec.nodeName !== this.opts.nodeName) return;
    const existing = this.workers.get(uid);
    if (existing) { existing.update(pod); return; }
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
    const w = new PodWorker(pod, this.node);
    this.workers.set(uid, w);
    w.requestSync(0);
  }

  /** DELETED: the object is gone from the API server; stop whatever still runs right away. */
  podDeleted(pod: Pod): void {
    const w = this.workers.get(pod.metadata?.uid ?? '');
    if (!w) return;
    const now = new Date(this.opts.clock.now()).toISOString();
    w.update({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: pod.metadata?.deletionTimestamp ?? now, deletionGracePeriodSeconds: pod.metadata?.deletionGracePeriodSeconds ?? 0 } });
  }

  pods(): PodSnapshot[] {
    return [...this.workers.values()].map(w => {
      const s = w.state;
      return {
        namespace: s.namespace, name: s.name, uid: s.uid, podIP: s.podIP, terminating: s.terminating,
        phase: podPhase(s) ?? 'Pending',
        containers: s.containers.map(r => ({
          name: r.spec.name,
          state: r.waiting || !r.current ? 'waiting' as const : isRunning(r) ? 'running' as const : 'terminated' as const,
          reason: r.waiting?.reason, restartCount: r.restartCount, ready: r.ready, containerID: r.current?.id,
        })),
      };
    });
  }

  /** Which running container answers on podIP:port (undefined: nothing listens, the caller refuses the connection). */
  portFor(podIP: string, port: number, protocol: Protocol = 'TCP'): PortTarget | undefined {
    for (const w of this.workers.values()) {
      const s = w.state;
      if (s.podIP !== podIP || !s.sandboxReady) continue;
      for (const r of s.containers) {
        const program = isRunning(r) ? r.current!.program : undefined;
        if (program?.listens().some(l => l.port === port && l.protocol === protocol)) {
          return { namespace: s.namespace, podName: s.name, containerName: r.spec.name, program };
        }
      }
    }
    return undefined;
  }

  /** Whether a pod IP is live on this node (for "connection refused" vs "no route to host"). */
  hasPodIP(podIP: string): boolean {
    return [...this.workers.values()].some(w => w.state.podIP === podIP && w.state.sandboxReady);
  }

  hostPorts(): HostPortEntry[] {
    const out: HostPortEntry[] = [];
    for (const w of this.workers.values()) {
      const s = w.state;
      if (!s.sandboxReady || !s.podIP) continue;
      for (const c of s.pod.spec?.containers ?? []) {
        for (const p of c.ports ?? []) {
          if (!p.hostPort) continue;
          out.push({ hostPort: p.hostPort, protocol: (p.protocol ?? 'TCP') as Protocol, hostIP: p.hostIP ?? '0.0.0.0', podIP: s.podIP, containerPort: p.containerPort, namespace: s.namespace, podName: s.name });
        }
      }
    }
    return out;
  }

  logs(namespace: string, name: string, container: string | undefined, opts: LogOptions = {}): LogResult {
    const s = this.find(namespace, name).state;
    const rec = this.pickContainer(s, container);
    const inst = opts.previous ? (rec.current?.finishedAt !== undefined && rec.waiting ? rec.current : rec.previous) : rec.current;
    if (!inst) {
      if (opts.previous) throw new KubeletError(`previous terminated container "${rec.spec.name}" in pod "${name}" not found`);
      throw new KubeletError(`container "${rec.spec.name}" in pod "${name}" is waiting to start: ${rec.waiting?.reason ?? 'ContainerCreating'}`);
    }
    const text = inst.log.render(opts);
    if (!opts.follow || inst.finishedAt !== undefined || opts.previous) return { text };
    return { text, follow: (onLine, onEnd) => inst.log.follow(onLine, onEnd, !!opts.timestamps) };
  }

  /** kubectl exec: runs argv in a running container; resolves to the exit code. */
  async exec(namespace: string, name: string, container: string | undefined, argv: string[], io: ExecIO): Promise<number> {
    const s = this.find(namespace, name).state;
    const rec = this.pickContainer(s, container);
    if (!isRunning(rec) || !rec.current?.program) throw new KubeletError(`unable to upgrade connection: container not found ("${rec.spec.name}")`);
    try {
      return await rec.current.program.exec(argv, io);
    } catch (e) {
      if (e instanceof ExecutableNotFoundError) {
        throw new KubeletError(`Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${rec.current.id}": OCI runtime exec failed: exec failed: unable to start container process: ${e.message}: unknown`, 500);
      }
      throw e;
    }
  }

  /**
   * What an exec session starts from: the running container's files (the kubelet's /etc files and what its program
   * wrote) and its environment. Fails like exec for a container that does not run.
   */
  containerView(namespace: string, name: string, container: string | undefined): ContainerView {
    const s = this.find(namespace, name).state;
    const rec = this.pickContainer(s, container);
    const inst = rec.current;
    if (!isRunning(rec) || !inst) throw new KubeletError(`unable to upgrade connection: container not found ("${rec.spec.name}")`);
    return { id: inst.id, container: rec.spec.name, startedAt: inst.startedAt, env: { ...inst.env }, files: Object.fromEntries(inst.files) };
  }

  /** Files an exec session wrote or removed, into the running container (what its program then serves). */
  writeFiles(namespace: string, name: string, container: string | undefined, set: Record<string, string>, removed: string[]): void {
    const rec = this.pickContainer(this.find(namespace, name).state, container);
    const files = isRunning(rec) ? rec.current?.files : undefined;
    if (!files) return;
    for (const path of removed) files.delete(path);
    for (const [path, content] of Object.entries(set)) files.set(path, content);
  }

  private find(namespace: string, name: string): PodWorker {
    for (const w of this.workers.values()) if (w.state.namespace === namespace && w.state.name === name) return w;
    throw new KubeletError(`pods "${name}" not found`, 404);
  }

  private pickContainer(s: PodState, container: string | undefined) {
    if (!container) {
      if (s.containers.length === 1) return s.containers[0];
      throw new KubeletError(`a container name must be specified for pod ${s.name}, choose one of: [${s.containers.map(r => r.spec.name).join(' ')}]`);
    }
    const rec = s.containers.find(r => r.spec.name === container);
    if (!rec) throw new KubeletError(`container ${container} is not valid for pod ${s.name}`);
    return rec;
  }

  /** The files the kubelet mounts into every container: /etc/hosts, /etc/resolv.conf, /etc/hostname. */
  private podFiles(s: PodState): Map<string, string> {
    const spec = s.pod.spec;
    const hostname = spec?.hostname ?? s.name;
    const domain = this.opts.clusterDomain ?? 'cluster.local';
    const fqdn = spec?.subdomain ? `${hostname}.${spec.subdomain}.${s.namespace}.svc.${domain}\t${hostname}` : hostname;
    const hosts = `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${s.podIP}\t${fqdn}\n`;
    const dnsPolicy = spec?.dnsPolicy ?? 'ClusterFirst';
    const resolv = dnsPolicy === 'Default' || (spec?.hostNetwork && dnsPolicy !== 'ClusterFirstWithHostNet')
      ? `nameserver ${this.opts.nodeIP.replace(/\.\d+$/, '.1')}\n`
      : `search ${s.namespace}.svc.${domain} svc.${domain} ${domain}\nnameserver ${this.opts.clusterDNS ?? '10.96.0.10'}\noptions ndots:5\n`;
    return new Map([['/etc/hosts', hosts], ['/etc/resolv.conf', resolv], ['/etc/hostname', `${hostname}\n`]]);
  }
}
