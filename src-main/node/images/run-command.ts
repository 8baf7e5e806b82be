/** Runs a container's main process as a busybox command line (busybox, alpine, or a command override). */
import { makeProgram } from './program.ts';
import { baseName, type CommandFn, ExecutableNotFoundError, Shell } from './container-sh/shell.ts';
import type { ContainerContext, RunningProgram, Stream } from './types.ts';

/** Turns written chunks into log lines; a trailing partial line is flushed when the process ends. */
export function lineWriter(ctx: ContainerContext, stream: Stream): { write(d: string): void; flush(): void } {
  let pending = '';
  return {
    write(d: string) {
      pending += d;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        ctx.log(stream, pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    },
    flush() {
      if (pending) ctx.log(stream, pending);
      pending = '';
    },
  };
}

/**
 * Starts argv as PID 1. Throws ExecutableNotFoundError when argv[0] is not in the image, which the kubelet reports
 * as a StartError the way runc does. PID 1 without a SIGTERM handler ignores SIGTERM, so only SIGKILL ends it.
 */
export function runMainCommand(ctx: ContainerContext, argv: string[], applets: Record<string, CommandFn>): RunningProgram {
  if (!argv.length || !(baseName(argv[0]) in applets)) throw new ExecutableNotFoundError(argv[0] ?? '');
  const shell = new Shell(ctx, new Map(Object.entries(applets)));
  const out = lineWriter(ctx, 'stdout');
  const err = lineWriter(ctx, 'stderr');
  shell.runArgv(argv, { stdout: d => out.write(d), stderr: d => err.write(d), stdin: '' }).then(
    code => {
      if (shell.isKilled) return;
      out.flush();
      err.flush();
      ctx.exit(code);
    },
    e => {
      if (shell.isKilled) return;
      err.write(`${String((e as Error)?.message ?? e)}\n`);
      err.flush();
      ctx.exit(1);
    },
  );
  return makeProgram(ctx, { applets, sigtermExit: null, onKill: () => shell.kill() });
}
