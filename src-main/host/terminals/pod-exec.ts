/**
 * `kubectl exec` into a pod, from the real kubectl (the API server's pods/exec) or the lab's own: a program the image
 * lacks is runc's error (exit 126); `-it` with a shell is an interactive session over the exec streams; anything
 * else runs as the exec'd process, in a shell session over the container's files and environment.
 */
import type { Readable } from 'node:stream';
import type { Cluster } from '../../cluster/cluster.ts';
import type { RunResult, TextOutput } from '../../userland/command.ts';
import { containerTools, hasExecutable, ociNotFound, baseName } from '../../shell/commands/pod/image.ts';
import type { ShellPlace } from '../../shell/commands/place.ts';
import type { PodSession } from './pod-session.ts';

type PodPlace = ShellPlace & { kind: 'pod' };

export interface PodSessions {
  readonly cluster: Cluster;
  openPodSession(place: PodPlace, tty: boolean, size?: { cols: number; rows: number }): Promise<PodSession>;
}

export interface PodExecIO {
  stdin?: Readable | string;
  /** Resolves once the text is on its way (the API server's stream took it): the exit status must come after it. */
  stdout(text: string): void | Promise<void>;
  stderr(text: string): void | Promise<void>;
  tty: boolean;
  resize?: AsyncIterable<{ width: number; height: number }>;
  signal?: AbortSignal;
}

const SHELLS = new Set(['sh', 'ash', 'dash', 'bash']);
const quote = (w: string) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

async function readAll(stdin: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

const output = (write: (s: string) => void | Promise<void>, tty: boolean): TextOutput => ({ closed: false, write: async (s) => write(tty ? s.replace(/\r?\n/g, '\r\n') : s) });

/** Runs `argv` in the container at `place`; resolves to the exit code the API server reports. */
export async function execInPod(sessions: PodSessions, place: PodPlace, argv: string[], io: PodExecIO): Promise<number> {
  const command = argv[0] ?? '';
  if (!hasExecutable(containerTools({ cluster: sessions.cluster, place }), command)) {
    await io.stdout(`${ociNotFound(command)}${io.tty ? '\r\n' : '\n'}`);
    return 126;
  }
  const shell = SHELLS.has(baseName(command)) ? command : undefined;
  if (io.tty && shell && argv.length === 1 && io.stdin && typeof io.stdin !== 'string') return interactive(sessions, { ...place, shell }, io, io.stdin);
  const stdin = io.stdin === undefined ? '' : typeof io.stdin === 'string' ? io.stdin : await readAll(io.stdin);
  const pod = await sessions.openPodSession({ ...place, shell }, false);
  if (shell) pod.registry.processes.execs.push(argv);
  try {
    const signal = io.signal ?? new AbortController().signal;
    return await pod.session.runLineTo(argv.map(quote).join(' '), { stdout: output(io.stdout, io.tty), stderr: output(io.stderr, io.tty), signal, stdin });
  } finally {
    await pod.flush();
  }
}

/** `kubectl exec -it <pod> -- sh`: keystrokes in, the terminal's bytes out, until the shell exits. */
async function interactive(sessions: PodSessions, place: PodPlace, io: PodExecIO, stdin: Readable): Promise<number> {
  const pod = await sessions.openPodSession(place, true);
  pod.registry.processes.execs.push([place.shell ?? 'sh']);
  const { session } = pod;
  // Writes finish in order: waiting for the last one waits for them all.
  let written: void | Promise<void> = undefined;
  session.onOutput((data) => (written = io.stdout(data)));
  const code = await new Promise<number>((resolve) => {
    session.onExit(resolve);
    stdin.on('data', (chunk: Buffer) => session.input(chunk.toString('utf8')));
    // The client went away: the shell reads end of file.
    stdin.on('end', () => (session.interrupt(), session.input('\x15\x04')));
    void (async () => {
      for await (const s of io.resize ?? []) session.resize(s.width, s.height);
    })();
    session.start();
  });
  await written;
  await pod.flush();
  return code;
}

/** The lab's own `kubectl exec <pod> -- argv` (no terminal): what the program printed and its exit code. */
export async function execInPodCollect(sessions: PodSessions, place: ShellPlace, argv: string[], stdin?: string, signal?: AbortSignal): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  if (place.kind !== 'pod') throw new Error('exec needs a pod');
  const status = await execInPod(sessions, place, argv, { stdin, stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), tty: false, signal });
  return { status, stdout, stderr };
}
