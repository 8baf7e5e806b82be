/**
 * `kubelab lesson ...` and `kubelab traffic ...` outside the lab: the same commands as in the cluster shell, run on
 * a running `kubelab serve` through its shell endpoint (as `kubelab shell -c` does). Paths name files here: a
 * relative lesson folder or pack becomes absolute, and `progress --export FILE` writes FILE on this computer.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { UsageError } from './args.ts';
import { defaultStateDir } from './data-dir.ts';
import { endpointFromKubeconfig, shellUrl } from './shell.ts';
import type { ShellServerFrame } from '../host/terminals/shell-endpoint.ts';
import { shellQuote } from '../lessons/assets.ts';
import { writeAtomic } from '../lessons/progress.ts';

/** Takes `--kubeconfig PATH` / `--kubeconfig=PATH` out of argv; everything else goes to the lab's command. */
function splitKubeconfig(argv: string[]): { kubeconfig?: string; rest: string[] } {
  const rest: string[] = [];
  let kubeconfig: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--kubeconfig') {
      kubeconfig = argv[++i];
      if (kubeconfig === undefined) throw new UsageError('flag needs an argument: --kubeconfig');
    } else if (a.startsWith('--kubeconfig=')) kubeconfig = a.slice('--kubeconfig='.length);
    else rest.push(a);
  }
  return { kubeconfig, rest };
}

/** Runs one line in the cluster shell of the serve the kubeconfig names (on master, or `at` a node or the laptop), capturing what it prints. */
export async function runInLab(kubeconfigPath: string | undefined, line: string, signal?: AbortSignal, at?: { node?: string; laptop?: boolean }): Promise<{ status: number; stdout: string; stderr: string }> {
  const path = kubeconfigPath ?? process.env.KUBECONFIG?.split(':')[0] ?? join(defaultStateDir(), 'kubeconfig');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read kubeconfig ${path}: is 'kubelab serve' running?`);
  }
  const { server, token, ca } = endpointFromKubeconfig(text);
  const ws = new WebSocket(shellUrl(server, { command: line, node: at?.node, laptop: at?.laptop ? '1' : undefined }), { headers: { Authorization: `Bearer ${token}` }, ca });
  return new Promise((done) => {
    const r = { status: 1, stdout: '', stderr: '' };
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as ShellServerFrame;
      if (f.type === 'result') Object.assign(r, f);
      else if (f.type === 'error') r.stderr += `kubelab: ${f.message}\n`;
    });
    ws.on('error', (e) => (r.stderr += `kubelab: cannot reach ${server}: ${e.message}\n`));
    // Going away interrupts the line in the lab (the shell endpoint aborts it when the socket closes).
    signal?.addEventListener('abort', () => ws.close(), { once: true });
    ws.on('close', () => done(r));
  });
}

async function forward(group: 'lesson' | 'traffic', argv: string[]): Promise<number> {
  const { kubeconfig, rest } = splitKubeconfig(argv);
  let exportTo: string | undefined;
  const args = [...rest];
  if (group === 'lesson') {
    const verb = args.find((a) => !a.startsWith('-'));
    if ((verb === 'start' || verb === 'import') && args.length > args.indexOf(verb) + 1) {
      const i = args.indexOf(verb) + 1;
      const p = args[i]!;
      if (!p.startsWith('/') && (p.includes('/') || p.startsWith('.') || /\.zip$/i.test(p)) && existsSync(p)) args[i] = resolve(p);
    }
    if (verb === 'progress') {
      const i = args.findIndex((a) => a === '--export' || a.startsWith('--export='));
      if (i >= 0) {
        const file = args[i]!.startsWith('--export=') ? args[i]!.slice('--export='.length) : args[i + 1];
        if (file && file !== '-') {
          exportTo = resolve(file);
          args.splice(i, args[i]!.startsWith('--export=') ? 1 : 2, '--export', '-');
        }
      }
    }
  }
  const r = await runInLab(kubeconfig, ['kubelab', group, ...args].map(shellQuote).join(' '));
  if (exportTo !== undefined && r.status === 0) {
    writeAtomic(exportTo, r.stdout);
    const n = (JSON.parse(r.stdout) as { lessons: unknown[] }).lessons.length;
    process.stdout.write(`progress of ${n} lesson${n === 1 ? '' : 's'} written to ${exportTo}\n`);
  } else process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  return r.status;
}

export const lesson = (argv: string[]) => forward('lesson', argv);
export const traffic = (argv: string[]) => forward('traffic', argv);
