/**
 * A pod shell's commands. A name the image lacks is its shell's `not found`; what the image has runs here when the
 * lab has its own implementation (the text tools, the network clients leaving from the pod, ps, nc, getent, vi), and
 * otherwise in the container itself through the node's `exec` call (nginx -v, agnhost, uname...).
 */
import { CommandRegistry, type Command, type CommandContext, type CommandInfo } from '../../../userland/command.ts';
import { registerGenericTools } from '../../../userland/tools/index.ts';
import type { ImageTools } from '../../../node/images/types.ts';
import type { ClusterCommandDeps } from '../deps.ts';
import { getPod } from '../place.ts';
import { NETWORK, NODE_ONLY } from '../table.ts';
import { baseName, containerTools, hasExecutable, shellNotFoundText } from './image.ts';
import { getent, nc, ps, which, type ProcessTable } from './tools.ts';

type PodDeps = ClusterCommandDeps & { place: { kind: 'pod' } };

/** Which shell reads the commands: the image's /bin/sh, or bash where it was asked for. */
export type PodShell = 'ash' | 'dash' | 'bash';

const NODE_TOOLS_IN_IMAGES = new Set(['dig', 'host', 'ss', 'hostname', 'whoami', 'id', 'vi']);

export function notFoundText(shell: PodShell, command: string): string {
  return shell === 'bash' ? `bash: ${command}: command not found\n` : shellNotFoundText(shell, command);
}

export class PodCommandRegistry extends CommandRegistry {
  /** The processes exec'd into the container besides PID 1, for `ps`. */
  readonly processes: ProcessTable = { execs: [] };
  private readonly fallback: CommandInfo;
  private readonly missing: CommandInfo;
  readonly tools: ImageTools | undefined;

  constructor(private readonly deps: PodDeps, readonly shell: PodShell) {
    super();
    this.tools = containerTools(deps);
    this.fallback = { run: (ctx) => this.execInContainer(ctx) };
    this.missing = { run: async (ctx) => (await ctx.stderr.write(notFoundText(this.shell, ctx.argv[0] ?? '')), 127) };
  }

  override get(name: string): CommandInfo | undefined {
    if (!hasExecutable(this.tools, name)) return this.missing;
    return super.get(baseName(name)) ?? this.fallback;
  }

  override has(): boolean {
    return true;
  }

  override names(): string[] {
    return [...(this.tools?.userland?.executables ?? super.names())].sort();
  }

  private async execInContainer(ctx: CommandContext): Promise<number> {
    const place = this.deps.place;
    const node = getPod(this.deps.cluster, place.namespace, place.name)?.spec?.nodeName;
    if (!node) return (await ctx.stderr.write('sh: can\'t access tty; job control turned off\n'), 1);
    const stdin = ctx.terminal.isTTY ? undefined : await ctx.stdin.readAll();
    try {
      const r = await untilInterrupted(ctx.signal, this.deps.cluster.node(node).call('exec', place.namespace, place.name, place.container, ctx.argv, stdin));
      if (!r) return 130;
      await ctx.stdout.write(r.stdout);
      await ctx.stderr.write(r.stderr);
      return r.code;
    } catch (e) {
      const message = (e as Error).message;
      if (/executable file not found/.test(message)) return (await ctx.stderr.write(notFoundText(this.shell, ctx.argv[0] ?? '')), 127);
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

/** The registry of a shell in the pod at `deps.place`: what its image ships, run here or in the container. */
export function createPodRegistry(deps: PodDeps, shell: PodShell = containerTools(deps)?.shell ?? 'ash'): PodCommandRegistry {
  const registry = new PodCommandRegistry(deps, shell);
  const has = (name: string) => hasExecutable(registry.tools, name);
  const generic = registerGenericTools(new CommandRegistry());
  for (const name of generic.names()) {
    const info = generic.get(name)!;
    if (has(name)) registry.register(name, info.run, info.summary);
  }
  const bind = (run: (ctx: CommandContext, deps: ClusterCommandDeps) => Promise<number>): Command => (ctx) => run(ctx, deps);
  for (const [name, run, summary] of NETWORK) if (has(name)) registry.register(name, bind(run), summary);
  for (const [name, run, summary] of NODE_ONLY) if (NODE_TOOLS_IN_IMAGES.has(name) && has(name)) registry.register(name, bind(run), summary);
  if (has('ps')) registry.register('ps', (ctx) => ps(ctx, deps, registry.processes), 'report a snapshot of the current processes');
  if (has('nc')) registry.register('nc', bind(nc), 'arbitrary TCP and UDP connections');
  if (has('getent')) registry.register('getent', bind(getent), 'get entries from Name Service Switch libraries');
  if (has('which')) registry.register('which', bind(which), 'locate a command');
  return registry;
}
