/**
 * A shell inside a container: the image's userland (pod/registry.ts), the container's files (container-fs.ts) and the
 * environment its process has (the image's ENV, HOSTNAME, the kubelet's variables with the service links), starting
 * in the image's WORKDIR with the prompt of the shell that was exec'd (ash `/ # `, dash `# `, bash `root@pod:/#`).
 */
import { createPodRegistry, hostnameOf, type ClusterCommandDeps, type PodCommandRegistry, type PodShell } from '../../shell/commands/index.ts';
import { containerTools } from '../../shell/commands/pod/image.ts';
import { getPod } from '../../shell/commands/place.ts';
import { tildify } from '../../userland/fs/paths.ts';
import { ShellSession, type ShellSessionOptions } from '../../shell/session.ts';
import { containerFs } from './container-fs.ts';

type PodDeps = ClusterCommandDeps & { place: { kind: 'pod' } };

export interface PodSession {
  session: ShellSession;
  registry: PodCommandRegistry;
  /** Resolves once the session's file changes reached the container. */
  flush(): Promise<void>;
}

/** Which shell reads the lines: `bash` where asked for, otherwise the image's /bin/sh. */
export function podShell(deps: PodDeps): PodShell {
  const asked = (deps.place.shell ?? '').replace(/.*\//, '');
  if (asked === 'bash') return 'bash';
  return containerTools(deps)?.shell === 'dash' && asked !== 'ash' ? 'dash' : 'ash';
}

function promptFor(shell: PodShell): ShellSessionOptions['prompt'] {
  if (shell === 'dash') return () => '# ';
  if (shell === 'ash') return ({ cwd, home }) => `${tildify(cwd, home)} # `;
  return undefined;
}

/** Opens a session in the container at `deps.place`; fails as the kubelet does when it is not running. */
export async function openPodSession(deps: PodDeps, common: Omit<ShellSessionOptions, 'fs' | 'registry'>, tty: boolean): Promise<PodSession> {
  const { namespace, name, container } = deps.place;
  const node = getPod(deps.cluster, namespace, name)?.spec?.nodeName;
  if (!node) throw new Error(`pod ${name} does not have a host assigned`);
  const handle = deps.cluster.node(node);
  const view = await handle.call('containerView', namespace, name, container);
  const userland = containerTools(deps)?.userland;
  const shell = podShell(deps);
  const workdir = userland?.workdir ?? '/';
  const { fs, flush } = containerFs(view.files, {
    debian: containerTools(deps)?.shell === 'dash',
    workdir,
    now: () => deps.cluster.clock.now(),
    write: (set, removed) => handle.call('writeFiles', namespace, name, view.container, set, removed),
  });
  const registry = createPodRegistry(deps, shell);
  const hostname = hostnameOf(deps.cluster, deps.place);
  const env: Record<string, string> = {
    ...userland?.env, HOSTNAME: hostname, ...view.env, HOME: '/root', SHELL: shell === 'bash' ? '/bin/bash' : '/bin/sh', ...(tty ? { TERM: 'xterm' } : {}),
  };
  const session = new ShellSession({ ...common, fs, registry, hostname, env, envOnly: true, cwd: workdir, prompt: promptFor(shell) });
  return { session, registry, flush };
}
