/**
 * `kubelab kubectl ...`: our built-in kubectl against the cluster in $KUBECONFIG (what the host shell's `kubectl`
 * wrapper runs when no kubectl is installed). Its flags, help and errors are kubectl's own (exit 1 for a bad flag).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultStateDir } from './data-dir.ts';
import { endpointFromKubeconfig } from './shell.ts';
import type { ApiClient } from '../kubectl/client.ts';

/** Without a readable kubeconfig kubectl still prints its help; anything that needs the server says why it can't. */
function unreachable(path: string): ApiClient {
  const fail = () => Promise.reject(new Error(`cannot read kubeconfig ${path}: is 'kubelab serve' running?`));
  return { request: fail, stream: fail };
}

export async function kubectl(argv: string[]): Promise<number> {
  const path = process.env.KUBECONFIG?.split(':')[0] || join(defaultStateDir(), 'kubeconfig');
  const { runKubectl, httpApiClient } = await import('../kubectl/index.ts');
  let client: ApiClient;
  try {
    const { server, token, ca } = endpointFromKubeconfig(readFileSync(path, 'utf8'));
    client = httpApiClient(server, token, { ca });
  } catch {
    client = unreachable(path);
  }
  const stdin = process.stdin.isTTY ? '' : await new Promise<string>((resolve) => {
    let s = '';
    process.stdin.setEncoding('utf8').on('data', (d) => (s += d)).on('end', () => resolve(s));
  });
  return runKubectl(argv, {
    stdin: async () => stdin,
    stdout: (s: string) => void process.stdout.write(s),
    stderr: (s: string) => void process.stderr.write(s),
    signal: new AbortController().signal,
    terminal: process.stdout.isTTY ? { columns: process.stdout.columns, rows: process.stdout.rows } : undefined,
    env: process.env as Record<string, string>,
    cwd: process.cwd(),
    readFile: async (p: string) => readFileSync(p, 'utf8'),
    listDir: (p: string) => readdirSync(p, { withFileTypes: true }).map((e) => ({ name: e.name, dir: e.isDirectory() })),
  }, client);
}
