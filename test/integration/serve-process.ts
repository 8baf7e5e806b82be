/** `kubelab serve --ephemeral` as a child process from the sources, for tests that drive it with the real kubectl. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/kubelab.mjs');

/**
 * `args` are added to `serve` (e.g. `--speed 60`, so that timeouts a test waits out pass quickly); the state is
 * ephemeral unless they name a `--state` dir.
 */
export function startServe(args: string[] = []): Promise<{ kubeconfig: string; stop(): Promise<void> }> {
  const state = args.includes('--state') ? [] : ['--ephemeral'];
  const child = spawn(process.execPath, [bin, 'serve', ...state, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBELAB_FROM_SOURCE: '1' } });
  let out = '';
  const collect = (d: Buffer) => (out += d);
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not get ready:\n${out}`)), 90_000);
    child.on('exit', (code) => reject(new Error(`serve exited ${code}:\n${out}`)));
    const check = () => {
      const m = /Kubeconfig: (\S+)/.exec(out);
      if (!m || !/^Cluster ready: /m.test(out)) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      resolve({
        kubeconfig: m[1],
        stop: () =>
          new Promise((r) => {
            child.removeAllListeners('exit');
            child.once('exit', () => r());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout.on('data', check);
  });
}
