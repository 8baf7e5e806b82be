/**
 * `kubelab shell`: a cluster shell from a running `kubelab serve`, over its terminal WebSocket (SHELL_PATH on the API
 * server's address, the kubeconfig's bearer token). Raw-mode stdin; with -c runs one line and exits with its status.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import WebSocket from 'ws';
import { parse, UsageError } from './args.ts';
import { defaultStateDir } from './data-dir.ts';
import { SHELL_PATH, type ShellClientFrame, type ShellServerFrame } from '../host/terminals/shell-endpoint.ts';

const USAGE = `Attach a cluster shell to a running 'kubelab serve' (or run one command with -c).

Usage:
  kubelab shell [flags]

Flags:
      --kubeconfig PATH    the kubeconfig 'kubelab serve' wrote (default: $KUBECONFIG, else <state dir>/kubeconfig)
      --node NAME          the node to open the shell on (default: the control-plane node)
      --laptop             open the shell on the laptop (192.168.56.1), outside the cluster
  -c, --command LINE       run LINE, print its output and exit with its status
  -h, --help               help for shell
`;

interface Kubeconfig {
  'current-context'?: string;
  contexts?: Array<{ name: string; context: { cluster: string; user: string } }>;
  clusters?: Array<{ name: string; cluster: { server: string; 'certificate-authority-data'?: string } }>;
  users?: Array<{ name: string; user: { token?: string } }>;
}

export function endpointFromKubeconfig(text: string): { server: string; token: string; ca?: string } {
  const kc = parseYaml(text) as Kubeconfig;
  const ctx = kc.contexts?.find((c) => c.name === kc['current-context']) ?? kc.contexts?.[0];
  const cluster = kc.clusters?.find((c) => c.name === ctx?.context.cluster)?.cluster;
  const server = cluster?.server;
  const caData = cluster?.['certificate-authority-data'];
  const ca = caData ? Buffer.from(caData, 'base64').toString('utf8') : undefined;
  const token = kc.users?.find((u) => u.name === ctx?.context.user)?.user.token;
  if (!server || !token) throw new UsageError('the kubeconfig has no server and token for its current context');
  return { server, token, ca };
}

export function shellUrl(server: string, q: Record<string, string | undefined>): string {
  const u = new URL(SHELL_PATH, server.replace(/^http/, 'ws'));
  for (const [k, v] of Object.entries(q)) if (v !== undefined) u.searchParams.set(k, v);
  return u.href;
}

export async function shell(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { kubeconfig: { type: 'string' }, node: { type: 'string' }, laptop: { type: 'boolean' }, command: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
    USAGE,
  );
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unknown command "${positionals[0]}" for "kubelab shell"\n\n${USAGE}`);
  if (values.laptop && values.node !== undefined) throw new UsageError(`--node and --laptop cannot be used together\n\n${USAGE}`);
  const path = values.kubeconfig ?? process.env.KUBECONFIG?.split(':')[0] ?? join(defaultStateDir(), 'kubeconfig');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read kubeconfig ${path}: is 'kubelab serve' running?`);
  }
  const { server, token, ca } = endpointFromKubeconfig(text);
  const out = process.stdout;
  // Without a terminal on stdin and no -c, stdin is the script (as `ssh node < script` runs it: no prompt, no echo).
  const command = values.command ?? (process.stdin.isTTY ? undefined : await readAll(process.stdin));
  const url = shellUrl(server, { node: values.node, laptop: values.laptop ? '1' : undefined, command, cols: String(out.columns ?? 80), rows: String(out.rows ?? 24) });
  const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` }, ca });
  return new Promise<number>((resolve) => {
    let status = 1;
    const stdin = process.stdin;
    const raw = command === undefined && stdin.isTTY;
    const send = (f: ShellClientFrame) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(f));
    const onInput = (d: Buffer) => send({ type: 'input', data: d.toString('utf8') });
    const onResize = () => send({ type: 'resize', cols: out.columns ?? 80, rows: out.rows ?? 24 });
    ws.on('open', () => {
      if (command !== undefined) return;
      if (raw) stdin.setRawMode(true);
      stdin.on('data', onInput);
      stdin.resume();
      out.on('resize', onResize);
    });
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as ShellServerFrame;
      if (f.type === 'data') {
        out.write(f.data, () => send({ type: 'ack', bytes: f.data.length }));
      } else if (f.type === 'exit') status = f.code;
      else if (f.type === 'result') {
        out.write(f.stdout);
        process.stderr.write(f.stderr);
        status = f.status;
      } else if (f.type === 'error') {
        // The lab refused the place (no such node, a stopped one) before a shell opened, or the shell failed.
        process.stderr.write(`kubelab: ${f.message}\n`);
        status = 1;
      }
    });
    ws.on('error', (e) => {
      process.stderr.write(`kubelab shell: cannot reach ${server}: ${e.message}\n`);
    });
    ws.on('close', () => {
      if (raw) stdin.setRawMode(false);
      stdin.off('data', onInput);
      stdin.pause();
      out.off('resize', onResize);
      resolve(status);
    });
  });
}

function readAll(stream: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.setEncoding('utf8').on('data', (d: string) => (text += d)).once('end', () => resolve(text)).once('error', reject);
  });
}
