/** What every kubectl command gets: the I/O, the parsed flags and args, the API, the kubeconfig's defaults. */
import { parse as parseYaml } from 'yaml';
import type { Api } from './api.ts';
import type { Flags } from './flags.ts';

export interface DirEntry {
  name: string;
  dir: boolean;
}

export interface KubectlIO {
  stdout(s: string): void;
  stderr(s: string): void;
  stdin: () => Promise<string>;
  readFile(path: string): Promise<string> | string;
  /** Entries of a directory (for `-f dir/`); absent means directories cannot be read. */
  listDir?(path: string): Promise<DirEntry[]> | DirEntry[];
  cwd: string;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** `kubectl edit`: temp files and the user's editor, in the terminal kubectl runs in; absent when there is none. */
  editor?: EditorHost;
  /** Raw terminal for `exec -it`: keystrokes in, size; absent when not a terminal. */
  terminal?: { columns: number; rows: number; onData?(h: (s: string) => void): () => void };
  /** The clock ages are measured against (describe's events): the cluster's in the cluster shell, else this machine's. */
  now?: () => number;
}

export interface EditorHost {
  /** Creates a new file holding `text`; false when `path` already exists (the caller picks another name). */
  create(path: string, text: string): boolean;
  exists(path: string): boolean;
  remove(path: string): void;
  /** Runs the editor (argv ends with the file) in the terminal; its exit status, 127 when it was not found. */
  launch(argv: string[]): Promise<number>;
}

export interface Kubeconfig {
  raw: string;
  doc: Record<string, unknown> | undefined;
  namespace: string;
  server?: string;
  path: string;
}

export interface Ctx {
  io: KubectlIO;
  api: Api;
  flags: Flags;
  args: string[];
  argsLenAtDash: number;
  cmdPath: string;
  kubeconfig: Kubeconfig;
  /** -n, else the context's namespace, else default. */
  namespace: string;
  /** Whether -n was given (for `-f` objects in another namespace). */
  namespaceExplicit: boolean;
}

export function defaultKubeconfigPath(env: Record<string, string | undefined>): string {
  return env.KUBECONFIG?.split(':')[0] || `${env.HOME ?? ''}/.kube/config`;
}

export async function loadKubeconfig(io: KubectlIO, path: string, contextOverride?: string): Promise<Kubeconfig> {
  let raw = '';
  try {
    raw = await io.readFile(path);
  } catch {
    return { raw: '', doc: undefined, namespace: 'default', path };
  }
  const doc = (parseYaml(raw) ?? {}) as Record<string, unknown>;
  const contexts = (doc.contexts ?? []) as { name: string; context?: { cluster?: string; namespace?: string } }[];
  const clusters = (doc.clusters ?? []) as { name: string; cluster?: { server?: string } }[];
  const current = contextOverride || (doc['current-context'] as string | undefined);
  const ctx = contexts.find((c) => c.name === current)?.context;
  const server = clusters.find((c) => c.name === ctx?.cluster)?.cluster?.server;
  return { raw, doc, namespace: ctx?.namespace || 'default', server, path };
}
