/**
 * The cluster commands of a shell, for where it runs. On a node: the generic tools plus curl, wget, DNS tools, ping,
 * ip, ss, iptables, conntrack, ssh, kubectl. In a pod: what the image ships (pod/registry.ts); on the laptop, its own.
 */
import { CommandRegistry, type ArgCompleter, type Command } from '../../userland/command.ts';
import type { VirtualFs } from '../../userland/fs/virtual-fs.ts';
import { registerGenericTools } from '../../userland/tools/index.ts';
import type { ClusterCommandDeps } from './deps.ts';
import { hostnameOf, hostsText, resolvConfText } from './place.ts';
import { kubectlCompleter } from './kubectl-complete.ts';
import { createLaptopRegistry } from './laptop/registry.ts';
import { createPodRegistry } from './pod/registry.ts';
import { NETWORK, NODE_ONLY, type ClusterCommand } from './table.ts';

export type { ClusterCommandDeps, KubectlHook, KubectlIO, KubectlRunner } from './deps.ts';
export type { LabControls } from './lab-controls.ts';
export type { SessionHost, ShellPlace } from './place.ts';
export { hostnameOf } from './place.ts';
export { containerTools } from './pod/image.ts';
export { createPodRegistry, PodCommandRegistry, type PodShell } from './pod/registry.ts';

const bind = (run: ClusterCommand, deps: ClusterCommandDeps): Command => (ctx) => run(ctx, deps);
const COMPLETERS: Record<string, (deps: ClusterCommandDeps) => ArgCompleter> = { kubectl: (deps) => kubectlCompleter(deps.cluster) };

/** Adds the commands for `deps.place` to `registry`. */
export function registerClusterCommands(registry: CommandRegistry, deps: ClusterCommandDeps): CommandRegistry {
  const list = deps.place.kind === 'node' ? [...NETWORK, ...NODE_ONLY] : NETWORK;
  for (const [name, run, summary] of list) registry.register(name, bind(run, deps), summary, COMPLETERS[name]?.(deps));
  return registry;
}

/** The registry for a shell at `deps.place`, generic tools included. */
export function createPlaceRegistry(deps: ClusterCommandDeps): CommandRegistry {
  if (deps.place.kind === 'laptop') return createLaptopRegistry(deps);
  if (deps.place.kind === 'node') return registerClusterCommands(registerGenericTools(new CommandRegistry()), deps);
  return createPodRegistry(deps as ClusterCommandDeps & { place: { kind: 'pod' } });
}

/** /etc/resolv.conf, /etc/hosts and /etc/hostname as the place has them, computed on every read. */
export function mountPlaceFiles(fs: VirtualFs, deps: ClusterCommandDeps): void {
  fs.mountFile('/etc/resolv.conf', { read: () => resolvConfText(deps.cluster, deps.place) });
  fs.mountFile('/etc/hosts', { read: () => hostsText(deps.cluster, deps.place) });
  fs.mountFile('/etc/hostname', { read: () => `${hostnameOf(deps.cluster, deps.place)}\n` });
}
