import { ManualClock } from '../../../src-main/clock/clock.ts';
import { VirtualFs } from '../../../src-main/userland/fs/virtual-fs.ts';
import { ShellSession } from '../../../src-main/shell/session.ts';
import { registerGenericTools } from '../../../src-main/userland/tools/index.ts';

/** A session on a manual clock: sleep resolves when the clock passes its deadline or on abort. */
export function makeShell(opts: { cwd?: string } = {}): { shell: ShellSession; fs: VirtualFs; clock: ManualClock; output: () => string } {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const fs = new VirtualFs({ now: () => clock.now() });
  const sleep = (ms: number, signal?: AbortSignal): Promise<void> => new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const id = clock.setTimeout(done, ms);
    function done(): void { clock.clearTimeout(id); signal?.removeEventListener('abort', done); resolve(); }
    signal?.addEventListener('abort', done, { once: true });
  });
  const shell = new ShellSession({ fs, registry: registerGenericTools(), now: () => clock.now(), sleep, cwd: opts.cwd, columns: 80, rows: 24 });
  let out = '';
  shell.onOutput((d) => (out += d));
  return { shell, fs, clock, output: () => out };
}

export async function run(shell: ShellSession, line: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return shell.runLine(line);
}

export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
