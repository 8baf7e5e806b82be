/**
 * Everything `kubelab serve` and the desktop app start: the cluster (restored from the state directory), its
 * controllers, the Kubernetes API server with a kubeconfig for real tools, and the UI server (renderer + WebSocket).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { RealClock } from '../clock/clock.ts';
import { Store } from '../store/store.ts';
import { StatePersistence } from '../store/persistence.ts';
import { secureStateDir } from './state-dir.ts';
import { Cluster } from '../cluster/cluster.ts';
import { clusterIsReady, whenReady } from '../cluster/readiness.ts';
import { startControllers } from '../controllers/index.ts';
import { startLoadBalancerController } from '../controllers/loadbalancer.ts';
import { startApiServer, type ApiServer } from '../apiserver/server.ts';
import type { HostService } from '../contract/contract.ts';
import { attachWebSocket } from './transport/websocket.ts';
import { serveRenderer } from './transport/serve-renderer.ts';
import { withoutHostShell } from './transport/host-shell-door.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { clusterPodRuntime } from './pod-runtime.ts';
import { createHostService } from './service.ts';
import { builtinKubectl } from './builtin-kubectl.ts';
import { startTerminals } from './terminals-wiring.ts';
import { createLabControls } from './lab-controls.ts';
import { startLessons } from './lessons-wiring.ts';
import type { PodSessions } from './terminals/pod-exec.ts';

export interface KubelabOptions {
  nodes: number;
  port: number;
  stateDir?: string;
  kubeconfigPath: string;
  /** Clock speed once booted: 0, 1, 10 or 60. */
  speed: number;
  rendererDir?: string;
  /**
   * The browser UI may open a shell on the host (`kubelab serve --host-shell`). The desktop app's window has it
   * anyway: it reaches `service` over IPC, not through the UI server.
   */
  hostShell?: boolean;
  /** Where the one line about damaged saved state goes (stderr by default). */
  warn?: (line: string) => void;
}

export interface Kubelab {
  cluster: Cluster;
  service: HostService;
  apiUrl: string;
  uiUrl: string;
  /** The API server's bearer token (the kubeconfig's). */
  token: string;
  /** The UI server's own token: a browser tab's capability, never accepted by the API server, nor the API's by it. */
  uiToken: string;
  kubeconfigPath: string;
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Boot runs the cluster clock this much faster until the system pods are up: the wait a learner would sit through. */
const BOOT_SPEED = 20;

function defaultRendererDir(): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(here.endsWith('.ts') ? '../../dist/renderer/' : './renderer/', here));
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startKubelab(opts: KubelabOptions): Promise<Kubelab> {
  const clock = new RealClock(BOOT_SPEED);
  const store = new Store(clock);
  const warn = opts.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (opts.stateDir) secureStateDir(opts.stateDir);
  const persistence = opts.stateDir ? new StatePersistence(opts.stateDir, { warn }) : undefined;
  const loaded = persistence?.load(store);
  if (loaded?.report) warn(loaded.report);
  persistence?.attach(store);

  let lb: ReturnType<typeof startLoadBalancerController> | undefined;
  const cluster = await Cluster.start({
    nodes: opts.nodes,
    clock,
    store,
    startControllers: (reg, c) => {
      const controllers = startControllers(reg, c);
      lb = startLoadBalancerController(reg, c, { enabled: true });
      return { stop: () => (controllers.stop(), lb?.stop()), idle: () => controllers.idle() };
    },
  });

  const token = randomBytes(24).toString('hex');
  let sessions: PodSessions | undefined;
  const api: ApiServer = await startApiServer({
    registry: cluster.registry,
    clock,
    port: opts.port,
    token,
    podRuntime: clusterPodRuntime(cluster, () => sessions),
    durable: persistence ? () => persistence.durable() : undefined,
  });
  writeKubeconfig(opts.kubeconfigPath, api.url, token, api.caData);
  const kubectl = builtinKubectl(api.url, token, api.caData, opts.kubeconfigPath);
  const loadBalancer = { get enabled() { return lb?.enabled ?? false; }, setEnabled: (on: boolean) => lb?.setEnabled(on) };
  const controls = createLabControls(cluster, loadBalancer);
  let uiPort = 0;
  // The laptop shell's `ss` lists the two sockets kubelab itself listens on (fd numbers as node's are typical).
  const listening = () => [{ local: `127.0.0.1:${new URL(api.url).port}`, pid: process.pid, fd: 21 }, ...(uiPort ? [{ local: `127.0.0.1:${uiPort}`, pid: process.pid, fd: 24 }] : [])];
  const terminals = await startTerminals({ cluster, kubectl, controls, stateDir: opts.stateDir, kubeconfigPath: opts.kubeconfigPath, caData: api.caData, listening });
  terminals.attach(api.server, token);
  sessions = terminals.manager;
  const lessons = startLessons({ cluster, controls, terminals: terminals.manager, stateDir: opts.stateDir });
  const service = createHostService({
    cluster,
    apiServer: { url: api.url, kubeconfig: opts.kubeconfigPath },
    terminals: terminals.host,
    kubectl: kubectl.run,
    loadBalancer,
    controls,
  });

  const rendererDir = opts.rendererDir ?? defaultRendererDir();
  // Whoever holds the kubeconfig (a script, a copy on a shared machine) must not get the UI, nor through it the host.
  const uiToken = randomBytes(24).toString('hex');
  const ui = createServer((req, res) => void serveRenderer(req, res, { distDir: rendererDir, token: uiToken }));
  const ws = attachWebSocket(ui, opts.hostShell ? service : withoutHostShell(service), { token: uiToken, path: '/ui/ws' });
  uiPort = await listen(ui, 0);

  const booted = whenReady(cluster.registry, () => clusterIsReady(cluster.registry))
    .then(() => cluster.setSpeed(opts.speed))
    .then(() => lessons.engine.resume());
  return {
    cluster,
    service,
    apiUrl: api.url,
    uiUrl: `http://127.0.0.1:${uiPort}/?token=${uiToken}`,
    token,
    uiToken,
    kubeconfigPath: opts.kubeconfigPath,
    ready: () => booted,
    async close() {
      ws.close?.();
      ui.closeAllConnections();
      await new Promise((r) => ui.close(r));
      service.close();
      lessons.stop();
      await terminals.close();
      await api.close();
      await cluster.close();
      persistence?.close();
    },
  };
}
