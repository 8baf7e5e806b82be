/**
 * The host shell: the learner's own shell in a PTY, with KUBECONFIG pointing at the embedded cluster and `kubectl` on
 * PATH: the real one when installed, else a wrapper running `kubelab kubectl`. Reading from the PTY stops above the
 * high watermark of unacknowledged output and resumes under the low one.
 */
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TERMINAL_HIGH_WATERMARK, TERMINAL_LOW_WATERMARK } from '../../contract/contract.ts';

export interface HostShellOptions {
  cols: number;
  rows: number;
  kubeconfigPath?: string;
  /** Where the kubectl wrapper is written when no kubectl is installed. */
  binDir: string;
  shell?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
}

export interface HostShell {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  ack(units: number): void;
  kill(): void;
  readonly paused: boolean;
  onData(cb: (data: string) => void): void;
  onExit(cb: (code: number) => void): void;
}

export function findOnPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** `#!/bin/sh` wrapper: `kubectl ...` -> `kubelab kubectl ...` (our kubectl, same kubeconfig). */
export function writeKubectlWrapper(binDir: string): string {
  mkdirSync(binDir, { recursive: true, mode: 0o700 });
  const cli = fileURLToPath(new URL('../../../bin/kubelab.mjs', import.meta.url));
  const file = join(binDir, 'kubectl');
  writeFileSync(file, `#!/bin/sh\nexec "${process.execPath}" "${cli}" kubectl "$@"\n`, { mode: 0o700 });
  return file;
}

export async function spawnHostShell(o: HostShellOptions): Promise<HostShell> {
  const pty = await import('node-pty');
  const baseEnv = { ...process.env, ...o.env };
  let PATH = baseEnv.PATH ?? '';
  if (!findOnPath('kubectl', PATH)) {
    writeKubectlWrapper(o.binDir);
    PATH = `${o.binDir}${delimiter}${PATH}`;
  }
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...baseEnv, PATH, TERM: 'xterm-256color', ...(o.kubeconfigPath ? { KUBECONFIG: o.kubeconfigPath } : {}) })) if (v !== undefined) env[k] = v;
  const shell = o.shell ?? (process.platform === 'win32' ? 'powershell.exe' : (process.env.SHELL ?? '/bin/bash'));
  const p = pty.spawn(shell, [], { name: 'xterm-256color', cols: o.cols, rows: o.rows, cwd: o.cwd ?? process.env.HOME ?? process.cwd(), env });
  let unacked = 0;
  let paused = false;
  let exited = false;
  p.onExit(() => { exited = true; });
  return {
    write: (d) => { if (!exited) p.write(d); },
    resize: (c, r) => { if (!exited) p.resize(c, r); },
    kill: () => { if (!exited) p.kill(); },
    get paused() { return paused; },
    ack(units) {
      unacked = Math.max(0, unacked - units);
      if (paused && unacked <= TERMINAL_LOW_WATERMARK) {
        paused = false;
        p.resume();
      }
    },
    onData(cb) {
      p.onData((d) => {
        unacked += d.length;
        if (!paused && unacked >= TERMINAL_HIGH_WATERMARK) {
          paused = true;
          p.pause();
        }
        cb(d);
      });
    },
    onExit(cb) {
      p.onExit((e) => cb(e.exitCode));
    },
  };
}
