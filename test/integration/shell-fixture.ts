/**
 * A lab for the shell-*.test.ts files: the network fixture's cluster (real node workers, CoreDNS, kube-proxy) with
 * the seed Deployment and its ClusterIP and NodePort services, our API server and kubectl behind the terminals, and
 * helpers that run a line at a place (advancing the cluster clock while it waits) or drive a terminal by keystrokes.
 */
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1';
import { startApiServer, type ApiServer } from '../../src-main/apiserver/server.ts';
import { TerminalManager, type TerminalManagerOptions } from '../../src-main/host/terminals/manager.ts';
import { httpApiClient } from '../../src-main/kubectl/client.ts';
import { runKubectl } from '../../src-main/kubectl/index.ts';
import type { RunResult } from '../../src-main/userland/command.ts';
import type { KubectlHook, ShellPlace } from '../../src-main/shell/commands/index.ts';
import { deploy, PODS, seedDeployment, service, SERVICES, startLab, svcIP, until, type Lab } from './network-fixture.ts';

const TOKEN = 'shell-fixture-token';

export interface ShellLab {
  lab: Lab;
  api: ApiServer;
  terminals: TerminalManager;
  /** Our kubectl against the lab's API server, as the terminals run it. */
  kubectl: KubectlHook;
  /** The seed's pods (takytaky/hostname: Debian, dash, curl), sorted by name; `curlClient` is the first one. */
  pods: Pod[];
  /** A busybox pod (`sleep 3600`) started after the Services: wget, nslookup, ping, ip, nc and their links in env. */
  client: ShellPlace;
  clientPod: Pod;
  curlClient: ShellPlace;
  master: ShellPlace;
  clusterIP: string;
  close(): Promise<void>;
}

/** `terminals` adds to the TerminalManager's options (the laptop's kubeconfig and listeners, as `kubelab serve` gives them). */
export async function startShellLab(terminalOptions: Partial<TerminalManagerOptions> = {}): Promise<ShellLab> {
  const lab = await startLab();
  const dnsReady = () => (lab.reg.list(PODS, { namespace: 'kube-system' }).items as unknown as Pod[])
    .some((p) => p.metadata?.labels?.['k8s-app'] === 'kube-dns' && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  await until(lab, dnsReady, 120, 'CoreDNS ready');
  const pods = (await deploy(lab, seedDeployment())).sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!));
  lab.reg.create(SERVICES, 'default', service('clusterip-hostname-service', { selector: { app: 'hostname-server' }, ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }] }));
  lab.reg.create(SERVICES, 'default', service('nodeport-hostname-service', { type: 'NodePort', selector: { app: 'hostname-server' }, ports: [{ protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30080 }] }));
  lab.reg.create(SERVICES, 'default', service('no-endpoints', { selector: { app: 'nobody' }, ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }] }));
  await lab.cluster.settle();
  await lab.cluster.advance(1000);
  const [clientPod] = await deploy(lab, seedDeployment('client', 1, 'busybox:1.36', { command: ['sleep', '3600'] }));
  const api = await startApiServer({ registry: lab.reg, clock: lab.cluster.clock, token: TOKEN });
  const kubectl: KubectlHook = { run: runKubectl, client: httpApiClient(api.url, TOKEN, { ca: api.caData }) };
  const terminals = new TerminalManager({ cluster: lab.cluster, kubectl, ...terminalOptions });
  return {
    lab, api, terminals, kubectl, pods,
    client: { kind: 'pod', namespace: 'default', name: clientPod!.metadata!.name! },
    clientPod: clientPod!,
    curlClient: { kind: 'pod', namespace: 'default', name: pods[0]!.metadata!.name! },
    master: { kind: 'node', node: 'master' },
    clusterIP: svcIP(lab, 'clusterip-hostname-service'),
    async close() {
      terminals.dispose();
      await api.close();
      await lab.close();
    },
  };
}

/** Runs `line` at `place`; while it waits (timeouts, sleep, ping) the cluster clock moves a second at a time. */
export async function runAt(s: ShellLab, place: ShellPlace, line: string, maxSeconds = 400): Promise<RunResult> {
  let done = false;
  const running = s.terminals.runLine(place, line).finally(() => (done = true));
  for (let i = 0; i < maxSeconds && !done; i++) {
    // Let what is in flight (worker round trips, the command's own continuations) land before time moves.
    await s.lab.cluster.settle();
    for (let j = 0; j < 5 && !done; j++) await new Promise((r) => setImmediate(r));
    if (!done) await s.lab.cluster.advance(1000);
  }
  assert.ok(done, `"${line}" still running after ${maxSeconds} s of cluster time`);
  return running;
}

/** An interactive terminal on `node`: type keystrokes, wait for the screen to match. */
export function openTerminal(s: ShellLab, node = 'master') {
  return attachTerminal(s, { kind: 'cluster', node }, new RegExp(`root@${node}:~# $`));
}

/** An interactive terminal on the laptop, as the UI's laptop tab opens it. */
export function openLaptopTerminal(s: ShellLab) {
  return attachTerminal(s, { kind: 'laptop' }, /learner@laptop:~\$ $/);
}

async function attachTerminal(s: ShellLab, spec: { kind: 'cluster'; node: string } | { kind: 'laptop' }, prompt: RegExp) {
  // The first prompt may come before open() resolves: collect by id from the start.
  const byId = new Map<string, string>();
  const off = s.terminals.on('terminal.data', (p) => byId.set(p.id, (byId.get(p.id) ?? '') + p.data));
  const { id } = await s.terminals.open({ ...spec, cols: 120, rows: 40 });
  const read = () => byId.get(id) ?? '';
  const t = {
    id,
    get screen() { return read(); },
    /** What was printed since `mark` (a length of `screen`). */
    since: (mark: number) => read().slice(mark),
    type: (data: string) => void s.terminals.input({ id, data }),
    /** Waits (in real time, the clock still) until what was printed after `from` matches `re`. */
    async until(re: RegExp, from = 0, ms = 15_000): Promise<string> {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if (re.test(read().slice(from))) return read().slice(from);
        await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error(`timed out waiting for ${re}; screen after ${from}:\n${JSON.stringify(read().slice(from))}`);
    },
    /** Types `keys` and waits for `re` in what follows; returns what followed. */
    step(keys: string, re: RegExp): Promise<string> {
      const mark = read().length;
      void s.terminals.input({ id, data: keys });
      return t.until(re, mark);
    },
    close: () => { off(); s.terminals.close({ id }); },
  };
  await t.until(prompt);
  return t;
}
