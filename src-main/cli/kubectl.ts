/**
 * `kubelab kubectl ...`: our built-in kubectl against the cluster in $KUBECONFIG (what the host shell's `kubectl`
 * wrapper runs when no kubectl is installed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultStateDir } from './data-dir.ts';
import { endpointFromKubeconfig } from './shell.ts';

export async function kubectl(argv: string[]): Promise<number> {
  const path = process.env.KUBECONFIG?.split(':')[0] ?? join(defaultStateDir(), 'kubeconfig');
  // src-main/kubectl is being written; its entry point is loaded by name so this file builds without it.
  const entry = '../kubectl/index.ts';
  let mod: { runKubectl?: (argv: string[], io: unknown, client: unknown) => Promise<number> };
  let clientMod: { httpApiClient?: (server: string, token: string) => unknown };
  try {
    mod = (await import(entry)) as typeof mod;
    clientMod = (await import('../kubectl/client.ts')) as typeof clientMod;
  } catch {
    process.stderr.write('kubelab kubectl: the built-in kubectl is not available in this build\n');
    return 1;
  }
  if (!mod.runKubectl || !clientMod.httpApiClient) {
    process.stderr.write('kubelab kubectl: the built-in kubectl is not available in this build\n');
    return 1;
  }
  const { server, token } = endpointFromKubeconfig(readFileSync(path, 'utf8'));
  const stdin = process.stdin.isTTY ? '' : await new Promise<string>((resolve) => {
    let s = '';
    process.stdin.setEncoding('utf8').on('data', (d) => (s += d)).on('end', () => resolve(s));
  });
  return mod.runKubectl(argv, {
    stdin,
    stdout: (s: string) => void process.stdout.write(s),
    stderr: (s: string) => void process.stderr.write(s),
    signal: new AbortController().signal,
    columns: process.stdout.columns, isTTY: process.stdout.isTTY, env: process.env, cwd: process.cwd(),
    readFile: (p: string) => readFileSync(p, 'utf8'),
  }, clientMod.httpApiClient(server, token));
}
