/** What every cluster command gets: the cluster, where the shell runs, and the terminal's session hooks. */
import type { Cluster } from '../../cluster/cluster.ts';
import type { ApiClient } from '../../kubectl/client.ts';
import type { KubectlIO } from '../../kubectl/context.ts';
import type { LabControls } from './lab-controls.ts';
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

export interface LaptopHost {
  /** kubelab's own listening sockets on 127.0.0.1 (API server, UI), as `ss -tlnp` shows them. */
  listeners(): Array<{ local: string; pid: number; fd: number }>;
}
export type { KubectlIO };
