/**
 * `kubelab serve --state DIR` as a child process, with a small HTTPS client holding the kubeconfig's token, for the
 * durability and doors suites. It runs the built CLI (dist/cli.js starts in about a second, the sources through tsx
 * in four: too slow for 20 kill cycles), and refuses a build older than the sources rather than test stale code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/kubelab.mjs');
const cli = join(root, 'dist/cli.js');

function builtIsFresh(): boolean {
  if (!existsSync(cli)) return false;
  const builtAt = statSync(cli).mtimeMs;
  const src = join(root, 'src-main');
  return readdirSync(src, { recursive: true }).every((f) => statSync(join(src, String(f))).mtimeMs <= builtAt);
}

let checked = false;
function assertBuilt(): void {
  if (checked) return;
  if (!builtIsFresh()) throw new Error(`${cli} is missing or older than src-main: run \`node scripts/build.mjs\` first`);
  checked = true;
}

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

export interface StartOptions {
  timeoutMs?: number;
  /**
   * Write the kubeconfig here (a path not used before) and resolve as soon as it exists: the API server answers
   * from then on, while the cluster is still booting (`uiUrl` is then empty). What a kill cycle needs, not more.
   */
  apiOnly?: string;
}

export function startStateServe(args: string[], o: StartOptions = {}): Promise<Served> {
  assertBuilt();
  const env = { ...process.env };
  delete env.KUBELAB_FROM_SOURCE;
  const extra = o.apiOnly ? ['--kubeconfig', o.apiOnly] : [];
  const child = spawn(process.execPath, [bin, 'serve', '--nodes', '1', ...extra, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.on('data', (d: Buffer) => (err += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolve, reject) => {
    let poll: ReturnType<typeof setInterval> | undefined;
    const timer = setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`serve did not get ready:\n${out}${err}`));
    }, o.timeoutMs ?? 60_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(new Error(`serve exited ${code}:\n${out}${err}`));
    };
    child.once('exit', onExit);
    const check = () => {
      if (o.apiOnly ? !existsSync(o.apiOnly) : !/^Cluster ready: /m.test(out) || !/^UI: \S+$/m.test(out)) return;
      clearTimeout(timer);
      clearInterval(poll);
      child.off('exit', onExit);
      child.stdout!.off('data', check);
      const kubeconfig = o.apiOnly ?? /^Kubeconfig: (\S+)$/m.exec(out)![1]!;
      const kc = parse(readFileSync(kubeconfig, 'utf8')) as { clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>; users: Array<{ user: { token: string } }> };
      const apiUrl = kc.clusters[0]!.cluster.server;
      const ca = Buffer.from(kc.clusters[0]!.cluster['certificate-authority-data'], 'base64').toString();
      const token = kc.users[0]!.user.token;
      const agent = new Agent({ keepAlive: true, maxSockets: 16 });
      resolve({
        child,
        apiUrl,
        uiUrl: /^UI: (\S+)$/m.exec(out)?.[1] ?? '',
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
    if (o.apiOnly) poll = setInterval(check, 10);
    else child.stdout!.on('data', check);
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
