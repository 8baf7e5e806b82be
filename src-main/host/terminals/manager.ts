/**
 * Every terminal the host runs: cluster shells (a stack of ShellSessions: `ssh worker1` and `kubectl exec -it` push
 * one, `exit` pops back), pod shells, the laptop's shell and host shells in a PTY. Implements the terminal part of
 * the contract (terminal.open/input/resize/close/ack, terminal.data/exit events) for the host service to call.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster } from '../../cluster/cluster.ts';
import type { Events, Params, ResultOf } from '../../contract/contract.ts';
import type { RunResult } from '../../userland/command.ts';
import { createPlaceRegistry, hostnameOf, mountPlaceFiles, type ClusterCommandDeps, type KubectlHook, type LabControls, type SessionHost, type ShellPlace } from '../../shell/commands/index.ts';
import { FsError } from '../../userland/fs/virtual-fs.ts';
import { getPod } from '../../shell/commands/place.ts';
import { ShellSession } from '../../shell/session.ts';
import { spawnHostShell, type HostShell } from './host-pty.ts';
import { execInPodCollect } from './pod-exec.ts';
import { openPodSession, type PodSession } from './pod-session.ts';
import { ShellStore } from './persist.ts';

export interface TerminalManagerOptions {
  cluster: Cluster;
  /** Files and history persist under `<stateDir>/shell`; in memory only without it. */
  stateDir?: string;
  kubectl?: KubectlHook;
  controls?: LabControls;
  /** /root/.kube/config on every node, as kubeadm leaves admin.conf there for root. */
  nodeKubeconfig?: string;
  /** KUBECONFIG for host shells and the laptop's shell. */
  kubeconfigPath?: string;
  /** kubelab's own listening sockets, as the laptop's `ss` lists them. */
  laptopListeners?: () => Array<{ local: string; pid: number; fd: number }>;
  hostShell?: { shell?: string; cwd?: string; env?: Record<string, string | undefined> };
}

type TerminalEvent = 'terminal.data' | 'terminal.exit';

interface Terminal {
  id: string;
  cols: number;
  rows: number;
  stack: ShellSession[];
  pty?: HostShell;
  closed: boolean;
}

/** A cancellable sleep on the cluster clock (ManualClock in tests, scaled real time in the app). */
function clockSleep(cluster: Cluster) {
  return (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => { cluster.clock.clearTimeout(id); signal?.removeEventListener('abort', done); resolve(); };
      const id = cluster.clock.setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    });
}

/** The learner on their laptop: a non-root user. */
const LAPTOP_USER = 'learner';
const LAPTOP_HOME = `/home/${LAPTOP_USER}`;

/** Why no shell can be opened at `place` (the lab's own words); undefined when one can. */
export function placeProblem(cluster: Cluster, place: ShellPlace): string | undefined {
  if (place.kind === 'node') {
    const node = cluster.nodes().find((h) => h.name === place.node);
    if (!node) return `no node "${place.node}" (nodes: ${cluster.nodes().map((h) => h.name).join(', ')})`;
    if (!node.running) return `node "${place.node}" is stopped: start it with 'kubelab node start ${place.node}'`;
  } else if (place.kind === 'pod') {
    const pod = getPod(cluster, place.namespace, place.name);
    if (!pod) return `pods "${place.name}" not found`;
    if (pod.status?.phase !== 'Running') return `pod ${place.namespace}/${place.name} is not running (${pod.status?.phase ?? 'Pending'})`;
  }
  return undefined;
}

/** What a client sees when the machine under its shell goes away: ssh's and kubectl exec's last words. */
function lostPlace(cluster: Cluster, place: ShellPlace, as?: string): { message: string; status: number } | undefined {
  if (place.kind === 'node') {
    const node = cluster.nodes().find((h) => h.name === place.node);
    return node?.running ? undefined : { message: `Connection to ${as ?? place.node} closed by remote host.\n`, status: 255 };
  }
  if (place.kind === 'pod') {
    const pod = getPod(cluster, place.namespace, place.name);
    const node = pod?.spec?.nodeName ? cluster.nodes().find((h) => h.name === pod.spec!.nodeName) : undefined;
    // A terminating pod's exec session lasts until its containers are killed and the kubelet removes it.
    const alive = pod?.status?.phase === 'Running' && node?.running;
    return alive ? undefined : { message: 'command terminated with exit code 137\n', status: 137 };
  }
  return undefined;
}

export class TerminalManager {
  private readonly terminals = new Map<string, Terminal>();
  private readonly listeners: { [E in TerminalEvent]: Set<(p: Events[E]) => void> } = { 'terminal.data': new Set(), 'terminal.exit': new Set() };
  private readonly store: ShellStore;
  /** A pod session's wait for its file changes to reach the container. */
  private readonly flushes = new WeakMap<ShellSession, () => Promise<void>>();
  private nextId = 1;

  get cluster(): Cluster {
    return this.opts.cluster;
  }

  constructor(private readonly opts: TerminalManagerOptions) {
    this.store = new ShellStore(opts.stateDir ? join(opts.stateDir, 'shell') : undefined, () => opts.cluster.clock.now());
  }

  on<E extends TerminalEvent>(event: E, listener: (payload: Events[E]) => void): () => void {
    const set = this.listeners[event] as Set<(p: Events[E]) => void>;
    set.add(listener);
    return () => set.delete(listener);
  }

  private emit<E extends TerminalEvent>(event: E, payload: Events[E]): void {
    for (const l of this.listeners[event] as Set<(p: Events[E]) => void>) l(payload);
  }

  async open(p: Params<'terminal.open'>): Promise<ResultOf<'terminal.open'>> {
    const id = `t${this.nextId++}`;
    const t: Terminal = { id, cols: p.cols || 80, rows: p.rows || 24, stack: [], closed: false };
    if (p.kind === 'host') {
      const binDir = join(this.opts.stateDir ?? join(process.cwd(), '.kubelab'), 'bin');
      t.pty = await spawnHostShell({ cols: t.cols, rows: t.rows, kubeconfigPath: this.opts.kubeconfigPath, binDir, ...this.opts.hostShell });
      t.pty.onData((data) => this.emit('terminal.data', { id, data }));
      t.pty.onExit((code) => this.finish(t, code));
      this.terminals.set(id, t);
      return { id, title: 'host' };
    }
    let place: ShellPlace;
    if (p.kind === 'pod') {
      if (!p.pod?.name) throw new Error('terminal.open: a pod terminal needs pod');
      place = { kind: 'pod', namespace: p.pod.namespace ?? 'default', name: p.pod.name };
    } else if (p.kind === 'laptop') {
      place = { kind: 'laptop' };
    } else {
      const node = p.node ?? this.opts.cluster.nodes()[0]?.name;
      if (!node) throw new Error('terminal.open: the cluster has no nodes');
      place = { kind: 'node', node };
    }
    const problem = placeProblem(this.opts.cluster, place);
    if (problem) throw new Error(problem);
    this.terminals.set(id, t);
    let session: ShellSession;
    try {
      session = await this.session(place, t);
    } catch (e) {
      this.terminals.delete(id);
      throw e;
    }
    session.onExit((code) => this.finish(t, code));
    t.stack.push(session);
    // Let the caller learn the id before the first prompt arrives.
    queueMicrotask(() => session.start());
    return { id, title: place.kind === 'node' ? place.node : place.kind === 'laptop' ? 'laptop' : `${place.namespace}/${place.name}` };
  }

  input(p: Params<'terminal.input'>): null {
    const t = this.get(p.id);
    if (t.pty) t.pty.write(p.data);
    else t.stack.at(-1)?.input(p.data);
    return null;
  }

  resize(p: Params<'terminal.resize'>): null {
    const t = this.get(p.id);
    t.cols = p.cols;
    t.rows = p.rows;
    if (t.pty) t.pty.resize(p.cols, p.rows);
    for (const s of t.stack) s.resize(p.cols, p.rows);
    return null;
  }

  /** Units (UTF-16 code units) of terminal.data the client has shown; a host PTY is read again under the low watermark. */
  ack(p: Params<'terminal.ack'>): null {
    this.terminals.get(p.id)?.pty?.ack(p.bytes);
    return null;
  }

  close(p: Params<'terminal.close'>): null {
    const t = this.terminals.get(p.id);
    if (!t) return null;
    if (t.pty) t.pty.kill();
    for (const s of t.stack) s.interrupt();
    this.finish(t, 0);
    return null;
  }

  /** Runs one line at a place without a terminal (`kubelab shell -c`, `ssh node cmd`); `signal` is its Ctrl-C. */
  async runLine(place: ShellPlace, line: string, signal?: AbortSignal): Promise<RunResult> {
    let session: ShellSession;
    if (place.kind === 'pod') {
      // A pod that is gone answers as kubectl exec's session does; a container that does not run, as the kubelet.
      const gone = lostPlace(this.opts.cluster, place);
      if (gone) return { status: gone.status, stdout: '', stderr: gone.message };
      try {
        session = await this.session(place, undefined);
      } catch (e) {
        return { status: 1, stdout: '', stderr: `error: ${(e as Error).message}\n` };
      }
    } else session = await this.session(place, undefined);
    try {
      return await session.runLine(line, signal);
    } finally {
      await this.flushes.get(session)?.();
    }
  }

  /** A pod session without a terminal for `kubectl exec` (pod-exec.ts); `tty` when the client asked for one. */
  openPodSession(place: ShellPlace & { kind: 'pod' }, tty: boolean, size?: { cols: number; rows: number }): Promise<PodSession> {
    const deps = { ...this.deps(place, undefined), place };
    return openPodSession(deps, { ...this.common(place, undefined), columns: size?.cols, rows: size?.rows }, tty);
  }

  ids(): string[] {
    return [...this.terminals.keys()];
  }

  dispose(): void {
    for (const id of [...this.terminals.keys()]) this.close({ id });
    this.store.flush();
  }

  private get(id: string): Terminal {
    const t = this.terminals.get(id);
    if (!t) throw new Error(`terminal ${id} not found`);
    return t;
  }

  private finish(t: Terminal, code: number): void {
    if (t.closed) return;
    t.closed = true;
    this.terminals.delete(t.id);
    this.store.flush();
    this.emit('terminal.exit', { id: t.id, code });
  }

  private deps(place: ShellPlace, t: Terminal | undefined): ClusterCommandDeps {
    const host: SessionHost = {
      runAt: (where, line, signal) => this.runLine(where, line, signal),
      nest: t ? (where, name) => this.nest(t, where, name) : undefined,
      exec: (where, argv, stdin, signal) => execInPodCollect(this, where, argv, stdin, signal),
    };
    const listeners = this.opts.laptopListeners;
    return { cluster: this.opts.cluster, place, host, kubectl: this.opts.kubectl, controls: this.opts.controls, laptop: { listeners: () => listeners?.() ?? [] } };
  }

  private common(place: ShellPlace, t: Terminal | undefined, as?: string) {
    const cluster = this.opts.cluster;
    return {
      hostname: hostnameOf(cluster, place), now: () => Math.floor(cluster.clock.now()), sleep: clockSleep(cluster), columns: t?.cols, rows: t?.rows,
      lost: () => lostPlace(cluster, place, as),
    };
  }

  private async session(place: ShellPlace, t: Terminal | undefined, as?: string): Promise<ShellSession> {
    const deps = this.deps(place, t);
    const common = this.common(place, t, as);
    let session: ShellSession;
    if (place.kind === 'node') {
      const fs = this.store.nodeFs(place.node, this.opts.cluster.nodes().find((h) => h.name === place.node)?.plan.controlPlane === true);
      mountPlaceFiles(fs, deps);
      const kubeconfig = this.opts.nodeKubeconfig;
      if (kubeconfig) fs.mountFile('/root/.kube/config', { read: () => kubeconfig });
      session = new ShellSession({ ...common, registry: createPlaceRegistry(deps), fs, history: this.store.getHistory(), onHistoryChange: (h) => this.store.setHistory(h) });
    } else if (place.kind === 'laptop') {
      const fs = this.store.laptopFs(LAPTOP_HOME);
      mountPlaceFiles(fs, deps);
      const kubeconfig = this.opts.kubeconfigPath;
      if (kubeconfig) fs.mountFile(kubeconfig, { read: () => readHostFile(kubeconfig) });
      session = new ShellSession({
        ...common, registry: createPlaceRegistry(deps), fs, user: LAPTOP_USER, env: kubeconfig ? { KUBECONFIG: kubeconfig } : {},
        history: this.store.getHistory('laptop'), onHistoryChange: (h) => this.store.setHistory(h, 'laptop'),
      });
    } else {
      const pod = await openPodSession(deps as ClusterCommandDeps & { place: typeof place }, common, !!t);
      if (t) pod.registry.processes.execs.push([place.shell ?? 'sh']);
      session = pod.session;
      this.flushes.set(session, pod.flush);
    }
    if (t) session.onOutput((data) => this.emit('terminal.data', { id: t.id, data }));
    return session;
  }

  /** `ssh` / `kubectl exec -it`: a session on top of the stack until it exits; the caller's command then returns. */
  private async nest(t: Terminal, place: ShellPlace, as?: string): Promise<number> {
    if (t.closed) return 129;
    let session: ShellSession;
    try {
      session = await this.session(place, t, as);
    } catch (e) {
      // The kubelet's refusal (a container that is not running), as kubectl prints it.
      this.emit('terminal.data', { id: t.id, data: `error: ${(e as Error).message}\r\n` });
      return 1;
    }
    return new Promise((resolve) => {
      t.stack.push(session);
      session.onExit((code) => {
        const i = t.stack.indexOf(session);
        if (i >= 0) t.stack.splice(i, 1);
        void this.flushes.get(session)?.().then(() => resolve(code));
        if (!this.flushes.has(session)) resolve(code);
      });
      session.start();
    });
  }
}

/** A file of the machine kubelab runs on, shown in the laptop's shell (the lab's kubeconfig). */
function readHostFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new FsError('ENOENT', path);
  }
}
