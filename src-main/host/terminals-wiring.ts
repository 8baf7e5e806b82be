/** Terminal sessions (cluster shells, pod shells, the host shell) behind the UI contract and `kubelab shell`. */
import type { Server } from 'node:http';
import type { Cluster } from '../cluster/cluster.ts';
import type { TerminalHost } from './service.ts';
import type { BuiltinKubectl } from './builtin-kubectl.ts';
import { TerminalManager } from './terminals/manager.ts';
import { attachShellEndpoint } from './terminals/shell-endpoint.ts';
import { nodeAdminKubeconfig } from './kubeconfig.ts';
import type { LabControls } from '../shell/commands/index.ts';

export interface TerminalsOptions {
  cluster: Cluster;
  kubectl: BuiltinKubectl;
  controls: LabControls;
  stateDir?: string;
  kubeconfigPath: string;
  caData: string;
  /** kubelab's listening sockets on 127.0.0.1 (the laptop's `ss`). */
  listening?: () => Array<{ local: string; pid: number; fd: number }>;
}

export interface Terminals {
  host: TerminalHost;
  manager: TerminalManager;
  /** Serves `kubelab shell` on `server` (the API server's, whose URL the kubeconfig names). */
  attach(server: Server, token: string): void;
  close(): Promise<void>;
}

export async function startTerminals(opts: TerminalsOptions): Promise<Terminals> {
  const manager = new TerminalManager({
    cluster: opts.cluster,
    stateDir: opts.stateDir,
    kubectl: opts.kubectl.hook,
    controls: opts.controls,
    kubeconfigPath: opts.kubeconfigPath,
    laptopListeners: opts.listening,
    nodeKubeconfig: nodeAdminKubeconfig(opts.cluster.node('master').plan.ip, opts.caData),
  });
  const endpoints: Array<{ close(): Promise<void> }> = [];
  const host: TerminalHost = {
    open: (p) => manager.open(p),
    input: (id, data) => void manager.input({ id, data }),
    resize: (id, cols, rows) => void manager.resize({ id, cols, rows }),
    close: (id) => void manager.close({ id }),
    ack: (id, bytes) => void manager.ack({ id, bytes }),
    onData: (l) => manager.on('terminal.data', l),
    onExit: (l) => manager.on('terminal.exit', l),
  };
  return {
    host,
    manager,
    attach(server, token) {
      endpoints.push(attachShellEndpoint(server, { token, terminals: manager, cluster: opts.cluster }));
    },
    async close() {
      await Promise.all(endpoints.map((e) => e.close()));
      manager.dispose();
    },
  };
}
