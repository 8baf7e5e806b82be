/**
 * The cluster commands of a shell, for where it runs. On a node: the generic tools plus curl, wget, DNS tools, ping,
 * ip, ss, iptables, conntrack, ssh, kubectl. In a pod: the network tools leave from the pod; every other command runs
 * inside the container through the node's `exec` call, text filters (grep, sed, awk...) run here as busybox's would.
 */
import { CommandRegistry, type ArgCompleter, type Command, type CommandContext, type CommandInfo } from '../command.ts';
import type { VirtualFs } from '../fs/virtual-fs.ts';
import { shellNotFoundText, toolsOfImage } from '../../node/images/catalogue.ts';
import type { ImageTools } from '../../node/images/types.ts';
import { registerGenericTools } from '../tools/index.ts';
import { curl } from './curl.ts';
import type { ClusterCommandDeps } from './deps.ts';
import { dig, host, nslookup } from './dns.ts';
import { ip, ss } from './ip-ss.ts';
import { conntrack, iptables, iptablesSave } from './iptables.ts';
import { ping } from './ping.ts';
import { getPod, hostnameOf, hostsText, resolvConfText } from './place.ts';
import { hostname, id, kubectl, ssh, whoami } from './system.ts';
import { wget } from './wget.ts';
import { labControls } from './lab-controls.ts';
import { kubectlCompleter } from './kubectl-complete.ts';
import { vi } from '../vi/vi.ts';
import { createLaptopRegistry } from './laptop/registry.ts';

export type { ClusterCommandDeps, KubectlHook, KubectlIO, KubectlRunner } from './deps.ts';
export type { LabControls } from './lab-controls.ts';
export type { SessionHost, ShellPlace } from './place.ts';
export { serviceEnv, hostnameOf } from './place.ts';

type ClusterCommand = (ctx: CommandContext, deps: ClusterCommandDeps) => Promise<number>;

const NETWORK: Array<[string, ClusterCommand, string]> = [
  ['curl', curl, 'transfer a URL'],
  ['wget', wget, 'non-interactive network downloader'],
  ['nslookup', nslookup, 'query Internet name servers'],
  ['ping', ping, 'send ICMP ECHO_REQUEST to network hosts'],
  ['ip', ip, 'show routing, network devices, interfaces'],
];
const NODE_ONLY: Array<[string, ClusterCommand, string]> = [
  ['dig', dig, 'DNS lookup utility'],
  ['host', host, 'DNS lookup utility'],
  ['ss', ss, 'another utility to investigate sockets'],
  ['iptables', iptables, 'administration tool for IPv4 packet filtering and NAT'],
  ['iptables-save', iptablesSave, 'dump iptables rules'],
  ['conntrack', conntrack, 'command line interface for netfilter connection tracking'],
  ['hostname', hostname, 'show the system\'s host name'],
  ['whoami', whoami, 'print effective user name'],
  ['id', id, 'print real and effective user and group IDs'],
  ['ssh', ssh, 'OpenSSH remote login client'],
  ['kubectl', kubectl, 'kubectl controls the Kubernetes cluster manager'],
  ['kubelab', labControls, 'the lab itself: nodes, clock, load balancer, reset'],
  ['vi', vi, 'Vi IMproved, a programmer\'s text editor'],
  ['vim', vi, 'Vi IMproved, a programmer\'s text editor'],
];
/** busybox applets the pod shell runs itself (pure text filters: same result as in the container). */
const POD_LOCAL_TOOLS = ['grep', 'sed', 'awk', 'head', 'tail', 'wc', 'sort', 'uniq', 'cut', 'tr', 'tee', 'base64', 'seq', 'sleep', 'xargs', 'yes', 'watch'];

const bind = (run: ClusterCommand, deps: ClusterCommandDeps): Command => (ctx) => run(ctx, deps);
const COMPLETERS: Record<string, (deps: ClusterCommandDeps) => ArgCompleter> = { kubectl: (deps) => kubectlCompleter(deps.cluster) };

/** Adds the commands for `deps.place` to `registry`. */
export function registerClusterCommands(registry: CommandRegistry, deps: ClusterCommandDeps): CommandRegistry {
  const list = deps.place.kind === 'node' ? [...NETWORK, ...NODE_ONLY] : NETWORK;
  for (const [name, run, summary] of list) registry.register(name, bind(run, deps), summary, COMPLETERS[name]?.(deps));
  return registry;
}

/** A pod shell's registry: unknown names run in the container; a missing executable is busybox ash's `not found`. */
export class PodCommandRegistry extends CommandRegistry {
  private readonly fallback: CommandInfo;
  constructor(private readonly deps: ClusterCommandDeps & { place: { kind: 'pod' } }) {
    super();
    this.fallback = { run: (ctx) => this.execInContainer(ctx) };
  }

  override get(name: string): CommandInfo | undefined {
    return super.get(name) ?? this.fallback;
  }

  override has(): boolean {
    return true;
  }

  private async execInContainer(ctx: CommandContext): Promise<number> {
    const place = this.deps.place;
    const pod = getPod(this.deps.cluster, place.namespace, place.name);
    const node = pod?.spec?.nodeName;
    if (!node) {
      await ctx.stderr.write('sh: can\'t access tty; job control turned off\n');
      return 1;
    }
    const stdin = ctx.terminal.isTTY ? undefined : await ctx.stdin.readAll();
    try {
      const r = await untilInterrupted(ctx.signal, this.deps.cluster.node(node).call('exec', place.namespace, place.name, place.container, ctx.argv, stdin));
      if (!r) return 130;
      await ctx.stdout.write(r.stdout);
      await ctx.stderr.write(r.stderr);
      return r.code;
    } catch (e) {
      const message = (e as Error).message;
      if (/executable file not found/.test(message)) {
        await ctx.stderr.write(shellNotFoundText(containerTools(this.deps)?.shell ?? 'ash', ctx.argv[0] ?? ''));
        return 127;
      }
      await ctx.stderr.write(`sh: ${message}\n`);
      return 126;
    }
  }
}

/** `work`'s result, or undefined once Ctrl-C came first (the container's process gets the SIGINT). */
function untilInterrupted<T>(signal: AbortSignal, work: Promise<T>): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const stop = () => resolve(undefined);
    signal.addEventListener('abort', stop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

/** The registry for a shell at `deps.place`, generic tools included. */
export function createPlaceRegistry(deps: ClusterCommandDeps): CommandRegistry {
  if (deps.place.kind === 'laptop') return createLaptopRegistry(deps);
  if (deps.place.kind === 'node') return registerClusterCommands(registerGenericTools(new CommandRegistry()), deps);
  const registry = new PodCommandRegistry(deps as ClusterCommandDeps & { place: { kind: 'pod' } });
  const generic = registerGenericTools(new CommandRegistry());
  for (const name of POD_LOCAL_TOOLS) {
    const info = generic.get(name);
    if (info) registry.register(name, info.run, info.summary);
  }
  registerClusterCommands(registry, deps);
  const image = containerTools(deps);
  for (const [name, , summary] of NETWORK) {
    if (image && !image.tools.includes(name)) registry.register(name, notInImage(image.shell), summary);
  }
  return registry;
}

/** The shell and tools of the image the pod shell's container runs (undefined: not a catalogue image). */
export function containerTools(deps: ClusterCommandDeps): ImageTools | undefined {
  const place = deps.place;
  if (place.kind !== 'pod') return undefined;
  const containers = getPod(deps.cluster, place.namespace, place.name)?.spec?.containers ?? [];
  const container = place.container ? containers.find((c) => c.name === place.container) : containers[0];
  return container?.image ? toolsOfImage(container.image) : undefined;
}

/** A network tool the image does not ship: its /bin/sh's own `not found`, status 127. */
const notInImage = (shell: ImageTools['shell']): Command => async (ctx) => {
  await ctx.stderr.write(shellNotFoundText(shell, ctx.argv[0] ?? ''));
  return 127;
};

/** /etc/resolv.conf, /etc/hosts and /etc/hostname as the place has them, computed on every read. */
export function mountPlaceFiles(fs: VirtualFs, deps: ClusterCommandDeps): void {
  fs.mountFile('/etc/resolv.conf', { read: () => resolvConfText(deps.cluster, deps.place) });
  fs.mountFile('/etc/hosts', { read: () => hostsText(deps.cluster, deps.place) });
  fs.mountFile('/etc/hostname', { read: () => `${hostnameOf(deps.cluster, deps.place)}\n` });
}
