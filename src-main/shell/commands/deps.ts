/** What every cluster command gets: the cluster, where the shell runs, and the terminal's session hooks. */
import type { Cluster } from '../../cluster/cluster.ts';
import type { ApiClient } from '../../kubectl/client.ts';
import type { KubectlIO } from '../../kubectl/context.ts';
import type { LessonControls } from '../../lessons/engine.ts';
import type { TrafficQueries } from '../../traffic/tracker.ts';
import type { SessionHost, ShellPlace } from './place.ts';

/** src-main/kubectl's entry point: `runKubectl(argv, io, client)` resolving to the exit status. */
export type KubectlRunner = (argv: string[], io: KubectlIO, client: ApiClient) => Promise<number>;

export interface KubectlHook {
  run: KubectlRunner;
  client: ApiClient;
}

export interface ClusterCommandDeps {
  cluster: Cluster;
  place: ShellPlace;
  host?: SessionHost;
  /** Our kubectl, when the host has one to give; without it `kubectl` says so. */
  kubectl?: KubectlHook;
  /** The lab's own controls (the UI's buttons), for the `kubelab` command. */
  controls?: LabControls;
  /** What the laptop shell knows of the machine kubelab runs on. */
  laptop?: LaptopHost;
}

/** The lab's own controls, the same as the UI's buttons (the `kubelab` command). */
export interface LabControls {
  addNode(name?: string): Promise<string>;
  stopNode(name: string): Promise<void>;
  startNode(name: string): Promise<void>;
  removeNode(name: string): Promise<void>;
  deletePod(namespace: string, name: string): Promise<void>;
  setSpeed(speed: 0 | 1 | 10 | 60): void;
  reset(): Promise<void>;
  setLoadBalancer(on: boolean): void;
  status(): string;
  /** The lesson engine (`kubelab lesson`), once the host has one. */
  lessons?: LessonControls;
  /** The data path's counters (`kubelab traffic`). */
  traffic?: TrafficQueries;
}

export interface LaptopHost {
  /** kubelab's own listening sockets on 127.0.0.1 (API server, UI), as `ss -tlnp` shows them. */
  listeners(): Array<{ local: string; pid: number; fd: number }>;
}
export type { KubectlIO };
