/**
 * The image under a pod shell: its /bin/sh, the programs on its PATH, which flavour of a tool it ships (busybox's
 * applet or the full one), and runc's words for a program it does not have.
 */
import type { Container } from 'kubernetes-types/core/v1';
import { toolsOfImage } from '../../../node/images/catalogue.ts';
import type { ImageTools } from '../../../node/images/types.ts';
import type { UserlandFacts } from '../../../node/images/userland.ts';
import type { ClusterCommandDeps } from '../deps.ts';
import { getPod, type ShellPlace } from '../place.ts';

/** The container a pod place means: the named one, or the first. */
export function placeContainer(deps: Pick<ClusterCommandDeps, 'cluster'>, place: ShellPlace): Container | undefined {
  if (place.kind !== 'pod') return undefined;
  const containers = getPod(deps.cluster, place.namespace, place.name)?.spec?.containers ?? [];
  return place.container ? containers.find((c) => c.name === place.container) : containers[0];
}

/** The shell and userland of the image the pod shell's container runs (undefined: not a catalogue image). */
export function containerTools(deps: Pick<ClusterCommandDeps, 'cluster' | 'place'>): ImageTools | undefined {
  const image = placeContainer(deps, deps.place)?.image;
  return image ? toolsOfImage(image) : undefined;
}

export function userlandOf(deps: Pick<ClusterCommandDeps, 'cluster' | 'place'>): UserlandFacts | undefined {
  return containerTools(deps)?.userland;
}

export const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** Whether `command` (a name looked up on PATH, or a path) is a program of the image. */
export function hasExecutable(tools: ImageTools | undefined, command: string): boolean {
  if (!tools) return true;
  const name = baseName(command);
  return !!name && !!tools.userland?.executables.includes(name);
}

/** What the image's /bin/sh prints for a command it cannot find (exit status 127). */
export function shellNotFoundText(shell: ImageTools['shell'], command: string): string {
  return shell === 'dash' ? `sh: 1: ${command}: not found\n` : `sh: ${command}: not found\n`;
}

/** runc's failure for an exec of a program the image lacks, as kubectl shows it (exit code 126). */
export function ociNotFound(command: string): string {
  const why = command.includes('/') ? `stat ${command}: no such file or directory` : 'executable file not found in $PATH';
  return `OCI runtime exec failed: exec failed: unable to start container process: exec: "${command}": ${why}: unknown`;
}

/** busybox's applet (ash, nslookup, wget, ping) rather than the full program, in a pod of this image. */
export function isBusyboxTool(deps: Pick<ClusterCommandDeps, 'cluster' | 'place'>, tool: 'nslookup' | 'wget' | 'ping'): boolean {
  if (deps.place.kind !== 'pod') return false;
  const userland = userlandOf(deps);
  return !(tool === 'nslookup' && userland?.bindTools);
}

/** The command line of the container's main process: the pod spec's command/args over the image's ENTRYPOINT/CMD. */
export function mainCommand(deps: Pick<ClusterCommandDeps, 'cluster' | 'place'>): string[] {
  const c = placeContainer(deps, deps.place);
  const image = userlandOf(deps)?.defaultCommand ?? [];
  if (c?.command?.length) return [...c.command, ...(c.args ?? [])];
  return c?.args?.length ? [...image.slice(0, 1), ...c.args] : image;
}
