/**
 * `kubelab serve --state DIR` as a child process (the built CLI when dist/ exists: it starts in about a second),
 * with a small HTTPS client holding the kubeconfig's token, for the durability and doors suites.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/kubelab.mjs');
const built = existsSync(join(root, 'dist/cli.js'));

export interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface Served {
  child: ChildProcess;
  apiUrl: string;
  uiUrl: string;
  token: string;
  ca: string;
  kubeconfig: string;
  /** Everything printed so far, stdout and stderr apart. */
  stdout(): string;
  stderr(): string;
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  /** SIGKILL (no shutdown at all) or SIGTERM (a clean stop); resolves once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function startStateServe(args: string[], timeoutMs = 60_000): Promise<Served> {
  const child = spawn(process.execPath, [bin, 'serve', '--nodes', '1', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(built ? {} : { KUBELAB_FROM_SOURCE: '1' }) },
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.on('data', (d: Buffer) => (err += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not get ready:\n${out}${err}`)), timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`serve exited ${code}:\n${out}${err}`));
    };
    child.once('exit', onExit);
    const check = () => {
      if (!/^Cluster ready: /m.test(out) || !/^UI: \S+$/m.test(out)) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stdout!.off('data', check);
      const kubeconfig = /^Kubeconfig: (\S+)$/m.exec(out)![1]!;
      const kc = parse(readFileSync(kubeconfig, 'utf8')) as { clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>; users: Array<{ user: { token: string } }> };
      const apiUrl = kc.clusters[0]!.cluster.server;
      const ca = Buffer.from(kc.clusters[0]!.cluster['certificate-authority-data'], 'base64').toString();
      const token = kc.users[0]!.user.token;
      const agent = new Agent({ keepAlive: true, maxSockets: 16 });
      resolve({
        child,
        apiUrl,
        uiUrl: /^UI: (\S+)$/m.exec(out)![1]!,
        token,
        ca,
        kubeconfig,
        stdout: () => out,
        stderr: () => err,
        api: (method, path, body, headers = {}) =>
          new Promise((res, rej) => {
            const data = body === undefined ? undefined : JSON.stringify(body);
            const req = request(`${apiUrl}${path}`, {
              method,
              agent,
              ca,
              headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(data ? { 'Content-Type': 'application/json' } : {}), ...headers },
            }, (r) => {
              let text = '';
              r.setEncoding('utf8');
              r.on('data', (d: string) => (text += d));
              r.on('end', () => res({ status: r.statusCode ?? 0, body: text, headers: r.headers }));
              r.on('error', rej);
            });
            req.on('error', rej);
            req.end(data);
          }),
        stop: (signal = 'SIGTERM') => {
          agent.destroy();
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout!.on('data', check);
  });
}

export const configMap = (name: string, value: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { value } });

/** The names and values of the ConfigMaps in `default`. */
export async function configMaps(s: Served): Promise<Map<string, string>> {
  const r = await s.api('GET', '/api/v1/namespaces/default/configmaps');
  if (r.status !== 200) throw new Error(`list configmaps: ${r.status} ${r.body}`);
  const items = (JSON.parse(r.body) as { items: Array<{ metadata: { name: string }; data?: { value?: string } }> }).items;
  return new Map(items.filter((i) => i.data?.value !== undefined).map((i) => [i.metadata.name, i.data!.value!]));
}
